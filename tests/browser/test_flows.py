"""Whole journeys: a paper sign-in code from the facilitator's hands to the new person's
home page, and a facilitator acting for someone, as the site admin later reads it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

COMMISSION = "/commissions/porthaven-poverty-truth-commission/people"


def test_paper_code_from_facilitator_to_new_person(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(COMMISSION)
    page.get_by_role("link", name="Add someone who has no email").click()
    form = page.locator("#add-person-form")
    form.get_by_label("Their name").fill("Mo")
    form.get_by_label("Community commissioner").check()
    form.get_by_label("They are here, and they agree").check()
    form.get_by_role("button", name="Make the account and show the code").click()

    code = page.locator(".paper-code__code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    typed = code.inner_text().replace("-", "").lower()
    expect(page.locator(".paper-code__url")).to_contain_text("/sign-in/code")
    sign_out(page)

    page.goto("/sign-in/code")
    page.get_by_label("Your sign-in code").fill(typed)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Mo")
    expect(page.locator(".card-list")).to_contain_text("Porthaven Poverty Truth Commission")
    page.goto("/profile")
    expect(page.locator("main")).to_contain_text("No email address: Mo signs in with a code")
    sign_out(page)

    # A code works once.
    page.goto("/sign-in/code")
    page.get_by_label("Your sign-in code").fill(typed)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("That code doesn't work")
    expect(page.get_by_label("Your sign-in code")).to_have_value(typed)
    expect(page.locator("#code-form .error-summary")).to_be_focused()


def test_assisted_mode_is_recorded_as_the_facilitator_for_the_member(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(COMMISSION)
    jade = page.locator("li.person").filter(
        has=page.get_by_role("heading", name=re.compile(r"^Jade\b")))
    jade.get_by_text("Act for Jade").click()
    jade.get_by_label("Jade is here with me and agrees").check()
    jade.get_by_role("button", name="Start acting for Jade").click()

    banner = page.get_by_role("region", name="Acting for someone")
    expect(banner).to_contain_text(
        "You are acting for Jade in Porthaven Poverty Truth Commission")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jade's profile")
    axe(page, "Jade's profile in assisted mode")
    needs = page.locator("#profile-form").get_by_label("What helps you take part (optional)")
    expect(needs).to_have_value(re.compile("^Large print please"))
    needs.fill("Large print please. A quiet room for breaks.")
    page.locator("#profile-form").get_by_role("button", name="Save").click()
    expect(page.locator(".flashes")).to_contain_text("Saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jade's profile")
    expect(needs).to_have_value("Large print please. A quiet room for breaks.")

    banner.get_by_role("button", name="Stop acting for Jade").click()
    expect(page.locator(".flashes")).to_contain_text("You've stopped acting for Jade.")
    expect(page).to_have_url(re.compile(r"/commissions/porthaven-poverty-truth-commission$"))
    expect(page.get_by_role("region", name="Acting for someone")).to_have_count(0)
    page.goto(COMMISSION)
    expect(jade.locator(".access-needs")).to_contain_text("A quiet room for breaks.")
    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    sign_out(page)

    sign_in(page, "admin@porthaven.example")
    page.goto("/admin/audit/")
    row = page.locator("#audit-results tbody tr").filter(has_text="(profile.updated)")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("Sam for Jade")
    expect(row).to_contain_text("Updated profile: access_needs")
    started = page.locator("#audit-results tbody tr").filter(has_text="(assist.started)")
    expect(started.locator("td").nth(1)).to_have_text("Sam for Jade")
