"""Payments and commitments in a real browser, with CSRF on: every page passes axe and fits
a 320 px phone for each kind of person who can reach it; a facilitator records payments and
expenses, a host's finance approver decides, the member sees her history and downloads her
statement; a commitment goes from added to delivered past a "this hasn't happened"; and the
same forms work with JavaScript off."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from participate.clock import local_today
from tests.browser.conftest import axe, sign_in, sign_out

BASE = "/commissions/porthaven-poverty-truth-commission"
PUBLIC = f"{BASE}/you-said-we-did"
UNPUBLISHED = "Offer paid work placements to two community commissioners"


def _email(who: str) -> str:
    return f"{who}@porthaven.example"


def _fits_and_passes_axe(page, path: str, who: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (who, path, response)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{path} as {who} scrolls sideways at 320px ({width}px wide)"
    axe(page, f"{path} as {who}")


def _choose(select, text: str) -> None:
    """Pick the option of ``select`` whose label contains ``text``."""
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


def _latest_records(live_server, n: int) -> list:
    """The ids of the ``n`` payments or expenses recorded last, oldest first."""
    from participate.commissions.models import Recompense
    from participate.extensions import db

    with live_server.app.app_context():
        ids = db.session.scalars(
            db.select(Recompense.id).order_by(Recompense.id.desc()).limit(n)
        ).all()
        db.session.remove()
    return list(reversed(ids))


def _day(live_server, days: int) -> str:
    """Today in the place's time zone, ``days`` on, as the date fields take it."""
    with live_server.app.app_context():
        return (local_today() + timedelta(days=days)).isoformat()


def _csrf(page) -> str:
    return page.locator("input[name$='csrf_token']").first.input_value()


# --- 1. every page, as everyone who can reach it, at 320 px ----------------------------------


def test_money_and_promise_pages_fit_a_phone_and_pass_axe(make_context):
    page = make_context(viewport={"width": 320, "height": 800}).new_page()

    _fits_and_passes_axe(page, PUBLIC, "nobody signed in")
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")

    sign_in(page, _email("facilitator"))
    _fits_and_passes_axe(page, f"{BASE}/commitments", "the facilitator")
    commitment_pages = [
        a.get_attribute("href") for a in page.locator("#commitment-list tbody th a").all()
    ]
    assert len(commitment_pages) == 4
    for href in commitment_pages:  # with the update, hand-over and answer forms
        _fits_and_passes_axe(page, href, "the facilitator")
    _fits_and_passes_axe(page, f"{BASE}/commitments?status=overdue", "the facilitator")
    _fits_and_passes_axe(page, f"{BASE}/commitments/new", "the facilitator")
    _fits_and_passes_axe(page, f"{BASE}/payments", "the facilitator")
    expect(page.locator("#involvement-form")).to_be_visible()
    expect(page.locator("#expense-form")).to_be_visible()
    expect(page.locator("#approvals")).to_have_count(0)
    jade = page.locator("#payment-records th a", has_text="Jade").first.get_attribute("href")
    _fits_and_passes_axe(page, jade, "the facilitator, looking at Jade's")
    sign_out(page)

    sign_in(page, _email("community"))
    _fits_and_passes_axe(page, f"{BASE}/commitments", "a community commissioner")
    for href in commitment_pages[:2]:  # with the "this hasn't happened" form
        _fits_and_passes_axe(page, href, "a community commissioner")
    _fits_and_passes_axe(page, f"{BASE}/payments/mine", "a community commissioner")
    _fits_and_passes_axe(page, f"{BASE}/payments/mine/statement", "a community commissioner")
    sign_out(page)

    sign_in(page, _email("civic"))  # Owen holds the schools forum promise
    _fits_and_passes_axe(page, f"{BASE}/commitments", "a civic commissioner")
    _fits_and_passes_axe(page, commitment_pages[0], "the civic commissioner holding it")
    sign_out(page)

    sign_in(page, _email("finance"))
    _fits_and_passes_axe(page, f"{BASE}/payments", "the finance approver")
    expect(page.locator("#approvals li.card")).to_have_count(3)
    expect(page.locator("#involvement-form")).to_have_count(0)


# --- 2. payments: recorded, decided, seen and downloaded -------------------------------------


def test_payments_are_recorded_decided_and_reach_the_member(page, live_server):
    sign_in(page, _email("facilitator"))
    page.goto(f"{BASE}/payments")

    # A payment for taking part: the member's choices each show what they come to.
    pay = page.locator("#involvement-form")
    for label in (
        "Cash or bank payment: £25.00",
        "Voucher: £25.00",
        "A reduced amount: £10.00",
        "No payment, thank you: £0.00",
    ):
        expect(pay.get_by_label(label, exact=True)).to_be_visible()
    pay.get_by_label("Who it is for").select_option(label="Jade")
    pay.get_by_label("Which session").select_option(label="Not a session: another activity")
    pay.get_by_label("Or the activity, if it wasn't a session").fill(
        "Speaking at the council's housing committee"
    )
    pay.get_by_label("Date of the activity").fill(_day(live_server, -3))
    pay.get_by_label("A reduced amount: £10.00").check()
    pay.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".flashes")).to_contain_text(
        "Recorded £10.00 for Jade (a reduced amount). It now waits for a finance approver."
    )

    # An expense: a bad amount comes back beside the field, with what was typed.
    expense = page.locator("#expense-form")
    expense.get_by_label("Who it is for").select_option(label="Jade")
    _choose(expense.get_by_label("Which session"), "What keeps us well")
    expense.get_by_label("Travel").check()
    expense.get_by_label("Amount in pounds").fill("four pounds eighty")
    expense.get_by_label("A note (optional)").fill("Bus there and back")
    with page.expect_response(lambda r: r.url.endswith("/payments/expenses")) as sent:
        expense.get_by_role("button", name="Record the expense").click()
    assert sent.value.status == 422
    expense = page.locator("#expense-form")
    expect(expense.locator(".error-summary")).to_be_focused()
    amount = expense.get_by_label("Amount in pounds")
    expect(page.locator("#expense-amount-error")).to_contain_text(
        "Enter the amount in pounds and pence, like 4.80."
    )
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_attribute("aria-describedby", re.compile(r"\bexpense-amount-error\b"))
    expect(amount).to_have_value("four pounds eighty")
    expect(expense.get_by_label("Travel")).to_be_checked()
    expect(expense.get_by_label("A note (optional)")).to_have_value("Bus there and back")
    axe(page, "the expense form with a problem")
    amount.fill("4.80")
    expense.get_by_role("button", name="Record the expense").click()
    expect(page.locator(".flashes")).to_contain_text(
        "Recorded £4.80 of expenses for Jade. It now waits for a finance approver."
    )
    records = page.locator("#payment-records tbody tr")
    expect(records.filter(has_text="Speaking at the council's housing committee")).to_contain_text(
        "Waiting for approval"
    )
    expect(records.filter(has_text="Bus there and back")).to_contain_text("£4.80")

    # The facilitator who recorded them can't approve them: no control, and a POST is a 404.
    expect(page.locator("#approvals")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Approve"))).to_have_count(0)
    payment_id, expense_id = _latest_records(live_server, 2)
    token = _csrf(page)
    for record_id in (payment_id, expense_id):
        response = page.request.post(
            f"{BASE}/payments/{record_id}/decision",
            form={f"d{record_id}-csrf_token": token, f"d{record_id}-decision": "approve"},
            max_redirects=0,
        )
        assert response.status == 404, response.status
    sign_out(page)

    # Tom, a finance approver of a host, approves one and turns the other down, with a reason.
    sign_in(page, _email("finance"))
    page.goto(f"{BASE}/payments")
    card = page.locator(f"#record-{payment_id}")
    expect(card).to_contain_text("£10.00 for Jade")
    expect(card).to_contain_text("Payment for taking part: A reduced amount")
    card.get_by_role("button", name="Approve £10.00").click()
    expect(page.locator(".flashes")).to_contain_text("Approved £10.00 for Jade.")
    expect(page.locator(f"#record-{payment_id}")).to_have_count(0)

    card = page.locator(f"#record-{expense_id}")
    expect(card).to_contain_text("Expense: Travel")
    card.get_by_role("button", name="Don't approve").click()
    card = page.locator(f"#record-{expense_id}")
    # Swapped in place: the message is beside the note, and focus goes to it, not lost.
    expect(card.locator(".error-summary")).to_be_focused()
    expect(page.locator(f"#d{expense_id}-note-error")).to_contain_text(
        "Say why, so the facilitator can put it right."
    )
    axe(page, "a decision with a problem")
    card.get_by_label("A note (needed if you don't approve it)").fill(
        "Please bring the bus ticket."
    )
    card.get_by_role("button", name="Don't approve").click()
    expect(page.locator(".flashes")).to_contain_text(
        "Not approved: £4.80 for Jade. The facilitators will see your note."
    )
    expect(page.locator(f"#record-{expense_id}")).to_have_count(0)
    sign_out(page)

    # Jade sees her own history, payments and expenses in separate tables.
    sign_in(page, _email("community"))
    page.goto(f"{BASE}/payments")
    expect(page).to_have_url(re.compile(r"/payments/mine$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your payments and expenses")
    payments = page.get_by_role("table", name="Payments for taking part, newest first")
    expenses = page.get_by_role("table", name="Expenses, newest first")
    new_payment = payments.locator("tbody tr").filter(
        has_text="Speaking at the council's housing committee"
    )
    expect(new_payment).to_contain_text("A reduced amount")
    expect(new_payment).to_contain_text("£10.00")
    expect(new_payment).to_contain_text("Approved")
    expect(payments.locator("tbody tr")).to_have_count(3)
    expect(payments).not_to_contain_text("Travel")
    new_expense = expenses.locator("tbody tr").filter(has_text="Bus there and back")
    expect(new_expense).to_contain_text("Travel")
    expect(new_expense).to_contain_text("£4.80")
    expect(new_expense).to_contain_text("Not approved")
    expect(new_expense).to_contain_text("Please bring the bus ticket.")
    expect(expenses.locator("tbody tr").filter(has_text="Childcare")).to_contain_text("£18.00")
    expect(expenses).not_to_contain_text("A reduced amount")

    with page.expect_download() as downloading:
        page.locator("main").get_by_role("link", name="Download it as a plain text file").click()
    download = downloading.value
    assert download.suggested_filename == "porthaven-poverty-truth-commission-Jade-statement.txt"
    text = open(download.path(), encoding="utf-8").read()
    assert text.startswith("Statement of payments and expenses")
    assert "Name: Jade" in text
    assert (
        "Expenses are repayments of costs Jade paid in order to take part, such as bus "
        "fares or childcare. They are not income or earnings."
    ) in text
    assert "Speaking at the council's housing committee. Paid as: A reduced amount. £10.00" in text
    assert "Total payments for taking part: £60.00" in text
    assert "Total expenses paid back: £18.00" in text
    assert "£4.80" not in text  # not approved, so not on the statement


# --- 3. a commitment, end to end -------------------------------------------------------------

PROMISE = "Open the jobcentre's upstairs room for the commission's drop-ins"


def test_a_commitment_from_promise_to_delivered_and_public(page, live_server):
    sign_in(page, _email("facilitator"))
    page.goto(f"{BASE}/commitments")
    page.get_by_role("link", name="Add a commitment").click()
    form = page.locator("#commitment-form")
    form.get_by_label("What was promised").fill(PROMISE)
    form.get_by_role("button", name="Add the commitment").click()
    form = page.locator("#commitment-form")
    expect(form.locator(".error-summary")).to_be_focused()
    expect(page.locator("#owner_role-error")).to_contain_text(
        "Enter the role that made the promise."
    )
    expect(form.get_by_label("What was promised")).to_have_value(PROMISE)
    form.get_by_label("The role that made the promise").fill("Manager, Porthaven Jobcentre")
    form.get_by_label("Who holds it now (optional)").select_option(label="Owen")
    form.get_by_label("Due date (optional)").fill(_day(live_server, 30))
    form.get_by_role("button", name="Add the commitment").click()
    expect(page.locator(".flashes")).to_contain_text("The commitment is added.")
    expect(page.get_by_role("heading", level=1)).to_have_text("A commitment")
    expect(page.locator(".lead")).to_have_text(PROMISE)
    expect(page.locator("#commitment-facts")).to_contain_text(
        "Only people in the commission see it."
    )
    commitment_url = page.url
    page.get_by_role("button", name="Show it on the public page (the commission agreed)").click()
    expect(page.locator(".flashes")).to_contain_text("It is on the public page now.")
    expect(page.get_by_role("button", name="Take it off the public page")).to_be_visible()
    sign_out(page)

    # Jade, a community commissioner, says it hasn't happened.
    sign_in(page, _email("community"))
    page.goto(commitment_url)
    page.get_by_label("What you've seen (optional)").fill(
        "Nobody at the jobcentre had heard of it."
    )
    page.get_by_role("button", name="Say this hasn't happened").click()
    expect(page.locator(".flashes")).to_contain_text(
        "Thank you. The facilitators will see this and answer you."
    )
    flags = page.locator("#flags")
    expect(flags).to_contain_text("You")
    expect(flags).to_contain_text("Nobody at the jobcentre had heard of it.")
    expect(flags).to_contain_text("Waiting for an answer from the facilitators.")
    sign_out(page)

    # The facilitator answers, then says it is delivered: first without evidence.
    sign_in(page, _email("facilitator"))
    page.goto(commitment_url)
    flags = page.locator("#flags")
    expect(flags).to_contain_text("Jade")
    flags.get_by_role("button", name="Send the answer").click()
    expect(page.locator("#flags .error-summary")).to_be_focused()
    expect(page.locator("#flags .field-error")).to_contain_text("Write an answer.")
    page.locator("#flags").get_by_label("Your answer").fill(
        "Owen is meeting the manager on Monday."
    )
    page.locator("#flags").get_by_role("button", name="Send the answer").click()
    expect(page.locator(".flashes")).to_contain_text("Your answer is saved.")
    expect(page.locator("#flags")).to_contain_text("Answer from Sam")
    expect(page.locator("#flags")).to_contain_text("Owen is meeting the manager on Monday.")

    update = page.locator("#commitment-update-form")
    update.get_by_label("Delivered", exact=True).check()
    update.get_by_role("button", name="Save the update").click()
    update = page.locator("#commitment-update-form")
    expect(update.locator(".error-summary")).to_be_focused()
    expect(page.locator("#update-evidence-error")).to_contain_text(
        "Say what shows it was delivered"
    )
    expect(update.get_by_label("Delivered", exact=True)).to_be_checked()
    axe(page, "the commitment update with a problem")
    update.get_by_label("Evidence").fill("Drop-ins every Tuesday in the upstairs room since May.")
    update.get_by_label("A note for the history (optional)").fill("Seen it ourselves.")
    update.get_by_role("button", name="Save the update").click()
    expect(page.locator(".flashes")).to_contain_text("The update is saved.")
    facts = page.locator("#commitment-facts")
    expect(facts).to_contain_text("Delivered")
    expect(facts).to_contain_text("Drop-ins every Tuesday in the upstairs room since May.")
    expect(page.locator("ol.history li").first).to_contain_text("Where it has got to: Delivered")
    sign_out(page)

    # In public: the promise, its evidence, no names; the unpublished one isn't there.
    page.goto(PUBLIC)
    card = page.locator(".public-commitments li.card", has_text=PROMISE)
    expect(card).to_contain_text("Manager, Porthaven Jobcentre")
    expect(card).to_contain_text("Delivered")
    expect(card).to_contain_text("Drop-ins every Tuesday in the upstairs room since May.")
    expect(card).to_contain_text(
        "Community commissioners have said once that this hadn't happened, and had an answer."
    )
    main = page.locator("main")
    expect(main).not_to_contain_text(UNPUBLISHED)
    expect(main).to_contain_text("Keep the warm space at the library open on Sundays")
    for name in ("Jade", "Owen", "Sam"):
        expect(main).not_to_contain_text(name)
    expect(page.locator(".tallies")).to_contain_text("Promised: 4")
    expect(page.locator(".tallies")).to_contain_text("Delivered: 2")


# --- 4. without JavaScript -------------------------------------------------------------------


def test_payments_and_commitment_updates_work_without_javascript(make_context, live_server):
    page = make_context(java_script_enabled=False).new_page()
    sign_in(page, _email("facilitator"))

    page.goto(f"{BASE}/payments")
    expense = page.locator("#expense-form")
    expense.get_by_label("Who it is for").select_option(label="Dot")
    _choose(expense.get_by_label("Which session"), "Getting to know each other")
    expense.get_by_label("Childcare").check()
    expense.get_by_label("Amount in pounds").fill("0")
    with page.expect_navigation():
        expense.get_by_role("button", name="Record the expense").click()
    # The whole page comes back (422) with the message by the field and nothing lost.
    expect(page.get_by_role("heading", level=1)).to_have_text("Payments")
    expense = page.locator("#expense-form")
    expect(expense.locator(".error-summary")).to_contain_text("Amount in pounds")
    expect(page.locator("#expense-amount-error")).to_contain_text("The amount can't be nothing.")
    expect(expense.get_by_label("Amount in pounds")).to_have_value("0")
    expect(expense.get_by_label("Childcare")).to_be_checked()
    expect(expense.get_by_label("Who it is for")).to_have_value(
        expense.locator("option", has_text="Dot").get_attribute("value")
    )
    expense.get_by_label("Amount in pounds").fill("£12.50")
    expense.get_by_role("button", name="Record the expense").click()
    expect(page).to_have_url(re.compile(r"/payments$"))
    expect(page.locator(".flashes")).to_contain_text("Recorded £12.50 of expenses for Dot.")

    pay = page.locator("#involvement-form")
    pay.get_by_label("Who it is for").select_option(label="Dot")
    _choose(pay.get_by_label("Which session"), "Getting to know each other")
    pay.get_by_label("Voucher: £25.00").check()
    pay.get_by_role("button", name="Record the payment").click()
    # Dot was already paid for that session: said beside the session, not paid twice.
    expect(page.locator("#pay-session_id-error")).to_contain_text(
        "They already have a payment for this session."
    )
    expect(page.locator("#involvement-form").get_by_label("Voucher: £25.00")).to_be_checked()

    # A commitment update, plain HTML.
    page.goto(f"{BASE}/commitments")
    page.get_by_role("link", name=re.compile("council tax arrears")).click()
    update = page.locator("#commitment-update-form")
    update.get_by_label("Not delivered", exact=True).check()
    update.get_by_role("button", name="Save the update").click()
    expect(page.locator("#update-note-error")).to_contain_text("Say why it wasn't delivered.")
    update = page.locator("#commitment-update-form")
    expect(update.get_by_label("Not delivered", exact=True)).to_be_checked()
    update.get_by_label("A note for the history (optional)").fill(
        "The new letters were put off until next year."
    )
    update.get_by_role("button", name="Save the update").click()
    expect(page.locator(".flashes")).to_contain_text("The update is saved.")
    expect(page.locator("#commitment-facts")).to_contain_text("Not delivered")
    sign_out(page)

    # The finance approver approves the expense, plain HTML.
    (expense_id,) = _latest_records(live_server, 1)
    sign_in(page, _email("finance"))
    page.goto(f"{BASE}/payments")
    page.locator(f"#record-{expense_id}").get_by_role("button", name="Approve £12.50").click()
    expect(page).to_have_url(re.compile(r"/payments$"))
    expect(page.locator(".flashes")).to_contain_text("Approved £12.50 for Dot.")
    expect(page.locator(f"#record-{expense_id}")).to_have_count(0)
