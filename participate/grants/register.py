"""The register of declared interests, summed up for the public: how many declarations the
panel made, how many were interests, and how many decisions members stepped out of. Names
and what each interest was stay with the panel (``grants.register`` page)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from participate.extensions import db
from participate.grants.models import Declaration, Grant


@dataclass(frozen=True)
class RegisterSummary:
    declarations: int  # every declaration made, "no interest" ones included
    interests: int  # declarations of an interest
    applications_stepped_out: int  # applications at least one member stepped out of deciding
    applications_declared: int  # applications with any declaration


def summarise(rows: list[tuple[int, bool]]) -> RegisterSummary:
    """``rows``: (grant id, has_interest) for every declaration."""
    stepped_out = {grant_id for grant_id, interest in rows if interest}
    return RegisterSummary(
        declarations=len(rows),
        interests=sum(1 for _g, interest in rows if interest),
        applications_stepped_out=len(stepped_out),
        applications_declared=len({grant_id for grant_id, _i in rows}),
    )


def public_summary(fund) -> RegisterSummary:
    rows = db.session.execute(
        select(Declaration.grant_id, Declaration.has_interest)
        .join(Grant, Grant.id == Declaration.grant_id)
        .where(Grant.fund_id == fund.id)
    ).all()
    return summarise([(g, bool(i)) for g, i in rows])
