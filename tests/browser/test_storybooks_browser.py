"""Storybooks in a real browser: a facilitator makes one (with a mistake first), adds a story
(with a mistake first), reads it, prints it and downloads its PDF; a signed-out reader opens
the public storybook. Axe on the list, the form with errors, the storybook and the public page.
And the same making and curating with JavaScript off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

BASE = "/commissions/porthaven-poverty-truth-commission"


def test_a_facilitator_makes_a_storybook_and_anyone_reads_it(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(f"{BASE}/stories")
    page.locator(".storybooks-panel").get_by_role("link", name="See all storybooks").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/storybooks$"))
    expect(page.get_by_role("link", name="Porthaven voices, this autumn")).to_be_visible()
    axe(page, "the storybooks list")

    page.get_by_role("link", name="Make a storybook").click()
    form = page.locator("#storybook-form")
    expect(form.get_by_label("Everyone in the commission")).to_be_checked()
    form.get_by_label("Introduction (optional)").fill("Why we are here, in our **own** words.")
    form.get_by_label("Anyone, in public").check()
    form.get_by_role("button", name="Make the storybook").click()

    # No title: the form comes back in place (htmx), with the message and everything typed.
    expect(page.locator("#storybook-form .error-summary")).to_be_focused()
    expect(page.locator("#title-error")).to_contain_text("Give the storybook a title.")
    expect(page.get_by_label("Introduction (optional)")).to_have_value(
        "Why we are here, in our **own** words."
    )
    expect(page.get_by_label("Anyone, in public")).to_be_checked()
    axe(page, "the storybook form with errors")

    page.get_by_label("Title").fill("Voices from Porthaven")
    page.get_by_role("button", name="Make the storybook").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/storybooks/\d+$"))
    book_url = page.url
    expect(page.locator("h1")).to_have_text("Voices from Porthaven")
    expect(page.locator(".flashes")).to_contain_text("The storybook is made")
    expect(page.locator(".storybook-introduction strong")).to_have_text("own")

    # Only stories told in public can go in a public storybook.
    choose = page.locator("#add-story-form").get_by_label("Story", exact=True)
    expect(choose.locator("option", has_text="Why I'm here")).to_have_count(1)
    expect(choose.locator("option", has_text="Why I said yes")).to_have_count(0)
    page.get_by_role("button", name="Add the story").click()
    expect(page.locator("#story_id-error")).to_contain_text("Choose a story to add.")
    expect(page.locator("#add-story-form .error-summary")).to_be_focused()

    page.locator("#add-story-form").get_by_label("Story", exact=True).select_option(
        label="Why I'm here"
    )
    page.get_by_role("button", name="Add the story").click()
    expect(page.locator(".flashes")).to_contain_text("The story is added.")
    story = page.locator("article.storybook-item")
    expect(story.locator("h2")).to_have_text("Why I'm here")
    expect(story.locator(".byline")).to_have_text("By Owen")
    # Jade's public story can still go in; a story told only inside the commission cannot.
    choose = page.locator("#add-story-form").get_by_label("Story", exact=True)
    expect(choose.locator("option", has_text="Passed from desk to desk")).to_have_count(1)
    expect(choose.locator("option", has_text="Why I'm here")).to_have_count(0)
    expect(choose.locator("option", has_text="Why I said yes")).to_have_count(0)
    axe(page, "the storybook page")

    # On paper: the stories, without the buttons and forms for looking after it.
    page.emulate_media(media="print")
    expect(page.locator(".storybook-tools")).to_be_hidden()
    expect(page.locator("#add-story-heading")).to_be_hidden()
    expect(story.locator("h2")).to_be_visible()
    page.emulate_media(media="screen")

    pdf = page.request.get(book_url + ".pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "voices-from-porthaven.pdf" in pdf.headers["content-disposition"]
    assert pdf.body().startswith(b"%PDF")

    # Anyone can read a public storybook, signed in or not.
    sign_out(page)
    page.goto(book_url)
    expect(page.locator("h1")).to_have_text("Voices from Porthaven")
    expect(page.locator("article.storybook-item h2")).to_have_text("Why I'm here")
    expect(page.get_by_role("button", name="Add the story")).to_have_count(0)
    expect(page.locator(".subnav")).to_have_count(0)
    axe(page, "the public storybook, signed out")


def test_making_and_curating_a_storybook_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "facilitator@porthaven.example")
    page.goto(f"{BASE}/storybooks")
    page.get_by_role("link", name="Make a storybook").click()
    page.get_by_label("Introduction (optional)").fill("For the commission's away day")
    page.get_by_role("button", name="Make the storybook").click()
    expect(page.locator("#title-error")).to_contain_text("Give the storybook a title.")
    expect(page.get_by_label("Introduction (optional)")).to_have_value(
        "For the commission's away day"
    )
    page.get_by_label("Title").fill("Away day")
    page.get_by_role("button", name="Make the storybook").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/storybooks/\d+$"))
    expect(page.locator("h1")).to_have_text("Away day")

    for title in ("Why I said yes", "Why I'm here"):
        page.get_by_label("Story", exact=True).select_option(label=title)
        page.get_by_role("button", name="Add the story").click()
        expect(page.locator(".flashes")).to_contain_text("The story is added.")
    titles = page.locator("article.storybook-item h2")
    expect(titles).to_have_text(["Why I said yes", "Why I'm here"])
    expect(page.locator("article.storybook-item .byline")).to_have_text(["By Jade", "By Owen"])

    page.get_by_role("button", name="Move down (Why I said yes)").click()
    expect(titles).to_have_text(["Why I'm here", "Why I said yes"])
    page.get_by_role("button", name="Take it out (Why I'm here)").click()
    expect(page.locator(".flashes")).to_contain_text("Taken out of the storybook.")
    expect(titles).to_have_text(["Why I said yes"])
