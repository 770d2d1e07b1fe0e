"""Commission set-up, overview, phases, charter and people in a real browser, with axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

PTC = "/commissions/porthaven-poverty-truth-commission"
PAGES = ["", "/phases", "/charter", "/people"]


def test_commission_pages_pass_axe_for_each_kind_of_member(page):
    for who in ("facilitator", "community", "civic"):
        sign_in(page, f"{who}@porthaven.example")
        for path in ["/commissions/", *[PTC + p for p in PAGES]]:
            response = page.goto(path)
            assert response.status == 200, (who, path)
            axe(page, f"{path} as {who}")
        sign_out(page)


def test_facilitator_sets_up_a_commission_and_sees_errors_in_place(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto("/commissions/new")
    axe(page, "the set-up form")
    form = page.locator("#commission-form")
    form.get_by_label("Name", exact=True).fill("Aberhafren Truth Commission")
    form.get_by_role("button", name="Set up the commission").click()
    # htmx swaps the form in place with the problems beside the fields, keeping the name.
    expect(form.locator(".error-summary")).to_be_focused()
    expect(form.get_by_label("Name", exact=True)).to_have_value("Aberhafren Truth Commission")
    expect(form).to_contain_text("Enter the place.")
    axe(page, "the set-up form with errors")
    form.get_by_label("Place").fill("Aberhafren")
    form.get_by_label("Porthaven Council").check()
    form.get_by_role("button", name="Set up the commission").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aberhafren Truth Commission")
    expect(page.locator(".phase-badge")).to_contain_text("Deciding to go ahead")


def test_moving_on_early_asks_why_and_the_charter_keeps_its_history(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(PTC + "/phases")
    expect(page.locator("li[aria-current='step']")).to_contain_text("Together")
    page.get_by_role("button", name="Move to Working on changes").click()
    expect(page.locator("#advance-form")).to_contain_text("Say why you are moving on early")
    axe(page, "the phases page with an error")
    page.locator("#advance-form").get_by_label("Why now? (recorded)").fill(
        "The commissioners asked to start on changes.")
    page.get_by_role("button", name="Move to Working on changes").click()
    expect(page.locator(".phase-badge")).to_contain_text("Working on changes")
    expect(page.get_by_text("Earlier than the usual time.")).to_be_visible()
    sign_out(page)

    sign_in(page, "community@porthaven.example")
    page.goto(PTC + "/charter")
    page.get_by_text("Change the charter").click()
    page.get_by_label("Shared principles").fill("Listen first\nNo titles in the room\nBring cake")
    page.get_by_label("What changed and why (optional)").fill("Cake matters")
    page.get_by_role("button", name="Save the charter").click()
    expect(page.locator(".flashes")).to_contain_text("The charter is saved")
    expect(page.get_by_role("listitem").filter(has_text="Bring cake").first).to_be_visible()
    expect(page.locator(".history")).to_contain_text("Jade")
    axe(page, "the charter")


def test_civic_commissioner_waits_during_the_community_only_phase(page, live_server):
    from participate.commissions.models import Commission
    from participate.extensions import db

    with live_server.app.app_context():
        commission = db.session.scalars(db.select(Commission)).first()
        commission.phase = "community_only"
        db.session.commit()
    sign_in(page, "civic@porthaven.example")
    page.goto(PTC)
    expect(page.locator("main")).to_contain_text("join in phase 4")
    expect(page.locator("nav.subnav")).to_have_count(0)
    axe(page, "the waiting page")
    for path in PAGES[1:]:
        assert page.request.get(PTC + path, max_redirects=0).status == 404


def test_facilitator_changes_the_payment_rates(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(PTC + "/payments")
    page.get_by_text("Change the rates").click()
    form = page.locator("#rates-form")
    form.get_by_label("Reduced amount, in pounds").fill("30")
    form.get_by_role("button", name="Save the rates").click()
    expect(form.locator(".error-summary")).to_be_focused()
    expect(form).to_contain_text("less than the full payment")
    expect(form.get_by_label("Reduced amount, in pounds")).to_have_value("30")
    axe(page, "the rates form with a problem")
    form.get_by_label("Reduced amount, in pounds").fill("12.50")
    form.get_by_role("button", name="Save the rates").click()
    expect(page.locator(".flashes")).to_contain_text("The rates are saved")
    expect(page.locator("main")).to_contain_text("£12.50")
