"""Results in a real browser, on the demo's Northside round moved on to its results.

Priya (a council officer) counts a pot, checks and publishes it, and records a council
decision for one project (a reason that is too short first). A signed-out visitor then reads
the results: winners, every project's reason, the decision, the chart and its table. axe
checks the results page and the decision form; the same path works with JavaScript off.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

RESULTS = "/rounds/northside-neighbourhood-fund/results/"
OFFICER = "officer@porthaven.example"
REASON = "The school will pay for the lights, so the council funds the rest from its roads budget."


def _to_results_phase(live_server) -> None:
    from participate.budgeting.models import GrantRound
    from participate.extensions import db

    with live_server.app.app_context():
        rnd = (
            db.session.query(GrantRound).filter_by(title="Northside Neighbourhood Fund 2026").one()
        )
        rnd.phase = "results"
        db.session.commit()
        db.session.remove()


def _pot(page, name: str):
    return page.locator("section.pot-result").filter(
        has=page.get_by_role("heading", level=2, name=name)
    )


def _count_publish_and_change(page, pot_name: str, javascript: bool) -> str:
    """Count a pot, publish it and fund a project that did not win; returns its title."""
    page.goto(RESULTS)
    pot = _pot(page, pot_name)
    pot.get_by_role("button", name=f"Count the votes for {pot_name}").click()
    expect(page.locator(".flashes")).to_contain_text("Counted. Check the result below")
    pot = _pot(page, pot_name)
    expect(pot.get_by_text("Not published yet.")).to_be_visible()
    expect(pot.locator(".project-reasons li").first).to_contain_text("Won:")
    if javascript:
        axe(page, "the results page with a count to check")
    pot.get_by_role("button", name="Publish this result").click()
    expect(page.locator(".flashes")).to_contain_text("The result is published")
    pot = _pot(page, pot_name)
    expect(pot.get_by_text("Not published yet.")).to_have_count(0)

    loser = pot.locator(".project-reasons li").filter(has_not_text="Won:").first
    title = loser.get_by_role("heading").inner_text().strip()
    pot.get_by_role("link", name="Record a council decision that changes this result").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Change the result of {pot_name}")
    if javascript:
        axe(page, "the council decision form")
    form = page.locator("#override-form")
    form.get_by_label(re.compile("^" + re.escape(title) + r" \(now not funded\)")).check()
    form.get_by_label("Fund it", exact=True).check()
    form.get_by_label("Why (published on the results page)").fill("Trust pays.")
    form.get_by_role("button", name="Publish the council's decision").click()
    expect(page.locator("#reason-error")).to_contain_text("Write at least a full sentence")
    expect(page.get_by_label("Why (published on the results page)")).to_have_value("Trust pays.")
    if javascript:
        expect(page.locator("#override-form .error-summary")).to_be_focused()
        axe(page, "the council decision form with a mistake")
    page.get_by_label("Why (published on the results page)").fill(REASON)
    page.get_by_role("button", name="Publish the council's decision").click()
    expect(page).to_have_url(re.compile(re.escape(RESULTS)))
    expect(page.locator(".flashes")).to_contain_text("The council's decision is published")
    return title


def _visitor_reads(page, pot_name: str, title: str) -> None:
    page.goto(RESULTS)
    pot = _pot(page, pot_name)
    expect(pot.get_by_role("heading", name="Winners, after changes by the council")).to_be_visible()
    decision = pot.locator(".council-decision")
    expect(decision).to_contain_text(f"Funded by the council's decision: {REASON} — Priya")
    expect(pot.locator(".winners")).to_contain_text(title)
    expect(pot.get_by_role("img", name=re.compile("Votes for each project"))).to_be_visible()
    expect(pot.locator("table caption")).to_contain_text(f"Votes for each project: {pot_name}")
    expect(pot.get_by_role("row", name=re.compile(re.escape(title)))).to_contain_text(
        "funded by the council's decision"
    )
    expect(pot.get_by_text(re.compile(r"Online: \d+"))).to_be_visible()
    expect(
        pot.get_by_role("link", name="Download the anonymous ballots (pabulib file)")
    ).to_be_visible()


def test_an_officer_counts_publishes_and_changes_a_result_and_anyone_reads_it(
    make_context, live_server
):
    _to_results_phase(live_server)
    officer = make_context().new_page()
    sign_in(officer, OFFICER)
    title = _count_publish_and_change(officer, "The whole of Northside", javascript=True)

    visitor = make_context().new_page()
    _visitor_reads(visitor, "The whole of Northside", title)
    axe(visitor, "the published results, signed out")
    # The other pot is not published yet: the visitor is told so and sees no figures.
    expect(_pot(visitor, "Young people")).to_contain_text("has not been published yet")
    expect(_pot(visitor, "Young people").locator("svg")).to_have_count(0)


def test_the_same_path_works_without_javascript(make_context, live_server):
    _to_results_phase(live_server)
    officer = make_context(java_script_enabled=False).new_page()
    sign_in(officer, OFFICER)
    title = _count_publish_and_change(officer, "Young people", javascript=False)
    visitor = make_context(java_script_enabled=False).new_page()
    _visitor_reads(visitor, "Young people", title)
    download = visitor.request.get(
        visitor.get_by_role(
            "link", name="Download the anonymous ballots (pabulib file)"
        ).first.get_attribute("href")
    )
    assert download.ok and download.text().startswith("META")
