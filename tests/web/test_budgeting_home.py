"""A grant round's asks on the home page: each for the person who can act on it, and gone once
it is done."""

from participate.budgeting import ballots
from participate.budgeting.models import PaperBatch
from participate.extensions import db
from tests import factories as f

VOTE = "Vote in Neighbourhood Fund"
IDEAS = "Check the ideas waiting in Neighbourhood Fund"
PAPER = "Check paper ballots someone else typed in for Neighbourhood Fund"
COUNT = "Count and publish the results of Neighbourhood Fund"


def _home(client, person) -> str:
    f.as_person(client, person)
    return f.page_text(client.get("/"))


def _people(rnd):
    officer, sam, tess, rhys = f.person("Priya"), f.person("Sam"), f.person("Tess"), f.person()
    f.member(officer, rnd.space.organisation, "council_officer")
    f.member(sam, rnd.space, "facilitator")
    f.member(tess, rnd.space, "facilitator")
    return officer, sam, tess, rhys


def test_a_resident_is_asked_to_vote_until_they_have(client):
    rnd = f.grant_round("voting")
    project = f.budget_project(rnd.pots[0])
    officer, _sam, _tess, rhys = _people(rnd)
    assert VOTE in _home(client, rhys)
    ballots.cast(
        rnd.pots[0], f"person:{rhys.id}", {project.id: 1}, source="online", person_id=rhys.id
    )
    db.session.commit()
    assert VOTE not in _home(client, rhys)
    assert IDEAS not in _home(client, officer)


def test_officers_are_asked_to_check_ideas_and_count_results(client):
    rnd = f.grant_round("feasibility")
    f.budget_project(rnd.pots[0], status="proposed")
    officer, sam, _tess, rhys = _people(rnd)
    assert IDEAS in _home(client, officer)
    for person in (sam, rhys):
        assert IDEAS not in _home(client, person)
    rnd.phase = "results"
    db.session.commit()
    assert COUNT in _home(client, officer)
    assert COUNT not in _home(client, sam)


def test_paper_ballots_wait_for_someone_other_than_who_typed_them(client):
    rnd = f.grant_round("voting")
    _officer, sam, tess, rhys = _people(rnd)
    db.session.add(PaperBatch(pot_id=rnd.pots[0].id, entered_by_id=sam.id))
    db.session.commit()
    assert PAPER not in _home(client, sam)
    assert PAPER in _home(client, tess)
    assert PAPER not in _home(client, rhys)
