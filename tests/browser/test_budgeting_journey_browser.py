"""A grant round from start to finish in a real browser, on a round nobody has touched before:
Priya (a council officer) starts it and adds a pot; Rhys and Jade suggest three ideas; Priya
checks them (one cannot go to the vote, with her reason); Rhys and Jade vote online; Priya types
in a paper ballot and Alex (a second person) checks it; Priya counts and publishes; a visitor
who is not signed in reads why each project won or did not. axe checks the pages a resident
and a visitor see on the way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

ROUND = "/rounds/quayside-fund"
IDEAS = {
    # title: (who suggests it, cost, can it go to the vote)
    "Planters on Quay Street": ("resident@porthaven.example", "1200", True),
    "A tide clock on the harbour wall": ("community@porthaven.example", "3000", True),
    "A diving board off the pier": ("community@porthaven.example", "4900", False),
}


def _person(make_context, email: str):
    page = make_context().new_page()
    sign_in(page, email)
    return page


def _flash(page, text: str) -> None:
    expect(page.locator(".flashes")).to_contain_text(text)


def _move_on(priya, phase: str) -> None:
    priya.goto(f"{ROUND}/")
    priya.get_by_role("button", name=f"Move on to: {phase}").click()
    _flash(priya, f"The round is now at: {phase}.")


def _suggest(page, title: str, cost: str) -> None:
    page.goto(f"{ROUND}/projects/")
    page.get_by_role("link", name="Suggest a project").click()
    page.get_by_label("Name your idea").fill(title)
    page.get_by_label("What is it?").fill(f"{title}, for everyone who uses the quay.")
    page.get_by_label("Where would it be?").fill("The quay")
    page.get_by_label("Who is it for?").fill("Everyone")
    page.get_by_label("Roughly how much would it cost?").fill(cost)
    page.get_by_label(re.compile("^I live, work or study in")).check()
    page.get_by_role("button", name="Send my idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def _vote(page, titles) -> None:
    page.goto(f"{ROUND}/vote/")
    page.get_by_role("link", name="Vote in Quayside").click()
    form = page.locator("#ballot-form")
    for title in titles:
        form.get_by_label(title).check()
    form.get_by_label(re.compile("^I live, work or study in")).check()
    form.get_by_role("button", name="Save my vote").click()
    expect(page.get_by_role("heading", name="Your vote is saved")).to_be_visible()


def test_a_round_runs_from_its_start_to_results_that_explain_every_project(
    make_context, rhys_in_english
):
    # Priya starts the round and puts money in it.
    priya = _person(make_context, "officer@porthaven.example")
    priya.goto("/rounds/new?organisation=porthaven-council")
    priya.locator("#new-round-form").get_by_label("Name of the round").fill("Quayside Fund")
    priya.locator("#new-round-form").get_by_role("button", name="Start the round").click()
    expect(priya).to_have_url(re.compile(f"{ROUND}/edit$"))
    priya.goto(f"{ROUND}/")
    priya.get_by_role("link", name="Add a pot of money").click()
    priya.locator("#pot-form").get_by_label("Name of the pot").fill("Quayside")
    priya.locator("#pot-form").get_by_label("How much money it holds").fill("5000")
    priya.locator("#pot-form").get_by_role("button", name="Add the pot").click()
    _flash(priya, "The pot Quayside is added.")
    _move_on(priya, "Ideas")

    # Residents suggest ideas.
    residents = {
        email: _person(make_context, email) for email in {who for who, _cost, _ok in IDEAS.values()}
    }
    for title, (who, cost, _ok) in IDEAS.items():
        _suggest(residents[who], title, cost)
    rhys = residents["resident@porthaven.example"]
    rhys.goto(f"{ROUND}/projects/")
    expect(rhys.locator("main")).to_contain_text("A diving board off the pier")
    axe(rhys, "the projects of a new round")

    # Priya checks each idea; one cannot go to the vote, and says why.
    _move_on(priya, "Checking ideas")
    for title, (_who, _cost, ok) in IDEAS.items():
        priya.goto(f"{ROUND}/projects/")
        priya.get_by_role("link", name=title).click()
        form = priya.locator("#feasibility-form")
        form.get_by_label("It can go to the vote" if ok else "It cannot go to the vote").check()
        form.get_by_label("Why", exact=True).fill(
            "The harbour trust agrees and it fits the pot."
            if ok
            else "The harbour master will not allow diving from the pier; we have asked the leisure team."
        )
        form.get_by_role("button", name="Save the check").click()
        _flash(priya, "Saved.")
    _move_on(priya, "Voting")

    # Rhys and Jade vote online.
    _vote(rhys, ["Planters on Quay Street"])
    _vote(
        residents["community@porthaven.example"],
        ["Planters on Quay Street", "A tide clock on the harbour wall"],
    )
    axe(rhys, "the confirmation of a vote")

    # Priya types in one paper ballot; Alex checks the batch so that it counts.
    priya.goto(f"{ROUND}/paper/")
    priya.get_by_label("Where the ballots came from").fill("Ballot box at the harbour office")
    priya.get_by_role("button", name="Start the batch").click()
    form = priya.locator("#paper-form")
    form.get_by_label("Number printed on the ballot paper").fill("0001")
    form.get_by_label("A tide clock on the harbour wall").check()
    form.get_by_role("button", name="Enter this ballot").click()
    _flash(priya, "Ballot 0001 is entered.")
    batch = priya.url
    alex = _person(make_context, "admin@porthaven.example")
    alex.goto(batch)
    alex.get_by_role("button", name="Every ballot matches: mark the batch checked").click()
    _flash(alex, "Its ballots now count.")

    # Priya counts and publishes.
    _move_on(priya, "Results")
    priya.goto(f"{ROUND}/results/")
    priya.get_by_role("button", name="Count the votes for Quayside").click()
    _flash(priya, "Counted.")
    priya.get_by_role("button", name="Publish this result").click()
    _flash(priya, "The result is published.")

    # Anyone can read why each project won or did not.
    visitor = make_context().new_page()
    visitor.goto(f"{ROUND}/results/")
    main = visitor.locator("main")
    expect(main).to_contain_text("Planters on Quay Street")
    expect(main).to_contain_text("A tide clock on the harbour wall")
    expect(main).to_contain_text("Online: 2")
    expect(main).to_contain_text("On paper: 1")
    expect(main.locator("svg[role='img']")).to_have_count(1)
    expect(main.locator("table caption")).to_contain_text("Votes for each project")
    expect(main).to_contain_text(re.compile(r"Won: \d+ voters shared its cost"))
    expect(main).not_to_contain_text("Not published yet")
    axe(visitor, "the published results of a new round")
    # The idea that could not go to the vote keeps its reason on its page.
    visitor.goto(f"{ROUND}/projects/")
    visitor.get_by_role("link", name="A diving board off the pier").click()
    expect(visitor.locator("main")).to_contain_text("we have asked the leisure team")
