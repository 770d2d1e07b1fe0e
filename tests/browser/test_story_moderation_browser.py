"""Safety in a real browser: Owen flags a story (forgetting the reason first), the facilitator
hides it from the list, Jade (its teller) is told; axe on the flag form with its error, the
facilitator's list with a flag, and the moderation log; then the same without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

BASE = "/commissions/porthaven-poverty-truth-commission"
TITLE = "Why I said yes"  # Jade's story, for the whole commission (participate/stories/demo.py)
WORRY = "It talks about a school in a way that could identify a teacher"
HIDDEN_BECAUSE = "It could identify someone who hasn't agreed"


def _open_story(page, title: str = TITLE) -> str:
    page.goto(f"{BASE}/stories")
    page.get_by_role("link", name=title, exact=True).first.click()
    expect(page.locator("h1")).to_have_text(title)
    return page.url


def test_flag_hide_and_the_teller_is_told(page):
    sign_in(page, "civic@porthaven.example")
    story_url = _open_story(page)
    expect(page.get_by_role("heading", name="Worried about this story?")).to_be_visible()
    page.get_by_role("link", name="Tell a facilitator what worries you").click()

    # Sent with no reason: the message is by the field and the summary takes the focus.
    page.get_by_role("button", name="Tell a facilitator").click()
    expect(page.locator("#flag-form .error-summary")).to_be_focused()
    expect(page.locator("#reason-error")).to_contain_text("Say what worries you")
    expect(page.get_by_label("What worries you about it?")).to_have_attribute(
        "aria-invalid", "true"
    )
    axe(page, "the flag form with an error")

    page.get_by_label("What worries you about it?").fill(WORRY)
    page.get_by_role("button", name="Tell a facilitator").click()
    expect(page).to_have_url(story_url)
    expect(page.locator(".flashes")).to_contain_text("A facilitator will look at it")
    sign_out(page)

    # The facilitator sees the worry on the list and hides the story, with a reason.
    sign_in(page, "facilitator@porthaven.example")
    expect(
        page.get_by_role("link", name=re.compile("Look at worries people raised"))
    ).to_be_visible()
    page.goto(f"{BASE}/stories")
    worries = page.locator("#to-look-at-section")
    expect(worries).to_contain_text(WORRY)
    expect(worries).to_contain_text("Owen")
    axe(page, "the facilitator's list with a flag")
    card = worries.locator("li.card", has_text=WORRY)
    card.get_by_label("Why hide it?").fill(HIDDEN_BECAUSE)
    card.get_by_role("button", name="Hide it").click()
    expect(page).to_have_url(story_url)
    expect(page.locator(".flashes")).to_contain_text("The story is hidden")
    expect(page.locator("#keeping-safe")).to_contain_text(HIDDEN_BECAUSE)
    expect(page.get_by_role("button", name="Show it again")).to_be_visible()

    # The log says what happened and why, never which story or whose.
    page.goto(f"{BASE}/stories")
    page.get_by_role("link", name=re.compile("Moderation log")).click()
    expect(page.locator("h1")).to_have_text("Moderation log")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("A story")
    expect(row).to_contain_text("Hidden")
    expect(row).to_contain_text(HIDDEN_BECAUSE)
    expect(page.locator("main")).not_to_contain_text(TITLE)
    expect(row).not_to_contain_text("Jade")
    axe(page, "the moderation log")
    sign_out(page)

    # Owen no longer finds it.
    sign_in(page, "civic@porthaven.example")
    page.goto(f"{BASE}/stories")
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_have_count(0)
    assert page.goto(story_url).status == 404
    sign_out(page)

    # Jade is told: a task on her home page, then the notice on her story.
    sign_in(page, "community@porthaven.example")
    task = page.get_by_role("link", name=re.compile("A facilitator hid one of your stories"))
    expect(task).to_be_visible()
    task.click()
    expect(page).to_have_url(story_url)
    notice = page.locator("#hidden-notice")
    expect(notice).to_contain_text("A facilitator hid this story on")
    expect(notice).to_contain_text(HIDDEN_BECAUSE)
    axe(page, "the teller's notice")
    page.goto("/")
    expect(
        page.get_by_role("link", name=re.compile("A facilitator hid one of your stories"))
    ).to_have_count(0)


def test_flag_and_hide_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "civic@porthaven.example")
    story_url = _open_story(page)
    page.get_by_role("link", name="Tell a facilitator what worries you").click()
    page.get_by_role("button", name="Tell a facilitator").click()
    # A whole page comes back with the message by the field.
    expect(page.locator("#reason-error")).to_contain_text("Say what worries you")
    page.get_by_label("What worries you about it?").fill(WORRY)
    page.get_by_role("button", name="Tell a facilitator").click()
    expect(page).to_have_url(story_url)
    expect(page.locator(".flashes")).to_contain_text("A facilitator will look at it")
    sign_out(page)

    # The facilitator hides it from the story page: no reason first, then one.
    sign_in(page, "facilitator@porthaven.example")
    page.goto(story_url)
    safe = page.locator("#keeping-safe")
    expect(safe).to_contain_text(WORRY)
    safe.get_by_role("button", name="Hide it").click()
    expect(page.locator("#hide-reason-error")).to_contain_text("the teller is told")
    page.get_by_label("Why hide it?").fill(HIDDEN_BECAUSE)
    page.get_by_role("button", name="Hide it").click()
    expect(page).to_have_url(story_url)
    expect(page.locator(".flashes")).to_contain_text("The story is hidden")
    sign_out(page)

    sign_in(page, "civic@porthaven.example")
    assert page.goto(story_url).status == 404
    sign_out(page)

    sign_in(page, "community@porthaven.example")
    page.goto(story_url)
    expect(page.locator("#hidden-notice")).to_contain_text(HIDDEN_BECAUSE)
