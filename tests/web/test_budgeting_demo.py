"""The demo's grant rounds: a newcomer finds one open for voting and one finished, each in a
believable state, and the demo resident still able to vote."""

from sqlalchemy import func, select

from participate.accounts.models import Person, Space
from participate.budgeting import counting, rules
from participate.budgeting.models import (
    Ballot,
    GrantRound,
    Override,
    PaperBatch,
    ProjectComment,
    ProjectOffer,
)
from participate.clock import local_today
from participate.demo import load
from participate.extensions import db


def _round(slug: str) -> GrantRound:
    return db.session.scalar(
        select(GrantRound).join(Space, GrantRound.space_id == Space.id).where(Space.slug == slug)
    )


def _person(email: str) -> Person:
    return db.session.scalar(select(Person).where(Person.email == email))


def test_the_northside_round_is_open_for_voting_with_ideas_in_every_state(app):
    load()
    rnd = _round("northside-neighbourhood-fund")
    today = local_today()
    assert rnd.phase == "voting" and rules.voting_open(rnd, today)
    assert sum(p.amount for p in rnd.pots) == 40_000
    statuses = {p.status for pot in rnd.pots for p in pot.projects}
    assert statuses == {"feasible", "not_feasible", "merged"}
    adjusted = [p for pot in rnd.pots for p in pot.projects if p.proposed_cost]
    assert adjusted and all(p.cost_note and p.author_reply for p in adjusted)
    assert db.session.scalar(select(func.count()).select_from(ProjectComment)) >= 3
    assert {o.status for o in db.session.scalars(select(ProjectOffer))} == {"accepted", "open"}

    rhys, jade = _person("resident@porthaven.example"), _person("community@porthaven.example")
    assert rules.may_vote(rhys, rnd, today)
    keys = set(db.session.scalars(select(Ballot.voter_key)))
    assert f"person:{rhys.id}" not in keys and f"person:{jade.id}" in keys


def test_the_demo_ballots_come_every_way_and_unchecked_paper_does_not_count(app):
    load()
    rnd = _round("northside-neighbourhood-fund")
    for pot in rnd.pots:
        figures = counting.ballot_figures(pot)
        assert figures["online"] and figures["assisted"] and figures["paper"]
        waiting = db.session.scalar(
            select(func.count())
            .select_from(Ballot)
            .join(PaperBatch, Ballot.batch_id == PaperBatch.id)
            .where(Ballot.pot_id == pot.id, PaperBatch.checked_by_id.is_(None))
        )
        assert waiting and figures["waiting"] == waiting
        assert len(counting.election_for(pot, rnd).ballots) == figures["total"]


def test_last_years_round_is_counted_published_and_has_an_override(app):
    load()
    rnd = _round("porthaven-small-grants-2025")
    assert rnd.phase == "delivery"
    pot = rnd.pots[0]
    result = counting.latest_result(pot, published_only=True)
    assert result is not None and result.rule == "mes-add1"
    assert result.outcome["cost"] <= pot.amount
    override = db.session.scalar(select(Override).where(Override.result_id == result.id))
    assert override.funded and override.reason
    assert override.project_id not in {
        p.id for p in pot.projects if p.ref in result.outcome["selected"]
    }
