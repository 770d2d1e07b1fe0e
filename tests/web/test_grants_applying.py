"""Applying for a small grant through the pages: the full form (with budget lines that must add
up, and "Add another line" without JavaScript), the micro-grant path, closed funds, the list of
applications, the grant page, and the grantee accepting the offer; and who may see or do each
(404 for what a person may not know exists)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from participate.extensions import db
from participate.grants import steps
from participate.grants.models import Grant
from tests import factories as f


@pytest.fixture
def setting(app):
    org = f.organisation()
    officer, panel, rhys, ann = (
        f.person("Priya Officer"),
        f.person("Gwen Panel"),
        f.person("Rhys Resident"),
        f.person("Ann Neighbour"),
    )
    f.member(officer, org, "council_officer")
    fund = f.fund(
        1_000_000,
        organisation_=org,
        officer=officer,
        name="Community Chest",
        micro_limit=50_000,
        max_grant=300_000,
    )
    f.member(panel, fund.space, "grant_panel_member")
    db.session.commit()
    return {"fund": fund, "officer": officer, "panel": panel, "rhys": rhys, "ann": ann}


def _url(fund, rest: str = "") -> str:
    return f"/funds/{fund.slug}{rest}"


def _full(**changes) -> dict:
    data = {
        "title": "Saturday breakfast club",
        "what": "Breakfast and games for families on Saturday mornings.",
        "who_for": "Families on the Northside estate",
        "where_text": "Northside ward",
        "amount_requested": "450",
        "planned_start": "2026-09-01",
        "planned_end": "2027-06-30",
        "hope": "Families who know each other.",
        "after_grant": "Volunteers carry it on.",
        "recipient_kind": "organisation",
        "recipient_name": "Northside Families Group",
        "recipient_number": "1234567",
        "host_name": "",
        "host_number": "",
        "lines-0-label": "Food",
        "lines-0-amount": "300",
        "lines-1-label": "Hall hire",
        "lines-1-amount": "150",
        "lines-2-label": "",
        "lines-2-amount": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _grants(fund) -> list[Grant]:
    return list(db.session.scalars(select(Grant).where(Grant.fund_id == fund.id)))


def _near(html: str, field_id: str) -> str:
    """The error shown next to a field (the macros give it the id "<field>-error")."""
    found = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</p>', html, re.S)
    assert found, f"no error next to {field_id}"
    return " ".join(found.group(1).split())


# --- applying --------------------------------------------------------------------------------


def test_signing_in_comes_first(client, setting):
    response = client.get(_url(setting["fund"], "/apply?size=full"))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_full_application_with_budget_lines(client, setting):
    fund, rhys = setting["fund"], setting["rhys"]
    f.as_person(client, rhys)
    page = client.get(_url(fund, "/apply?size=full"))
    assert page.status_code == 200
    html = f.page_text(page)
    assert 'name="lines-2-label"' in html and 'name="lines-3-label"' not in html
    assert "If you leave this unticked, we never show your name in public" in html

    response = client.post(_url(fund, "/apply?size=full"), data=_full())
    assert response.status_code == 303
    (grant,) = _grants(fund)
    assert response.headers["Location"].endswith(f"/funds/{fund.slug}/grants/{grant.number}")
    assert (grant.title, grant.amount_requested, grant.status) == (
        "Saturday breakfast club",
        45_000,
        "applied",
    )
    assert (grant.where_text, grant.recipient_number, grant.host_name) == (
        "Northside ward",
        "1234567",
        None,
    )
    assert str(grant.planned_start) == "2026-09-01" and grant.applicant_id == rhys.id
    assert grant.micro is True  # at or under the fund's micro limit, even on the full form
    assert [(line.label, line.amount) for line in grant.lines] == [
        ("Food", 30_000),
        ("Hall hire", 15_000),
    ]

    shown = f.page_text(client.get(response.headers["Location"]))
    assert "Thank you. Your application is in" in shown
    assert "Hall hire" in shown and "£150.00" in shown and "Northside Families Group" in shown
    assert "Not decided yet" in shown


def test_mistakes_come_back_next_to_the_field_with_everything_kept(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    response = client.post(
        _url(fund, "/apply?size=full"),
        data=_full(
            title="", amount_requested="lots", recipient_kind=None, **{"lines-1-amount": "1x"}
        ),
    )
    assert response.status_code == 422
    html = f.page_text(response)
    assert "Give it a short name." in _near(html, "title")
    assert "Write an amount of money" in _near(html, "amount_requested")
    assert "Write an amount of money" in _near(html, "lines-1-amount")
    assert "Choose who would receive the money." in _near(html, "recipient_kind")
    for kept in (
        'value="lots"',
        'value="1x"',
        'value="Hall hire"',
        'value="Food"',
        "Breakfast and games for families",
        'value="Northside ward"',
        'value="2026-09-01"',
        'value="1234567"',
    ):
        assert kept in html, kept
    assert _grants(fund) == []


def test_budget_lines_must_add_up_to_the_amount(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    response = client.post(_url(fund, "/apply?size=full"), data=_full(**{"lines-1-amount": "100"}))
    assert response.status_code == 422
    html = f.page_text(response)
    message = _near(html, "lines")
    assert "£400.00" in message and "£450.00" in message
    assert 'value="100"' in html and 'value="Hall hire"' in html
    # A line with an amount and nothing to say what it pays for is asked about, next to it.
    response = client.post(_url(fund, "/apply?size=full"), data=_full(**{"lines-2-amount": "5"}))
    assert "Say what this line pays for." in _near(f.page_text(response), "lines-2-label")
    assert _grants(fund) == []


def test_add_another_line_keeps_what_was_typed(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    response = client.post(_url(fund, "/apply?size=full"), data=_full(title="", add_line="1"))
    assert response.status_code == 200
    html = f.page_text(response)
    assert 'name="lines-3-label"' in html and 'name="lines-4-label"' not in html
    assert 'value="Hall hire"' in html and "Breakfast and games" in html
    assert "error-summary" not in html  # adding a line is not sending the form
    assert _grants(fund) == []
    # Six lines at most: then the button goes.
    six = _full(
        **{f"lines-{i}-label": "" for i in range(3, 6)},
        **{f"lines-{i}-amount": "" for i in range(3, 6)},
        add_line="1",
    )
    html = f.page_text(client.post(_url(fund, "/apply?size=full"), data=six))
    assert 'name="lines-5-label"' in html and 'name="lines-6-label"' not in html
    assert "Add another line" not in html


def test_a_hosted_group_names_its_host(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    data = _full(
        recipient_kind="hosted", recipient_name="Mill Lane Gardeners", recipient_number="999"
    )
    response = client.post(_url(fund, "/apply?size=full"), data=data)
    assert response.status_code == 422
    assert "host organisation" in _near(f.page_text(response), "host_name")

    data["host_name"], data["host_number"] = "St Mary's Church", "1100"
    assert client.post(_url(fund, "/apply?size=full"), data=data).status_code == 303
    (grant,) = _grants(fund)
    assert (grant.recipient_kind, grant.recipient_name, grant.host_name, grant.host_number) == (
        "hosted",
        "Mill Lane Gardeners",
        "St Mary's Church",
        "1100",
    )
    assert grant.recipient_number is None  # the group's own number is not asked for here


def test_a_person_is_not_named_in_public_unless_they_tick(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    data = _full(recipient_kind="individual", recipient_name="Rhys Jones", host_name="Ignored")
    assert client.post(_url(fund, "/apply?size=full"), data=data).status_code == 303
    data["name_public"] = "y"
    assert client.post(_url(fund, "/apply?size=full"), data=data).status_code == 303
    first, second = sorted(_grants(fund), key=lambda g: g.number)
    assert first.name_public is False and first.host_name is None
    assert second.name_public is True


def test_the_fund_limits_come_back_as_money(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    response = client.post(
        _url(fund, "/apply?size=full"),
        data=_full(amount_requested="3500", **{"lines-0-amount": "3350"}),
    )
    assert response.status_code == 422
    assert "This fund gives up to £3,000.00 a grant." in _near(
        f.page_text(response), "amount_requested"
    )


def test_the_micro_grant_path(client, setting):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    choice = f.page_text(client.get(_url(fund, "/apply")))
    assert "Ask for up to £500.00 (a few questions)" in choice
    assert f"/funds/{fund.slug}/apply?size=small" in choice

    small = f.page_text(client.get(_url(fund, "/apply?size=small")))
    assert 'name="title"' in small and 'name="amount_requested"' in small
    assert 'name="where_text"' not in small and 'name="lines-0-label"' not in small

    data = {
        "title": "Seeds",
        "what": "Seeds and compost.",
        "who_for": "The street",
        "amount_requested": "600",
        "recipient_kind": "individual",
        "recipient_name": "Rhys Jones",
    }
    response = client.post(_url(fund, "/apply?size=small"), data=data)
    assert response.status_code == 422
    assert "up to £500.00" in _near(f.page_text(response), "amount_requested")
    assert 'value="600"' in f.page_text(response)

    data["amount_requested"] = "500"
    assert client.post(_url(fund, "/apply?size=small"), data=data).status_code == 303
    (grant,) = _grants(fund)
    assert grant.micro is True and grant.lines == [] and grant.where_text is None
    assert grant.recipient_kind == "individual" and grant.name_public is False


def test_a_fund_with_no_micro_grants_goes_straight_to_the_form(client, setting):
    fund = setting["fund"]
    fund.micro_limit = None
    db.session.commit()
    f.as_person(client, setting["rhys"])
    html = f.page_text(client.get(_url(fund, "/apply")))
    assert 'name="lines-0-label"' in html and "a few questions" not in html


def test_a_closed_fund_takes_no_applications(client, setting):
    fund = setting["fund"]
    fund.status = "paused"
    db.session.commit()
    f.as_person(client, setting["rhys"])
    page = client.get(_url(fund, "/apply?size=full"))
    assert page.status_code == 200
    assert "not taking applications" in f.page_text(page)
    assert 'name="title"' not in f.page_text(page)
    response = client.post(_url(fund, "/apply?size=full"), data=_full())
    assert response.status_code == 403
    assert _grants(fund) == []


def test_a_draft_fund_is_not_there_for_residents(client, setting):
    fund = setting["fund"]
    fund.status = "draft"
    db.session.commit()
    f.as_person(client, setting["rhys"])
    assert client.get(_url(fund, "/apply")).status_code == 404
    assert client.get(_url(fund, "/applications")).status_code == 404


# --- who sees which application --------------------------------------------------------------


def _two_applications(setting):
    fund = setting["fund"]
    mine = f.application(
        fund,
        setting["rhys"],
        40_000,
        title="Rhys's breakfast club",
        recipient_name="Northside Families Group",
    )
    theirs = f.application(
        fund,
        setting["ann"],
        120_000,
        title="Ann's seaside trip",
        recipient_name="Ann Neighbour",
        recipient_kind="individual",
    )
    db.session.commit()
    return mine, theirs


def test_no_one_else_sees_an_application_or_the_list(client, setting):
    fund = setting["fund"]
    mine, theirs = _two_applications(setting)
    f.as_person(client, setting["rhys"])
    assert client.get(_url(fund, f"/grants/{mine.number}")).status_code == 200
    assert client.get(_url(fund, f"/grants/{theirs.number}")).status_code == 404
    listing = f.page_text(client.get(_url(fund, "/applications")))
    assert "My applications" in listing and "Rhys&#39;s breakfast club" in listing
    assert "seaside" not in listing and "Ann Neighbour" not in listing

    # Another fund's officer is a stranger here too.
    other_officer = f.person("Other Officer")
    f.member(other_officer, f.organisation("Elsewhere Council"), "council_officer")
    db.session.commit()
    f.as_person(client, other_officer)
    assert client.get(_url(fund, f"/grants/{mine.number}")).status_code == 404
    assert "breakfast" not in f.page_text(client.get(_url(fund, "/applications")))


def test_the_panel_sees_every_application_grouped(client, setting):
    fund = setting["fund"]
    mine, theirs = _two_applications(setting)
    steps.award(theirs, 100_000, by=setting["officer"], decided_by="panel")
    db.session.commit()
    f.as_person(client, setting["panel"])
    html = f.page_text(client.get(_url(fund, "/applications")))
    assert html.index('id="status-applied"') < html.index("breakfast club")
    assert html.index('id="status-awarded"') < html.index("seaside trip")
    assert "Ann Neighbour" in html and "£1,000.00" in html and "Micro-grant" in html
    assert client.get(_url(fund, f"/grants/{mine.number}")).status_code == 200


# --- the offer -------------------------------------------------------------------------------


@pytest.fixture
def offered(setting):
    fund = setting["fund"]
    grant = f.application(fund, setting["rhys"], 200_000, title="Community fridge")
    steps.award(
        grant,
        180_000,
        by=setting["officer"],
        decided_by="panel",
        note="A clear plan.",
        conditions="Send us a photo of the fridge.",
    )
    db.session.commit()
    return grant


def test_the_grantee_sees_the_offer_and_others_see_it_waits(client, setting, offered):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    html = f.page_text(client.get(_url(fund, f"/grants/{offered.number}")))
    assert "Accept the offer" in html and "I have read the offer and agree to it" in html
    assert "£1,800.00" in html and "Send us a photo of the fridge." in html
    assert "A clear plan." in html and "A panel, with community members" in html
    assert "Give back any money you do not spend" in html

    f.as_person(client, setting["officer"])
    html = f.page_text(client.get(_url(fund, f"/grants/{offered.number}")))
    assert "Waiting for Northside Families Group to accept the offer" in html
    assert "Accept the offer</button>" not in html


def test_only_the_grantee_accepts(client, setting, offered):
    fund = setting["fund"]
    accept = _url(fund, f"/grants/{offered.number}/accept")
    for someone in (setting["officer"], setting["panel"], setting["ann"]):
        f.as_person(client, someone)
        assert client.post(accept, data={"agree": "y"}).status_code == 404
    db.session.refresh(offered)
    assert offered.status == "awarded"


def test_accepting_needs_the_tick_then_the_grant_is_active(client, setting, offered):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    accept = _url(fund, f"/grants/{offered.number}/accept")
    response = client.post(accept, data={})
    assert response.status_code == 422
    assert "Tick the box" in _near(f.page_text(response), "agree")
    db.session.refresh(offered)
    assert offered.status == "awarded"

    response = client.post(accept, data={"agree": "y"})
    assert response.status_code == 303
    db.session.refresh(offered)
    assert offered.status == "active" and offered.accepted_by_id == setting["rhys"].id
    html = f.page_text(client.get(response.headers["Location"]))
    assert "you have accepted the offer" in html and "Accepted on" in html
    # Sending it again changes nothing, and says so.
    again = client.post(accept, data={"agree": "y"})
    assert again.status_code == 303
    assert "no offer waiting" in f.page_text(client.get(again.headers["Location"]))


def test_with_htmx_a_missing_tick_swaps_just_the_offer(client, setting, offered):
    fund = setting["fund"]
    f.as_person(client, setting["rhys"])
    response = client.post(
        _url(fund, f"/grants/{offered.number}/accept"), data={}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#offer"
    html = f.page_text(response)
    assert html.lstrip().startswith('<section id="offer"') and "<html" not in html
