"""Demo news waiting to be emailed, so that ``flask notices send --dry-run`` shows something.

The grants demo already made some through its steps (payments approved, grants closing); this
adds the voting that is open in Northside and the objections still being worked on.
"""

from __future__ import annotations

from sqlalchemy import select

from participate.budgeting.models import GrantRound
from participate.decisions.models import Objection
from participate.extensions import db
from participate.notices import news


def load() -> int:
    told = 0
    for rnd in db.session.scalars(select(GrantRound).where(GrantRound.phase == "voting")):
        told += news.round_moved(rnd, "voting")
    live = select(Objection).where(Objection.status.in_(("open", "integrating")))
    for objection in db.session.scalars(live):
        told += news.objection_told(objection)
    return told
