"""Recompense: involvement payments and expenses, recorded by facilitators, approved by a
finance approver, and each member's own history and statement."""

from participate.commissions.views import bp  # noqa: F401
