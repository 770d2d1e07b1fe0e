"""Voting through the pages: the pots, a ballot of each kind with its rules, one ballot per
voter per pot (the database's unique constraint), changing a vote until voting closes, votes
entered with a facilitator's help, paper batches entered by one person and checked by another,
and who may see or do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from participate.audit.models import AuditEntry
from participate.budgeting import ballots, counting
from participate.budgeting.models import Ballot, BallotChoice, PaperBatch
from participate.clock import local_today
from participate.extensions import db
from tests import factories as f


@pytest.fixture
def world(app):
    today = local_today()
    council = f.organisation("Porthaven Council")
    rnd = f.grant_round(
        "voting",
        organisation_=council,
        pots=((10_000, "Whole area"), (5_000, "Young people")),
        ballot_type="approval",
        min_picks=1,
        max_picks=2,
        area_kind="ward",
        area_name="Northside ward",
        who_votes="residents",
        vote_age_from=16,
        voting_from=today - timedelta(days=3),
        results_from=today + timedelta(days=10),
    )
    whole, young = rnd.pots
    p = {
        "benches": f.budget_project(whole, "Benches", 4_000),
        "fridge": f.budget_project(whole, "Community fridge", 3_000),
        "crossing": f.budget_project(whole, "Safe crossing", 5_000),
        "wifi": f.budget_project(whole, "Free wifi", 45_000, status="not_feasible"),
        "ramps": f.budget_project(young, "Skate ramps", 2_000),
    }
    people = {
        "priya": f.person("Priya"),
        "sam": f.person("Sam"),
        "tess": f.person("Tess"),
        "rhys": f.person("Rhys"),
    }
    f.member(people["priya"], council, "council_officer")
    f.member(people["sam"], rnd.space, "facilitator")
    f.member(people["tess"], rnd.space, "facilitator")
    f.member(people["rhys"], rnd.space, "resident")
    db.session.commit()
    return rnd, p, people


def _url(rnd, tail: str = "") -> str:
    return f"/rounds/{rnd.space.slug}/{tail}"


DECLARED = {"declare_area": "y", "declare_age": "y"}


def _vote(client, rnd, pot, *projects, **extra):
    data = {"choice": [str(p.id) for p in projects], **DECLARED, **extra}
    return client.post(_url(rnd, f"vote/{pot.id}"), data=data)


def _ballots(pot_id: int) -> list[Ballot]:
    db.session.expire_all()
    return list(db.session.scalars(select(Ballot).where(Ballot.pot_id == pot_id)))


def _checked_ids(html: str) -> set[int]:
    import re

    return {int(m) for m in re.findall(r'value="(\d+)" id="choice-\d+" checked', html)}


# --- the pots page ---------------------------------------------------------------------------


def test_vote_page_asks_to_sign_in_and_explains_who_votes(client, world):
    rnd, _p, _people = world
    html = f.page_text(client.get(_url(rnd, "vote/")))
    assert "Sign in first to vote." in html
    assert f"/sign-in?next=/rounds/{rnd.space.slug}/vote/" in html
    assert "People who live, work or study in the area" in html
    assert "Northside ward" in html and "aged 16 or older" in html
    assert "Whole area" in html and "Young people" in html


def test_vote_page_shows_each_pot_whether_voted_and_the_figures(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    html = f.page_text(client.get(_url(rnd, "vote/")))
    assert "Not voted yet" in html
    assert "So far: 0 online, 0 with help, 0 on paper" in html
    assert _vote(client, rnd, whole, p["benches"]).status_code == 303
    html = f.page_text(client.get(_url(rnd, "vote/")))
    assert "You have voted" in html and "Last changed on" in html
    assert "Change your vote in Whole area" in html
    assert "So far: 1 online, 0 with help, 0 on paper" in html


# --- a ballot --------------------------------------------------------------------------------


def test_approval_ballot_lists_the_projects_on_it_and_the_limits(client, world):
    rnd, p, people = world
    f.as_person(client, people["rhys"])
    html = f.page_text(client.get(_url(rnd, f"vote/{rnd.pots[0].id}")))
    assert "Choose between 1 and 2 projects." in html
    for key in ("benches", "fridge", "crossing"):
        assert p[key].title in html
        assert f"/rounds/{rnd.space.slug}/projects/{p[key].id}" in html
    assert "Free wifi" not in html  # not feasible: not on the ballot
    assert "Skate ramps" not in html  # another pot
    assert "I live, work or study in Northside ward" in html
    assert "I am 16 or older" in html


def test_voting_saves_one_ballot_and_confirms_what_was_chosen(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    response = _vote(client, rnd, whole, p["benches"], p["fridge"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/vote/{whole.id}/saved")
    [ballot] = _ballots(whole.id)
    assert ballot.voter_key == f"person:{people['rhys'].id}"
    assert ballot.person_id == people["rhys"].id
    assert ballot.source == "online" and ballot.recorded_by_id is None
    assert ballots.chosen(ballot) == {p["benches"].id: 1, p["fridge"].id: 1}
    html = f.page_text(client.get(response.headers["Location"]))
    assert "Your vote is saved" in html
    assert "Benches" in html and "Community fridge" in html and "Safe crossing" not in html
    assert "Change my vote" in html


def test_changing_a_vote_replaces_the_choices_and_keeps_one_ballot(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    _vote(client, rnd, whole, p["benches"], p["fridge"])
    html = f.page_text(client.get(_url(rnd, f"vote/{whole.id}")))
    assert _checked_ids(html) == {p["benches"].id, p["fridge"].id}  # the form shows the vote
    assert _vote(client, rnd, whole, p["crossing"]).status_code == 303
    [ballot] = _ballots(whole.id)
    assert ballots.chosen(ballot) == {p["crossing"].id: 1}
    assert db.session.scalar(select(func.count()).select_from(BallotChoice)) == 1
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["budgeting.ballot_cast", "budgeting.ballot_changed"]


def test_audit_says_a_vote_was_cast_but_never_what_was_chosen(client, world):
    rnd, p, people = world
    f.as_person(client, people["rhys"])
    _vote(client, rnd, rnd.pots[0], p["benches"])
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "budgeting.ballot_cast")
    ).one()
    assert entry.actor_id == people["rhys"].id
    assert "Benches" not in entry.summary and not entry.detail
    assert entry.object_type == "Ballot"


def test_the_database_refuses_a_second_ballot_with_the_same_key(app, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    key = f"person:{people['rhys'].id}"
    db.session.add(Ballot(pot_id=whole.id, voter_key=key, source="online"))
    db.session.commit()
    db.session.add(Ballot(pot_id=whole.id, voter_key=key, source="online"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert len(_ballots(whole.id)) == 1


def test_a_parallel_first_submission_changes_the_ballot_that_got_in_first(app, world, monkeypatch):
    """Two first submissions at once: both look, find nothing, and insert. The second insert
    is refused by the unique constraint; cast() rolls it back and updates the first."""
    rnd, p, people = world
    whole = rnd.pots[0]
    key = f"person:{people['rhys'].id}"
    ballots.cast(whole, key, {p["benches"].id: 1}, source="online", person_id=people["rhys"].id)
    db.session.commit()
    real_find, calls = ballots.find, []

    def find_too_early(pot_id, voter_key):
        calls.append(voter_key)
        return None if len(calls) == 1 else real_find(pot_id, voter_key)

    monkeypatch.setattr(ballots, "find", find_too_early)
    cast = ballots.cast(whole, key, {p["fridge"].id: 1}, source="online")
    db.session.commit()
    assert cast.created is False
    [ballot] = _ballots(whole.id)
    assert ballots.chosen(ballot) == {p["fridge"].id: 1}


def test_approval_too_many_and_too_few_keep_the_choices(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    response = _vote(client, rnd, whole, p["benches"], p["fridge"], p["crossing"])
    assert response.status_code == 422
    html = f.page_text(response)
    assert "Choose no more than 2 projects." in html
    assert _checked_ids(html) == {p["benches"].id, p["fridge"].id, p["crossing"].id}
    assert 'checked id="declare_area"' in html  # the declaration stays ticked too
    response = _vote(client, rnd, whole)
    assert response.status_code == 422
    assert "Choose at least 1 projects." in f.page_text(response)
    assert _ballots(whole.id) == []


def test_a_project_from_another_pot_is_refused(client, world):
    rnd, p, people = world
    f.as_person(client, people["rhys"])
    response = _vote(client, rnd, rnd.pots[0], p["ramps"])
    assert response.status_code == 422
    assert "One of those projects is not on this ballot." in f.page_text(response)
    assert _ballots(rnd.pots[0].id) == []


def test_residents_must_declare_where_they_live_and_their_age(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    response = client.post(_url(rnd, f"vote/{whole.id}"), data={"choice": [str(p["benches"].id)]})
    assert response.status_code == 422
    html = f.page_text(response)
    assert "Tick to confirm this: only people here can vote." in html
    assert "Tick to confirm the age to vote." in html
    assert _checked_ids(html) == {p["benches"].id}
    assert _ballots(whole.id) == []


def test_knapsack_over_the_budget_and_under_the_least_spend(client, world):
    rnd, p, people = world
    rnd.ballot_type, rnd.min_spend_percent = "knapsack", 50
    db.session.commit()
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    html = f.page_text(client.get(_url(rnd, f"vote/{whole.id}")))
    assert "Choose projects that cost no more than £10,000 in all." in html
    assert "Choose at least £5,000 worth." in html
    response = _vote(client, rnd, whole, p["benches"], p["fridge"], p["crossing"])
    assert response.status_code == 422
    assert "Your choices cost £12,000, more than the £10,000 there is." in f.page_text(response)
    assert _checked_ids(f.page_text(response)) == {
        p["benches"].id,
        p["fridge"].id,
        p["crossing"].id,
    }
    response = _vote(client, rnd, whole, p["fridge"])
    assert response.status_code == 422
    assert "Your choices cost £3,000; choose at least £5,000 worth." in f.page_text(response)
    assert _vote(client, rnd, whole, p["benches"], p["fridge"]).status_code == 303
    assert len(_ballots(whole.id)) == 1


def test_knapsack_running_total_with_and_without_javascript(client, world):
    rnd, p, people = world
    rnd.ballot_type = "knapsack"
    db.session.commit()
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    data = {"choice": [str(p["benches"].id), str(p["crossing"].id)]}
    # htmx asks for the total as boxes are ticked: just the total comes back.
    response = client.post(
        _url(rnd, f"vote/{whole.id}/total"), data=data, headers={"HX-Request": "true"}
    )
    html = f.page_text(response)
    assert response.status_code == 200 and "<html" not in html
    assert "Your choices cost £9,000 of the £10,000 there is." in html and "£1,000 left." in html
    # Without JavaScript, "Check my total" shows the same on the whole page, saving nothing.
    response = client.post(_url(rnd, f"vote/{whole.id}"), data={**data, "action": "check"})
    html = f.page_text(response)
    assert response.status_code == 200 and "<html" in html
    assert "Your choices cost £9,000 of the £10,000 there is." in html
    assert _checked_ids(html) == {p["benches"].id, p["crossing"].id}
    assert _ballots(whole.id) == []


def test_cumulative_over_the_points_and_not_a_number_keep_what_was_typed(client, world):
    rnd, p, people = world
    rnd.ballot_type, rnd.points, rnd.max_picks, rnd.min_picks = "cumulative", 10, None, None
    db.session.commit()
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    assert "You have 10 points to share out." in f.page_text(
        client.get(_url(rnd, f"vote/{whole.id}"))
    )
    fields = {f"points-{p['benches'].id}": "7", f"points-{p['fridge'].id}": "5"}
    response = client.post(_url(rnd, f"vote/{whole.id}"), data={**fields, **DECLARED})
    assert response.status_code == 422
    html = f.page_text(response)
    assert "You gave 12 points; you have 10 to share out." in html
    assert 'value="7"' in html and 'value="5"' in html
    response = client.post(
        _url(rnd, f"vote/{whole.id}"),
        data={f"points-{p['benches'].id}": "three", **DECLARED},
    )
    assert response.status_code == 422
    assert "Use a whole number of points" in f.page_text(response)
    assert 'value="three"' in f.page_text(response)
    fields[f"points-{p['fridge'].id}"] = "3"
    response = client.post(_url(rnd, f"vote/{whole.id}"), data={**fields, **DECLARED})
    assert response.status_code == 303
    [ballot] = _ballots(whole.id)
    assert ballots.chosen(ballot) == {p["benches"].id: 7, p["fridge"].id: 3}


def test_a_ballot_error_comes_back_as_the_form_alone_for_htmx(client, world):
    rnd, p, people = world
    f.as_person(client, people["rhys"])
    response = client.post(
        _url(rnd, f"vote/{rnd.pots[0].id}"),
        data={"choice": [str(p["benches"].id), str(p["fridge"].id), str(p["crossing"].id)]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#ballot-form"
    html = f.page_text(response)
    assert html.lstrip().startswith('<form id="ballot-form"')
    assert "Choose no more than 2 projects." in html


# --- who may vote, and when ------------------------------------------------------------------


def test_a_person_who_is_not_a_member_is_refused_with_the_reason(client, world):
    rnd, p, people = world
    rnd.who_votes = "members"
    db.session.commit()
    outsider = f.person("Olu")
    f.as_person(client, outsider)
    whole = rnd.pots[0]
    html = f.page_text(client.get(_url(rnd, "vote/")))
    assert f"Only members of {rnd.space.name} can vote in this round." in html
    response = _vote(client, rnd, whole, p["benches"])
    assert response.status_code == 403
    assert "Only members of" in f.page_text(response)
    assert _ballots(whole.id) == []
    # A member may, and members say nothing about where they live.
    f.as_person(client, people["rhys"])
    html = f.page_text(client.get(_url(rnd, f"vote/{whole.id}")))
    assert "I live, work or study" not in html
    response = client.post(_url(rnd, f"vote/{whole.id}"), data={"choice": str(p["benches"].id)})
    assert response.status_code == 303


def test_signed_out_people_cannot_vote(client, world):
    rnd, p, _people = world
    response = _vote(client, rnd, rnd.pots[0], p["benches"])
    assert response.status_code == 403
    assert "Sign in first to vote." in f.page_text(response)
    assert _ballots(rnd.pots[0].id) == []


def test_voting_closes_on_the_results_date_and_in_the_results_phase(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["rhys"])
    assert _vote(client, rnd, whole, p["benches"]).status_code == 303
    rnd.results_from = local_today()
    db.session.commit()
    html = f.page_text(client.get(_url(rnd, "vote/")))
    last = local_today() - timedelta(days=1)
    assert f"Voting has closed. The last day to vote was {last.day} " in html
    response = _vote(client, rnd, whole, p["fridge"])
    assert response.status_code == 403
    [ballot] = _ballots(whole.id)
    assert ballots.chosen(ballot) == {p["benches"].id: 1}  # not changed after closing
    assert "Change my vote" not in f.page_text(client.get(_url(rnd, f"vote/{whole.id}/saved")))
    rnd.results_from, rnd.phase = None, "results"
    db.session.commit()
    assert _vote(client, rnd, whole, p["fridge"]).status_code == 403
    rnd.phase = "feasibility"
    db.session.commit()
    assert "Voting is not open yet." in f.page_text(client.get(_url(rnd, "vote/")))


def test_another_rounds_pot_or_batch_is_not_found(client, world):
    rnd, p, people = world
    other = f.grant_round("voting", pots=((1_000, "Elsewhere"),))
    batch = PaperBatch(pot_id=other.pots[0].id, entered_by_id=people["sam"].id, note="x")
    db.session.add(batch)
    db.session.commit()
    f.as_person(client, people["rhys"])
    assert client.get(_url(rnd, f"vote/{other.pots[0].id}")).status_code == 404
    assert _vote(client, rnd, other.pots[0], p["benches"]).status_code == 404
    assert client.get(_url(rnd, "vote/999999")).status_code == 404
    f.as_person(client, people["priya"])
    assert client.get(_url(rnd, f"paper/{batch.id}")).status_code == 404


# --- a facilitator's help --------------------------------------------------------------------


def test_a_facilitator_acting_for_someone_votes_as_them(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    sam, rhys = people["sam"], people["rhys"]
    f.as_person(client, sam)
    response = client.post(
        f"/spaces/{rnd.space.slug}/assist", data={"person_id": str(rhys.id), "consent": "y"}
    )
    assert response.status_code == 303
    html = f.page_text(client.get(_url(rnd, f"vote/{whole.id}")))
    assert "You are voting for Rhys, who is here and agreed." in html
    assert "Rhys lives, works or studies in Northside ward" in html
    assert _vote(client, rnd, whole, p["fridge"]).status_code == 303
    [ballot] = _ballots(whole.id)
    assert ballot.voter_key == f"person:{rhys.id}" and ballot.person_id == rhys.id
    assert ballot.source == "assisted" and ballot.recorded_by_id == sam.id
    assert "The vote for Rhys is saved" in f.page_text(
        client.get(_url(rnd, f"vote/{whole.id}/saved"))
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "budgeting.ballot_cast")
    ).one()
    assert entry.actor_id == sam.id and entry.on_behalf_of_id == rhys.id
    assert "Community fridge" not in entry.summary


def test_a_vote_for_someone_at_a_drop_in_under_their_reference(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    url = _url(rnd, f"vote/{whole.id}/assisted")
    f.as_person(client, people["rhys"])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, data={"ref": "HUB-1", "choice": str(p["benches"].id)}).status_code == 404
    )
    f.as_person(client, people["sam"])
    assert "Enter a vote in Whole area for someone at a drop-in" in f.page_text(
        client.get(_url(rnd, "vote/"))
    )
    assert "Their reference from the sign-in sheet" in f.page_text(client.get(url))
    response = client.post(url, data={"ref": "", "choice": str(p["benches"].id), **DECLARED})
    assert response.status_code == 422
    assert "Write the reference from the sign-in sheet." in f.page_text(response)
    response = client.post(url, data={"ref": "HUB 42!", "choice": str(p["benches"].id), **DECLARED})
    assert response.status_code == 422
    assert "Use only letters, numbers and dashes" in f.page_text(response)
    response = client.post(
        url, data={"ref": "hub-0042", "choice": str(p["benches"].id), **DECLARED}
    )
    assert response.status_code == 303
    assert "Saved the vote for HUB-0042." in f.page_text(client.get(url))
    response = client.post(url, data={"ref": "HUB-0042", "choice": str(p["fridge"].id), **DECLARED})
    assert response.status_code == 303
    assert "Changed the vote for HUB-0042" in f.page_text(client.get(url))
    [ballot] = _ballots(whole.id)
    assert ballot.voter_key == "assisted:HUB-0042" and ballot.person_id is None
    assert ballot.source == "assisted" and ballot.recorded_by_id == people["sam"].id
    assert ballots.chosen(ballot) == {p["fridge"].id: 1}
    assert "1 with help" in f.page_text(client.get(_url(rnd, "vote/")))


# --- paper ballots ---------------------------------------------------------------------------


def _batch(client, rnd, pot, note="Ballot box from the library") -> PaperBatch:
    response = client.post(_url(rnd, "paper/new"), data={"pot_id": str(pot.id), "note": note})
    assert response.status_code == 303, f.page_text(response)[:500]
    db.session.expire_all()
    return db.session.scalars(select(PaperBatch).order_by(PaperBatch.id.desc())).first()


def _paper(client, rnd, batch, serial, *projects):
    return client.post(
        _url(rnd, f"paper/{batch.id}"),
        data={"serial": serial, "choice": [str(p.id) for p in projects]},
    )


def test_residents_cannot_see_or_enter_paper_ballots(client, world):
    rnd, p, people = world
    f.as_person(client, people["sam"])
    batch = _batch(client, rnd, rnd.pots[0])
    for person in (None, people["rhys"]):
        f.as_person(client, person)
        assert client.get(_url(rnd, "paper/")).status_code == 404
        assert client.get(_url(rnd, f"paper/{batch.id}")).status_code == 404
        assert (
            client.post(
                _url(rnd, "paper/new"), data={"pot_id": str(rnd.pots[0].id), "note": "x"}
            ).status_code
            == 404
        )
        assert _paper(client, rnd, batch, "0001", p["benches"]).status_code == 404
        assert client.post(_url(rnd, f"paper/{batch.id}/check")).status_code == 404
    assert _ballots(rnd.pots[0].id) == []
    assert "Paper ballots" not in f.page_text(client.get(_url(rnd, "vote/")))


def test_a_paper_batch_is_entered_checked_by_someone_else_and_then_counts(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["sam"])
    html = f.page_text(client.get(_url(rnd, "paper/")))
    assert "No paper ballots have been entered yet." in html
    response = client.post(_url(rnd, "paper/new"), data={"pot_id": str(whole.id), "note": ""})
    assert response.status_code == 422
    assert "Say where the ballots came from." in f.page_text(response)
    batch = _batch(client, rnd, whole)
    assert _paper(client, rnd, batch, "0042", p["benches"], p["fridge"]).status_code == 303
    assert _paper(client, rnd, batch, "0043", p["crossing"]).status_code == 303
    html = f.page_text(client.get(_url(rnd, f"paper/{batch.id}")))
    assert "Ballot 0043 is entered." in html
    assert "2 ballots entered" in html and "0042" in html
    assert "Someone else must check this batch." in html
    assert "Waiting for a second person's check" in html

    # Not counted until checked.
    assert len(counting.election_for(whole, rnd).ballots) == 0
    assert counting.ballot_figures(whole)["waiting"] == 2
    assert "(2 more waiting to be checked)" in f.page_text(client.get(_url(rnd, "vote/")))

    # The enterer cannot check their own batch.
    response = client.post(_url(rnd, f"paper/{batch.id}/check"))
    assert response.status_code == 303
    assert "Someone else must check this batch." in f.page_text(
        client.get(response.headers["Location"])
    )
    db.session.expire_all()
    assert db.session.get(PaperBatch, batch.id).checked_by_id is None

    f.as_person(client, people["priya"])
    html = f.page_text(client.get(_url(rnd, "paper/")))
    assert "Ballot box from the library" in html and "Sam" in html
    assert client.post(_url(rnd, f"paper/{batch.id}/check")).status_code == 303
    db.session.expire_all()
    checked = db.session.get(PaperBatch, batch.id)
    assert checked.checked_by_id == people["priya"].id and checked.checked_at is not None
    assert len(counting.election_for(whole, rnd).ballots) == 2
    figures = counting.ballot_figures(whole)
    assert figures["paper"] == 2 and figures["waiting"] == 0
    assert "Checked by Priya on" in f.page_text(client.get(_url(rnd, "paper/")))
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"budgeting.batch_started", "budgeting.paper_entered", "budgeting.batch_checked"} <= (
        actions
    )

    # Checked batches are locked, even for the one who entered them.
    f.as_person(client, people["sam"])
    html = f.page_text(client.get(_url(rnd, f"paper/{batch.id}")))
    assert "This batch is checked and locked" in html and "Enter this ballot" not in html
    assert _paper(client, rnd, batch, "0044", p["benches"]).status_code == 404
    entry = _ballots(whole.id)[0]
    assert client.post(_url(rnd, f"paper/{batch.id}/remove/{entry.id}")).status_code == 404
    f.as_person(client, people["tess"])
    assert client.post(_url(rnd, f"paper/{batch.id}/return"), data={"note": "x"}).status_code == 404
    assert len(_ballots(whole.id)) == 2


def test_a_duplicate_serial_and_a_spoilt_ballot_are_refused(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["sam"])
    first = _batch(client, rnd, whole)
    second = _batch(client, rnd, whole, "Ballot box from the Hub")
    assert _paper(client, rnd, first, "0042", p["benches"]).status_code == 303
    response = _paper(client, rnd, second, "0042", p["fridge"])
    assert response.status_code == 422
    assert f"Ballot 0042 is already entered in batch {first.id}." in f.page_text(response)
    response = _paper(client, rnd, second, "0050", p["benches"], p["fridge"], p["crossing"])
    assert response.status_code == 422
    html = f.page_text(response)
    assert "This ballot is spoilt, so it cannot be entered" in html
    assert "Choose no more than 2 projects." in html
    assert 'value="0050"' in html
    assert _checked_ids(html) == {p["benches"].id, p["fridge"].id, p["crossing"].id}
    response = _paper(client, rnd, second, "", p["benches"])
    assert response.status_code == 422
    assert "Write the number printed on the ballot paper." in f.page_text(response)
    assert [b.voter_key for b in _ballots(whole.id)] == ["paper:0042"]


def test_entries_are_removed_by_the_enterer_and_batches_sent_back_with_a_note(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["sam"])
    batch = _batch(client, rnd, whole)
    _paper(client, rnd, batch, "0001", p["benches"])
    _paper(client, rnd, batch, "0002", p["fridge"])
    one, two = _ballots(whole.id)
    f.as_person(client, people["tess"])  # another facilitator: may check, not change
    assert client.post(_url(rnd, f"paper/{batch.id}/remove/{one.id}")).status_code == 404
    response = client.post(_url(rnd, f"paper/{batch.id}/return"), data={"note": ""})
    assert response.status_code == 422
    assert "Say what needs putting right." in f.page_text(response)
    response = client.post(
        _url(rnd, f"paper/{batch.id}/return"), data={"note": "Ballot 0002 has no tick for it."}
    )
    assert response.status_code == 303
    html = f.page_text(client.get(_url(rnd, "paper/")))
    assert "Sent back" in html and "Ballot 0002 has no tick for it." in html
    f.as_person(client, people["sam"])
    response = client.post(_url(rnd, f"paper/{batch.id}/remove/{two.id}"))
    assert response.status_code == 303
    assert [b.voter_key for b in _ballots(whole.id)] == ["paper:0001"]
    assert "budgeting.batch_returned" in set(db.session.scalars(select(AuditEntry.action)))
