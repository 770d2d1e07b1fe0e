"""Using stories in a real browser: a facilitator makes a theme and links a story to it,
quotes the story into a session's notes (with words that aren't the teller's first), and the
teller sees where it was used. Axe on each new page and on the quote form with its error; one
run of quoting with JavaScript off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

BASE = "/commissions/porthaven-poverty-truth-commission"
WORDS = "nobody asked what it costs to keep up"


def _open_story(page, title: str) -> str:
    page.goto(f"{BASE}/stories")
    shared = page.get_by_role("list", name="Stories shared with you")
    shared.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    return page.url


def _choose_session(page, title: str) -> None:
    option = page.locator("#place option", has_text=title)
    page.locator("#place").select_option(option.get_attribute("value"))


def test_a_facilitator_themes_links_and_quotes_a_story_and_the_teller_sees_it(page):
    sign_in(page, "facilitator@porthaven.example")

    # A theme, from the list of stories; a mistake first.
    page.goto(f"{BASE}/stories")
    page.locator("#story-themes-panel").get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Themes")
    axe(page, "the themes page")
    form = page.locator("#theme-form")
    form.get_by_label("What it is about (optional)").fill("Letters, forms and phone queues")
    form.get_by_role("button", name="Make the theme").click()
    expect(page.locator("#name-error")).to_contain_text("Give the theme a name.")
    expect(page.locator("#theme-form .error-summary")).to_be_focused()
    expect(page.get_by_label("What it is about (optional)")).to_have_value(
        "Letters, forms and phone queues"
    )
    axe(page, "the theme form with an error")
    page.get_by_label("Name", exact=True).fill("Dealing with the council")
    page.get_by_role("button", name="Make the theme").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/stories/themes/\d+$"))
    theme_url = page.url
    expect(page.locator("h1")).to_have_text("Dealing with the council")
    expect(page.locator("main")).to_contain_text("No stories you can read are linked")
    axe(page, "a theme page")

    # Jade's story, linked to the theme with a note.
    story_url = _open_story(page, "Why I said yes")
    links = page.locator("#story-links")
    links.get_by_label("How it connects (optional)").fill("The uniform letters")
    links.get_by_role("button", name="Add the link").click()
    # Nothing chosen: the form swaps back in place, with the note kept.
    expect(page.locator("#target-error")).to_contain_text("Choose what to link it to.")
    expect(page.locator("#story-link-form .error-summary")).to_be_focused()
    expect(links.get_by_label("How it connects (optional)")).to_have_value("The uniform letters")
    links.get_by_label("Link it to").select_option(label="Dealing with the council")
    links.get_by_role("button", name="Add the link").click()
    expect(page.locator(".flashes")).to_contain_text("The story is linked to")
    expect(page.locator("#story-links")).to_contain_text("Theme: Dealing with the council")
    axe(page, "a story page with its links and quoting")
    page.goto(theme_url)
    expect(page.get_by_role("link", name="Why I said yes")).to_be_visible()
    expect(page.locator("main")).to_contain_text("The uniform letters")

    # A quote into the notes of the next session: words that aren't hers first.
    page.goto(story_url)
    page.locator("#story-quote-panel").get_by_role("link", name="Quote part of this story").click()
    expect(page.locator("h1")).to_contain_text("Why I said yes")
    axe(page, "the quote form")
    page.get_by_label("The words you are quoting").fill("nobody asked what it costs to heat")
    _choose_session(page, "Starting on our stories")
    page.get_by_role("button", name="Add the quote").click()
    expect(page.locator("#excerpt-error")).to_contain_text("aren't in the story")
    expect(page.locator("#quote-form .error-summary")).to_be_focused()
    expect(page.get_by_label("The words you are quoting")).to_have_value(
        "nobody asked what it costs to heat"
    )
    axe(page, "the quote form with an error")
    page.get_by_label("The words you are quoting").fill(WORDS)
    page.get_by_role("button", name="Add the quote").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/sessions/\d+#story-quotes$"))
    quotes = page.locator("#story-quotes")
    expect(quotes).to_contain_text(WORDS)
    expect(quotes).to_contain_text("By Jade")
    axe(page, "a session page with a quote")
    sign_out(page)

    # Jade sees where her story has been used, and what it is linked to.
    sign_in(page, "community@porthaven.example")
    page.goto(story_url)
    used = page.locator("#story-used")
    card = used.locator("li", has_text=WORDS)
    expect(card).to_contain_text("The notes of Starting on our stories")
    expect(card).to_contain_text("Sam")
    expect(card).to_contain_text("Shown now")
    expect(page.locator("#story-happened")).to_contain_text("Dealing with the council")
    axe(page, "the teller's story page")

    # She stops quoting: at once the quote is off the session page, and she is told why.
    page.get_by_role("link", name="Change your story or your choices").click()
    page.get_by_label("No one may quote it").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flashes")).to_contain_text("The change applies everywhere")
    expect(page.locator("#story-used li", has_text=WORDS)).to_contain_text(
        "Not shown: you don't allow quoting now"
    )
    page.locator("#story-used li", has_text=WORDS).get_by_role("link").click()
    expect(page.locator("#session-notes")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(WORDS)


def test_quoting_works_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "facilitator@porthaven.example")
    _open_story(page, "Why I'm here")
    page.get_by_role("link", name="Quote part of this story").last.click()
    page.get_by_label("The words you are quoting").fill("I'm here to talk first")
    _choose_session(page, "What keeps us well")
    page.get_by_role("button", name="Add the quote").click()
    # A whole page comes back, with the message by the field and nothing lost.
    expect(page.locator("#excerpt-error")).to_contain_text("aren't in the story")
    expect(page.get_by_label("The words you are quoting")).to_have_value("I'm here to talk first")
    page.get_by_label("The words you are quoting").fill("I'm here to listen first.")
    page.get_by_role("button", name="Add the quote").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/sessions/\d+#story-quotes$"))
    expect(page.locator("#story-quotes")).to_contain_text("I'm here to listen first.")
    expect(page.locator("#story-quotes")).to_contain_text("By Owen")
