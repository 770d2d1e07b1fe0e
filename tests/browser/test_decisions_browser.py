"""Consent decisions in a real browser, with members of both cohorts.

Jade (a community commissioner) proposes, Owen (a civic commissioner) asks and objects,
Fatima (a business commissioner) stands aside, and Sam (the facilitator) runs the rounds,
records answers for people in the room and types in paper cards. The objection is worked
on, met by version 2, the proposal is tested again and agreed, and the decision record shows
how the objection changed it. axe checks every page on the way, at 320 px wide; the same
path works with JavaScript off; and the round's progress reaches the facilitator's page
without a reload.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in, sign_out

LIST = "/decide/porthaven-poverty-truth-commission/"
PHONE = {"width": 320, "height": 800}
REVIEW = (date.today() + timedelta(days=200)).isoformat()


def _fits(page, where: str) -> None:
    """axe finds nothing serious, and nothing scrolls sideways on a 320 px phone."""
    axe(page, where)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{where} scrolls sideways at 320px ({width}px)"


def _person(make_context, email: str, **options):
    page = make_context(**options).new_page()
    sign_in(page, email)
    return page


def _step(page, label: str) -> None:
    page.locator("#steps").get_by_role("button", name=label).click()


def _flash(page):
    return page.locator(".flashes")


def _answer(page, label: str, reason: str = "", button: str = "Give the answer") -> None:
    form = page.locator("#consent-form")
    form.get_by_label(label, exact=True).check()
    if reason:
        form.get_by_label("Your reason").fill(reason)
    form.get_by_role("button", name=button).click()


# --- 1. the whole path, with JavaScript -----------------------------------------------------


def test_a_proposal_goes_through_every_round_and_an_objection_changes_it(make_context):
    jade = _person(make_context, "community@porthaven.example", viewport=PHONE)
    jade.goto(LIST)
    expect(jade.get_by_role("heading", level=1)).to_have_text("Decisions")
    expect(jade.get_by_role("link", name="Evening sessions at the library")).to_be_visible()
    _fits(jade, "the decisions list")

    # A proposal with a mistake: the form comes back in place, message by the field.
    jade.get_by_role("link", name="Make a proposal").click()
    form = jade.locator("#proposal-form")
    form.get_by_label("What prompts it").fill("Letters about arrears frighten people.")
    form.get_by_label("The proposal", exact=True).fill("Arrears letters are rewritten with us.")
    form.get_by_label("Review it on").fill(REVIEW)
    form.get_by_role("button", name="Save the proposal").click()
    expect(jade.locator("#proposal-form .error-summary")).to_be_focused()
    expect(jade.locator("#title-error")).to_contain_text("Give the proposal a title.")
    expect(jade.get_by_label("What prompts it")).to_have_value(
        "Letters about arrears frighten people."
    )
    expect(jade.get_by_label("Review it on")).to_have_value(REVIEW)
    _fits(jade, "the proposal form with a mistake")
    jade.get_by_label("Title").fill("Kinder arrears letters")
    jade.get_by_role("button", name="Save the proposal").click()
    expect(jade.get_by_role("heading", level=1)).to_have_text("Kinder arrears letters")
    expect(_flash(jade)).to_contain_text("The proposal is saved")
    proposal_url = jade.url
    assert re.search(r"/decide/porthaven-poverty-truth-commission/\d+$", proposal_url)
    _fits(jade, "a proposal being written")

    # Sam opens the questions round.
    sam = _person(make_context, "facilitator@porthaven.example", viewport=PHONE)
    sam.goto(LIST)
    sam.get_by_role("link", name="Kinder arrears letters").click()
    expect(sam).to_have_url(proposal_url)
    _step(sam, "Open the questions round")
    expect(_flash(sam)).to_contain_text("Questions round")
    expect(sam.locator(".stepper [aria-current=step]")).to_have_text("Questions round")

    # Owen asks, Jade answers.
    owen = _person(make_context, "civic@porthaven.example", viewport=PHONE)
    owen.goto(proposal_url)
    owen.get_by_label("Your question").fill("Who writes the letters now?")
    owen.get_by_role("button", name="Ask").click()
    expect(owen.locator(".qa-list")).to_contain_text("Owen: Who writes the letters now?")
    _fits(owen, "the questions round")
    jade.goto(proposal_url)
    jade.get_by_label("Your answer").fill("The revenues team, from a template.")
    jade.get_by_role("button", name="Answer", exact=True).click()
    expect(jade.locator(".qa-list")).to_contain_text("The revenues team, from a template.")

    # Reactions: everyone heard once.
    sam.reload()
    _step(sam, "Move on to reactions")
    expect(sam.locator("#round-progress")).to_contain_text("0 of 6 heard.")
    _fits(sam, "the reactions round")
    for page, text in ((jade, "It would take the fear out."), (owen, "Happy to try it.")):
        page.goto(proposal_url)
        page.get_by_label("Your reaction").fill(text)
        page.get_by_role("button", name="Add the reaction").click()
        expect(page.locator("#reactions .qa-list")).to_contain_text(text)
    expect(owen.locator("#round-progress")).to_contain_text("2 of 6 heard.")
    expect(owen.locator("#reaction-form")).to_have_count(0)  # heard once

    # Consent round.
    sam.reload()
    _step(sam, "Move on to the consent round")
    expect(sam.locator("#round-progress")).to_contain_text("0 of 6 have answered.")
    _fits(sam, "the consent round, as the facilitator")

    # Owen objects, first without a reason: the message is by the field.
    owen.goto(proposal_url)
    _answer(owen, "I object")
    expect(owen.locator("#reason-error")).to_contain_text("Say what your objection is")
    expect(owen.get_by_label("I object", exact=True)).to_be_checked()
    _fits(owen, "the consent form with a mistake")
    owen.get_by_label("This objection is serious", exact=False).check()
    _answer(owen, "I object", "The council can't rewrite letters it must send by law.")
    expect(_flash(owen)).to_contain_text("Your answer is in.")
    expect(owen.locator("#objections")).to_contain_text("can't rewrite letters")

    jade.goto(proposal_url)
    _answer(jade, "I consent")
    expect(jade.locator("#consent")).to_contain_text("You answered: I consent.")
    fatima = _person(make_context, "business@porthaven.example", viewport=PHONE)
    fatima.goto(proposal_url)
    _answer(fatima, "I stand aside", "We don't send letters like these.")
    expect(fatima.locator("#consent")).to_contain_text("You answered: I stand aside.")

    # Sam records Dot's answer in the room, and types in Kayleigh's paper card.
    sam.reload()
    _answer(sam, "I consent")  # whose? Sam doesn't answer herself: the form asks
    expect(sam.locator("#for_person-error")).to_contain_text("Choose whose answer it is.")
    expect(sam.get_by_label("I consent", exact=True)).to_be_checked()
    sam.locator("#consent-form").get_by_label("Whose answer").select_option(label="Dot")
    _answer(sam, "I consent")
    expect(_flash(sam)).to_contain_text("Dot's answer is in.")
    expect(sam.locator("#round-progress")).to_contain_text("4 of 6 have answered.")
    sam.get_by_role("link", name="Enter or check paper consent cards").click()
    _fits(sam, "the paper cards page")
    sam.locator("fieldset", has_text="Kayleigh").get_by_label("Red: object").check()
    sam.get_by_role("button", name="Enter these cards").click()
    expect(sam.locator(".error-summary")).to_contain_text("Kayleigh: Say what your objection is")
    expect(sam.locator("fieldset", has_text="Kayleigh").locator(".field-error")).to_contain_text(
        "Say what your objection is"
    )
    _fits(sam, "the paper cards page with a mistake")
    sam.locator("fieldset", has_text="Kayleigh").get_by_label("Green: consent").check()
    sam.get_by_role("button", name="Enter these cards").click()
    expect(_flash(sam)).to_contain_text("1 card entered")

    # Sam can't record the decision yet, and sees why.
    sam.goto(proposal_url)
    expect(sam.locator("#steps")).to_contain_text("An objection is still open")
    _step(sam, "Record the decision")
    expect(_flash(sam)).to_contain_text("An objection is still open")
    expect(_flash(sam)).to_contain_text("waiting for a second person")

    # Work on the objection: Jade amends, Owen says version 2 meets it.
    _step(sam, "Work on the objections")
    expect(sam.locator("#integrating")).to_contain_text("get the best of both")
    expect(sam.locator("#objections")).to_contain_text("Being worked on")
    sam.get_by_label("Notes from working on it").fill(
        "We met the revenues team: the legal wording stays, in a box at the end."
    )
    sam.get_by_role("button", name="Save the notes").click()
    _fits(sam, "working on the objections")
    _step(sam, "Test the amended proposal for consent")
    expect(_flash(sam)).to_contain_text("Amend the proposal first")

    jade.goto(proposal_url)
    jade.get_by_role("link", name="Amend the proposal").click()
    amend = jade.locator("#proposal-form")
    expect(amend.get_by_label("The proposal", exact=True)).to_have_value(
        "Arrears letters are rewritten with us."
    )
    _fits(jade, "the amend form")
    amend.get_by_label("The proposal", exact=True).fill(
        "Arrears letters are rewritten with us. The words the law needs stay, in a box at the end."
    )
    amend.get_by_role("button", name="Save the new version").click()
    expect(jade.locator("#change_note-error")).to_contain_text("Say what changed and why.")
    expect(jade.locator("#proposal-form .error-summary")).to_be_focused()
    _fits(jade, "the amend form with a mistake")
    jade.get_by_label("What changed and why").fill(
        "The legal words stay, to meet Owen's objection."
    )
    jade.get_by_role("button", name="Save the new version").click()
    expect(_flash(jade)).to_contain_text("Version 2 is saved.")
    jade.get_by_role("link", name=re.compile("Version 2: see every version")).click()
    expect(jade.locator("#version-2")).to_be_visible()
    expect(jade.locator("main")).to_contain_text("The legal words stay, to meet Owen's objection.")
    _fits(jade, "every version")

    owen.goto(proposal_url)
    objection = owen.locator("#objections .card", has_text="can't rewrite letters")
    objection.get_by_label("Version 2 meets it").check()
    objection.get_by_label("How it was met (optional)").fill("The box keeps the law happy.")
    objection.get_by_role("button", name="Save").click()
    expect(_flash(owen)).to_contain_text("The objection is resolved.")
    expect(owen.locator("#objections")).to_contain_text("Met by version 2.")

    # Tested again: everyone needed consents, and the decision is recorded.
    sam.reload()
    _step(sam, "Test the amended proposal for consent")
    expect(sam.locator("#round-progress")).to_contain_text("0 of 6 have answered.")
    for page in (jade, owen, fatima):
        page.goto(proposal_url)
        _answer(page, "I consent")
        expect(page.locator("#consent")).to_contain_text("You answered: I consent.")
    sam.reload()
    sam.locator("#consent-form").get_by_label("Whose answer").select_option(label="Dot")
    _answer(sam, "I consent")
    sam.goto(f"{proposal_url}/cards")
    for name in ("Kayleigh", "Helen"):
        sam.locator("fieldset", has_text=name).get_by_label("Green: consent").check()
    sam.get_by_role("button", name="Enter these cards").click()
    expect(_flash(sam)).to_contain_text("2 cards entered")
    expect(sam.locator("main")).to_contain_text("Someone else in the circle checks the cards")
    jade.goto(f"{proposal_url}/cards")
    _fits(jade, "checking paper cards")
    jade.get_by_role("button", name="I have checked these against the cards").click()
    expect(_flash(jade)).to_contain_text("They count now.")

    sam.goto(proposal_url)
    expect(sam.locator("#round-progress")).to_contain_text("6 of 6 have answered.")
    _step(sam, "Record the decision")
    expect(_flash(sam)).to_contain_text("Agreed")
    expect(sam.locator(".stepper [aria-current=step]")).to_have_text("Agreed")
    _fits(sam, "an agreed proposal")
    sam.get_by_role("button", name="Show it on the public decisions page").click()
    expect(_flash(sam)).to_contain_text("It is on the public decisions page.")
    sam.get_by_role("link", name="Read the decision record").click()
    record = sam.locator("main")
    expect(record).to_contain_text("The council can't rewrite letters it must send by law.")
    expect(record).to_contain_text("met the revenues team")
    expect(record).to_contain_text("Raised on version 1; met by version 2.")
    expect(record).to_contain_text("in a box at the end")
    expect(record).to_contain_text("Fatima: I consent")
    _fits(sam, "the decision record")

    # Signed out: the public decisions page and the published record, without Owen's name.
    sign_out(sam)
    sam.goto("/decisions/")
    _fits(sam, "the public decisions page")
    sam.get_by_role("link", name="Kinder arrears letters").click()
    public = sam.locator("main")
    expect(public).to_contain_text("Raised on version 1; met by version 2.")
    expect(public).to_contain_text("A member of the circle")
    expect(public).not_to_contain_text("Owen")
    _fits(sam, "a published decision record, signed out")


# --- 2. without JavaScript -----------------------------------------------------------------


def test_an_objection_is_met_and_the_proposal_agreed_without_javascript(make_context):
    off = {"java_script_enabled": False}
    jade = _person(make_context, "community@porthaven.example", **off)
    jade.goto(f"{LIST}new")
    jade.get_by_label("What prompts it").fill("The hub closes at four.")
    jade.get_by_label("The proposal", exact=True).fill("The hub stays open until six.")
    jade.get_by_label("Review it on").fill(REVIEW)
    jade.get_by_role("button", name="Save the proposal").click()
    # The whole page comes back with the message by the field and nothing lost.
    expect(jade.locator("#title-error")).to_contain_text("Give the proposal a title.")
    expect(jade.get_by_label("The proposal", exact=True)).to_have_value(
        "The hub stays open until six."
    )
    jade.get_by_label("Title").fill("Later opening at the hub")
    jade.get_by_role("button", name="Save the proposal").click()
    expect(jade.get_by_role("heading", level=1)).to_have_text("Later opening at the hub")
    proposal_url = jade.url

    sam = _person(make_context, "facilitator@porthaven.example", **off)
    sam.goto(proposal_url)
    for label in (
        "Open the questions round",
        "Move on to reactions",
        "Move on to the consent round",
    ):
        _step(sam, label)
        expect(_flash(sam)).to_contain_text("Done:")

    owen = _person(make_context, "civic@porthaven.example", **off)
    owen.goto(proposal_url)
    _answer(owen, "I object")
    expect(owen.locator("#reason-error")).to_contain_text("Say what your objection is")
    _answer(owen, "I object", "Nobody has asked the hub's volunteers.")
    expect(owen.locator("#objections")).to_contain_text("Nobody has asked")

    sam.reload()
    _step(sam, "Record the decision")
    expect(_flash(sam)).to_contain_text("An objection is still open")
    _step(sam, "Work on the objections")
    expect(sam.locator("#integrating")).to_be_visible()

    jade.goto(proposal_url)
    jade.get_by_role("link", name="Amend the proposal").click()
    jade.get_by_label("The proposal", exact=True).fill(
        "The hub stays open until six, if its volunteers agree."
    )
    jade.get_by_role("button", name="Save the new version").click()
    expect(jade.locator("#change_note-error")).to_contain_text("Say what changed and why.")
    expect(jade.get_by_label("The proposal", exact=True)).to_have_value(
        "The hub stays open until six, if its volunteers agree."
    )
    jade.get_by_label("What changed and why").fill("We ask the volunteers first, as Owen said.")
    jade.get_by_role("button", name="Save the new version").click()
    expect(_flash(jade)).to_contain_text("Version 2 is saved.")

    owen.goto(proposal_url)
    owen.get_by_label("Version 2 meets it").check()
    owen.get_by_role("button", name="Save").click()
    expect(_flash(owen)).to_contain_text("The objection is resolved.")

    sam.goto(proposal_url)
    _step(sam, "Test the amended proposal for consent")
    for page in (jade, owen):
        page.goto(proposal_url)
        _answer(page, "I consent")
        expect(page.locator("#consent")).to_contain_text("You answered: I consent.")
    sam.goto(proposal_url)
    for name in ("Dot", "Kayleigh", "Helen"):
        sam.locator("#consent-form").get_by_label("Whose answer").select_option(label=name)
        _answer(sam, "I consent")
        expect(_flash(sam)).to_contain_text(f"{name}'s answer is in.")
    expect(sam.locator("#round-progress")).to_contain_text("5 of 6 have answered.")
    _step(sam, "Record the decision")
    expect(_flash(sam)).to_contain_text("Agreed")
    sam.get_by_role("link", name="Read the decision record").click()
    expect(sam.locator("main")).to_contain_text("Nobody has asked the hub's volunteers.")
    expect(sam.locator("main")).to_contain_text("Raised on version 1; met by version 2.")


# --- 3. live progress -----------------------------------------------------------------------


def test_the_facilitators_page_shows_answers_as_they_come_in(make_context):
    sam = _person(make_context, "facilitator@porthaven.example")
    sam.goto(LIST)
    sam.get_by_role("link", name="Evening sessions at the library").click()
    progress = sam.locator("#round-progress")
    expect(progress).to_contain_text("3 of 6 have answered.")
    sam.evaluate("() => { window.stillHere = true; }")

    owen = _person(make_context, "civic@porthaven.example")
    owen.goto(sam.url)
    # Answers are hidden until everyone has answered, and so is Fatima's objection.
    expect(owen.locator("#round-progress")).to_contain_text("Fatima: Answered")
    expect(owen.locator("#objections")).to_have_count(0)
    _answer(owen, "I consent")
    expect(owen.locator("#consent")).to_contain_text("You answered: I consent.")

    # Sam's page asks for the progress every 5 seconds: the count moves without a reload.
    expect(progress).to_contain_text("4 of 6 have answered.", timeout=12_000)
    expect(progress.locator("li", has_text="Owen")).to_contain_text("I consent")
    assert sam.evaluate("() => window.stillHere === true")

    # When Sam moves it on, Owen's page says so (and stops asking).
    owen.evaluate("() => { window.stillHere = true; }")
    _step(sam, "Work on the objections")
    expect(sam.locator("#integrating")).to_be_visible()
    expect(owen.locator("#round-progress")).to_contain_text(
        "The proposal has moved on: Working on objections.", timeout=12_000
    )
    assert owen.evaluate("() => window.stillHere === true")
    axe(owen, "a round that has moved on")
    owen.get_by_role("link", name="See where it is now").click()
    expect(owen.locator("#integrating")).to_be_visible()


# --- 4. a group decides too, in its own layout ----------------------------------------------


def test_a_group_makes_a_proposal_with_and_without_javascript(make_context):
    group = "/decide/northside-tenants-group/"
    for options in ({"viewport": PHONE}, {"viewport": PHONE, "java_script_enabled": False}):
        sam = _person(make_context, "facilitator@porthaven.example", **options)
        # axe runs in the page, so only where JavaScript is on; the pages are the same.
        check = _fits if options.get("java_script_enabled", True) else lambda page, where: None
        sam.goto("/spaces/northside-tenants-group")
        sam.get_by_role("link", name="Proposals and decisions").click()
        expect(sam).to_have_url(re.compile(f"{group}$"))
        check(sam, "a group's decisions")
        sam.get_by_role("link", name="Make a proposal").click()
        sam.get_by_label("What prompts it").fill("The bins are collected before we're up.")
        sam.get_by_label("Review it on").fill(REVIEW)
        sam.get_by_role("button", name="Save the proposal").click()
        expect(sam.locator("#title-error")).to_contain_text("Give the proposal a title.")
        expect(sam.get_by_label("What prompts it")).to_have_value(
            "The bins are collected before we're up."
        )
        check(sam, "a group's proposal form with a mistake")
        sam.get_by_label("Title").fill(f"Later bin collections {len(options)}")
        sam.get_by_label("The proposal", exact=True).fill("Ask for collections after nine.")
        sam.get_by_role("button", name="Save the proposal").click()
        expect(sam.get_by_role("heading", level=1)).to_have_text(
            f"Later bin collections {len(options)}"
        )
        expect(sam.get_by_role("link", name="Northside Tenants' Group")).to_be_visible()
        check(sam, "a group's proposal")
