"""Commission pages with JavaScript off: telling a story, running a session, the charter."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, sign_out

BASE = "/commissions/porthaven-poverty-truth-commission"


def test_a_story_is_told_with_a_mistake_first_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "community@porthaven.example")
    page.goto(f"{BASE}/stories/new")
    form = page.locator("#story-form")
    form.get_by_label("Your story").fill("Walking the dog keeps me going.")
    form.get_by_label("Everyone in the commission").check()
    form.get_by_role("button", name="Share it").click()
    # A whole page comes back with the message by the field and nothing lost.
    expect(page.locator("#title-error")).to_contain_text("Give your story a title.")
    expect(page.get_by_label("Your story")).to_have_value("Walking the dog keeps me going.")
    expect(page.get_by_label("Everyone in the commission")).to_be_checked()
    page.get_by_label("Title").fill("What keeps me going")
    page.get_by_role("button", name="Share it").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/stories/\d+$"))
    expect(page.locator("main")).to_contain_text("Walking the dog keeps me going.")
    sign_out(page)

    # Owen is in the commission, so he reads it.
    sign_in(page, "civic@porthaven.example")
    page.goto(f"{BASE}/stories")
    expect(page.locator("main")).to_contain_text("What keeps me going")


def test_a_session_runs_and_the_charter_changes_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "facilitator@porthaven.example")
    page.goto(f"{BASE}/sessions")
    page.get_by_role("link", name="Starting on our stories").click()
    session_url = page.url
    page.get_by_role("button", name="Start the session").click()
    expect(page.locator("#session-live")).to_contain_text("Happening now")
    page.locator("fieldset.attendance", has_text="Jade").get_by_label("Here", exact=True).check()
    page.get_by_role("button", name="Save who's here").click()
    expect(page).to_have_url(re.compile(re.escape(session_url)))
    expect(page.locator("fieldset.attendance", has_text="Jade").get_by_label(
        "Here", exact=True)).to_be_checked()
    page.locator("textarea#notes").fill("Tea first, then stories in pairs.")
    page.get_by_role("button", name="Save the notes").click()
    expect(page.locator("textarea#notes")).to_have_value("Tea first, then stories in pairs.")
    sign_out(page)

    sign_in(page, "community@porthaven.example")
    page.goto(session_url)
    page.get_by_label("Your check-in").fill("Glad to be here")
    page.get_by_role("button", name="Share my check-in").click()
    expect(page.locator("#check-in")).to_contain_text("Jade: Glad to be here")

    page.goto(f"{BASE}/charter")
    page.get_by_text("Change the charter").click()
    page.get_by_label("North Star").fill("Nobody in Porthaven goes cold or hungry.")
    page.get_by_role("button", name="Save the charter").click()
    expect(page.locator(".flashes")).to_contain_text("The charter is saved")
    expect(page.locator("blockquote.north-star").first).to_contain_text("goes cold or hungry")
