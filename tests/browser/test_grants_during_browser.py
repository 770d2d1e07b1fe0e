"""A grant's Updates tab in a real browser, on a fund and grant set up for these tests in the
live server's database: £1,000 to Jade's group on two budget lines, lines may move up to £200.

Without JavaScript, Jade (the grantee) sends a spend update and asks to move £150 from the
hall to food; Priya (a council officer) says yes and the lines show the move. With JavaScript
on, the tab is axe-clean for both of them, also with a mistake shown in place by htmx.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

JADE = "community@porthaven.example"
PRIYA = "officer@porthaven.example"


@pytest.fixture
def grant_url(live_server) -> str:
    from sqlalchemy import select

    from participate.accounts.models import Membership, Person
    from participate.extensions import db
    from participate.grants import steps

    with live_server.app.app_context():
        priya = db.session.scalar(select(Person).where(Person.email == PRIYA))
        jade = db.session.scalar(select(Person).where(Person.email == JADE))
        org = db.session.scalar(
            select(Membership).where(
                Membership.person_id == priya.id, Membership.role == "council_officer"
            )
        ).organisation
        fund = steps.create_fund(
            org,
            "Updates Test Fund",
            ends_on=date(2030, 3, 31),
            by=priya,
            total=1_000_000,
            status="open",
            reallocation_limit=20_000,
        )
        grant = steps.apply(
            fund,
            jade,
            lines=[("Hall hire", 60_000), ("Food", 40_000)],
            title="Harbour breakfast club",
            what="Breakfast on Saturdays.",
            amount_requested=100_000,
            recipient_name="Harbour Families",
        )
        steps.award(grant, 100_000, by=priya, decided_by="panel")
        steps.accept(grant, by=jade)
        db.session.commit()
        address = f"/funds/{fund.slug}/grants/{grant.number}/updates"
        db.session.remove()
    return address


def test_spend_update_and_a_reallocation_without_javascript(make_context, grant_url):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, JADE)
    page.goto(grant_url)
    expect(page.locator("#reallocation-limit")).to_contain_text("You can move up to £200.00")

    page.get_by_label("How much have you spent since your last update?").fill("120")
    page.get_by_label("What was it for?").fill("Bought the tables and paid the hall for March")
    page.get_by_role("button", name="Send the update").click()
    expect(page).to_have_url(re.compile(re.escape(grant_url) + "#spending$"))
    expect(page.locator("#spend-summary")).to_contain_text("£120.00 spent so far.")
    expect(page.locator("#spend-updates")).to_contain_text("Bought the tables")

    form = page.locator("#reallocation-form")
    form.get_by_label("Move money from").select_option(label="Hall hire (£600.00 now)")
    form.get_by_label("Move it to").select_option(label="Food (£400.00 now)")
    form.get_by_label("How much", exact=True).fill("250")
    form.get_by_label("Why").fill("The hall was cheaper than we thought")
    form.get_by_role("button", name="Ask to move it").click()
    # Over the limit: said next to the amount, everything typed kept.
    expect(page.locator("#move-amount-error")).to_contain_text("Moving more than £200.00")
    form = page.locator("#reallocation-form")
    expect(form.get_by_label("Why")).to_have_value("The hall was cheaper than we thought")
    form.get_by_label("How much", exact=True).fill("150")
    form.get_by_role("button", name="Ask to move it").click()
    expect(page.locator("#reallocation-list")).to_contain_text("Waiting for a yes or no")
    sign_out(page)

    sign_in(page, PRIYA)
    page.goto(grant_url)
    item = page.locator("#reallocation-list li").first
    item.get_by_label("Yes, move it").check()
    item.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#reallocation-list")).to_contain_text("Moved")
    rows = page.locator("#reallocations tbody tr")
    expect(rows.nth(0)).to_contain_text("£450.00")
    expect(rows.nth(1)).to_contain_text("£550.00")


def test_the_updates_tab_is_accessible(make_context, grant_url):
    page = make_context().new_page()
    sign_in(page, JADE)
    page.goto(grant_url)
    axe(page, "the updates tab, for the grantee")
    page.get_by_role("button", name="Send the update").click()
    expect(page.locator("#spend-amount-error")).to_contain_text("Say how much you have spent")
    axe(page, "the updates tab with a mistake in the spend form")
    page.get_by_label("How much have you spent since your last update?").fill("80")
    page.get_by_label("What was it for?").fill("Paint")
    page.get_by_role("button", name="Send the update").click()
    expect(page.locator("#spend-updates")).to_contain_text("Paint")
    sign_out(page)

    sign_in(page, PRIYA)
    page.goto(grant_url)
    expect(page.get_by_role("heading", name="Add a note to the log")).to_be_visible()
    axe(page, "the updates tab, for a council officer")
