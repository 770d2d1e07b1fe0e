"""Funds: the list, setting one up (with its checks next to each field), the settings (moving
it on, adding money), and the public fund page (money, dates, grants, burn-down, who decided,
the register summed up). Who may not see or change a fund gets a 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from participate.clock import local_today
from participate.extensions import db
from participate.grants import books, steps
from participate.grants.models import Fund, LedgerTransaction
from tests import factories as f


@pytest.fixture
def council(app):
    org = f.organisation()
    officer = f.person("Priya Officer")
    f.member(officer, org, "council_officer")
    return org, officer


def _form(**changes):
    ends = local_today() + timedelta(days=730)
    data = {
        "name": "Harbour Chest",
        "summary": "Small grants for groups by the harbour.",
        "visibility": "public",
        "currency": "GBP",
        "total": "10,000",
        "opens_on": "",
        "ends_on": ends.isoformat(),
        "closure_window_months": "6",
        "reminder_months": "3",
        "micro_limit": "500",
        "max_grant": "2000",
        "two_approvals_above": "1000",
        "reallocation_limit": "100",
        "decides_by": "panel",
    }
    data.update(changes)
    return data


def _fund(slug_or_name="Harbour Chest"):
    return db.session.scalar(select(Fund).where(Fund.name == slug_or_name))


# --- the list --------------------------------------------------------------------------------


def test_the_list_groups_funds_and_hides_drafts_from_residents(client, council):
    org, officer = council
    f.fund(500_000, organisation_=org, officer=officer, name="Open Chest")
    f.fund(0, organisation_=org, officer=officer, name="Draft Chest", status="draft")
    f.fund(100_000, organisation_=org, officer=officer, name="Paused Chest", status="paused")
    f.fund(100_000, organisation_=org, officer=officer, name="Old Chest", status="closed")
    db.session.commit()

    page = f.page_text(client.get("/funds/"))
    assert "Open Chest" in page and "£5,000.00" in page
    assert "Paused Chest" in page and "Not taking applications" in page
    assert "Old Chest" in page
    assert "Draft Chest" not in page
    assert "Set up a fund" not in page

    f.as_person(client, f.person("Rhys"))
    assert "Draft Chest" not in f.page_text(client.get("/funds/"))

    f.as_person(client, officer)
    page = f.page_text(client.get("/funds/"))
    assert "Draft Chest" in page and "Being set up" in page
    assert f"/funds/new?organisation={org.slug}" in page


def test_another_councils_officer_sees_no_set_up_link_for_this_council(client, council):
    org, _officer = council
    other = f.organisation("Northside Council")
    theirs = f.person("Olu")
    f.member(theirs, other, "council_officer")
    f.as_person(client, theirs)
    page = f.page_text(client.get("/funds/"))
    assert f"organisation={other.slug}" in page
    assert f"organisation={org.slug}" not in page
    assert client.get(f"/funds/new?organisation={org.slug}").status_code == 404


# --- setting up ------------------------------------------------------------------------------


def test_an_officer_sets_up_a_draft_fund_with_its_money(client, council):
    org, officer = council
    f.as_person(client, officer)
    assert client.get(f"/funds/new?organisation={org.slug}").status_code == 200
    response = client.post(f"/funds/new?organisation={org.slug}", data=_form())
    assert response.status_code == 303
    fund = _fund()
    assert response.headers["Location"].endswith(f"/funds/{fund.slug}/settings")
    assert fund.status == "draft"
    assert (fund.total, fund.micro_limit, fund.max_grant) == (1_000_000, 50_000, 200_000)
    assert (fund.two_approvals_above, fund.reallocation_limit) == (100_000, 10_000)
    assert (fund.closure_window_months, fund.reminder_months, fund.decides_by) == (6, 3, "panel")
    assert fund.space.visibility == "public"
    assert books.fund_money(fund).total == 1_000_000
    assert books.verify(fund) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2020-01-01"}, "ends_on", "The fund must end after today."),
        ({"ends_on": ""}, "ends_on", "Give the date the fund ends."),
        ({"micro_limit": "3000"}, "micro_limit", "must be below the most one grant may get"),
        ({"total": "-5"}, "total", "Write an amount of money"),
        ({"name": ""}, "name", "Give the fund a name."),
        ({"closure_window_months": "40"}, "closure_window_months", "between 0 and 36"),
    ],
)
def test_bad_settings_show_next_to_the_field_and_keep_what_was_typed(
    client, council, changes, field, message
):
    org, officer = council
    f.as_person(client, officer)
    response = client.post(f"/funds/new?organisation={org.slug}", data=_form(**changes))
    assert response.status_code == 422
    page = f.page_text(response)
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "Small grants for groups by the harbour." in page
    assert 'value="10,000"' in page or field == "total"
    assert _fund() is None


def test_the_closure_window_must_leave_time_after_the_fund_opens(client, council):
    org, officer = council
    f.as_person(client, officer)
    ends = local_today() + timedelta(days=200)
    response = client.post(
        f"/funds/new?organisation={org.slug}",
        data=_form(ends_on=ends.isoformat(), closure_window_months="12"),
    )
    assert response.status_code == 422
    error = f.page_text(response).split('id="closure_window_months-error"', 1)[1]
    assert "start closing on" in error.split("</p>", 1)[0]


def test_the_htmx_answer_is_just_the_form(client, council):
    org, officer = council
    f.as_person(client, officer)
    response = client.post(
        f"/funds/new?organisation={org.slug}", data=_form(name=""), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#new-fund-form"
    assert f.page_text(response).lstrip().startswith("<form")


def test_only_people_who_run_the_organisations_funds_may_set_one_up(client, council):
    org, _officer = council
    url = f"/funds/new?organisation={org.slug}"
    assert client.get(url).status_code in (302, 401)  # sign in first
    resident = f.person("Rhys")
    db.session.commit()
    f.as_person(client, resident)
    assert client.get(url).status_code == 404
    assert client.post(url, data=_form()).status_code == 404
    assert client.get("/funds/new?organisation=nowhere").status_code == 404
    admin = f.person("Alex", admin=True)
    db.session.commit()
    f.as_person(client, admin)
    assert client.get(url).status_code == 200


# --- the settings ----------------------------------------------------------------------------


@pytest.fixture
def draft(council):
    org, officer = council
    fund = f.fund(0, organisation_=org, officer=officer, status="draft")
    db.session.commit()
    return fund, officer


def test_settings_are_for_the_people_who_run_the_fund(client, draft):
    fund, _officer = draft
    url = f"/funds/{fund.slug}/settings"
    other = f.person("Olu")
    f.member(other, f.organisation("Northside Council"), "council_officer")
    panel = f.person("Gwen")
    f.member(panel, fund.space, "grant_panel_member")
    fund.status = "open"
    db.session.commit()
    for who in (other, panel, f.person("Rhys")):
        f.as_person(client, who)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"name": "Taken"}).status_code == 404
        assert client.post(url + "/status", data={"to": "closed"}).status_code == 404
        assert client.post(url + "/money", data={"amount": "5", "note": "x"}).status_code == 404
    db.session.refresh(fund)
    assert (fund.name, fund.status, fund.total) == ("Community Chest", "open", 0)


def test_the_officer_changes_settings_and_mistakes_stay_on_the_page(client, draft):
    fund, officer = draft
    f.as_person(client, officer)
    url = f"/funds/{fund.slug}/settings"
    page = f.page_text(client.get(url))
    assert f"/spaces/{fund.slug}" in page and f"/funds/{fund.slug}/register" in page
    data = _form(name="Harbour Chest 2027", max_grant="100", micro_limit="200")
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "must be below the most one grant may get" in f.page_text(response)
    assert 'value="Harbour Chest 2027"' in f.page_text(response)
    response = client.post(url, data=_form(name="Harbour Chest 2027", decides_by="residents"))
    assert response.status_code == 303
    db.session.refresh(fund)
    assert (fund.name, fund.space.name, fund.decides_by) == (
        "Harbour Chest 2027",
        "Harbour Chest 2027",
        "residents",
    )
    assert fund.total == 0  # the settings never change the money


def test_money_comes_in_through_the_ledger_and_the_fund_moves_on(client, draft):
    fund, officer = draft
    f.as_person(client, officer)
    url = f"/funds/{fund.slug}/settings"
    response = client.post(url + "/status", data={"to": "open"})
    assert response.status_code == 422
    assert "Add money to the fund before opening it." in f.page_text(response)

    response = client.post(url + "/money", data={"amount": "", "note": ""})
    assert response.status_code == 422
    assert 'id="amount-error"' in f.page_text(response) and 'id="note-error"' in f.page_text(
        response
    )
    response = client.post(
        url + "/money", data={"amount": "2,500", "note": "Second payment from the council"}
    )
    assert response.status_code == 303
    tx = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.fund_id == fund.id))
    assert (tx.kind, tx.memo) == ("funding", "Second payment from the council")
    db.session.refresh(fund)
    assert fund.total == 250_000 == books.fund_money(fund).total

    assert client.post(url + "/status", data={"to": "open"}).status_code == 303
    assert client.post(url + "/status", data={"to": "draft"}).status_code == 422
    assert client.post(url + "/status", data={"to": "paused"}).status_code == 303
    db.session.refresh(fund)
    assert fund.status == "paused"
    page = f.page_text(client.get(url))
    assert "Take applications again" in page and "Close the fund" in page
    # The currency is fixed once money is in.
    response = client.post(url, data=_form(currency="EUR", name=fund.name))
    assert response.status_code == 422
    assert "The currency is fixed" in f.page_text(response)


def test_a_fund_with_grants_still_running_does_not_close(client, council):
    org, officer = council
    fund = f.fund(100_000, organisation_=org, officer=officer)
    f.application(fund, amount=10_000)
    db.session.commit()
    f.as_person(client, officer)
    response = client.post(f"/funds/{fund.slug}/settings/status", data={"to": "closed"})
    assert response.status_code == 422
    assert "1 still going" in f.page_text(response)
    db.session.refresh(fund)
    assert fund.status == "open"


# --- the public page -------------------------------------------------------------------------


def test_a_draft_fund_is_404_for_residents_and_the_signed_out(client, draft):
    fund, officer = draft
    assert client.get(f"/funds/{fund.slug}").status_code == 404
    f.as_person(client, f.person("Rhys"))
    assert client.get(f"/funds/{fund.slug}").status_code == 404
    f.as_person(client, officer)
    assert "being set up" in f.page_text(client.get(f"/funds/{fund.slug}"))


def _award(fund, officer, amount, decided_by, **fields):
    grant = f.application(fund, amount=amount, **fields)
    steps.award(grant, amount, by=officer, decided_by=decided_by)
    return grant


def test_the_public_page_shows_the_money_the_grants_and_who_decided(client, council):
    org, officer = council
    finance = f.person("Tom")
    f.member(finance, org, "finance_approver")
    fund = f.fund(
        1_000_000,
        organisation_=org,
        officer=officer,
        name="Harbour Chest",
        summary="Grants for the harbour.",
    )
    shy = f.person("Bernadette Quayle")
    private = _award(
        fund,
        officer,
        100_000,
        "panel",
        applicant=shy,
        title="Sea swimming kit",
        recipient_kind="individual",
        recipient_name="Bernadette Quayle",
    )
    group = _award(
        fund,
        officer,
        300_000,
        "residents",
        title="Harbour mural",
        recipient_name="Harbour Arts Group",
    )
    steps.accept(group, by=group.applicant)
    payment = steps.request_payment(group, 200_000, by=officer)
    steps.approve_payment(payment, by=finance)
    steps.mark_paid(payment, by=finance, paid_on=local_today(), reference="BACS 7")
    steps.record_return(group, 50_000, by=officer)
    named = _award(
        fund,
        officer,
        100_000,
        "consent",
        title="Chess club",
        recipient_kind="individual",
        recipient_name="Dot Named",
        name_public=True,
    )
    db.session.commit()

    response = client.get(f"/funds/{fund.slug}")  # signed out
    assert response.status_code == 200
    page = f.page_text(response)
    assert "Grants for the harbour." in page
    money = page.split('id="money-heading"', 1)[1].split("</section>", 1)[0]
    # total 10,000; committed 1,000 + 1,000 + 3,000 - 2,000; paid 2,000 - 500; returned 500
    for label, amount in [
        ("Money in the fund", "£10,000.00"),
        ("Promised to grants, not yet paid", "£3,000.00"),
        ("Paid to grants", "£1,500.00"),
        ("Returned or not needed", "£500.00"),
        ("Left to give", "£5,000.00"),
    ]:
        assert amount in money.split(label, 1)[1].split("</dd>", 1)[0]
    assert money.count("as of ") == 5
    assert "Sea swimming kit" in page and "Harbour mural" in page
    assert "Bernadette" not in page and "Quayle" not in page
    assert "A person living in the area" in page
    assert "Dot Named" in page and "Harbour Arts Group" in page
    decided = page.split('id="decided-heading"', 1)[1].split("</section>", 1)[0]
    assert "£5,000.00" in decided
    assert "Residents' vote: 60% of the money (£3,000.00)" in decided
    assert "A panel, with community members: 20% of the money (£1,000.00)" in decided
    assert "A consent round: 20% of the money (£1,000.00)" in decided
    burndown = page.split('id="burndown-heading"', 1)[1].split("</section>", 1)[0]
    assert 'role="img"' in burndown and "<desc" in burndown and "<table>" in burndown
    assert "£8,500.00" in burndown  # 10,000 in, 1,500 paid out and kept
    assert private.status == "awarded" and named.status == "awarded"


def test_the_apply_button_and_the_register_summary(client, council):
    org, officer = council
    fund = f.fund(1_000_000, organisation_=org, officer=officer)
    panel = [f.person("Gwen"), f.person("Jade")]
    for p in panel:
        f.member(p, fund.space, "grant_panel_member")
    first, second = f.application(fund), f.application(fund, title="Bike repair")
    steps.declare(first, panel[0], has_interest=True, interest="My sister runs it")
    steps.declare(first, panel[1], has_interest=False)
    steps.declare(second, panel[1], has_interest=False)
    db.session.commit()
    page = f.page_text(client.get(f"/funds/{fund.slug}"))
    assert f"/funds/{fund.slug}/apply" in page
    assert "Panel members made 3 declarations;" in page
    assert "in 1 application a member declared an interest and stepped out of deciding." in page
    assert "My sister" not in page and "Gwen" not in page
    assert "Saturday breakfast club" not in page  # applications are not public

    fund.status = "paused"
    db.session.commit()
    page = f.page_text(client.get(f"/funds/{fund.slug}"))
    assert f"/funds/{fund.slug}/apply" not in page
    assert "The fund is not taking applications." in page


def test_closed_grants_have_their_own_list(client, council):
    org, officer = council
    fund = f.fund(1_000_000, organisation_=org, officer=officer)
    grant = _award(fund, officer, 10_000, "panel", title="Bench by the slipway")
    grant.status = "closed"  # the closing steps are another part's; the list is what's tested
    db.session.commit()
    page = f.page_text(client.get(f"/funds/{fund.slug}"))
    closed = page.split('id="closed-heading"', 1)[1].split("</section>", 1)[0]
    assert "Bench by the slipway" in closed
    awarded = page.split('id="awarded-heading"', 1)[1].split("</section>", 1)[0]
    assert "Bench by the slipway" not in awarded


def test_an_empty_fund_page_says_so(client, council):
    org, officer = council
    fund = f.fund(
        0,
        organisation_=org,
        officer=officer,
        opens_on=None,
        ends_on=date.today() + timedelta(days=400),
    )
    db.session.commit()
    page = f.page_text(client.get(f"/funds/{fund.slug}"))
    assert "No grants have been awarded yet." in page
    assert "Panel members have made no declarations yet." in page
    assert "No money has come into the fund yet." in page and 'role="img"' not in page


def test_adding_money_with_htmx_answers_with_just_that_form(client, draft):
    fund, officer = draft
    f.as_person(client, officer)
    response = client.post(
        f"/funds/{fund.slug}/settings/money",
        data={"amount": "0", "note": "Nothing really"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#money-form"
    page = f.page_text(response)
    assert page.lstrip().startswith("<form") and "Add more than nothing." in page
    assert 'value="Nothing really"' in page
    assert books.fund_money(fund).total == 0


def test_the_funds_members_page_calls_it_a_fund(client, council):
    org, officer = council
    fund = f.fund(organisation_=org, officer=officer, name="Harbour Chest")
    rnd = f.grant_round(organisation_=org)
    f.sign_in(client, officer)
    assert "Small-grant fund · hosted by" in f.page_text(client.get(f"/spaces/{fund.slug}"))
    db.session.commit()
    page = f.page_text(client.get(f"/spaces/{rnd.space.slug}"))
    assert "Grant round · hosted by" in page and "Small-grant fund" not in page
