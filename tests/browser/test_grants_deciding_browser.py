"""Deciding on applications in a real browser, on a fund set up for these tests in the demo's
Porthaven Council (Priya runs it; Gwen and Jade are its panel).

With JavaScript: Gwen declares an interest in one application (first forgetting to say what it
is) and sees she steps out of deciding it; on another she declares none and gives her view.
Priya looks at the register of declarations and at the winners of a residents' vote. axe
checks each page. Without JavaScript: Priya records the award the panel agreed, putting right
an amount larger than was asked for.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

OFFICER = "officer@porthaven.example"
PANEL = "panel@porthaven.example"


@pytest.fixture
def fund(live_server):
    """A fund with two panel members (Gwen, Jade) and three applications; on the third both
    have said fund it. A published residents' vote of the same council has one winner."""
    from sqlalchemy import select

    from participate.accounts.models import Person
    from participate.budgeting.models import Result
    from participate.columns import utcnow
    from participate.extensions import db
    from participate.grants import steps
    from tests import factories as f

    with live_server.app.app_context():
        people = {
            key: db.session.scalar(select(Person).where(Person.email == f"{key}@porthaven.example"))
            for key in ("officer", "panel", "community", "resident")
        }
        org = next(
            m.organisation for m in people["officer"].memberships if m.role == "council_officer"
        )
        fund = steps.create_fund(
            org,
            "Harbour Small Grants",
            ends_on=date(2030, 3, 31),
            by=people["officer"],
            total=1_000_000,
            status="open",
        )
        for key in ("panel", "community"):
            f.member(people[key], fund.space, "grant_panel_member")
        grants = [
            f.application(fund, applicant=people["resident"], amount=100_000, title=title)
            for title in ("Harbour clean-up day", "Lunch club", "Youth football kit")
        ]
        for key in ("panel", "community"):
            steps.declare(grants[2], people[key], has_interest=False)
            steps.give_view(grants[2], people[key], choice="fund")
        rnd = f.grant_round("results", organisation_=org, title="Harbour Decides")
        project = f.budget_project(
            rnd.pots[0], "Benches on the quay", 2_000, author=people["resident"], ref="1-1"
        )
        db.session.add(
            Result(
                pot_id=rnd.pots[0].id,
                rule="greedy",
                outcome={"selected": [project.ref]},
                published=True,
                published_at=utcnow(),
            )
        )
        db.session.commit()
        out = SimpleNamespace(slug=fund.slug, numbers=[g.number for g in grants], round_id=rnd.id)
        db.session.remove()
    return out


def _grant(fund, i: int) -> str:
    return f"/funds/{fund.slug}/grants/{fund.numbers[i]}"


def test_a_panel_member_declares_an_interest_and_gives_a_view(make_context, fund):
    gwen = make_context().new_page()
    sign_in(gwen, PANEL)

    gwen.goto(_grant(fund, 0))
    expect(gwen.locator("#panel-heading")).to_have_text("The panel's part")
    axe(gwen, "an application, before declaring")
    form = gwen.locator("#declare-form")
    form.get_by_label("I have an interest in this application").check()
    form.get_by_role("button", name="Save my declaration").click()
    expect(gwen.locator("#interest-error")).to_contain_text("Say what your interest is")
    axe(gwen, "the declaration with a problem")
    gwen.get_by_label("What is your interest? (needed if you have one)").fill(
        "I help run the harbour volunteers."
    )
    gwen.locator("#declare-form").get_by_role("button", name="Save my declaration").click()
    expect(gwen.locator("#stepped-out")).to_have_text(
        "You declared an interest, so you are stepping out of deciding this one."
    )
    expect(gwen.locator("#view-form")).to_have_count(0)
    axe(gwen, "an application she stepped out of")

    gwen.goto(_grant(fund, 1))
    gwen.locator("#declare-form").get_by_label("I have no interest in this application").check()
    gwen.locator("#declare-form").get_by_role("button", name="Save my declaration").click()
    expect(gwen.locator("#declared-none")).to_be_visible()
    view = gwen.locator("#view-form")
    view.get_by_label("Fund it", exact=True).check()
    view.get_by_label("Why? (optional)").fill("Lots of people would come.")
    view.get_by_role("button", name="Give my view").click()
    expect(gwen.locator(".flashes")).to_contain_text("your view is saved")
    expect(gwen.locator("#panel-count")).to_contain_text("1 of 2 members have given a view.")
    expect(gwen.locator("#panel-views")).to_contain_text("Lots of people would come.")
    axe(gwen, "an application with her view")

    gwen.goto(f"/funds/{fund.slug}/register")
    expect(gwen.locator("main")).to_contain_text("I help run the harbour volunteers.")
    axe(gwen, "the register of declarations")

    priya = make_context().new_page()
    sign_in(priya, OFFICER)
    priya.goto(f"/funds/{fund.slug}/register")
    priya.get_by_role("link", name="make grants from the winners of a residents' vote").click()
    priya.get_by_label("Which vote?").select_option(label="Harbour Decides")
    priya.get_by_role("button", name="Show the winners").click()
    expect(priya.locator("#winners")).to_contain_text("Benches on the quay")
    axe(priya, "the winners of a residents' vote")


def test_without_javascript_a_manager_records_the_award(make_context, fund):
    priya = make_context(java_script_enabled=False).new_page()
    sign_in(priya, OFFICER)
    priya.goto(_grant(fund, 2))
    expect(priya.locator("#decision")).to_contain_text("The panel agreed to fund it.")
    form = priya.locator("#award-form")
    expect(form.get_by_label("Amount to award")).to_have_value("1000.00")
    form.get_by_label("Amount to award").fill("1500")
    form.get_by_label("Conditions of the offer (optional)").fill("Tell us how it went.")
    form.get_by_role("button", name="Award the grant").click()
    expect(priya.locator("#amount-error")).to_contain_text("Award no more than was asked for.")
    form = priya.locator("#award-form")
    expect(form.get_by_label("Conditions of the offer (optional)")).to_have_value(
        "Tell us how it went."
    )
    form.get_by_label("Amount to award").fill("900")
    form.get_by_role("button", name="Award the grant").click()
    expect(priya.locator(".flashes")).to_contain_text("The grant is awarded.")
    expect(priya.locator("main")).to_contain_text("£900.00 awarded")
    expect(priya.locator("#award-form")).to_have_count(0)
