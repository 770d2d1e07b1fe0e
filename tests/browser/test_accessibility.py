"""Every demo role signs in through the real page, sees their own things to do, and every
page they can reach passes axe-core (WCAG 2.2 AA: no serious or critical problems)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

COMMISSION = "/spaces/porthaven-poverty-truth-commission"
FUND = "/spaces/northside-neighbourhood-fund"
TENANTS = "/spaces/northside-tenants-group"
SPACES = [COMMISSION, FUND, TENANTS]
MANAGE = [f"{s}/{what}" for s in SPACES for what in ("people/new", "invite")]
ORGANISATIONS = ["/organisations/porthaven-council", "/organisations/northside-community-hub"]
ADMIN = ["/admin/", "/admin/audit/"]
PAPER = "/rounds/northside-neighbourhood-fund/paper/"  # the round's officers and facilitators
EVERY_PAGE = ["/", "/profile", *SPACES, *MANAGE, *ORGANISATIONS, *ADMIN, PAPER]
EVERYONE = ["/", "/profile", FUND, *ORGANISATIONS]

# role -> (email name, things to do on the home page as (words, link), pages they can reach)
ROLES = {
    "site admin": ("admin", [
        ("Look through the audit log", "/admin/audit/"),
        ("Add an organisation or a space", "/admin/"),
        ("Tell facilitators what helps you take part", "/profile"),
    ], EVERY_PAGE),
    "council officer": ("officer", [
        ("See the spaces Porthaven Council hosts", "/organisations/porthaven-council"),
        ("Check paper ballots someone else typed in for Northside Neighbourhood Fund 2026",
         PAPER),
    ], [*EVERYONE, PAPER]),
    "finance approver": ("finance", [
        ("See the spaces Porthaven Council hosts", "/organisations/porthaven-council"),
    ], EVERYONE),
    "facilitator": ("facilitator", [
        ("Check who's in Porthaven Poverty Truth Commission and their access needs", COMMISSION),
        ("Add someone to Porthaven Poverty Truth Commission who has no email",
         f"{COMMISSION}/people/new"),
        ("Invite people to Porthaven Poverty Truth Commission by email", f"{COMMISSION}/invite"),
        ("Add someone to Northside Tenants' Group who has no email", f"{TENANTS}/people/new"),
    ], [*EVERYONE, COMMISSION, TENANTS, f"{COMMISSION}/people/new", f"{COMMISSION}/invite",
        f"{TENANTS}/people/new", f"{TENANTS}/invite", f"{FUND}/people/new", f"{FUND}/invite",
        PAPER]),
    "community commissioner": ("community", [
        ("Meet the people in Porthaven Poverty Truth Commission", COMMISSION),
        ("Meet the people in Northside Neighbourhood Fund", FUND),
    ], [*EVERYONE, COMMISSION]),
    "civic commissioner": ("civic", [
        ("Meet the people in Porthaven Poverty Truth Commission", COMMISSION),
    ], [*EVERYONE, COMMISSION]),
    "business commissioner": ("business", [
        ("Meet the people in Porthaven Poverty Truth Commission", COMMISSION),
    ], [*EVERYONE, COMMISSION]),
    "grant panel member": ("panel", [
        ("Meet the people in Northside Neighbourhood Fund", FUND),
    ], EVERYONE),
    "resident": ("resident", [
        ("Meet the people in Northside Neighbourhood Fund", FUND),
        ("Vote in Northside Neighbourhood Fund 2026", "/rounds/northside-neighbourhood-fund/vote/"),
    ], EVERYONE),
}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_their_things_to_do_and_every_page_they_reach_is_accessible(page, role):
    key, tasks, reachable = ROLES[role]
    sign_in(page, f"{key}@porthaven.example")

    todo = page.locator("section[aria-labelledby='todo-heading'] .action-list")
    english = page.locator("html").get_attribute("lang") == "en"
    for words, href in tasks:
        link = todo.locator(f"a[href='{href}']")
        expect(link.first).to_be_visible()
        if english:
            expect(todo.get_by_role("link", name=words, exact=True)).to_be_visible()

    for path in reachable:
        response = page.goto(path)
        assert response.status == 200, f"{role} should reach {path}, got {response.status}"
        axe(page, f"{path} as the {role}")

    # Everything else answers 404: they may not know it exists.
    for path in sorted(set(EVERY_PAGE) - set(reachable)):
        response = page.request.get(path, max_redirects=0)
        assert response.status == 404, f"{role} got {response.status} for {path}"


SIGNED_OUT = ["/", "/sign-in", "/sign-in/email", "/sign-in/code", "/password/forgot", FUND]


def test_signed_out_pages_and_errors_are_accessible(page):
    for path in SIGNED_OUT:
        response = page.goto(path)
        assert response.status == 200, path
        axe(page, path)
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    axe(page, "the 404 page")
    # A members-only space is a 404 to a stranger, and pages that need you signed in send you
    # to sign in first.
    assert page.goto(COMMISSION).status == 404
    page.goto("/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert "next=" in page.url
