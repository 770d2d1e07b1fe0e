"""Layout: nothing scrolls sideways at 320 px wide (WCAG 1.4.10 reflow); print shows the
content without the site's header and navigation; the pages for a failing database read well
(axe); and the axe helper refuses, at once, a page without scripts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import database_faults as faults
from tests.browser.conftest import axe, sign_in


def _scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_no_sideways_scroll_at_320_pixels(make_context):
    page = make_context(viewport={"width": 320, "height": 640}).new_page()
    for path in ["/", "/sign-in", "/sign-in/code", "/spaces/northside-neighbourhood-fund"]:
        page.goto(path)
        assert _scroll_width(page) <= 320, f"{path} scrolls sideways at 320px"
    # A form showing its errors.
    page.goto("/sign-in")
    page.locator("#sign-in-form").get_by_role("button", name="Sign in").click()
    expect(page.locator("#sign-in-form .error-summary")).to_be_visible()
    assert _scroll_width(page) <= 320, "the sign-in errors scroll sideways at 320px"

    sign_in(page, "admin@porthaven.example")
    for path in ["/", "/profile", "/spaces/porthaven-poverty-truth-commission", "/admin/",
                 "/admin/audit/"]:
        page.goto(path)
        assert _scroll_width(page) <= 320, f"{path} scrolls sideways at 320px"


def test_print_hides_the_header_and_navigation(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto("/commissions/porthaven-poverty-truth-commission/people")
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".subnav")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".skip-link")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Dot")


# --- when the database fails: a clear page, never a stack trace -------------------------------


def _engine(live_server):
    from participate.extensions import db

    with live_server.app.app_context():
        return db.engine


def test_a_full_disk_gives_a_clear_page_with_the_site_around_it(page, live_server):
    sign_in(page, "community@porthaven.example")
    page.goto("/profile")
    with faults.disk_full(_engine(live_server)):
        page.locator(".language-switch").get_by_role("button").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "We can't save or show that right now"
        )
        expect(page.get_by_text("nothing was changed")).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        axe(page, "the 503 page")
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/profile")


def test_with_the_database_gone_the_plain_page_still_reads_well(page, live_server):
    sign_in(page, "community@porthaven.example")  # so the page needs the database
    with faults.gone(_engine(live_server)):
        response = page.goto("/")
        assert response.status == 503
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "We can't save or show that right now"
        )
        expect(page.get_by_role("link", name="Participate")).to_have_attribute("href", "/")
        axe(page, "the plain 503 page")
    assert page.goto("/").status == 200  # back by itself


def test_axe_on_a_page_without_scripts_fails_at_once_rather_than_hanging(make_context):
    """axe runs inside the page; with JavaScript off, Playwright would wait for it forever
    (a test once hung for ten minutes). The helper says so instead."""
    quiet = make_context(java_script_enabled=False).new_page()
    quiet.goto("/")
    with pytest.raises(pytest.fail.Exception, match="axe needs scripts"):
        axe(quiet, "the home page without scripts")
    page = make_context().new_page()
    page.goto("/")
    axe(page, "the home page")
