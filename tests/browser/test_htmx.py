"""htmx swaps: each fragment id is a contract. A form with a problem comes back as a 422
fragment swapped in place, filled in, with the message next to the field and focus on the
error summary; the rest of the page is not reloaded."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, axe, sign_in

COMMISSION = "/spaces/porthaven-poverty-truth-commission"


def _mark_page(page) -> None:
    """A flag that survives a swap but not a page load."""
    page.evaluate("() => { window.__sameDocument = true; }")


def _still_same_page(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def _post(page, path: str):
    return page.expect_response(
        lambda r: r.request.method == "POST" and r.url.split("?")[0].endswith(path)
    )


def test_wrong_password_swaps_only_the_sign_in_form(page):
    page.goto("/sign-in")
    _mark_page(page)
    form = page.locator("#sign-in-form")
    form.get_by_label("Email address").fill("Facilitator@porthaven.example")
    form.get_by_label("Password").fill("not the password")
    with _post(page, "/sign-in") as answer:
        form.get_by_role("button", name="Sign in").click()
    response = answer.value
    assert response.status == 422
    assert response.request.headers.get("hx-request") == "true"
    assert response.headers.get("hx-retarget") == "#sign-in-form"

    password = page.locator("#sign-in-form").get_by_label("Password")
    expect(page.locator("#password-error")).to_contain_text("don't match")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", re.compile("password-error"))
    expect(password).to_have_value("")
    expect(page.get_by_label("Email address")).to_have_value("Facilitator@porthaven.example")
    expect(page.locator("#sign-in-form .error-summary")).to_be_focused()
    expect(page.locator("#sign-in-form")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    assert _still_same_page(page), "the whole page reloaded instead of swapping the form"
    axe(page, "the sign-in page showing a wrong password")

    # The swapped form still works (its CSRF token included).
    password.fill(DEMO_PASSWORD)
    page.locator("#sign-in-form").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Sam")


def test_profile_with_no_name_keeps_everything_else_typed(page):
    sign_in(page, "civic@porthaven.example")
    page.goto("/profile")
    _mark_page(page)
    form = page.locator("#profile-form")
    form.get_by_label("Your name").fill("")
    form.get_by_label("Pronouns (optional)").fill("he/they")
    form.get_by_label("What helps you take part (optional)").fill("A hearing loop, please.")
    form.get_by_label("One email a week at most").check()
    with _post(page, "/profile") as answer:
        form.get_by_role("button", name="Save").click()
    assert answer.value.status == 422

    form = page.locator("#profile-form")
    expect(page.locator("#chosen_name-error")).to_contain_text(
        "Enter the name you'd like people to see.")
    expect(form.locator(".field--error")).to_contain_text("Your name")
    expect(form.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Pronouns (optional)")).to_have_value("he/they")
    expect(form.get_by_label("What helps you take part (optional)")).to_have_value(
        "A hearing loop, please.")
    expect(form.get_by_label("One email a week at most")).to_be_checked()
    expect(form.locator(".error-summary")).to_be_focused()
    assert _still_same_page(page)
    axe(page, "the profile form with an error")

    # Nothing was saved.
    page.reload()
    expect(page.locator("#profile-form").get_by_label("Your name")).to_have_value("Owen")
    expect(page.locator("#profile-form").get_by_label("Pronouns (optional)")).to_have_value(
        "he/him")


def test_add_person_form_shows_its_problem_then_the_code(page):
    sign_in(page, "facilitator@porthaven.example")
    page.goto(f"{COMMISSION}/people/new")
    _mark_page(page)
    form = page.locator("#add-person-form")
    form.get_by_label("Their name").fill("Mo")
    form.get_by_label("Pronouns (optional)").fill("they/them")
    form.get_by_label("Community commissioner").check()
    form.get_by_label("What helps them take part (optional)").fill("Morning sessions only.")
    with _post(page, "/people/new") as answer:
        form.get_by_role("button", name="Make the account and show the code").click()
    assert answer.value.status == 422

    form = page.locator("#add-person-form")
    expect(page.locator("#consent-error")).to_contain_text("Check with them first")
    expect(form.get_by_label("Their name")).to_have_value("Mo")
    expect(form.get_by_label("Pronouns (optional)")).to_have_value("they/them")
    expect(form.get_by_label("Community commissioner")).to_be_checked()
    expect(form.get_by_label("What helps them take part (optional)")).to_have_value(
        "Morning sessions only.")
    expect(form.locator(".error-summary")).to_be_focused()
    assert _still_same_page(page)
    axe(page, "the add-person form with an error")

    form.get_by_label("They are here, and they agree").check()
    form.get_by_role("button", name="Make the account and show the code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in code for Mo")
    expect(page.locator(".paper-code__code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    # One page, not a page inside the form.
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("#add-person-form")).to_have_count(0)
    expect(page).to_have_title(re.compile("^Sign-in code for Mo"))
    expect(page.locator("main")).to_be_focused()
    axe(page, "the paper code page")


def test_emailed_link_form_shows_its_problem_then_a_whole_page(page):
    for path, button in [("/sign-in/email", "Email me a link"),
                         ("/password/forgot", "Send me a link")]:
        page.goto(path)
        _mark_page(page)
        form = page.locator("#email-form")
        form.get_by_label("Email address").fill("not an address")
        with _post(page, path) as answer:
            form.get_by_role("button", name=button).click()
        assert answer.value.status == 422
        expect(page.locator("#email-error")).to_contain_text("Enter an email address like")
        expect(page.get_by_label("Email address")).to_have_value("not an address")
        expect(page.locator("#email-form .error-summary")).to_be_focused()
        assert _still_same_page(page)

        page.get_by_label("Email address").fill("resident@porthaven.example")
        page.locator("#email-form").get_by_role("button", name=button).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        expect(page.locator("main")).to_have_count(1)
        expect(page.locator("header.site-header")).to_have_count(1)
        expect(page.locator("main")).to_be_focused()


def test_audit_filter_swaps_the_results_and_pushes_the_url(page):
    sign_in(page, "admin@porthaven.example")
    page.goto("/admin/audit/")
    results = page.locator("#audit-results tbody tr")
    everything = results.count()
    assert everything > 3
    _mark_page(page)

    page.get_by_label("What happened").select_option("account.created_without_email")
    with page.expect_response(lambda r: "/admin/audit/?" in r.url) as answer:
        page.locator("#audit-filters").get_by_role("button", name="Show").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/admin/audit/\?.*action=account\.created_without_email"))
    expect(results).to_have_count(3)
    for name in ("Dot", "Kayleigh", "Bernie"):
        expect(page.locator("#audit-results")).to_contain_text(f"Sam for {name}")
    expect(page.locator("#audit-results")).to_have_count(1)
    expect(page.locator("#audit-filters")).to_have_count(1)
    assert _still_same_page(page)
    axe(page, "the filtered audit log")

    # The pushed address renders the same results on a cold load.
    page.reload()
    expect(results).to_have_count(3)
    expect(page.get_by_label("What happened")).to_have_value("account.created_without_email")
