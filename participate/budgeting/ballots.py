"""Casting a ballot in the database: one function for online votes, votes entered with a
facilitator's help and paper ballots typed in from a batch.

One ballot per voter per pot is the database's job (the unique constraint on
``(pot_id, voter_key)``): two first submissions sent at the same moment both try to insert,
one wins, and the other catches the refusal, rolls back to before its insert and changes the
winner's choices instead. A voter changes their ballot by casting again.

Voter keys: ``person:<id>`` for someone with an account (voting themselves or helped),
``assisted:<ref>`` for someone at a drop-in without an account (the reference on the sign-in
sheet), ``paper:<serial>`` for a paper ballot (the number printed on it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from participate.budgeting.models import Ballot, BallotChoice, PaperBatch, Pot
from participate.columns import utcnow
from participate.extensions import db


def person_key(person_id: int) -> str:
    return f"person:{person_id}"


def assisted_key(ref: str) -> str:
    return f"assisted:{ref}"


def paper_key(serial: str) -> str:
    return f"paper:{serial}"


def find(pot_id: int, voter_key: str) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(Ballot.pot_id == pot_id, Ballot.voter_key == voter_key)
    )


@dataclass
class Cast:
    ballot: Ballot
    created: bool  # False: an existing ballot's choices were replaced


class AlreadyEntered(Exception):
    """A paper ballot with this serial number is already in the pot."""

    def __init__(self, ballot: Ballot):
        super().__init__(ballot.voter_key)
        self.ballot = ballot


def _choose(ballot: Ballot, choices: Mapping[int, int]) -> None:
    ballot.choices = [
        BallotChoice(project_id=pid, points=int(points))
        for pid, points in sorted(choices.items())
        if int(points) > 0
    ]


def cast(
    pot: Pot,
    voter_key: str,
    choices: Mapping[int, int],
    *,
    source: str,
    person_id: int | None = None,
    recorded_by_id: int | None = None,
    batch_id: int | None = None,
    replace: bool = True,
    found: Ballot | None | object = ...,
) -> Cast:
    """Save a ballot (``choices``: project id -> points, 1 for a tick) for ``voter_key`` in
    ``pot``. An existing ballot for the same key gets the new choices (and who recorded them
    this time) when ``replace``; otherwise ``AlreadyEntered`` is raised (paper serials).
    The caller checks the ballot with ``rules.ballot_problems`` first and commits after.
    ``found``: the voter's ballot as the caller already looked it up (``None``: none yet),
    to save asking twice."""
    existing = find(pot.id, voter_key) if found is ... else found
    if existing is None:
        ballot = Ballot(
            pot_id=pot.id,
            voter_key=voter_key,
            person_id=person_id,
            source=source,
            recorded_by_id=recorded_by_id,
            batch_id=batch_id,
        )
        _choose(ballot, choices)
        try:
            with db.session.begin_nested():
                db.session.add(ballot)
        except IntegrityError:
            # Someone else's first submission for this key got in first: use theirs.
            existing = find(pot.id, voter_key)
            if existing is None:
                raise
        else:
            return Cast(ballot, created=True)
    if not replace:
        raise AlreadyEntered(existing)
    _choose(existing, choices)
    existing.source = source
    existing.recorded_by_id = recorded_by_id
    existing.updated_at = utcnow()
    db.session.flush()
    return Cast(existing, created=False)


def chosen(ballot: Ballot | None) -> dict[int, int]:
    """A ballot's choices as project id -> points (empty when there is no ballot)."""
    if ballot is None:
        return {}
    return {c.project_id: c.points for c in ballot.choices}


def batch_ballots(batch: PaperBatch) -> list[Ballot]:
    return list(
        db.session.scalars(select(Ballot).where(Ballot.batch_id == batch.id).order_by(Ballot.id))
    )


def batch_sizes(batch_ids: list[int]) -> dict[int, int]:
    if not batch_ids:
        return {}
    rows = db.session.execute(
        select(Ballot.batch_id, func.count())
        .where(Ballot.batch_id.in_(batch_ids))
        .group_by(Ballot.batch_id)
    ).all()
    return {batch_id: n for batch_id, n in rows}


def serial_of(ballot: Ballot) -> str:
    """The number printed on a paper ballot (its key without ``paper:``)."""
    return ballot.voter_key.removeprefix("paper:")
