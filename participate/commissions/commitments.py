"""Commitments: what was promised, by which role, and what happened; the public
"you said, we did" page."""

from participate.commissions.views import bp  # noqa: F401
