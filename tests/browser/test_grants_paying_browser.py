"""Paying a grant in a real browser. With JavaScript off: Priya (council officer) asks for a
payment above the two-approvals amount, Tom (finance approver) approves it, a second finance
approver approves it too, and Tom marks it paid with a date and reference. With JavaScript on:
the Money tab (with a mistake shown by its field) and the fund's ledger page are axe-clean."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

OFFICER = "officer@porthaven.example"
FINANCE = "finance@porthaven.example"


@pytest.fixture
def paying(live_server):
    """A fund of Porthaven Council (two approvals above £500) with an active £2,000 grant, and
    a second finance approver. Returns the Money tab's and the ledger's paths."""
    from sqlalchemy import select

    from participate.accounts.models import Organisation, Person
    from participate.extensions import db
    from participate.grants import steps
    from tests import factories as f

    app = live_server.app
    with app.app_context():
        officer = db.session.scalar(select(Person).where(Person.email == OFFICER))
        council = db.session.scalar(
            select(Organisation).where(Organisation.slug == "porthaven-council")
        )
        fund = steps.create_fund(
            council,
            "Harbour Paying Fund",
            ends_on=date(2030, 3, 31),
            by=officer,
            total=1_000_000,
            status="open",
            two_approvals_above=50_000,
        )
        grant = steps.apply(
            fund,
            f.person("Nia"),
            title="Harbour litter pick",
            what="Gloves, bags and a skip.",
            recipient_name="Harbour Friends",
            amount_requested=200_000,
        )
        steps.award(grant, 200_000, by=officer, decided_by="panel")
        steps.accept(grant, by=grant.applicant)
        second = f.person("Ana")
        f.member(second, council, "finance_approver")
        db.session.commit()
        paths = {
            "money": f"/funds/{fund.slug}/grants/{grant.number}/money",
            "ledger": f"/funds/{fund.slug}/ledger",
            "grant_id": grant.id,
            "second_id": second.id,
        }
        db.session.remove()
    return paths


def _second_approval(app, grant_id: int, person_id: int) -> None:
    from sqlalchemy import select

    from participate.accounts.models import Person
    from participate.extensions import db
    from participate.grants import steps
    from participate.grants.models import Payment

    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.grant_id == grant_id))
        steps.approve_payment(payment, by=db.session.get(Person, person_id))
        db.session.commit()
        db.session.remove()


def test_a_payment_asked_for_approved_by_two_others_and_paid_without_javascript(
    make_context, live_server, paying
):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, OFFICER)
    page.goto(paying["money"])
    form = page.locator("#request-form")
    form.get_by_label("Amount to pay").fill("2,500")
    form.get_by_role("button", name="Ask for this payment").click()
    expect(page.locator("#request-amount-error")).to_contain_text(
        "Only £2,000.00 of this grant is left to ask for."
    )
    form = page.locator("#request-form")
    expect(form.get_by_label("Amount to pay")).to_have_value("2,500")
    form.get_by_label("Amount to pay").fill("1,200")
    form.get_by_label("What this payment is for (optional)").fill("The first part")
    form.get_by_role("button", name="Ask for this payment").click()
    expect(page.locator(".flashes")).to_contain_text("It needs 2 approvals")
    card = page.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("Someone else must approve this: you asked for it.")
    expect(card.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    sign_out(page)

    sign_in(page, FINANCE)
    page.goto(paying["money"])
    card = page.locator(".card", has_text="Payment of £1,200.00")
    card.get_by_role("button", name="Approve £1,200.00").click()
    expect(page.locator(".flashes")).to_contain_text("Another finance approver must approve")
    card = page.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("1 of 2 approvals: Tom.")
    expect(card.get_by_role("button", name="Approve £1,200.00")).to_have_count(0)

    _second_approval(live_server.app, paying["grant_id"], paying["second_id"])
    page.goto(paying["money"])
    card = page.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("Approved by Tom, Ana.")
    paid = card.locator("form", has=page.get_by_role("button", name="Mark as paid"))
    paid.get_by_role("button", name="Mark as paid").click()
    expect(page.locator(".field-error").first).to_contain_text("Give the payment reference.")
    card = page.locator(".card", has_text="Payment of £1,200.00")
    card.get_by_label("Date paid").fill("2026-01-05")
    card.get_by_label("Payment reference").fill("BACS 4471")
    card.get_by_role("button", name="Mark as paid").click()
    expect(page.locator(".flashes")).to_contain_text("Marked as paid.")
    card = page.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("BACS 4471")
    expect(card).to_contain_text("5 January 2026")
    expect(page.locator("#transactions")).to_contain_text("Payment to the grantee")


def test_the_money_tab_and_the_ledger_are_accessible(context, paying):
    page = context.new_page()
    sign_in(page, OFFICER)
    page.goto(paying["money"])
    expect(page.locator("#request-form")).to_be_visible()
    axe(page, "the Money tab")
    form = page.locator("#request-form")
    form.get_by_label("Amount to pay").fill("0")
    form.get_by_role("button", name="Ask for this payment").click()
    expect(page.locator("#request-amount-error")).to_contain_text(
        "Give the amount to pay, more than nothing."
    )
    axe(page, "the Money tab with a mistake")
    page.locator("#request-form").get_by_label("Amount to pay").fill("300")
    page.locator("#request-form").get_by_role("button", name="Ask for this payment").click()
    expect(page.locator(".flashes")).to_contain_text("You asked for £300.00.")
    page.locator("#cancel summary").click()
    axe(page, "the Money tab with a payment and the cancel form open")

    page.goto(paying["ledger"])
    expect(page.locator("#check")).to_contain_text("The books balance")
    expect(page.locator("main")).to_contain_text("Promised to harbour-paying-fund-1")
    page.locator("#transactions details summary").first.click()
    axe(page, "the ledger page")
