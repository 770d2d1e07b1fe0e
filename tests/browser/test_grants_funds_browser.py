"""Setting up a fund in a real browser: Priya (a council officer) sets up a fund, makes one
mistake (the message shows by the field and nothing she typed is lost), opens it, and the
public fund page shows it. axe checks the list, the form, the settings and the public page;
the same path works with JavaScript off."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

OFFICER = "officer@porthaven.example"
SUMMARY = "Small grants for groups by the harbour."
@pytest.fixture
def server(live_server):
    return live_server


def _set_up_and_open(page, check=lambda where: None) -> None:
    ends = (date.today() + timedelta(days=900)).isoformat()
    page.goto("/funds/")
    check("the list of funds")
    page.get_by_role("link", name="Set up a fund").click()
    expect(page).to_have_url(re.compile(r"/funds/new\?organisation=porthaven-council$"))
    check("the new fund form")
    form = page.locator("#new-fund-form")
    form.get_by_label("Name of the fund").fill("Harbour Chest")
    form.get_by_label("What the fund is for").fill(SUMMARY)
    form.get_by_label("Money in the fund").fill("£12,000")
    form.get_by_label("The fund ends on").fill(ends)
    form.get_by_label("Micro-grants up to (optional)").fill("3000")
    form.get_by_label("The most one grant may get (optional)").fill("2000")
    form.get_by_label("Residents' vote").check()
    form.get_by_role("button", name="Set up the fund").click()

    # One mistake: micro-grants bigger than the biggest grant. Nothing typed is lost.
    expect(page.locator("#micro_limit-error")).to_contain_text(
        "must be below the most one grant may get"
    )
    expect(page.locator("#micro_limit")).to_have_attribute("aria-invalid", "true")
    form = page.locator("#new-fund-form")
    expect(form.get_by_label("What the fund is for")).to_have_value(SUMMARY)
    expect(form.get_by_label("Money in the fund")).to_have_value("£12,000")
    expect(form.get_by_label("The fund ends on")).to_have_value(ends)
    expect(form.get_by_label("Residents' vote")).to_be_checked()
    check("the new fund form with a mistake")
    form.get_by_label("Micro-grants up to (optional)").fill("500")
    form.get_by_role("button", name="Set up the fund").click()

    expect(page).to_have_url(re.compile(r"/funds/harbour-chest/settings$"))
    expect(page.locator(".flashes")).to_contain_text("The fund is set up.")
    expect(page.locator("#money")).to_contain_text("£12,000.00")
    check("the fund's settings")
    page.get_by_role("button", name="Open the fund for applications").click()

    expect(page).to_have_url(re.compile(r"/funds/harbour-chest$"))
    expect(page.locator(".flashes")).to_contain_text("The fund is now: Open for applications.")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Harbour Chest")
    expect(main).to_contain_text(SUMMARY)
    expect(main.get_by_role("link", name="Apply for a grant")).to_be_visible()
    expect(main.locator(".fund-money")).to_contain_text("£12,000.00")
    expect(main.get_by_role("img", name=re.compile("Money not yet paid out"))).to_be_visible()


def test_an_officer_sets_up_a_fund_and_its_pages_are_accessible(server, make_context):
    page = make_context().new_page()
    sign_in(page, OFFICER)
    _set_up_and_open(page, check=lambda where: axe(page, where))
    axe(page, "the public fund page, as the officer")

    public = make_context().new_page()
    public.goto("/funds/harbour-chest")
    expect(public.locator("main")).to_contain_text("Left to give")
    expect(public.locator("main")).not_to_contain_text("Settings")
    axe(public, "the public fund page, signed out")


def test_setting_up_a_fund_works_without_javascript(server, make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, OFFICER)
    _set_up_and_open(page)
