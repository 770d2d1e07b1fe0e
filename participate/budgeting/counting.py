"""From the database to ``tally`` and back: which ballots count, a pot as an election, a count
stored as a Result, and ballot figures by how they were cast.

A paper ballot counts only once a second person has checked its batch; every other ballot
counts as soon as it is saved. Counting itself is ``budgeting/tally.py``: pure, exact, tested.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from participate.budgeting import rules, tally
from participate.budgeting.exchange import outcome_record
from participate.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetProject,
    GrantRound,
    PaperBatch,
    Pot,
    Result,
)
from participate.extensions import db

ON_BALLOT = ("feasible",)


def counts(pot_id: int):
    """The condition for the ballots of a pot that count (paper ones only once checked)."""
    checked = select(PaperBatch.id).where(PaperBatch.checked_by_id.is_not(None))
    return (Ballot.pot_id == pot_id) & or_(Ballot.batch_id.is_(None), Ballot.batch_id.in_(checked))


def on_ballot(pot: Pot) -> list[BudgetProject]:
    """The projects voters choose from: those found feasible, in the order they were added."""
    return [p for p in pot.projects if p.status in ON_BALLOT]


def election_for(pot: Pot, rnd: GrantRound) -> tally.Election:
    """The pot as ``tally`` sees it: project refs, costs and every counted ballot."""
    projects = {p.id: p for p in on_ballot(pot)}
    rows = db.session.execute(
        select(BallotChoice.ballot_id, BallotChoice.project_id, BallotChoice.points)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .where(counts(pot.id), BallotChoice.project_id.in_(list(projects)))
        .order_by(BallotChoice.ballot_id)
    ).all()
    ballots: dict[int, dict[str, int]] = {}
    for ballot_id, project_id, points in rows:
        ballots.setdefault(ballot_id, {})[projects[project_id].ref] = points
    kind = tally.CUMULATIVE if rnd.ballot_type == "cumulative" else tally.APPROVAL
    return tally.election(
        pot.amount, {p.ref: p.cost for p in projects.values()}, list(ballots.values()), kind
    )


def figures(pot: Pot, election: tally.Election) -> dict:
    """What a result keeps beside the outcome: votes and points per project, and the ballots
    by how they were cast, as they were when counted."""
    return {
        "scores": tally.scores(election),
        "votes": tally.votes(election),
        "ballots": ballot_figures(pot),
    }


def count_pot(pot: Pot, rnd: GrantRound, by_id: int | None) -> Result:
    """Count a pot by the round's rule and keep the outcome with its figures (not yet
    published)."""
    election = election_for(pot, rnd)
    outcome = tally.count(election, rnd.rule)
    result = Result(
        pot_id=pot.id,
        rule=rnd.rule,
        outcome={**outcome_record(outcome), **figures(pot, election)},
        counted_by_id=by_id,
    )
    db.session.add(result)
    db.session.flush()
    return result


def latest_result(pot: Pot, published_only: bool = False) -> Result | None:
    query = select(Result).where(Result.pot_id == pot.id)
    if published_only:
        query = query.where(Result.published.is_(True))
    return db.session.scalars(query.order_by(Result.counted_at.desc(), Result.id.desc())).first()


def ballot_figures(pot: Pot) -> dict[str, int]:
    """Counted ballots by how they were cast (online, assisted, paper, imported, total), and
    ``waiting``: paper ballots typed in but not yet checked."""
    rows = db.session.execute(
        select(Ballot.source, func.count()).where(counts(pot.id)).group_by(Ballot.source)
    ).all()
    figures = rules.source_counts([])
    for source, n in rows:
        figures[source] = n
    figures["total"] = sum(n for _s, n in rows)
    figures["waiting"] = (
        db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.pot_id == pot.id))
        - figures["total"]
    )
    return figures
