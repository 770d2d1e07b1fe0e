"""The grant's Updates tab: spend updates, the contact log, and moving money between budget
lines, with who may do what (404 for everyone else) and forms that keep what was typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.clock import local_today
from participate.extensions import db
from participate.grants import steps
from participate.grants.models import ContactNote, Reallocation, SpendUpdate
from tests import factories as f


@pytest.fixture
def world(app):
    """A fund (lines may move up to £200) and an active grant of £1,000 on two lines, £500
    paid; its officers, a finance approver, a panel member, a resident, another grantee and
    another council's officer."""
    org = f.organisation()
    officer, officer2, finance = f.person("Priya"), f.person("Ola"), f.person("Tom")
    f.member(officer, org, "council_officer")
    f.member(officer2, org, "council_officer")
    f.member(finance, org, "finance_approver")
    fund = f.fund(1_000_000, organisation_=org, officer=officer, reallocation_limit=20_000)
    panel = f.person("Gwen")
    f.member(panel, fund.space, "grant_panel_member")
    grantee = f.person("Jade")
    grant = f.application(
        fund, grantee, amount=100_000, lines=[("Hall hire", 60_000), ("Food", 40_000)]
    )
    steps.award(grant, 100_000, by=officer, decided_by="panel")
    steps.accept(grant, by=grantee)
    payment = steps.request_payment(grant, 50_000, by=officer)
    steps.approve_payment(payment, by=finance)
    steps.mark_paid(payment, by=finance, paid_on=date(2026, 5, 1), reference="BACS 1")
    other_grantee = f.person("Kai")
    f.application(fund, other_grantee, amount=5_000, title="Other idea")
    outsider = f.person("Olu")
    f.member(outsider, f.organisation("Another Council"), "council_officer")
    resident = f.person("Rhys")
    db.session.commit()
    return {
        "fund": fund,
        "grant": grant,
        "officer": officer,
        "officer2": officer2,
        "finance": finance,
        "panel": panel,
        "grantee": grantee,
        "resident": resident,
        "other_grantee": other_grantee,
        "outsider": outsider,
    }


def url(grant, tail: str = "") -> str:
    return f"/funds/{grant.fund.slug}/grants/{grant.number}/updates{tail}"


def text(response) -> str:
    return " ".join(f.page_text(response).split())


def post(client, grant, tail, data, htmx=False):
    # htmx says which page it is on, as the browser does.
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://localhost{url(grant)}"} if htmx else {}
    return client.post(url(grant, tail), data=data, headers=headers)


def lines_of(grant):
    return {line.label: line for line in grant.lines}


# --- spending --------------------------------------------------------------------------------


def test_the_grantee_tells_the_fund_what_they_spent(client, world):
    grant = world["grant"]
    f.as_person(client, world["grantee"])
    page = text(client.get(url(grant)))
    assert "How much have you spent since your last update?" in page
    assert "Nothing has been paid or spent yet." not in page  # £500 is paid
    first = post(client, grant, "/spend", {"spend-amount": "300", "spend-note": "Bought tables"})
    assert first.status_code == 303
    assert first.headers["Location"].endswith(url(grant) + "#spending")
    post(client, grant, "/spend", {"spend-amount": "120", "spend-note": "Paid the hall for March"})
    third = post(
        client,
        grant,
        "/spend",
        {"spend-amount": "0", "spend-note": "Nothing this month"},
        htmx=True,
    )
    assert third.headers["HX-Redirect"] == url(grant)  # a whole new page, not just a scroll
    page = text(client.get(url(grant)))
    assert "£420.00 of the £500.00 paid so far is spent." in page
    assert (
        page.index("Nothing this month") < page.index("Paid the hall") < page.index("Bought tables")
    )
    assert "Jade" in page
    found = db.session.scalars(select(SpendUpdate).order_by(SpendUpdate.id)).all()
    assert [(u.amount, u.by_id) for u in found] == [
        (30_000, world["grantee"].id),
        (12_000, world["grantee"].id),
        (0, world["grantee"].id),
    ]
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "grants.spend_update"))
        is not None
    )


def test_spending_more_than_was_paid_is_said_plainly(client, world):
    grant = world["grant"]
    f.as_person(client, world["officer"])
    post(client, grant, "/spend", {"spend-amount": "600", "spend-note": "Out of our own pocket"})
    assert "£600.00 spent so far: more than the £500.00 paid so far." in text(
        client.get(url(grant))
    )


def test_a_wrong_spend_update_comes_back_with_its_words(client, world):
    grant = world["grant"]
    f.as_person(client, world["grantee"])
    response = post(client, grant, "/spend", {"spend-amount": "lots", "spend-note": "Tables"})
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Write an amount of money, like 250 or 250.50." in page
    assert 'value="lots"' in page and "Tables</textarea>" in page
    response = post(client, grant, "/spend", {"spend-amount": "", "spend-note": ""}, htmx=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#spend-form"
    page = f.page_text(response)
    assert "Say how much you have spent: 0 if nothing." in page
    assert "Say in a few words what the money went on." in page
    assert "<html" not in page  # just the form, for htmx
    assert db.session.scalar(select(SpendUpdate)) is None


@pytest.mark.parametrize("who", ["resident", "other_grantee", "outsider"])
def test_people_without_a_part_in_the_grant_see_nothing(client, world, who):
    grant = world["grant"]
    f.as_person(client, world[who])
    assert client.get(url(grant)).status_code == 404
    assert (
        post(client, grant, "/spend", {"spend-amount": "1", "spend-note": "x"}).status_code == 404
    )
    f.as_person(client, None)
    assert client.get(url(grant)).status_code == 404
    assert db.session.scalar(select(SpendUpdate)) is None


@pytest.mark.parametrize("who", ["panel", "finance"])
def test_the_panel_and_finance_read_but_do_not_update_spending(client, world, who):
    grant = world["grant"]
    f.as_person(client, world[who])
    page = text(client.get(url(grant)))
    assert "Spending" in page and "How much have you spent" not in page
    assert (
        post(client, grant, "/spend", {"spend-amount": "1", "spend-note": "x"}).status_code == 404
    )


def test_spend_updates_wait_until_the_offer_is_accepted(client, world):
    fund, grantee = world["fund"], world["grantee"]
    offered = f.application(fund, grantee, amount=10_000, title="Second idea")
    steps.award(offered, 10_000, by=world["officer"], decided_by="panel")
    db.session.commit()
    f.as_person(client, grantee)
    assert "How much have you spent" not in text(client.get(url(offered)))
    response = post(client, offered, "/spend", {"spend-amount": "1", "spend-note": "x"})
    assert response.status_code == 404


# --- the contact log -------------------------------------------------------------------------


def test_an_officer_logs_contact_and_the_grantee_reads_it(client, world):
    grant = world["grant"]
    f.as_person(client, world["officer"])
    page = f.page_text(client.get(url(grant)))
    assert f'value="{local_today().isoformat()}"' in page  # the day defaults to today
    response = post(
        client,
        grant,
        "/contact",
        {
            "contact-on": "2026-03-02",
            "contact-how": "visit",
            "contact-note": "Saw the first breakfast: 30 families came.",
        },
    )
    assert response.status_code == 303
    post(
        client,
        grant,
        "/contact",
        {"contact-on": "2026-03-09", "contact-how": "call", "contact-note": "Asked about tables."},
    )
    f.as_person(client, world["grantee"])
    page = text(client.get(url(grant)))
    assert "Saw the first breakfast: 30 families came." in page
    assert page.index("Asked about tables.") < page.index("Saw the first breakfast")
    assert "Visit" in page and "Phone call" in page and "noted by Priya" in page
    assert "Add a note to the log" not in page
    note = db.session.scalar(select(ContactNote).where(ContactNote.how == "visit"))
    assert (note.on, note.by_id) == (date(2026, 3, 2), world["officer"].id)
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "grants.contact"))
        is not None
    )


def test_a_contact_in_the_future_or_without_how_is_refused_with_the_words_kept(client, world):
    grant = world["grant"]
    f.as_person(client, world["officer"])
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = post(
        client,
        grant,
        "/contact",
        {"contact-on": tomorrow, "contact-how": "call", "contact-note": "Will ring"},
    )
    assert response.status_code == 422
    page = f.page_text(response)
    assert "That day has not happened yet." in page
    assert f'value="{tomorrow}"' in page and "Will ring</textarea>" in page
    response = post(
        client,
        grant,
        "/contact",
        {"contact-on": "2026-01-05", "contact-note": "Rang them"},
        htmx=True,
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#contact-form"
    assert "Choose how you were in touch." in f.page_text(response)
    assert db.session.scalar(select(ContactNote)) is None


@pytest.mark.parametrize("who", ["grantee", "panel", "finance", "resident", "outsider"])
def test_only_the_people_who_run_the_fund_keep_the_log(client, world, who):
    grant = world["grant"]
    f.as_person(client, world[who])
    response = post(
        client,
        grant,
        "/contact",
        {"contact-on": "2026-01-05", "contact-how": "call", "contact-note": "Rang them"},
    )
    assert response.status_code == 404
    assert db.session.scalar(select(ContactNote)) is None


# --- moving money between lines --------------------------------------------------------------


def ask(client, grant, from_line, to_line, amount, reason="The hall was cheaper", htmx=False):
    return post(
        client,
        grant,
        "/reallocations",
        {
            "move-from_line": str(from_line.id),
            "move-to_line": str(to_line.id),
            "move-amount": amount,
            "move-reason": reason,
        },
        htmx=htmx,
    )


def decide(client, grant, found, decision, note=""):
    return post(
        client,
        grant,
        f"/reallocations/{found.id}",
        {f"decide-{found.id}-decision": decision, f"decide-{found.id}-note": note},
    )


def test_the_grantee_asks_to_move_money_and_an_officer_says_yes(client, world):
    grant = world["grant"]
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world["grantee"])
    page = text(client.get(url(grant)))
    assert (
        "You can move up to £200.00 between lines; a manager says yes. More than that "
        "changes the agreement: talk to the fund first."
    ) in page
    response = ask(client, grant, hall, food, "150")
    assert response.status_code == 303
    found = db.session.scalar(select(Reallocation))
    assert (found.status, found.amount, found.requested_by_id) == (
        "requested",
        15_000,
        world["grantee"].id,
    )
    page = text(client.get(url(grant)))
    assert "£150.00 from Hall hire to Food" in page and "Waiting for a yes or no" in page
    assert "Your decision" not in page  # the grantee does not decide
    assert decide(client, grant, found, "approve").status_code == 404

    f.as_person(client, world["officer"])
    assert "Your decision" in text(client.get(url(grant)))
    assert decide(client, grant, found, "approve", "Fine by us").status_code == 303
    db.session.refresh(found)
    assert (found.status, found.decided_by_id, found.decision_note) == (
        "approved",
        world["officer"].id,
        "Fine by us",
    )
    page = text(client.get(url(grant)))
    assert "£450.00" in page and "£550.00" in page and "Moved" in page
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"grants.reallocation_requested", "grants.reallocation_decided"} <= actions
    # Decided once only.
    assert decide(client, grant, found, "refuse", "Changed my mind").status_code == 404


def test_a_refusal_needs_a_reason_and_moves_nothing(client, world):
    grant = world["grant"]
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world["grantee"])
    ask(client, grant, food, hall, "100")
    found = db.session.scalar(select(Reallocation))
    f.as_person(client, world["officer"])
    response = decide(client, grant, found, "refuse")
    assert response.status_code == 422
    assert "Say why not, so the person who asked knows." in f.page_text(response)
    response = client.post(
        url(grant, f"/reallocations/{found.id}"),
        data={f"decide-{found.id}-decision": "refuse"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#reallocations"
    assert '<section id="reallocations"' in f.page_text(response)
    assert "<html" not in f.page_text(response)
    response = decide(client, grant, found, "", "Because")
    assert response.status_code == 422 and "Choose yes or no." in f.page_text(response)
    assert "Because</textarea>" in f.page_text(response)
    assert decide(client, grant, found, "refuse", "Food is the point of it").status_code == 303
    db.session.refresh(found)
    assert found.status == "refused"
    f.as_person(client, world["grantee"])
    page = text(client.get(url(grant)))
    assert "Not moved" in page and "Food is the point of it" in page
    assert "£600.00" in page and "£400.00" in page


def test_an_officer_cannot_say_yes_to_their_own_request(client, world):
    grant = world["grant"]
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world["officer"])
    assert ask(client, grant, hall, food, "50").status_code == 303
    found = db.session.scalar(select(Reallocation))
    assert decide(client, grant, found, "approve").status_code == 404
    for who in ("panel", "finance", "grantee"):
        f.as_person(client, world[who])
        assert decide(client, grant, found, "approve").status_code == 404
    f.as_person(client, world["officer2"])
    assert decide(client, grant, found, "approve").status_code == 303


@pytest.mark.parametrize("who", ["panel", "finance", "resident", "other_grantee", "outsider"])
def test_others_cannot_ask_to_move_money(client, world, who):
    grant = world["grant"]
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world[who])
    assert ask(client, grant, hall, food, "50").status_code == 404
    assert db.session.scalar(select(Reallocation)) is None


def test_asking_for_too_much_or_the_wrong_lines_is_explained(client, world):
    grant = world["grant"]
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world["grantee"])
    response = ask(client, grant, hall, food, "250", "Paint")
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Moving more than £200.00 changes the agreement: talk to the fund first." in page
    assert 'value="250"' in page and "Paint</textarea>" in page
    assert f'<option selected value="{hall.id}">' in page
    response = ask(client, grant, food, hall, "450", htmx=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#reallocation-form"
    assert "That line has only £400.00 in it." in f.page_text(response)
    response = ask(client, grant, food, food, "10")
    assert "Choose a different line to move it to." in f.page_text(response)
    other = f.application(world["fund"], amount=10_000, lines=[("Elsewhere", 10_000)])
    db.session.commit()
    response = ask(client, grant, other.lines[0], food, "10")
    assert response.status_code == 422
    assert "Choose one of this grant&#39;s budget lines." in f.page_text(response)
    response = post(client, grant, "/reallocations", {"move-amount": "", "move-reason": ""})
    page = f.page_text(response)
    assert "Choose the line to move money from." in page and "Give the amount to move." in page
    assert db.session.scalar(select(Reallocation)) is None


def test_approving_checks_the_line_again(client, world):
    grant, fund = world["grant"], world["fund"]
    fund.reallocation_limit = 60_000
    db.session.commit()
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world["grantee"])
    ask(client, grant, hall, food, "500")
    ask(client, grant, hall, food, "500")
    first, second = db.session.scalars(select(Reallocation).order_by(Reallocation.id)).all()
    f.as_person(client, world["officer"])
    assert decide(client, grant, first, "approve").status_code == 303
    response = decide(client, grant, second, "approve")
    assert response.status_code == 422
    assert "That line has only £100.00 in it." in f.page_text(response)
    db.session.refresh(second)
    assert second.status == "requested"
    assert decide(client, grant, second, "refuse", "Not enough left").status_code == 303


def test_a_grant_without_lines_says_why_nothing_moves(client, world):
    fund, grantee = world["fund"], world["grantee"]
    micro = f.application(fund, grantee, amount=10_000, title="Micro")
    steps.award(micro, 10_000, by=world["officer"], decided_by="panel")
    steps.accept(micro, by=grantee)
    db.session.commit()
    f.as_person(client, grantee)
    page = text(client.get(url(micro)))
    assert "This grant has no budget lines" in page
    assert "Ask to move money" not in page
    response = post(client, micro, "/reallocations", {"move-amount": "1", "move-reason": "x"})
    assert response.status_code == 404


def test_a_reallocation_of_another_grant_is_not_found_here(client, world):
    grant, fund = world["grant"], world["fund"]
    hall, food = lines_of(grant)["Hall hire"], lines_of(grant)["Food"]
    f.as_person(client, world["grantee"])
    ask(client, grant, hall, food, "20")
    found = db.session.scalar(select(Reallocation))
    other = f.application(fund, amount=10_000, title="Other grant")
    steps.award(other, 10_000, by=world["officer"], decided_by="panel")
    db.session.commit()
    f.as_person(client, world["officer"])
    response = post(
        client, other, f"/reallocations/{found.id}", {f"decide-{found.id}-decision": "approve"}
    )
    assert response.status_code == 404
    db.session.refresh(found)
    assert found.status == "requested"
