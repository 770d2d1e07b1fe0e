"""Sessions: planning, the live page (check-in, attendance, lifebuoy, pairs, check-out,
notes), summaries for people who couldn't come, and the contact log between meetings."""

from participate.commissions.views import bp  # noqa: F401
