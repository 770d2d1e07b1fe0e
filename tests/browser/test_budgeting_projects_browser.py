"""Project ideas in a real browser, on the demo's Northside Neighbourhood Fund (moved back to
its ideas phase for these tests).

Rhys (a resident) suggests a project, makes a mistake with the cost and puts it right, adds a
picture and comments; Priya (a council officer) says his idea cannot go to the vote, with her
reason, and adjusts another project's cost with a note; Rhys replies. axe checks the list, the
form (with and without a mistake) and the project page at 320 px wide; the same path works
with JavaScript off.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

ROUND = "/rounds/northside-neighbourhood-fund"
LIST = f"{ROUND}/projects/"
PHONE = {"width": 320, "height": 800}


@pytest.fixture
def ideas_open(live_server):
    """The demo round is voting; take it back to gathering ideas, open for ten more days."""
    from sqlalchemy import select

    from participate.accounts.models import Space
    from participate.budgeting.models import GrantRound
    from participate.clock import local_today
    from participate.extensions import db

    with live_server.app.app_context():
        rnd = db.session.scalar(
            select(GrantRound)
            .join(Space, GrantRound.space_id == Space.id)
            .where(Space.slug == "northside-neighbourhood-fund")
        )
        today = local_today()
        rnd.phase = "ideas"
        rnd.feasibility_from = today + timedelta(days=10)
        rnd.voting_from = today + timedelta(days=20)
        rnd.results_from = today + timedelta(days=30)
        rnd.delivery_from = today + timedelta(days=40)
        db.session.commit()
        db.session.remove()
    return live_server


def _fits(page, where: str) -> None:
    axe(page, where)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{where} scrolls sideways at 320px ({width}px)"


def _hide_and_show(page, words: str, scripts: bool = True) -> None:
    """Hide a comment with a reason, then show it again; axe on the hidden state (axe needs
    scripts)."""
    comment = page.locator("#comments li", has_text=words)
    # Opening <details> is no navigation: without scripts Playwright would wait for one.
    comment.locator("summary").click(no_wait_after=not scripts)
    comment.get_by_label("Why hide it?").fill("It names a neighbour, we thought.")
    comment.get_by_role("button", name="Hide it").click()
    hidden = page.locator("#comments li", has_text="It names a neighbour, we thought.")
    expect(hidden).to_contain_text("Hidden by the council")
    if scripts:
        axe(page, "a hidden comment, for those who look after comments")
    hidden.get_by_role("button", name="Show it again").click()
    shown = page.locator("#comments li", has_text=words)
    expect(shown).not_to_contain_text("Hidden by the council")
    expect(shown.get_by_text("Hide this comment")).to_be_visible()


def _person(make_context, email: str, **options):
    page = make_context(**options).new_page()
    sign_in(page, email)
    return page


def _picture(path) -> str:
    out = BytesIO()
    Image.new("RGB", (120, 80), (40, 140, 90)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def _suggest(page, title: str, check, picture: str | None = None) -> str:
    """Suggest an idea with a cost that is not a number, then put it right."""
    page.goto(LIST)
    check(page, "the projects list")
    page.get_by_role("link", name="Suggest a project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a project")
    check(page, "the suggest a project form")
    page.get_by_label("Which pot of money is it for?").select_option(
        label="The whole of Northside (£30,000)"
    )
    page.get_by_label("Name your idea").fill(title)
    page.get_by_label("What is it?").fill("Planters and benches where the bus stop is.")
    page.get_by_label("Where would it be?").fill("Cliff Road bus stop")
    page.get_by_label("Who is it for?").fill("People waiting for the bus")
    page.get_by_label("Roughly how much would it cost?").fill("about two grand")
    page.get_by_label("I live, work or study in Northside ward").check()
    page.get_by_role("button", name="Send my idea").click()
    # The whole page comes back with the message by the field and nothing lost.
    expect(page.locator("#cost-error")).to_contain_text("Write the cost as a whole number")
    expect(page.get_by_label("What is it?")).to_have_value(
        "Planters and benches where the bus stop is."
    )
    expect(page.get_by_label("Name your idea")).to_have_value(title)
    check(page, "the suggest a project form with a mistake")
    page.get_by_label("Roughly how much would it cost?").fill("2000")
    if picture:
        page.get_by_label("A picture (optional)").set_input_files(picture)
        page.get_by_label(re.compile("What does the picture show")).fill(
            "The bare pavement by the bus stop"
        )
    page.get_by_role("button", name="Send my idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".flashes")).to_contain_text("your idea is in")
    return page.url


def _check(officer, url: str, verdict: str, reason: str, cost: str = "", note: str = "") -> None:
    officer.goto(url)
    form = officer.locator("#feasibility-form")
    form.get_by_label(verdict).check()
    form.get_by_label("Why", exact=True).fill(reason)
    if cost:
        form.get_by_label("The council's estimate of the cost (optional)").fill(cost)
    if note:
        form.get_by_label("Why the cost is different").fill(note)
    form.get_by_role("button", name="Save the check").click()
    expect(officer.locator(".flashes")).to_contain_text("Saved.")


def _repair_cafe(page) -> str:
    page.goto(LIST)
    page.get_by_role("link", name="Repair café kit").click()
    return page.url


def test_a_resident_suggests_comments_and_replies_and_an_officer_checks(
    make_context, ideas_open, rhys_in_english, tmp_path
):
    rhys = _person(make_context, "resident@porthaven.example", viewport=PHONE)
    url = _suggest(rhys, "Planters at the bus stop", _fits, _picture(tmp_path / "stop.png"))
    picture = rhys.get_by_role("img", name="The bare pavement by the bus stop")
    expect(picture).to_be_visible()
    assert rhys.evaluate("img => img.naturalWidth", picture.element_handle()) == 120
    _fits(rhys, "a new project's page")

    # He takes the picture off again: a tick on the idea's form.
    rhys.get_by_role("link", name="Change this idea").click()
    _fits(rhys, "changing an idea that has a picture")
    rhys.get_by_label("Remove this picture: The bare pavement by the bus stop").check()
    rhys.get_by_role("button", name="Save the changes").click()
    expect(rhys.locator(".flashes")).to_contain_text("Your changes are saved.")
    expect(rhys.get_by_role("img", name="The bare pavement by the bus stop")).to_have_count(0)
    assert rhys.url == url

    # A comment goes in with htmx: the comments swap in place, the page stays.
    rhys.get_by_label("Your comment").fill("The bus shelter could have a planter too.")
    rhys.get_by_role("button", name="Add my comment").click()
    expect(rhys.locator("#comments")).to_contain_text("The bus shelter could have a planter too.")
    expect(rhys.get_by_label("Your comment")).to_have_value("")
    assert rhys.url == url
    rhys.get_by_role("button", name="Add my comment").click()  # empty: told in place
    expect(rhys.locator("#comments .field-error")).to_contain_text("Write your comment.")

    priya = _person(make_context, "officer@porthaven.example", viewport=PHONE)
    priya.goto(url)
    _fits(priya, "a project page for an officer")
    # She hides the comment, thinks again and shows it: both in place, with htmx.
    _hide_and_show(priya, "The bus shelter could have a planter too.")
    assert priya.url == url
    _check(
        priya,
        url,
        "It cannot go to the vote",
        "The bus stop belongs to the bus company; we've asked them to add planters.",
    )
    repair = _repair_cafe(priya)
    _check(
        priya,
        repair,
        "It can go to the vote",
        "The Hub can store the kit safely.",
        cost="3100",
        note="A PAT tester costs more than it used to.",
    )
    expect(priya.locator("#cost-change")).to_have_text(
        "The author suggested £2,500; the council's estimate is £3,100 because:"
    )

    rhys.goto(url)
    expect(rhys.locator("#verdict")).to_contain_text("Cannot go to the vote")
    expect(rhys.locator("#verdict")).to_contain_text("belongs to the bus company")
    rhys.get_by_label("Your reply").fill("Thanks. I'll ask the bus company too.")
    rhys.get_by_role("button", name="Send my reply").click()
    expect(rhys.locator("#author-reply")).to_have_text("Thanks. I'll ask the bus company too.")
    assert rhys.url == url
    _fits(rhys, "a checked project with the author's reply")


def test_the_same_path_works_without_javascript(make_context, ideas_open, rhys_in_english):
    off = {"java_script_enabled": False}
    rhys = _person(make_context, "resident@porthaven.example", **off)
    url = _suggest(rhys, "Planters without scripts", lambda page, where: None)
    rhys.get_by_role("button", name="Add my comment").click()
    expect(rhys.locator("#body-error")).to_contain_text("Write your comment.")
    rhys.get_by_label("Your comment").fill("Could the school help plant them?")
    rhys.get_by_role("button", name="Add my comment").click()
    expect(rhys.locator(".flashes")).to_contain_text("Your comment is added.")
    expect(rhys.locator("#comments")).to_contain_text("Could the school help plant them?")

    priya = _person(make_context, "officer@porthaven.example", **off)
    priya.goto(url)
    _hide_and_show(priya, "Could the school help plant them?", scripts=False)
    expect(priya.locator(".flashes")).to_contain_text("The comment is shown again.")
    priya.locator("#feasibility-form").get_by_label("It cannot go to the vote").check()
    priya.locator("#feasibility-form").get_by_role("button", name="Save the check").click()
    expect(priya.locator("#reason-error")).to_contain_text("Say why, so the author understands.")
    _check(priya, url, "It cannot go to the vote", "The pavement is too narrow there.")
    repair = _repair_cafe(priya)
    _check(
        priya,
        repair,
        "It can go to the vote",
        "Fine.",
        cost="2800",
        note="The sewing machine costs more.",
    )
    expect(priya.locator("#cost-change")).to_contain_text("£2,500")

    rhys.goto(url)
    rhys.get_by_label("Your reply").fill("Could it go on the green instead?")
    rhys.get_by_role("button", name="Send my reply").click()
    expect(rhys.locator(".flashes")).to_contain_text("Your reply is saved.")
    expect(rhys.locator("#author-reply")).to_have_text("Could it go on the green instead?")
