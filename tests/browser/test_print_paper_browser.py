"""Printed ballots and consent cards in a real browser: Priya (a council officer) prints
numbered ballots for the Northside round, makes one mistake in the print form (the message
shows by the field and nothing she typed is lost), and the ballots print without the site's
navigation; the same works with JavaScript off. Sam (a facilitator) prints consent cards for
the proposal in its consent round. axe checks the forms and both print pages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

ROUND = "/rounds/northside-neighbourhood-fund"
CIRCLE = "/decide/porthaven-poverty-truth-commission/"


def _print_ballots(page, check=lambda where: None) -> None:
    page.goto(f"{ROUND}/paper/")
    form = page.locator("#print-form")
    expect(form.get_by_label("First ballot number")).to_have_value(re.compile(r"^\d+$"))
    check("the paper ballots page with the print form")
    form.get_by_label("Which pot are the ballots to print for?").select_option(label="Young people")
    form.get_by_label("First ballot number").fill("9001")
    form.get_by_label("How many ballots").fill("999")
    form.get_by_role("button", name="Show the ballots to print").click()

    # One mistake: too many at once. The message is by the field; nothing typed is lost.
    expect(page.locator("#count-error")).to_contain_text("Print between 1 and 200 ballots")
    expect(page.locator("#count")).to_have_attribute("aria-invalid", "true")
    form = page.locator("#print-form")
    expect(form.get_by_label("First ballot number")).to_have_value("9001")
    expect(form.get_by_label("Which pot are the ballots to print for?")).to_have_value(
        re.compile(r"^\d+$")
    )
    expect(form.locator("#pot option:checked")).to_have_text("Young people")
    check("the print form with a mistake")
    form.get_by_label("How many ballots").fill("3")
    form.get_by_role("button", name="Show the ballots to print").click()

    expect(page).to_have_url(re.compile(r"/paper/print\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ballot papers 9001 to 9003")
    ballots = page.locator(".paper-ballot")
    expect(ballots).to_have_count(3)
    expect(ballots.first).to_contain_text("Ballot number: 9001")
    expect(ballots.first).to_contain_text("Young people")
    expect(page.get_by_role("link", name="Download these ballots as a PDF")).to_have_attribute(
        "href", re.compile(r"/paper/print\.pdf\?pot=\d+&first=9001&count=3$")
    )


def test_an_officer_prints_numbered_ballots(make_context):
    page = make_context().new_page()
    sign_in(page, "officer@porthaven.example")
    _print_ballots(page, check=lambda where: axe(page, where))
    axe(page, "the ballots to print")

    # Printed: the ballots only, without the site's navigation.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Back to paper ballots")).to_be_hidden()
    expect(page.locator(".paper-ballot").last).to_be_visible()
    assert (
        page.locator(".paper-ballot").first.evaluate("el => getComputedStyle(el).breakAfter")
        == "page"
    )
    page.emulate_media(media="screen")
    expect(page.locator(".site-header")).to_be_visible()

    # The paper page now says what was printed, and starts the next print after it.
    page.goto(f"{ROUND}/paper/")
    expect(page.locator("main")).to_contain_text(
        "Young people: ballots 9001 to 9003, printed by Priya"
    )


def test_printing_ballots_works_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "officer@porthaven.example")
    _print_ballots(page)


def test_a_facilitator_prints_consent_cards(make_context):
    page = make_context().new_page()
    sign_in(page, "facilitator@porthaven.example")
    page.goto(CIRCLE)
    page.get_by_role("link", name="Evening sessions at the library").click()
    page.get_by_role("link", name="Enter or check paper consent cards").click()
    page.get_by_role("link", name="Print consent cards for the people who decide").click()

    expect(page).to_have_url(re.compile(r"/cards/print$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consent cards for Evening")
    cards = page.locator(".consent-card")
    expect(cards.first).to_be_visible()
    expect(cards.first).to_contain_text("Green: I consent")
    expect(cards.first).to_contain_text("Amber: I stand aside")
    expect(cards.first).to_contain_text("Red: I object")
    expect(page.locator("main")).to_contain_text("No card for those who have already answered")
    axe(page, "the consent cards to print")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(cards.first).to_be_visible()
