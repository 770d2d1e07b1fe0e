"""Grant rounds through the pages: the list, starting a round, its settings (checked next to
each field, fixed once voting opens), its pots, moving it from phase to phase, the round page
residents read, and who may see or change any of it (404 for what someone may not know)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from participate.accounts.models import Organisation, Person
from participate.audit.models import AuditEntry
from participate.budgeting.models import GrantRound, Pot
from participate.extensions import db
from tests import factories as f


@dataclass
class People:
    council: Organisation
    officer: Person
    other_officer: Person  # an officer of another council
    admin: Person
    facilitator: Person
    resident: Person


@pytest.fixture
def people():
    council = f.organisation("Porthaven Council")
    other = f.organisation("Eastport Council")
    p = People(
        council,
        f.person("Priya"),
        f.person("Olu"),
        f.person("Ada", admin=True),
        f.person("Sam"),
        f.person("Rhys"),
    )
    f.member(p.officer, council, "council_officer")
    f.member(p.other_officer, other, "council_officer")
    db.session.commit()
    return p


def _round(people, phase="draft", **settings) -> GrantRound:
    rnd = f.grant_round(phase, organisation_=people.council, **settings)
    f.member(people.facilitator, rnd.space, "facilitator")
    db.session.commit()
    return rnd


def _fresh(rnd) -> GrantRound:
    db.session.expire_all()
    return db.session.get(GrantRound, rnd.id)


def _error(page: str, field: str) -> str:
    """The message shown next to ``field`` ('' when there is none)."""
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def _checked(page: str, name: str, value: str) -> bool:
    return any(
        f'value="{value}"' in tag and " checked" in tag
        for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)
    )


def _audited(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


SETTINGS = {
    "title": "Northside Fund",
    "summary": "Residents decide how to spend money on Northside.",
    "area_kind": "ward",
    "area_name": "Northside ward",
    "radius_metres": "",
    "who_proposes": "residents",
    "who_votes": "residents",
    "members_space_id": "",
    "vote_age_from": "11",
    "ballot_type": "approval",
    "min_picks": "1",
    "max_picks": "3",
    "min_spend_percent": "",
    "points": "",
    "rule": "mes-add1",
    "ideas_from": "2026-03-01",
    "feasibility_from": "2026-04-01",
    "voting_from": "2026-05-01",
    "results_from": "2026-05-22",
    "delivery_from": "2026-06-01",
    "ends_on": "2027-06-01",
    "currency": "GBP",
    "unspent": "It goes into next year's fund.",
}


# --- the list of rounds ----------------------------------------------------------------------


def test_the_list_shows_each_person_the_rounds_they_may_see(client, people):
    draft = _round(people, "draft", title="Fund being set up")
    _round(people, "voting", title="Open fund", pots=((30_000, "Whole"), (10_000, "Young")))
    _round(people, "voting", title="Members fund", visibility="members")
    _round(people, "closed", title="Old fund")

    page = f.page_text(client.get("/rounds/"))  # signed out
    assert "Open fund" in page and "£40,000" in page and "Old fund" in page
    assert "Fund being set up" not in page and "Members fund" not in page
    assert "Start a grant round" not in page
    open_now, finished = page.split('id="finished"')
    assert "Open fund" in open_now and "Old fund" in finished

    f.as_person(client, people.resident)
    page = f.page_text(client.get("/rounds/"))
    assert "Fund being set up" not in page and "Members fund" not in page

    f.as_person(client, people.facilitator)  # a member of every round's space, but not an officer
    page = f.page_text(client.get("/rounds/"))
    assert "Members fund" in page and "Fund being set up" not in page

    f.as_person(client, people.other_officer)
    page = f.page_text(client.get("/rounds/"))
    assert "Fund being set up" not in page
    assert "/rounds/new?organisation=" + people.council.slug not in page

    f.as_person(client, people.officer)
    page = f.page_text(client.get("/rounds/"))
    assert "Being set up" in page and "Fund being set up" in page and "Members fund" in page
    assert f'href="/rounds/new?organisation={people.council.slug}"' in page
    assert f'href="/rounds/{draft.space.slug}/"' in page


# --- starting a round ------------------------------------------------------------------------


def test_only_the_councils_officers_and_admins_start_a_round(client, people):
    url = f"/rounds/new?organisation={people.council.slug}"
    assert client.get(url).status_code == 302  # signed out: to sign in
    for who in (people.resident, people.other_officer):
        f.as_person(client, who)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"title": "Mine", "visibility": "public"}).status_code == 404
    f.as_person(client, people.officer)
    assert client.get("/rounds/new?organisation=no-such-council").status_code == 404
    assert client.get("/rounds/new").status_code == 404
    assert db.session.scalars(select(GrantRound)).all() == []
    f.as_person(client, people.admin)
    assert client.get(url).status_code == 200


def test_an_officer_starts_a_round_in_draft_and_goes_to_its_settings(client, people):
    f.as_person(client, people.officer)
    url = f"/rounds/new?organisation={people.council.slug}"
    page = f.page_text(client.get(url))
    assert "Start a grant round" in page and "Porthaven Council" in page

    blank = client.post(url, data={"title": "  ", "visibility": "members"})
    assert blank.status_code == 422
    assert _error(f.page_text(blank), "title") == "Error: Give the round a name."
    assert _checked(f.page_text(blank), "visibility", "members")  # nothing chosen is lost

    done = client.post(url, data={"title": "Northside Fund 2026", "visibility": "members"})
    assert done.status_code == 303
    assert done.headers["Location"] == "/rounds/northside-fund-2026/edit"
    rnd = db.session.scalars(select(GrantRound)).one()
    assert (rnd.phase, rnd.title, rnd.created_by_id) == (
        "draft",
        "Northside Fund 2026",
        people.officer.id,
    )
    assert (rnd.space.kind, rnd.space.visibility, rnd.space.organisation_id) == (
        "grant_round",
        "members",
        people.council.id,
    )
    assert _audited("budgeting.round_started")[0].object_id == rnd.id

    again = client.post(url, data={"title": "Northside Fund 2026", "visibility": "public"})
    assert again.headers["Location"] == "/rounds/northside-fund-2026-2/edit"


def test_a_round_being_set_up_is_invisible_to_everyone_but_its_officers(client, people):
    rnd = _round(people, "draft")
    base = f"/rounds/{rnd.space.slug}"
    for who in (None, people.resident, people.facilitator, people.other_officer):
        f.as_person(client, who)
        assert client.get(f"{base}/").status_code == 404
        assert client.get(f"{base}/edit").status_code in (302, 404)
        assert client.post(f"{base}/phase", data={"to": "ideas"}).status_code in (302, 404)
    assert _fresh(rnd).phase == "draft"
    for who in (people.officer, people.admin):
        f.as_person(client, who)
        assert client.get(f"{base}/").status_code == 200


def test_a_members_only_round_is_seen_by_its_members_only(client, people):
    rnd = _round(people, "ideas", visibility="members")
    base = f"/rounds/{rnd.space.slug}/"
    assert client.get(base).status_code == 404
    f.as_person(client, people.resident)
    assert client.get(base).status_code == 404
    f.as_person(client, people.facilitator)
    assert client.get(base).status_code == 200


# --- the settings ----------------------------------------------------------------------------


def test_only_officers_of_the_round_see_or_change_its_settings(client, people):
    rnd = _round(people, "ideas")
    url = f"/rounds/{rnd.space.slug}/edit"
    for who in (people.resident, people.facilitator, people.other_officer):
        f.as_person(client, who)
        assert client.get(url).status_code == 404
        assert client.post(url, data=SETTINGS).status_code == 404
    assert _fresh(rnd).title == "Neighbourhood Fund"
    f.as_person(client, people.officer)
    assert client.get(url).status_code == 200


def test_an_officer_sets_out_the_round_and_residents_read_it_in_plain_words(client, people):
    rnd = _round(people, "draft", pots=())
    f.as_person(client, people.officer)
    response = client.post(
        f"/rounds/{rnd.space.slug}/edit", data={**SETTINGS, "points": "10", "radius_metres": "500"}
    )
    assert response.status_code == 303
    rnd = _fresh(rnd)
    assert (rnd.title, rnd.area_kind, rnd.area_name, rnd.vote_age_from) == (
        "Northside Fund",
        "ward",
        "Northside ward",
        11,
    )
    assert (rnd.ballot_type, rnd.min_picks, rnd.max_picks, rnd.rule) == (
        "approval",
        1,
        3,
        "mes-add1",
    )
    # Settings that mean nothing for this ballot or area are not kept.
    assert rnd.points is None and rnd.radius_metres is None
    assert rnd.voting_from == date(2026, 5, 1) and rnd.ends_on == date(2027, 6, 1)
    assert rnd.space.name == "Northside Fund"
    entry = _audited("budgeting.round_changed")[0]
    assert "ballot_type" not in entry.detail["changed"] and "title" in entry.detail["changed"]

    page = f.page_text(client.get(f"/rounds/{rnd.space.slug}/"))
    for words in (
        "Northside ward",
        "People who live, work or study in the area, aged 11 or over",
        "Tick between 1 and 3 projects.",
        "How equal shares works",
        "It goes into next year&#39;s fund.",
        "1 June 2027",
    ):
        assert words in page, words


def test_mistakes_in_the_settings_show_next_to_their_fields_and_nothing_is_lost(client, people):
    rnd = _round(people, "draft")
    f.as_person(client, people.officer)
    url = f"/rounds/{rnd.space.slug}/edit"
    response = client.post(
        url,
        data={
            **SETTINGS,
            "title": "Kept title",
            "area_kind": "radius",
            "area_name": "",
            "radius_metres": "lots",
            "who_votes": "members",
            "members_space_id": "",
            "ballot_type": "knapsack",
            "rule": "mes",
            "min_spend_percent": "150",
            "feasibility_from": "2026-02-01",  # before ideas open
            "vote_age_from": "200",
        },
    )
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Enter the distance as a whole number of metres" in _error(page, "radius_metres")
    assert "Use an age from 0 to 120." in _error(page, "vote_age_from")
    # The round's own rules are checked once the form itself is fine.
    fixed = {
        **SETTINGS,
        "area_kind": "radius",
        "area_name": "",
        "radius_metres": "",
        "who_votes": "members",
        "members_space_id": "",
        "ballot_type": "knapsack",
        "rule": "mes",
        "min_spend_percent": "150",
        "feasibility_from": "2026-02-01",
        "title": "Kept title",
    }
    response = client.post(url, data=fixed)
    assert response.status_code == 422
    page = f.page_text(response)
    assert "choose a most-votes rule" in _error(page, "rule")
    assert _error(page, "min_spend_percent") == "Error: Use a number from 0 to 100."
    assert "Name the area" in _error(page, "area_name")
    assert "Say how far from the place" in _error(page, "radius_metres")
    assert "Choose the group" in _error(page, "members_space_id")
    assert "before the previous step (2026-03-01)" in _error(page, "feasibility_from")
    assert 'value="Kept title"' in page and 'value="150"' in page
    assert 'value="2026-02-01"' in page and _checked(page, "ballot_type", "knapsack")
    assert _fresh(rnd).title == "Neighbourhood Fund"  # nothing saved

    htmx = client.post(url, data=fixed, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and htmx.headers["HX-Retarget"] == "#round-form"
    assert f.page_text(htmx).lstrip().startswith('<form id="round-form"')


def test_members_of_a_group_of_the_council_can_be_the_voters(client, people):
    rnd = _round(people, "draft")
    group = f.space("Northside Youth Forum", kind="group", organisation_=people.council)
    elsewhere = f.space("Eastport group", kind="group")
    db.session.commit()
    f.as_person(client, people.officer)
    url = f"/rounds/{rnd.space.slug}/edit"
    page = f.page_text(client.get(url))
    assert "Northside Youth Forum" in page and "Eastport group" not in page
    tampered = client.post(
        url, data={**SETTINGS, "who_votes": "members", "members_space_id": str(elsewhere.id)}
    )
    assert tampered.status_code == 422
    assert (
        client.post(
            url, data={**SETTINGS, "who_votes": "members", "members_space_id": str(group.id)}
        ).status_code
        == 303
    )
    assert _fresh(rnd).members_space_id == group.id
    assert "Members of Northside Youth Forum" in f.page_text(
        client.get(f"/rounds/{rnd.space.slug}/")
    )


def test_the_ballot_and_the_rule_are_fixed_once_voting_opens(client, people):
    rnd = _round(
        people, "voting", ballot_type="approval", min_picks=1, max_picks=3, rule="mes-add1"
    )
    f.as_person(client, people.officer)
    url = f"/rounds/{rnd.space.slug}/edit"
    page = f.page_text(client.get(url))
    assert "the ballot and the counting rule are fixed" in page
    assert re.search(r"<fieldset[^>]* disabled", page)

    # A browser sends no disabled fields: the rest is saved, the ballot kept.
    browser = {
        k: v
        for k, v in SETTINGS.items()
        if k not in ("ballot_type", "min_picks", "max_picks", "min_spend_percent", "points", "rule")
    }
    assert client.post(url, data={**browser, "title": "Renamed"}).status_code == 303
    assert (_fresh(rnd).title, _fresh(rnd).rule, _fresh(rnd).max_picks) == (
        "Renamed",
        "mes-add1",
        3,
    )

    # Posting a change to them directly is refused, and nothing is saved.
    for change in (
        {"rule": "greedy"},
        {"max_picks": "5"},
        {"ballot_type": "cumulative", "points": "10"},
    ):
        response = client.post(url, data={**browser, "title": "Sneaky", **change})
        assert response.status_code == 422
        text = f.page_text(response)
        assert "Nothing was saved" in text
        name = next(iter(change))
        assert "fixed once voting opens" in _error(text, name)
        rnd = _fresh(rnd)
        assert (rnd.title, rnd.rule, rnd.max_picks, rnd.ballot_type) == (
            "Renamed",
            "mes-add1",
            3,
            "approval",
        )
    # The same values sent again are not a change.
    same = {
        **browser,
        "ballot_type": "approval",
        "min_picks": "1",
        "max_picks": "3",
        "rule": "mes-add1",
        "points": "",
        "min_spend_percent": "",
    }
    assert client.post(url, data=same).status_code == 303


# --- pots ------------------------------------------------------------------------------------


def test_officers_add_change_and_remove_pots_with_whole_amounts(client, people):
    rnd = _round(people, "draft", pots=())
    f.as_person(client, people.officer)
    base = f"/rounds/{rnd.space.slug}"
    assert client.get(f"{base}/pots/new").status_code == 200
    for typed, message in (
        ("12.50", "whole number"),
        ("lots", "whole number"),
        ("0", "more than nothing"),
        ("-5", "more than nothing"),
        ("", "Say how much"),
    ):
        response = client.post(f"{base}/pots/new", data={"name": "Young people", "amount": typed})
        assert response.status_code == 422, typed
        page = f.page_text(response)
        assert message in _error(page, "amount"), typed
        assert 'value="Young people"' in page and f'value="{typed}"' in page
    assert client.post(f"{base}/pots/new", data={"name": "", "amount": "5"}).status_code == 422

    assert (
        client.post(
            f"{base}/pots/new",
            data={
                "name": "Young people",
                "amount": "£10,000",
                "area_or_theme": "Ideas by young people",
            },
        ).status_code
        == 303
    )
    assert (
        client.post(f"{base}/pots/new", data={"name": "Whole", "amount": "30000"}).status_code
        == 303
    )
    young, whole = db.session.scalars(select(Pot).order_by(Pot.position)).all()
    assert (young.amount, young.area_or_theme, young.position) == (
        10_000,
        "Ideas by young people",
        1,
    )
    assert (whole.amount, whole.position) == (30_000, 2)
    assert len(_audited("budgeting.pot_added")) == 2

    assert 'value="10000"' in f.page_text(client.get(f"{base}/pots/{young.id}/edit"))
    assert (
        client.post(
            f"{base}/pots/{young.id}/edit", data={"name": "Young people", "amount": "12000"}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Pot, young.id).amount == 12_000
    assert "£42,000" in f.page_text(client.get(f"{base}/"))

    whole_id = whole.id
    assert client.post(f"{base}/pots/{whole_id}/remove").status_code == 303
    db.session.expire_all()
    assert [p.name for p in _fresh(rnd).pots] == ["Young people"]
    assert _audited("budgeting.pot_removed")[0].object_id == whole_id


def test_a_pot_with_projects_stays_and_pots_are_fixed_once_voting_opens(client, people):
    rnd = _round(people, "ideas", pots=((10_000, "Whole"), (5_000, "Young")))
    whole, young = rnd.pots
    f.budget_project(whole, status="proposed")
    db.session.commit()
    f.as_person(client, people.officer)
    base = f"/rounds/{rnd.space.slug}"
    response = client.post(f"{base}/pots/{whole.id}/remove", follow_redirects=True)
    assert "has ideas in it, so it cannot be removed" in f.page_text(response)
    assert db.session.get(Pot, whole.id) is not None

    rnd.phase = "voting"
    db.session.commit()
    for url, data in (
        (f"{base}/pots/new", {"name": "More", "amount": "100"}),
        (f"{base}/pots/{young.id}/edit", {"name": "Young", "amount": "1"}),
        (f"{base}/pots/{young.id}/remove", {}),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 303 and response.headers["Location"].endswith("#pots")
        assert client.get(url.replace("/remove", "/edit")).status_code == 303
    page = f.page_text(client.get(f"{base}/"))
    assert "The pots are fixed once voting opens" in page
    db.session.expire_all()
    assert [(p.name, p.amount) for p in _fresh(rnd).pots] == [("Whole", 10_000), ("Young", 5_000)]


def test_nobody_else_touches_the_pots(client, people):
    rnd = _round(people, "ideas")
    other = _round(people, "ideas", title="Another fund")
    pot = rnd.pots[0]
    base = f"/rounds/{rnd.space.slug}"
    for who in (people.resident, people.facilitator, people.other_officer):
        f.as_person(client, who)
        assert client.get(f"{base}/pots/new").status_code == 404
        assert client.post(f"{base}/pots/new", data={"name": "x", "amount": "1"}).status_code == 404
        assert (
            client.post(f"{base}/pots/{pot.id}/edit", data={"name": "x", "amount": "1"}).status_code
            == 404
        )
        assert client.post(f"{base}/pots/{pot.id}/remove").status_code == 404
    f.as_person(client, people.officer)  # a pot of another round, through this one's address
    assert client.get(f"/rounds/{other.space.slug}/pots/{pot.id}/edit").status_code == 404
    assert client.post(f"/rounds/{other.space.slug}/pots/{pot.id}/remove").status_code == 404
    db.session.expire_all()
    assert [(p.name, p.amount) for p in _fresh(rnd).pots] == [("Whole area", 10_000)]


# --- moving on -------------------------------------------------------------------------------


def test_a_round_moves_one_step_at_a_time_when_it_is_ready(client, people):
    rnd = _round(people, "draft", pots=())
    f.as_person(client, people.officer)
    base = f"/rounds/{rnd.space.slug}"
    page = f.page_text(client.get(f"{base}/"))
    assert "Move on to: Ideas" in page

    response = client.post(f"{base}/phase", data={"to": "ideas"})
    assert response.status_code == 422
    assert "Add at least one pot of money first." in f.page_text(response)
    assert 'id="move-problems"' in f.page_text(response)
    assert _fresh(rnd).phase == "draft"

    db.session.add(Pot(round_id=rnd.id, name="Whole", amount=1_000))
    db.session.commit()
    assert client.post(f"{base}/phase", data={"to": "voting"}).status_code == 422  # a jump
    assert client.post(f"{base}/phase", data={"to": "ideas"}).status_code == 303
    assert _fresh(rnd).phase == "ideas"
    entry = _audited("budgeting.phase_moved")[0]
    assert entry.detail == {"from": "draft", "to": "ideas"}
    page = f.page_text(client.get(f"{base}/"))
    assert "Move on to: Checking ideas" in page and "Go back to: Being set up" in page

    assert client.post(f"{base}/phase", data={"to": "feasibility"}).status_code == 303
    pot = _fresh(rnd).pots[0]
    f.budget_project(pot, status="proposed")
    db.session.commit()
    response = client.post(f"{base}/phase", data={"to": "voting"})
    assert response.status_code == 422
    page = f.page_text(response)
    assert "No project can go to the vote yet." in page
    assert "1 project is still waiting to be checked." in page
    assert "The round cannot move to Voting yet" in page

    f.budget_project(pot, "Skate ramps", status="feasible")
    pot.projects[0].status = "not_feasible"
    db.session.commit()
    assert client.post(f"{base}/phase", data={"to": "voting"}).status_code == 303
    # No going back once voting has opened.
    response = client.post(f"{base}/phase", data={"to": "feasibility"})
    assert response.status_code == 422 and "goes back only before voting" in f.page_text(response)
    assert "Go back to" not in f.page_text(client.get(f"{base}/"))
    assert _fresh(rnd).phase == "voting"
    assert client.post(f"{base}/phase", data={"to": "nonsense"}).status_code == 422


def test_only_officers_move_a_round(client, people):
    rnd = _round(people, "ideas")
    base = f"/rounds/{rnd.space.slug}"
    for who in (people.resident, people.facilitator, people.other_officer):
        f.as_person(client, who)
        assert client.post(f"{base}/phase", data={"to": "feasibility"}).status_code == 404
        assert "Move on to" not in f.page_text(client.get(f"{base}/"))
    f.as_person(client, people.admin)
    assert client.post(f"{base}/phase", data={"to": "feasibility"}).status_code == 303
    assert _fresh(rnd).phase == "feasibility"


# --- the round page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "shown", "hidden"),
    [
        ("ideas", ["See the projects and suggest one"], ["/vote/", "/results/"]),
        ("feasibility", ["See the projects"], ["suggest one", "/vote/", "/results/"]),
        ("voting", ['href="/rounds/{slug}/vote/"'], ["suggest one", "/results/"]),
        ("results", ['href="/rounds/{slug}/results/"', "See the results"], ["/vote/"]),
        ("closed", ["See the results"], ["/vote/", "suggest one"]),
    ],
)
def test_the_round_page_offers_what_can_be_done_now(client, people, phase, shown, hidden):
    rnd = _round(people, phase)
    slug = rnd.space.slug
    page = f.page_text(client.get(f"/rounds/{slug}/"))
    for words in shown:
        assert words.format(slug=slug) in page
    for words in hidden:
        assert words.format(slug=slug) not in page
    assert "Running the round" not in page


def test_the_round_page_explains_the_round_and_its_timeline(client, people):
    rnd = _round(
        people,
        "feasibility",
        pots=((30_000, "Whole"), (10_000, "Young people")),
        area_kind="radius",
        area_name="Mill Field",
        radius_metres=800,
        who_proposes="anyone",
        who_votes="residents",
        ballot_type="cumulative",
        points=10,
        rule="greedy",
        ideas_from=date(2026, 3, 1),
        feasibility_from=date(2026, 4, 1),
        voting_from=date(2026, 5, 1),
        ends_on=date(2027, 1, 31),
    )
    page = f.page_text(client.get(f"/rounds/{rnd.space.slug}/"))
    for words in (
        "Within 800 metres of Mill Field",
        "Anyone signed in",
        "£40,000, in 2 pots",
        "Share out 10 points between the projects",
        "You vote separately for each pot.",
        "Most votes first, skipping any project that no longer fits",
        "a project that no longer fits is skipped",
        "31 January 2027",
        "Not decided yet",
    ):
        assert words in page, words
    assert "equal shares works" not in page
    timeline = page.split('class="timeline"')[1].split("</ol>")[0]
    steps = re.findall(r'<li class="(\w+)"( aria-current="step")?>', timeline)
    assert steps == [
        ("done", ""),
        ("now", ' aria-current="step"'),
        ("later", ""),
        ("later", ""),
        ("later", ""),
        ("later", ""),
    ]
    now = timeline.split('aria-current="step"')[1].split("</li>")[0]
    assert "Checking ideas" in now and ">Now<" in now and "1 April 2026" in now
    assert timeline.index("Ideas") < timeline.index("Checking ideas") < timeline.index("Voting")


def test_knapsack_and_open_approval_ballots_in_plain_words(client, people):
    knapsack = _round(
        people, "ideas", ballot_type="knapsack", rule="greedy-no-skip", min_spend_percent=50
    )
    page = f.page_text(client.get(f"/rounds/{knapsack.space.slug}/"))
    assert "costs add up to no more than the money there is" in page
    assert "at least 50% of it" in page and "counting stops at the first project" in page
    open_ = _round(people, "ideas", ballot_type="approval", max_picks=2)
    assert "Tick up to 2 projects." in f.page_text(client.get(f"/rounds/{open_.space.slug}/"))


# --- links in --------------------------------------------------------------------------------


def test_the_space_and_the_council_pages_link_to_rounds(client, people):
    rnd = _round(people, "ideas", title="Northside Fund")
    draft = _round(people, "draft", title="Secret fund")
    f.as_person(client, people.resident)
    assert "The grant round: Northside Fund" in f.page_text(client.get(f"/spaces/{rnd.space.slug}"))
    space_page = client.get(f"/spaces/{draft.space.slug}")
    assert space_page.status_code == 404 or "Secret fund" not in f.page_text(space_page)
    f.as_person(client, people.officer)
    assert "The grant round: Secret fund" in f.page_text(client.get(f"/spaces/{draft.space.slug}"))
    page = f.page_text(client.get(f"/organisations/{people.council.slug}"))
    assert f'href="/rounds/new?organisation={people.council.slug}"' in page
    for who in (people.other_officer, people.resident):
        f.as_person(client, who)
        response = client.get(f"/organisations/{people.council.slug}")
        assert response.status_code == 404 or "/rounds/new" not in f.page_text(response)
