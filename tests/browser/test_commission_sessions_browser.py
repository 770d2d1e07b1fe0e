"""Sessions in a real browser: every session page passes axe and fits a 320 px phone; the
live section refreshes itself by polling (a lifebuoy reaches the facilitator without a
reload, and nobody else sees it); its forms swap the section in place."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

BASE = "/commissions/porthaven-poverty-truth-commission"


def _scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def _check(page, path: str) -> None:
    page.goto(path)
    assert _scroll_width(page) <= 320, f"{path} scrolls sideways at 320px"
    axe(page, path)


def test_session_pages_fit_a_phone_and_pass_axe(make_context):
    page = make_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, "facilitator@porthaven.example")
    _check(page, f"{BASE}/sessions")
    _check(page, f"{BASE}/sessions/new")
    _check(page, f"{BASE}/contacts")
    page.goto(f"{BASE}/sessions")
    hrefs = [a.get_attribute("href") for a in page.locator(".session-card h3 a").all()]
    assert len(hrefs) == 3
    for href in hrefs:
        _check(page, href)
        if page.get_by_role("link", name="Change the plan").count():
            _check(page, f"{href}/edit")

    # A plan with a problem comes back in place, filled in, focus on the summary.
    page.goto(f"{BASE}/sessions/new")
    form = page.locator("#session-form")
    form.get_by_label("Title").fill("Stories and tea")
    form.get_by_label("Date").fill("2030-06-10")
    form.get_by_label("Start time").fill("18:00")
    form.get_by_label("End time").fill("17:00")
    form.get_by_label("Place").fill("Northside Community Hub")
    form.get_by_label("Agenda").fill("20 Stories\nJust talking")
    form.get_by_role("button", name="Plan the session").click()
    expect(page.locator("#session-form .error-summary")).to_be_focused()
    expect(page.locator("#agenda-error")).to_contain_text("Line 2 needs its minutes")
    expect(page.locator("#ends-error")).to_contain_text("after the start time")
    expect(page.get_by_label("Title")).to_have_value("Stories and tea")
    assert _scroll_width(page) <= 320
    axe(page, "the session plan with problems")

    page.get_by_label("End time").fill("20:00")
    page.get_by_label("Agenda").fill("20 Stories\nJust talking - 30")
    page.get_by_role("button", name="Check the timings").click()
    expect(page.locator("#session-timing")).to_contain_text("the session is 120 minutes long")
    page.get_by_role("button", name="Plan the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stories and tea")
    expect(page.locator(".running-order")).to_contain_text("18:45")


def test_a_lifebuoy_reaches_the_facilitator_live_and_nobody_else(make_context):
    sam = make_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(sam, "facilitator@porthaven.example")
    sam.goto(f"{BASE}/sessions")
    sam.get_by_role("link", name="Starting on our stories").click()
    session_url = sam.url
    sam.get_by_role("button", name="Start the session").click()
    live = sam.locator("#session-live")
    expect(live).to_contain_text("Happening now")
    # Mark who's here (one form for everyone), swapped in place.
    for name in ("Sam", "Jade", "Dot", "Kayleigh"):
        sam.locator("fieldset.attendance", has_text=name).get_by_label("Here", exact=True).check()
    with sam.expect_response(lambda r: r.url.endswith("/attendance")) as saved:
        sam.get_by_role("button", name="Save who's here").click()
    assert saved.value.status == 200  # htmx: the live section comes back, no reload
    expect(sam.locator("#session-live")).to_contain_text("Here: Dot, Jade, Kayleigh, Sam")
    sam.get_by_role("button", name="Draw groups").click()
    expect(sam.locator("ol.groups li")).to_have_count(2)
    axe(sam, "the live session, as the facilitator")
    assert _scroll_width(sam) <= 320
    sam.locator("body").click()  # nothing focused in the live section: polling goes on

    jade = make_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(jade, "community@porthaven.example")
    jade.goto(session_url)
    jade.get_by_label("Your check-in").fill("Sunny walk in")
    jade.get_by_role("button", name="Share my check-in").click()
    expect(jade.locator("#check-in")).to_contain_text("Jade: Sunny walk in")
    jade.get_by_role("button", name="I need a moment").click()
    expect(jade.locator("#lifebuoy")).to_contain_text("Only the facilitators can see it")
    axe(jade, "the live session, as a community commissioner")

    # Sam's page picks it up by polling, without a reload.
    expect(sam.locator(".lifebuoy-list")).to_contain_text("Jade", timeout=15_000)
    expect(sam.locator("#check-in")).to_contain_text("Sunny walk in")
    sam.get_by_role("button", name=re.compile("I'm on it")).click()
    expect(sam.locator(".lifebuoy-list")).to_contain_text("Sam is on it")
    expect(jade.locator("#lifebuoy")).to_contain_text(
        "A facilitator has seen your call", timeout=15_000)

    helen = make_context().new_page()
    sign_in(helen, "civic@porthaven.example")
    helen.goto(session_url)
    expect(helen.locator("#check-in")).to_contain_text("Sunny walk in")
    expect(helen.locator(".lifebuoy-list")).to_have_count(0)
    expect(helen.locator("#session-live")).not_to_contain_text("Only the facilitators can see it")

    # While Sam is typing notes, the section doesn't refresh under her fingers.
    notes = sam.locator("textarea#notes")
    notes.fill("Jade needed a moment; we took a break.")
    jade.get_by_label("Your check-out: one word or a feeling").fill("Lighter")
    jade.get_by_role("button", name="Share my check-out").click()
    expect(jade.locator("#check-out")).to_contain_text("Jade: Lighter")
    sam.wait_for_timeout(11_000)
    expect(notes).to_have_value("Jade needed a moment; we took a break.")
    expect(sam.locator("#check-out")).not_to_contain_text("Lighter")
    sam.get_by_role("button", name="Save the notes").click()
    expect(sam.locator("#check-out")).to_contain_text("Jade: Lighter")
    expect(sam.locator("textarea#notes")).to_have_value("Jade needed a moment; we took a break.")
