"""Stories in a real browser: telling one (with a mistake first), changing who can read it,
withdrawing it, and axe on the list, the form with an error, a story page and the edit page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

BASE = "/commissions/porthaven-poverty-truth-commission"


def test_tell_change_and_withdraw_a_story(page):
    sign_in(page, "community@porthaven.example")
    page.goto(f"{BASE}/stories")
    expect(page.get_by_role("link", name="Stories", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    axe(page, "the stories list")

    page.get_by_role("link", name="Tell a story").click()
    form = page.locator("#story-form")
    expect(form.get_by_label("Only me")).to_be_checked()
    form.get_by_label("Story of now", exact=False).check()
    form.get_by_label("Your story").fill("The **buses** stopped.\n\nNow I walk.")
    form.get_by_label("Content note (optional)").fill("Talks about being stuck at home")
    form.get_by_label("Everyone in the commission").check()
    form.get_by_label("A made-up name").check()
    form.get_by_role("button", name="Share it").click()

    # No title and no made-up name: the form comes back in place, filled in.
    expect(page.locator("#story-form .error-summary")).to_be_focused()
    expect(page.locator("#title-error")).to_contain_text("Give your story a title.")
    expect(page.locator("#pseudonym-error")).to_contain_text("Write the made-up name")
    expect(page.get_by_label("Your story")).to_have_value("The **buses** stopped.\n\nNow I walk.")
    expect(page.get_by_label("Everyone in the commission")).to_be_checked()
    axe(page, "the story form with errors")

    page.get_by_label("Title").fill("Since the buses stopped")
    page.get_by_label("The made-up name").fill("Robin")
    page.get_by_role("button", name="Share it").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/stories/\d+$"))
    story_url = page.url
    expect(page.locator("h1")).to_have_text("Since the buses stopped")
    expect(page.locator(".byline")).to_have_text("By Robin")
    expect(page.locator(".story-body strong")).to_have_text("buses")
    expect(page.locator(".content-note")).to_contain_text("Talks about being stuck at home")
    expect(page.get_by_text("Everyone in the commission")).to_be_visible()
    axe(page, "a story page")

    # Owen, a civic commissioner, can read it while it is for the whole commission.
    sign_out(page)
    sign_in(page, "civic@porthaven.example")
    page.goto(f"{BASE}/stories")
    expect(page.get_by_role("link", name="Since the buses stopped")).to_be_visible()

    # Jade narrows it to her cohort: Owen no longer finds it.
    sign_out(page)
    sign_in(page, "community@porthaven.example")
    page.goto(story_url)
    page.get_by_role("link", name="Change your story or your choices").click()
    expect(page.get_by_label("Everyone in the commission")).to_be_checked()
    axe(page, "the edit page")
    page.get_by_label("My group of commissioners").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flashes")).to_contain_text("The change applies everywhere")
    expect(page.get_by_text("My group of commissioners")).to_be_visible()

    sign_out(page)
    sign_in(page, "civic@porthaven.example")
    page.goto(f"{BASE}/stories")
    expect(page.get_by_role("link", name="Since the buses stopped")).to_have_count(0)
    assert page.goto(story_url).status == 404

    # Jade withdraws it, leaving the line: her cohort sees only the line.
    sign_out(page)
    sign_in(page, "community@porthaven.example")
    page.goto(story_url)
    page.get_by_label("Leave a line saying", exact=False).check()
    page.get_by_role("button", name="Withdraw my story").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/stories$"))
    expect(page.locator(".flashes")).to_contain_text("Nobody but you can see it now")
    expect(page.get_by_text("Withdrawn: only you can see it")).to_have_count(1)

    sign_out(page)
    sign_in(page, "facilitator@porthaven.example")
    page.goto(f"{BASE}/stories")
    expect(page.get_by_role("link", name="Since the buses stopped")).to_have_count(0)
    assert page.goto(story_url).status == 404


def test_a_draft_saves_itself_while_the_teller_types(page):
    sign_in(page, "community@porthaven.example")
    page.goto(f"{BASE}/stories/new")
    page.get_by_label("Title").fill("Half a story")
    page.get_by_label("Your story").fill("I started writing on the bus")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Draft saved at", timeout=10_000)
    axe(page, "the story form after an autosave")

    # More typing updates the same draft, and "Save as a draft" continues it (no copy).
    page.get_by_label("Your story").fill("I started writing on the bus home")
    expect(status).to_contain_text("Draft saved at", timeout=10_000)
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("h1")).to_have_text("Half a story")
    expect(page.locator(".story-body")).to_contain_text("on the bus home")
    page.goto(f"{BASE}/stories")
    expect(page.get_by_role("link", name="Half a story")).to_have_count(1)


def test_looking_for_words_in_stories(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(f"{BASE}/stories")
    page.get_by_label("Look for words in the stories you can read").fill("zzzz-no-such-words")
    page.get_by_role("button", name="Look", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("0 stories have these words.")
    expect(page.get_by_label("Look for words in the stories you can read")).to_have_value(
        "zzzz-no-such-words"
    )
    axe(page, "story search with no results")
