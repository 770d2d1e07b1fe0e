"""The chain in a real browser: a visitor, not signed in, opens the published decisions,
follows the demo's published decision back to a story its teller shared in public and on to
the grant it led to (axe on each page). Then Priya, a council officer, links a grant to that
decision with JavaScript off: one mistake (the message by the field), then the link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

DECISION = "A named contact for council tax arrears"
STORY = "Passed from desk to desk"
GRANT = "Winter warm packs and a damp clinic"
KITCHEN = "Cook and eat together at Harbour Lights"


@pytest.fixture
def server(live_server):
    return live_server


def test_a_visitor_follows_a_decision_back_to_a_story_and_on_to_a_grant(server, make_context):
    page = make_context().new_page()
    page.goto("/decisions/")
    axe(page, "the published decisions")
    page.get_by_role("link", name=re.compile(DECISION)).first.click()
    chain = page.locator("#connections")
    expect(chain.get_by_role("heading", name="How this connects")).to_be_visible()
    expect(chain).to_contain_text("Told by Jade")
    expect(chain.locator("[id^='chain-proposal-']")).to_have_count(0)  # shown as its decision
    axe(page, "a published decision with its chain")

    chain.get_by_role("link", name=STORY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(STORY)
    expect(page.locator("main")).to_contain_text("one person who knew what was going on")
    axe(page, "a story shared in public, with what happened")

    page.locator("#connections").get_by_role("link", name=GRANT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(GRANT)
    main = page.locator("main")
    expect(main).to_contain_text("Paid so far")
    expect(main).to_contain_text("£1,800.00")
    expect(page.locator("#connections")).to_contain_text(DECISION)
    axe(page, "a grant's public page with its chain")


def test_an_officer_links_a_grant_to_the_decision_without_javascript(server, make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "officer@porthaven.example")
    page.goto("/funds/porthaven-community-chest/applications")
    page.locator("tr", has_text=KITCHEN).get_by_role("link").first.click()
    form = page.locator("form[id^='link-form-grant-']")
    form.get_by_label("How it connects (optional)").fill("Meals at the clinic days")
    form.get_by_role("button", name="Add the link").click()
    form = page.locator("form[id^='link-form-grant-']")
    expect(form.locator(".field-error")).to_contain_text("Choose what to link it to.")
    expect(form.get_by_label("How it connects (optional)")).to_have_value(
        "Meals at the clinic days"
    )
    form.get_by_label("Link it to").select_option(label=DECISION)
    form.get_by_role("button", name="Add the link").click()
    expect(page.locator(".flashes")).to_contain_text("The link is made")
    chain = page.locator("#connections")
    expect(chain).to_contain_text(DECISION)
    expect(chain).to_contain_text("Meals at the clinic days")

    public = make_context(java_script_enabled=False).new_page()
    public.goto("/decisions/")
    public.get_by_role("link", name=re.compile(DECISION)).first.click()
    expect(public.locator("#connections")).to_contain_text(KITCHEN)
