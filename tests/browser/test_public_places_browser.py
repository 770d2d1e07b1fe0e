"""The public place pages in a real browser, on the demo, signed out: a visitor finds the
places from the welcome page, opens Porthaven Council's page and follows a published decision
to its record. axe checks both pages (JavaScript on); the same path works with it off. The
printed page drops the site's header and footer and keeps the "as of" dates."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe

DECISION = "A named contact for council tax arrears"


def visit(page, check=lambda where: None) -> None:
    page.goto("/")
    page.get_by_role("link", name=re.compile("no sign-in needed")).click()
    expect(page).to_have_url(re.compile(r"/places/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Places")
    check("the list of places")
    page.get_by_role("link", name="Porthaven Council").click()
    expect(page).to_have_url(re.compile(r"/places/porthaven-council$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Porthaven Council")
    expect(page.locator("#rounds-heading")).to_have_text("Take part now")
    expect(page.get_by_text(re.compile(r"You can vote until the end of \d"))).to_be_visible()
    expect(page.locator(".as-of").first).to_contain_text("as of ")
    check("Porthaven Council's public page")
    page.locator("section[aria-labelledby=decisions-heading]").get_by_role(
        "link", name=DECISION
    ).click()
    expect(page).to_have_url(re.compile(r"/decisions/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decision: {DECISION}")
    page.get_by_role("link", name=re.compile("^More from ")).click()  # the circle's place
    expect(page).to_have_url(re.compile(r"/places/[a-z0-9-]+$"))
    expect(page.get_by_role("link", name=DECISION)).to_be_visible()


def test_a_visitor_goes_from_the_places_to_a_published_decision(page):
    visit(page, check=lambda where: axe(page, where))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".place-contents")).to_be_hidden()
    expect(page.locator(".as-of").first).to_be_visible()


@pytest.mark.parametrize("js", [False])
def test_the_same_path_works_without_javascript(make_context, js):
    visit(make_context(java_script_enabled=js).new_page())
