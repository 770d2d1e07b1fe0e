"""Voting in a real browser, on the demo's Northside round (voting is open, tick up to three).

Rhys votes, ticking one project too many first: the page says so and keeps his ticks; he
saves, then changes his vote. Sam types in a batch of two paper ballots and cannot check his
own batch; Priya checks it and it counts. axe checks every page on the way. The same path runs
once with JavaScript on (the running total updates as boxes are ticked) and once with it off.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

ROUND = "/rounds/northside-neighbourhood-fund"
PROJECTS = (
    "Benches and shade on Harbour Walk",
    "Community fridge at the Hub",
    "Safe crossing by Northside Primary",
    "Repair café kit",
)


def _person(make_context, email: str, js: bool):
    page = make_context(java_script_enabled=js).new_page()
    sign_in(page, email)
    return page


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_rhys_votes_and_changes_his_vote_sam_enters_paper_and_priya_checks(
    make_context, rhys_in_english, js
):
    check = axe if js else (lambda page, where: None)  # axe runs in the page: JS only

    # --- Rhys votes online ---
    rhys = _person(make_context, "resident@porthaven.example", js)
    rhys.goto(f"{ROUND}/vote/")
    expect(rhys.get_by_role("heading", name="Vote", exact=True)).to_be_visible()
    expect(
        rhys.get_by_text(
            "So far: 91 online, 6 with help, 14 on paper (5 more waiting to be checked)"
        )
    ).to_be_visible()
    check(rhys, "the vote page")
    rhys.get_by_role("link", name="Vote in The whole of Northside").click()
    expect(rhys.get_by_text("Choose between 1 and 3 projects.")).to_be_visible()
    check(rhys, "a ballot")
    form = rhys.locator("#ballot-form")
    for title in PROJECTS:
        form.get_by_label(title).check()
    if js:  # the running total comes from the server as boxes are ticked
        expect(rhys.locator("#ballot-total")).to_contain_text(
            "You have chosen 4 of at most 3 projects."
        )
    else:  # without JavaScript, the same total after "Check my total"
        form.get_by_role("button", name="Check my total").click()
        expect(rhys.locator("#ballot-total")).to_contain_text(
            "You have chosen 4 of at most 3 projects."
        )
    form = rhys.locator("#ballot-form")
    form.get_by_label("I live, work or study in Northside ward").check()
    form.get_by_label("I am 11 or older").check()
    form.get_by_role("button", name="Save my vote").click()
    summary = rhys.locator(".error-summary")
    expect(summary).to_contain_text("Choose no more than 3 projects.")
    check(rhys, "a ballot with a mistake")
    form = rhys.locator("#ballot-form")
    for title in PROJECTS:  # nothing he chose is lost
        expect(form.get_by_label(title)).to_be_checked()
    expect(form.get_by_label("I live, work or study in Northside ward")).to_be_checked()
    form.get_by_label("Repair café kit").uncheck()
    form.get_by_role("button", name="Save my vote").click()
    expect(rhys.get_by_role("heading", name="Your vote is saved")).to_be_visible()
    expect(rhys.locator("main")).to_contain_text("Safe crossing by Northside Primary")
    check(rhys, "the confirmation")

    rhys.get_by_role("link", name="Change my vote").click()
    form = rhys.locator("#ballot-form")
    expect(form.get_by_label("Community fridge at the Hub")).to_be_checked()
    form.get_by_label("Safe crossing by Northside Primary").uncheck()
    form.get_by_label("I live, work or study in Northside ward").check()
    form.get_by_label("I am 11 or older").check()
    form.get_by_role("button", name="Save my vote").click()
    expect(rhys.get_by_role("heading", name="Your vote is saved")).to_be_visible()
    saved = rhys.locator("#my-choices")
    expect(saved).to_contain_text("Community fridge at the Hub")
    expect(saved).not_to_contain_text("Safe crossing")
    rhys.get_by_role("link", name="Back to voting").click()
    expect(rhys.get_by_text("So far: 92 online, 6 with help, 14 on paper")).to_be_visible()
    expect(
        rhys.get_by_role("link", name="Change your vote in The whole of Northside")
    ).to_be_visible()
    expect(rhys.get_by_role("link", name="Paper ballots")).to_have_count(0)

    # --- Sam types in a paper batch ---
    sam = _person(make_context, "facilitator@porthaven.example", js)
    sam.goto(f"{ROUND}/vote/")
    sam.get_by_role("link", name="Paper ballots").click()
    expect(sam.get_by_role("heading", name="Paper ballots", exact=True)).to_be_visible()
    check(sam, "the paper ballots page")
    sam.get_by_label("Which pot are the ballots for?").select_option(label="Young people")
    sam.get_by_label("Where the ballots came from").fill("Ballot box from the leisure centre")
    sam.get_by_role("button", name="Start the batch").click()
    expect(
        sam.get_by_role("heading", name=re.compile("Ballot box from the leisure centre"))
    ).to_be_visible()
    batch_url = sam.url
    for serial, picks in (
        ("2-0201", ("Skate ramps", "Youth club trips")),
        ("2-0202", ("Music studio",)),
    ):
        form = sam.locator("#paper-form")
        form.get_by_label("Number printed on the ballot paper").fill(serial)
        for title in picks:
            form.get_by_label(title).check()
        form.get_by_role("button", name="Enter this ballot").click()
        expect(sam.locator(".flashes")).to_contain_text(f"Ballot {serial} is entered.")
    # The same paper twice is refused, saying where it already is.
    form = sam.locator("#paper-form")
    form.get_by_label("Number printed on the ballot paper").fill("2-0202")
    form.get_by_label("Late-night football").check()
    form.get_by_role("button", name="Enter this ballot").click()
    expect(sam.locator("#paper-form")).to_contain_text("Ballot 2-0202 is already entered in batch")
    check(sam, "a batch with a refused ballot")
    sam.goto(batch_url)
    expect(sam.get_by_role("heading", name="2 ballots entered")).to_be_visible()
    expect(sam.get_by_text("Someone else must check this batch.")).to_be_visible()
    expect(sam.get_by_role("button", name=re.compile("mark the batch checked"))).to_have_count(0)

    # --- Priya checks it; it counts ---
    priya = _person(make_context, "officer@porthaven.example", js)
    priya.goto(batch_url)
    expect(priya.get_by_text("Waiting for a second person's check")).to_be_visible()
    check(priya, "a batch waiting to be checked")
    priya.get_by_role("button", name="Every ballot matches: mark the batch checked").click()
    expect(priya.locator(".flashes")).to_contain_text("Its ballots now count.")
    expect(priya.locator("#batch-status")).to_contain_text("Checked by Priya")
    priya.goto(f"{ROUND}/paper/")
    expect(priya.locator("main")).to_contain_text("Ballot box from the leisure centre")
    expect(priya.locator("main")).to_contain_text(
        "Young people: So far: 66 online, 6 with help, 16 on paper (5 more waiting to be checked)"
    )
    check(priya, "the paper ballots page after a check")
