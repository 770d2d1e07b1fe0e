"""Setting up a grant round in a real browser: Priya (a council officer) starts a round,
fills in its settings with one mistake (the message shows by the field and nothing she typed
is lost), adds two pots and opens it for ideas. axe checks the list, the new-round form, the
settings, the pot form and the round page; the same path works with JavaScript off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

OFFICER = "officer@porthaven.example"
NEW = "/rounds/new?organisation=porthaven-council"
SUMMARY = "People in Westside decide how to spend money on the area."


def _settings(page, area_name: str = "") -> None:
    form = page.locator("#round-form")
    form.get_by_label("What the round is for").fill(SUMMARY)
    form.get_by_label("A ward", exact=True).check()
    form.get_by_label("Name of the area or place").fill(area_name)
    form.get_by_label("Youngest age to vote (optional)").fill("11")
    form.get_by_label("Fewest projects to tick").fill("1")
    form.get_by_label("Most projects to tick").fill("3")
    form.get_by_label("Ideas open on").fill("2027-03-01")
    form.get_by_label("Voting opens on").fill("2027-05-01")
    form.get_by_label("The round ends on").fill("2028-03-31")
    form.get_by_label("What happens to money that is not spent").fill("It goes to next year.")
    form.get_by_role("button", name="Save the settings").click()


def _add_pot(page, name: str, amount: str) -> None:
    page.get_by_role("link", name="Add a pot of money").click()
    form = page.locator("#pot-form")
    form.get_by_label("Name of the pot").fill(name)
    form.get_by_label("How much money it holds").fill(amount)
    form.get_by_role("button", name="Add the pot").click()
    expect(page.locator(".flashes")).to_contain_text(f"The pot {name} is added.")


def _set_up_a_round(page, title: str, check=lambda where: None) -> None:
    page.goto("/rounds/")
    check("the list of rounds")
    page.get_by_role("link", name="Start a grant round").click()
    expect(page).to_have_url(re.compile(re.escape(NEW) + "$"))
    check("the new round form")
    form = page.locator("#new-round-form")
    form.get_by_role("button", name="Start the round").click()
    expect(page.locator("#title-error")).to_contain_text("Give the round a name.")
    page.locator("#new-round-form").get_by_label("Name of the round").fill(title)
    page.locator("#new-round-form").get_by_role("button", name="Start the round").click()
    expect(page).to_have_url(re.compile(r"/rounds/westside-fund-2027/edit$"))
    check("the settings form")

    # One mistake: a ward with no name. The message is by the field; nothing is lost.
    _settings(page)
    expect(page.locator("#area_name-error")).to_contain_text("Name the area")
    expect(page.locator("#area_name")).to_have_attribute("aria-invalid", "true")
    form = page.locator("#round-form")
    expect(form.get_by_label("What the round is for")).to_have_value(SUMMARY)
    expect(form.get_by_label("A ward", exact=True)).to_be_checked()
    expect(form.get_by_label("Most projects to tick")).to_have_value("3")
    expect(form.get_by_label("The round ends on")).to_have_value("2028-03-31")
    check("the settings form with a mistake")
    form.get_by_label("Name of the area or place").fill("Westside ward")
    form.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".flashes")).to_contain_text("The settings are saved.")
    expect(page.locator("main")).to_contain_text("Tick between 1 and 3 projects.")

    page.get_by_role("link", name="Add a pot of money").click()
    check("the pot form")
    page.locator("#pot-form").get_by_label("Name of the pot").fill("Whole ward")
    page.locator("#pot-form").get_by_label("How much money it holds").fill("20000.50")
    page.locator("#pot-form").get_by_role("button", name="Add the pot").click()
    expect(page.locator("#amount-error")).to_contain_text("whole number")
    expect(page.locator("#pot-form").get_by_label("Name of the pot")).to_have_value("Whole ward")
    page.locator("#pot-form").get_by_label("How much money it holds").fill("£20,000")
    page.locator("#pot-form").get_by_role("button", name="Add the pot").click()
    expect(page.locator(".flashes")).to_contain_text("The pot Whole ward is added.")
    _add_pot(page, "Young people", "5000")
    expect(page.locator("#pots ~ ul.card-list")).to_contain_text("£5,000")
    expect(page.locator("main")).to_contain_text("£25,000, in 2 pots")

    page.get_by_role("button", name="Move on to: Ideas").click()
    expect(page.locator(".flashes")).to_contain_text("The round is now at: Ideas.")
    now = page.locator('.timeline li[aria-current="step"]')
    expect(now).to_contain_text("Ideas")
    expect(now).to_contain_text("Now")
    expect(now).to_contain_text("1 March 2027")
    expect(page.get_by_role("link", name="See the projects and suggest one")).to_be_visible()
    check("the round page")


def test_an_officer_sets_up_a_round_and_opens_it_for_ideas(make_context):
    page = make_context().new_page()
    page.goto("/rounds/northside-neighbourhood-fund/")  # the demo's round, in voting
    expect(page.locator("main")).to_contain_text("Tick between 1 and 3 projects.")
    axe(page, "a round in voting, signed out")
    sign_in(page, OFFICER)
    _set_up_a_round(page, "Westside Fund 2027", check=lambda where: axe(page, where))


def test_setting_up_a_round_works_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, OFFICER)
    _set_up_a_round(page, "Westside Fund 2027")
    # The officer's round page offers the next step, named.
    expect(page.get_by_role("button", name="Move on to: Checking ideas")).to_be_visible()
