"""With JavaScript off, the same forms work as plain HTML forms."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, sign_out


def test_sign_in_fix_a_profile_mistake_and_sign_out_without_javascript(make_context):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, "business@porthaven.example")

    page.goto("/profile")
    form = page.locator("#profile-form")
    form.get_by_label("Your name").fill("")
    form.get_by_label("Pronouns (optional)").fill("she/they")
    form.get_by_label("What helps you take part (optional)").fill("Step-free access.")
    form.get_by_label("Cymraeg").check()
    form.get_by_role("button", name="Save").click()

    # A whole page comes back (422) with the message by the field and nothing lost.
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.locator(".error-summary")).to_contain_text("Your name")
    expect(page.locator("#chosen_name-error")).to_contain_text(
        "Enter the name you'd like people to see.")
    form = page.locator("#profile-form")
    expect(form.get_by_label("Pronouns (optional)")).to_have_value("she/they")
    expect(form.get_by_label("What helps you take part (optional)")).to_have_value(
        "Step-free access.")
    expect(form.get_by_label("Cymraeg")).to_be_checked()

    form.get_by_label("Your name").fill("Fatima B")
    form.get_by_label("English").check()
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".flashes")).to_contain_text("Saved.")
    form = page.locator("#profile-form")
    expect(form.get_by_label("Your name")).to_have_value("Fatima B")
    expect(form.get_by_label("Pronouns (optional)")).to_have_value("she/they")
    expect(form.get_by_label("What helps you take part (optional)")).to_have_value(
        "Step-free access.")

    sign_out(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Welcome"))
    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
