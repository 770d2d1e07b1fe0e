"""Applying for a small grant in a real browser, on a fund set up for these tests (Harbour
Small Grants, open, with micro-grants up to £500).

Rhys (a resident) applies with JavaScript off through the full form, adding a fourth budget
line with "Add another line" and putting right lines that do not add up. Then, with JavaScript
on, axe checks the apply pages (the two ways in, the form, the form with a mistake), the
grant page, and the offer once Priya has awarded it, and Rhys accepts it.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

FUND = "Harbour Small Grants"


@pytest.fixture
def harbour(live_server):
    """An open fund of £10,000 from Porthaven Council, set up by Priya; returns its URL."""
    from sqlalchemy import select

    from participate.accounts.models import Organisation, Person
    from participate.extensions import db
    from participate.grants import steps

    with live_server.app.app_context():
        council = db.session.scalar(
            select(Organisation).where(Organisation.slug == "porthaven-council")
        )
        priya = db.session.scalar(select(Person).where(Person.email == "officer@porthaven.example"))
        fund = steps.create_fund(
            council,
            FUND,
            ends_on=date(2035, 3, 31),
            by=priya,
            total=1_000_000,
            status="open",
            micro_limit=50_000,
        )
        db.session.commit()
        url = f"/funds/{fund.slug}"
        db.session.remove()
    return url


def _award(live_server, title: str) -> None:
    from sqlalchemy import select

    from participate.accounts.models import Person
    from participate.extensions import db
    from participate.grants import steps
    from participate.grants.models import Grant

    with live_server.app.app_context():
        grant = db.session.scalar(select(Grant).where(Grant.title == title))
        priya = db.session.scalar(select(Person).where(Person.email == "officer@porthaven.example"))
        steps.award(
            grant,
            grant.amount_requested,
            by=priya,
            decided_by="panel",
            note="A clear plan that the street asked for.",
        )
        db.session.commit()
        db.session.remove()


def _line(page, n: int, what: str, amount: str) -> None:
    page.get_by_label(f"Line {n}: what it pays for", exact=True).fill(what)
    page.get_by_label(f"Line {n}: amount", exact=True).fill(amount)


def test_a_resident_applies_without_javascript(make_context, harbour, rhys_in_english):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "resident@porthaven.example")
    page.goto(f"{harbour}/apply")
    expect(page.get_by_role("link", name="Ask for up to £500.00 (a few questions)")).to_be_visible()
    page.get_by_role("link", name="Use the full form").click()

    page.get_by_label("What is the money for? Give it a short name", exact=True).fill(
        "Mill Lane street party"
    )
    page.get_by_label("What would you do with the money?", exact=True).fill(
        "A street party for everyone on Mill Lane, with food and music."
    )
    page.get_by_label("Who does it help?", exact=True).fill("Neighbours on Mill Lane")
    page.get_by_label("Where? A ward, a street or a place", exact=True).fill("Mill Lane")
    page.get_by_label("How much are you asking for?", exact=True).fill("800")
    _line(page, 1, "Food", "300")
    _line(page, 2, "Hire of tables", "150")
    _line(page, 3, "Music", "200")
    page.get_by_role("button", name="Add another line").click()
    expect(page.get_by_label("Line 4: what it pays for", exact=True)).to_be_visible()
    expect(page.get_by_label("Line 3: what it pays for", exact=True)).to_have_value("Music")
    expect(page.get_by_label("How much are you asking for?", exact=True)).to_have_value("800")
    _line(page, 4, "Bunting", "100")
    page.get_by_role("radio", name=re.compile("^A group without its own bank account")).check()
    page.get_by_label("The host organisation that would hold the money", exact=True).fill(
        "St Mary's Church"
    )
    page.get_by_label("The group's name, or your own name if the money is for you").fill(
        "Mill Lane Neighbours"
    )
    page.get_by_role("button", name="Send my application").click()

    # The lines add up to £750, not £800: said next to them, and nothing typed is lost.
    expect(page.locator("#lines-error")).to_contain_text("£750.00")
    expect(page.get_by_label("Line 4: what it pays for", exact=True)).to_have_value("Bunting")
    expect(
        page.get_by_label("The host organisation that would hold the money", exact=True)
    ).to_have_value("St Mary's Church")
    page.get_by_label("Line 4: amount", exact=True).fill("150")
    page.get_by_role("button", name="Send my application").click()

    expect(page.locator(".flashes")).to_contain_text("Thank you. Your application is in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mill Lane street party")
    expect(page.get_by_role("cell", name="Bunting")).to_be_visible()
    expect(page.get_by_text("St Mary's Church", exact=True)).to_be_visible()


def test_the_pages_are_accessible_and_the_offer_is_accepted(
    make_context, harbour, rhys_in_english, live_server
):
    page = make_context().new_page()
    sign_in(page, "resident@porthaven.example")
    page.goto(f"{harbour}/apply")
    axe(page, "the two ways to apply")
    page.goto(f"{harbour}/apply?size=full")
    page.get_by_label("Line 1: what it pays for", exact=True).fill("Food")
    page.get_by_role("button", name="Add another line").click()  # htmx swaps the form
    expect(page.get_by_label("Line 4: what it pays for", exact=True)).to_be_focused()
    expect(page.get_by_label("Line 1: what it pays for", exact=True)).to_have_value("Food")
    expect(page.locator(".error-summary")).to_have_count(0)
    axe(page, "the full form")
    page.goto(f"{harbour}/apply")
    page.get_by_role("link", name="Ask for up to £500.00 (a few questions)").click()
    axe(page, "the short form")
    page.get_by_label("What is the money for? Give it a short name", exact=True).fill(
        "Seeds for the street"
    )
    page.get_by_label("What would you do with the money?", exact=True).fill("Seeds and pots.")
    page.get_by_label("Who does it help?", exact=True).fill("Children on Mill Lane")
    page.get_by_label("How much are you asking for?", exact=True).fill("650")
    page.get_by_role("radio", name="Me, as a person").check()
    page.get_by_label("The group's name, or your own name if the money is for you").fill(
        "Rhys Jones"
    )
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator("#amount_requested-error")).to_contain_text("up to £500.00")
    axe(page, "the short form with a mistake")
    page.get_by_label("How much are you asking for?", exact=True).fill("120")
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator(".flashes")).to_contain_text("Thank you. Your application is in")
    expect(page.get_by_text("Micro-grant", exact=True)).to_be_visible()
    axe(page, "the grant page, applied")

    page.goto(f"{harbour}/applications")
    expect(page.get_by_role("heading", level=1)).to_have_text("My applications")
    axe(page, "my applications")

    _award(live_server, "Seeds for the street")
    page.goto(f"{harbour}/grants/1")
    expect(page.get_by_role("heading", name="The offer")).to_be_visible()
    axe(page, "the offer")
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.locator("#agree-error")).to_contain_text("Tick the box")
    axe(page, "the offer with a mistake")
    page.get_by_label("I have read the offer and agree to it").check()
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.locator(".flashes")).to_contain_text("you have accepted the offer")
    expect(page.locator(".lead")).to_contain_text("Active")
