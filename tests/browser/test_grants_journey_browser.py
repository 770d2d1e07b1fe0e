"""A small grant from start to end in a real browser, on a fund nobody has touched before.

Each person has their own browser context:
1. Priya (a council officer) sets up the Harbour Community Fund (£20,000; payments above
   £1,000 need two approvals; moves between budget lines up to £200) and opens it.
2. From the fund's settings she follows the link to its members page and invites three panel
   members by email: Gwen and Jade (demo accounts, who join from the invitation link) and
   Owen, who has no account yet and makes one, with a password, from his invitation.
3. Rhys applies for the Harbour Lights Youth Club: £1,500 in two budget lines.
4. Jade declares an interest and steps out; Gwen and Owen declare none and say "fund it",
   which decides it; Priya awards the grant.
5. Rhys accepts the offer (with JavaScript off).
6. Priya asks for a payment of £1,200 (above £1,000: two approvals); she never sees a button
   to approve it. Tom (finance approver, JavaScript off) approves, Mei (a second finance
   approver) approves, and Tom marks it paid with a date and a reference.
7. Rhys sends a spend update and asks to move £120 between his lines; Priya says yes.
8. The group gives back £100 it did not spend, and the £300 never paid is released.
9. Closing: Priya starts it; Rhys sends the final report; Priya reviews it and records the
   closing conversation (with JavaScript off), drafts the letter and signs for the fund;
   Rhys (JavaScript off) signs for the group: the grant is closed.
10. The database agrees: closed, the books verify, paid + returned = awarded.

axe checks every new page met in a context with JavaScript on.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import axe, sign_in

PRIYA = "officer@porthaven.example"
TOM = "finance@porthaven.example"
MEI = "mei@porthaven.example"  # the grants demo's second finance approver
GWEN = "panel@porthaven.example"
JADE = "community@porthaven.example"
RHYS = "resident@porthaven.example"
OWEN = "owen@harbour.example"  # no account yet: he makes one from his invitation

FUND = "Harbour Community Fund"
SLUG = "harbour-community-fund"
GROUP = "Harbour Lights Youth Club"
TITLE = "Friday nights at Harbour Lights"
HALL, KIT = "Hall hire for Friday nights", "Sports kit and games"


def _flash(page, text: str) -> None:
    expect(page.locator(".flashes")).to_contain_text(text)


def _person(make_context, email: str, *, js: bool = True):
    page = make_context(java_script_enabled=js).new_page()
    sign_in(page, email)
    return page


def _invitation_path(app, email: str) -> str:
    """The link in the last invitation emailed to ``email`` (the test mail outbox)."""
    outbox = getattr(app.extensions["mailman"], "outbox", [])
    bodies = [m.body for m in outbox if email in m.to]
    assert bodies, f"no invitation was emailed to {email}"
    found = re.search(r"/invitations/[\w-]+", bodies[-1])
    assert found, bodies[-1]
    return found.group(0)


def _invite(priya, email: str) -> None:
    priya.get_by_role("link", name="Invite someone by email").click()
    form = priya.locator("#invite-form")
    form.get_by_label("Their email address").fill(email)
    form.get_by_label("Grant panel member").check()
    form.get_by_role("button", name="Send the invitation").click()
    _flash(priya, f"Invitation sent to {email}.")


def _declare_none_and_fund_it(page, grant: str, why: str) -> None:
    page.goto(grant)
    form = page.locator("#declare-form")
    form.get_by_label("I have no interest in this application").check()
    form.get_by_role("button", name="Save my declaration").click()
    expect(page.locator("#declared-none")).to_be_visible()
    view = page.locator("#view-form")
    view.get_by_label("Fund it", exact=True).check()
    view.get_by_label("Why? (optional)").fill(why)
    view.get_by_role("button", name="Give my view").click()
    _flash(page, "your view is saved")


def test_a_small_grant_from_a_new_fund_to_a_closed_grant(
    make_context, live_server, rhys_in_english
):
    from participate.clock import local_today

    app = live_server.app
    with app.app_context():
        today = local_today()
    fund_url = f"/funds/{SLUG}"

    # --- 1. Priya sets up the fund and opens it ----------------------------------------------
    priya = _person(make_context, PRIYA)
    priya.goto("/funds/")
    axe(priya, "the list of funds")
    priya.get_by_role("link", name="Set up a fund").click()
    expect(priya).to_have_url(re.compile(r"/funds/new\?organisation=porthaven-council$"))
    axe(priya, "the new fund form")
    form = priya.locator("#new-fund-form")
    form.get_by_label("Name of the fund").fill(FUND)
    form.get_by_label("What the fund is for").fill("Small grants for groups around the harbour.")
    form.get_by_label("Money in the fund").fill("20,000")
    form.get_by_label("The fund ends on").fill((today + timedelta(days=730)).isoformat())
    form.get_by_label("Payments above this need two approvals (optional)").fill("1,000")
    form.get_by_label("Small moves between budget lines, up to").fill("200")
    form.get_by_label("A panel, with community members").check()
    form.get_by_role("button", name="Set up the fund").click()
    expect(priya).to_have_url(re.compile(f"{fund_url}/settings$"))
    _flash(priya, "The fund is set up.")
    expect(priya.locator("#money")).to_contain_text("£20,000.00")
    axe(priya, "the new fund's settings")
    priya.get_by_role("button", name="Open the fund for applications").click()
    expect(priya).to_have_url(re.compile(f"{fund_url}$"))
    _flash(priya, "The fund is now: Open for applications.")
    expect(priya.locator("main .fund-money")).to_contain_text("£20,000.00")
    axe(priya, "the public page of the new fund")

    # --- 2. The panel: invited from the fund's members page, joining from the email ----------
    # The members page (spaces.show) cannot add an existing person directly, but Priya, who
    # facilitates the fund's space, can invite anyone by email with the role "Grant panel
    # member"; each person then joins from the link in their email. No database shortcut.
    priya.goto(f"{fund_url}/settings")
    priya.get_by_role("link", name="The fund's grant panel members").click()
    expect(priya.get_by_role("heading", level=1)).to_have_text(FUND)
    axe(priya, "the fund's members page")
    priya.get_by_role("link", name="Invite someone by email").click()
    axe(priya, "the invitation form")
    priya.go_back()
    for email in (GWEN, JADE, OWEN):
        _invite(priya, email)

    gwen = _person(make_context, GWEN)
    gwen.goto(_invitation_path(app, GWEN))
    expect(gwen.locator("main")).to_contain_text("as a Grant panel member")
    axe(gwen, "joining from an invitation")
    gwen.get_by_role("button", name="Join").click()
    _flash(gwen, f"You've joined {FUND}.")

    jade = _person(make_context, JADE)
    jade.goto(_invitation_path(app, JADE))
    jade.get_by_role("button", name="Join").click()
    _flash(jade, f"You've joined {FUND}.")

    owen = make_context().new_page()
    owen.goto(_invitation_path(app, OWEN))
    axe(owen, "joining from an invitation, with a new account")
    form = owen.locator("#invitation-form")
    form.get_by_label("Your name").fill("Owen")
    form.get_by_label("Password (optional)").fill("lighthouse-keeper-1987")
    form.get_by_role("button", name="Join").click()
    _flash(owen, f"Welcome, Owen. You've joined {FUND}.")

    priya.reload()
    people = priya.locator("ul.people")
    for name in ("Gwen", "Jade", "Owen"):
        expect(people.locator("li.person", has_text=name)).to_contain_text("Grant panel member")

    # --- 3. Rhys applies for the youth club -------------------------------------------------
    rhys = _person(make_context, RHYS)
    rhys.goto(fund_url)
    rhys.get_by_role("link", name="Apply for a grant").click()
    expect(rhys.locator("#apply-form")).to_be_visible()  # no micro-grants: the full form
    axe(rhys, "the application form")
    rhys.get_by_label("What is the money for? Give it a short name", exact=True).fill(TITLE)
    rhys.get_by_label("What would you do with the money?", exact=True).fill(
        "Open the youth club on Friday nights for a year, with games and sport."
    )
    rhys.get_by_label("Who does it help?", exact=True).fill("Young people aged 11 to 16")
    rhys.get_by_label("Where? A ward, a street or a place", exact=True).fill("Harbour ward")
    rhys.get_by_label("How much are you asking for?", exact=True).fill("1,500")
    rhys.get_by_label("Line 1: what it pays for", exact=True).fill(HALL)
    rhys.get_by_label("Line 1: amount", exact=True).fill("900")
    rhys.get_by_label("Line 2: what it pays for", exact=True).fill(KIT)
    rhys.get_by_label("Line 2: amount", exact=True).fill("600")
    rhys.get_by_role("radio", name=re.compile("^A group or charity with its own bank")).check()
    rhys.get_by_label("The group's name, or your own name if the money is for you").fill(GROUP)
    rhys.get_by_role("button", name="Send my application").click()
    _flash(rhys, "Thank you. Your application is in")
    expect(rhys.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(rhys).to_have_url(re.compile(f"{fund_url}/grants/\\d+$"))
    grant = re.sub(r"^https?://[^/]+", "", rhys.url)
    expect(rhys.get_by_role("cell", name=KIT)).to_be_visible()
    axe(rhys, "the application, as sent")

    # --- 4. The panel decides, one member stepping out; Priya awards -------------------------
    jade.goto(grant)
    axe(jade, "an application, for a panel member")
    form = jade.locator("#declare-form")
    form.get_by_label("I have an interest in this application").check()
    jade.get_by_label("What is your interest? (needed if you have one)").fill(
        "I volunteer at the Harbour Lights Youth Club."
    )
    form.get_by_role("button", name="Save my declaration").click()
    expect(jade.locator("#stepped-out")).to_have_text(
        "You declared an interest, so you are stepping out of deciding this one."
    )
    expect(jade.locator("#view-form")).to_have_count(0)
    axe(jade, "an application she stepped out of")

    _declare_none_and_fund_it(gwen, grant, "Young people asked for this at the ward forum.")
    expect(gwen.locator("#panel-count")).to_contain_text("1 of 2 members have given a view.")
    expect(gwen.locator("#panel-count")).to_contain_text("1 member stepped out")
    expect(gwen.locator("#decision")).not_to_contain_text("The panel agreed to fund it.")
    axe(gwen, "an application with her view")
    gwen.goto(f"{fund_url}/register")
    expect(gwen.locator("main")).to_contain_text("I volunteer at the Harbour Lights Youth Club.")
    axe(gwen, "the register of declarations")

    _declare_none_and_fund_it(owen, grant, "A clear plan, and good value.")
    expect(owen.locator("#decision")).to_contain_text("The panel agreed to fund it.")

    priya.goto(grant)
    decision = priya.locator("#decision")
    expect(decision).to_contain_text("2 of 2 members have given a view.")
    expect(priya.locator("#panel-views")).to_contain_text("Jade: declared an interest")
    award = priya.locator("#award-form")
    expect(award.get_by_label("Amount to award")).to_have_value("1500.00")
    axe(priya, "an application the panel agreed to fund")
    award.get_by_label("Conditions of the offer (optional)").fill(
        "Tell us each term how many young people came."
    )
    award.get_by_role("button", name="Award the grant").click()
    _flash(priya, "The grant is awarded.")
    expect(priya.locator(".lead")).to_contain_text("£1,500.00 awarded")

    # --- 5. Rhys accepts the offer, with JavaScript off --------------------------------------
    rhys_plain = _person(make_context, RHYS, js=False)
    rhys_plain.goto(grant)
    expect(rhys_plain.get_by_role("heading", name="The offer")).to_be_visible()
    expect(rhys_plain.locator("#offer")).to_contain_text("Tell us each term")
    rhys_plain.get_by_label("I have read the offer and agree to it").check()
    rhys_plain.get_by_role("button", name="Accept the offer").click()
    _flash(rhys_plain, "you have accepted the offer")
    expect(rhys_plain.locator(".lead")).to_contain_text("Active")

    # --- 6. A payment asked for by Priya, approved by Tom and Mei, paid ----------------------
    money = f"{grant}/money"
    approve = re.compile("^Approve")
    priya.goto(money)
    axe(priya, "the Money tab")
    form = priya.locator("#request-form")
    form.get_by_label("Amount to pay").fill("1,200")
    form.get_by_label("What this payment is for (optional)").fill("Hall hire and the kit")
    form.get_by_role("button", name="Ask for this payment").click()
    _flash(priya, "It needs 2 approvals")
    card = priya.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("Someone else must approve this: you asked for it.")
    expect(priya.get_by_role("button", name=approve)).to_have_count(0)
    axe(priya, "the Money tab with a payment waiting")

    tom = _person(make_context, TOM, js=False)
    tom.goto(money)
    tom.locator(".card", has_text="Payment of £1,200.00").get_by_role(
        "button", name="Approve £1,200.00"
    ).click()
    _flash(tom, "Another finance approver must approve it too.")
    expect(tom.locator(".card", has_text="Payment of £1,200.00")).to_contain_text(
        "1 of 2 approvals: Tom."
    )

    priya.reload()
    expect(priya.locator(".card", has_text="Payment of £1,200.00")).to_contain_text(
        "1 of 2 approvals: Tom."
    )
    expect(priya.get_by_role("button", name=approve)).to_have_count(0)

    mei = _person(make_context, MEI)
    mei.goto(money)
    axe(mei, "the Money tab, for a second finance approver")
    mei.get_by_role("button", name="Approve £1,200.00").click()
    _flash(mei, "Approved. It can now be paid")

    tom.goto(money)
    card = tom.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("Approved by Tom, Mei.")
    card.get_by_label("Date paid").fill(today.isoformat())
    card.get_by_label("Payment reference").fill("BACS HL-0001")
    card.get_by_role("button", name="Mark as paid").click()
    _flash(tom, "Marked as paid.")
    card = tom.locator(".card", has_text="Payment of £1,200.00")
    expect(card).to_contain_text("BACS HL-0001")
    expect(card).to_contain_text("Marked as paid by")

    priya.reload()
    expect(priya.locator(".card", has_text="Payment of £1,200.00")).to_contain_text("Paid")
    expect(priya.get_by_role("button", name=approve)).to_have_count(0)

    # --- 7. A spend update and a small move between lines ------------------------------------
    updates = f"{grant}/updates"
    rhys.goto(updates)
    expect(rhys.locator("#reallocation-limit")).to_contain_text("You can move up to £200.00")
    axe(rhys, "the Updates tab, for the grantee")
    rhys.get_by_label("How much have you spent since your last update?").fill("1,050")
    rhys.get_by_label("What was it for?").fill("Hall hire to March, footballs and a table")
    rhys.get_by_role("button", name="Send the update").click()
    expect(rhys.locator("#spend-summary")).to_contain_text("£1,050.00 of the £1,200.00 paid")
    form = rhys.locator("#reallocation-form")
    form.get_by_label("Move money from").select_option(label=f"{HALL} (£900.00 now)")
    form.get_by_label("Move it to").select_option(label=f"{KIT} (£600.00 now)")
    form.get_by_label("How much", exact=True).fill("120")
    form.get_by_label("Why").fill("The hall gave us a discount; we need more kit.")
    form.get_by_role("button", name="Ask to move it").click()
    expect(rhys.locator("#reallocation-list")).to_contain_text("Waiting for a yes or no")

    priya.goto(updates)
    axe(priya, "the Updates tab, for the officer")
    item = priya.locator("#reallocation-list li").first
    item.get_by_label("Yes, move it").check()
    item.get_by_role("button", name="Save the decision").click()
    expect(priya.locator("#reallocation-list")).to_contain_text("Moved")
    rows = priya.locator("#reallocations tbody tr")
    expect(rows.nth(0)).to_contain_text("£780.00")
    expect(rows.nth(1)).to_contain_text("£720.00")

    # --- 8. Unspent money given back, and what was never paid released ------------------------
    priya.goto(money)
    form = priya.locator("#return-form")
    form.get_by_label("Amount given back").fill("100")
    form.get_by_label("Payment reference (optional)").fill("Refund HL-2")
    form.get_by_label("Note (optional)").fill("The kit cost less than planned.")
    form.get_by_role("button", name="Record the money given back").click()
    _flash(priya, "Recorded: £100.00 given back.")
    form = priya.locator("#release-form")
    form.get_by_label("Why the money is not needed").fill("The club needs only £1,200 paid.")
    form.get_by_role("button", name="Release £300.00").click()
    _flash(priya, "£300.00 that was not needed went back to the fund.")
    facts = priya.locator("#money > dl.facts")
    expect(facts).to_contain_text(re.compile(r"Still to pay\s*£0\.00"))
    expect(facts).to_contain_text(re.compile(r"Given back or not needed\s*£400\.00"))
    expect(priya.locator("#transactions")).to_contain_text("Money returned")
    expect(priya.locator("#transactions")).to_contain_text("Unpaid money released")
    axe(priya, "the Money tab with money given back")

    # --- 9. Closing, to both signatures ------------------------------------------------------
    closing = f"{grant}/closing"
    priya.goto(closing)
    axe(priya, "the Closing tab, before closing starts")
    priya.get_by_role("button", name="Start closing this grant").click()
    _flash(priya, "Closing has started.")
    expect(priya.locator("#checklist")).to_contain_text("Final report received: to do")

    # The report and the review go with htmx (each answer loads the page anew, at the top);
    # the conversation goes with JavaScript off.
    rhys.goto(closing)
    expect(rhys.locator("#report-form")).to_be_visible()
    axe(rhys, "the Closing tab, for the grantee")
    form = rhys.locator("#report-form")
    form.get_by_label("Answers to the report questions").check()
    form.get_by_label("What happened?").fill("The club opened 40 Friday nights; 35 came.")
    form.get_by_label("What changed?").fill("Young people have somewhere to go on Fridays.")
    form.get_by_role("button", name="Send the final report").click()
    _flash(rhys, "The final report is sent.")
    expect(rhys.locator("#report-text")).to_contain_text("40 Friday nights")

    priya.goto(closing)
    expect(priya.locator("#review-form")).to_be_visible()
    axe(priya, "the Closing tab with the final report in")
    priya.locator("#review-form").get_by_label("What did you make of the report?").fill(
        "A clear report: the money went where it was planned."
    )
    priya.locator("#review-form").get_by_role("button", name="Save the review").click()
    _flash(priya, "The review is saved.")
    expect(priya.locator("#checklist")).to_contain_text("Final report reviewed: done")
    priya_plain = _person(make_context, PRIYA, js=False)
    priya_plain.goto(closing)
    conversation = priya_plain.locator("#conversation-form")
    conversation.get_by_label("When did you talk?").fill(today.isoformat())
    conversation.get_by_label("Notes of the meeting or call").fill("A visit on a Friday night.")
    conversation.get_by_role("button", name="Record the conversation").click()
    _flash(priya_plain, "The closing conversation is recorded.")
    priya.goto(closing)
    priya.get_by_role("button", name="Draft the letter from the template").click()
    _flash(priya, "The letter is drafted.")
    expect(priya.locator("#checklist")).not_to_contain_text("to do")
    axe(priya, "the Closing tab with the letter drafted")
    priya.get_by_role("button", name="Sign for the fund").click()
    _flash(priya, "waits for the other side")

    rhys_plain.goto(closing)
    rhys_plain.get_by_role("button", name=f"Sign for {GROUP}").click()
    _flash(rhys_plain, "Both sides have signed.")
    expect(rhys_plain.locator("#closed")).to_contain_text("This grant is closed.")
    expect(rhys_plain.locator(".lead")).to_contain_text("Closed")

    priya.goto(closing)
    priya.get_by_role("link", name="The letter as a page to print").click()
    expect(priya.locator("main")).to_contain_text("Both sides have signed: the grant is closed.")
    axe(priya, "the signed closure letter")
    visitor = make_context().new_page()
    visitor.goto(fund_url)
    closed = visitor.locator("section", has=visitor.get_by_role("heading", name="Closed grants"))
    expect(closed).to_contain_text(TITLE)
    axe(visitor, "the public fund page with a closed grant")

    # --- 10. The books agree ---------------------------------------------------------------
    from sqlalchemy import select

    from participate.extensions import db
    from participate.grants import books
    from participate.grants.models import Fund, Grant

    with app.app_context():
        fund = db.session.scalar(select(Fund).where(Fund.name == FUND))
        closed_grant = db.session.scalar(select(Grant).where(Grant.fund_id == fund.id))
        assert closed_grant.status == "closed"
        assert closed_grant.recipient_name == GROUP
        assert books.verify(fund) == []
        money_now = books.grant_money(closed_grant)
        assert money_now.awarded == closed_grant.amount_awarded == 150_000
        assert (money_now.unpaid, money_now.paid, money_now.returned) == (0, 110_000, 40_000)
        assert money_now.paid + money_now.returned == money_now.awarded
        db.session.remove()
