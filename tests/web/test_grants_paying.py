"""Paying a grant: the Money tab (payments asked for, approved by other people, marked paid;
returns; releasing unpaid money; cancelling) and the fund's ledger page (corrections)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from participate.clock import local_today
from participate.extensions import db
from participate.grants import books, steps
from participate.grants.models import LedgerTransaction, Payment, PaymentApproval
from tests import factories as f


@pytest.fixture
def w(app):
    """A fund with two approvals above £500, an active grant of £2,000, and the people around
    it: the officer Priya, finance approvers Tom and Ana, Omar (site admin and finance approver),
    a panel member, a resident, and the officer of another fund."""
    org = f.organisation()
    officer, tom, ana = f.person("Priya"), f.person("Tom"), f.person("Ana")
    omar = f.person("Omar", admin=True)  # runs the site, and approves payments
    f.member(officer, org, "council_officer")
    f.member(tom, org, "finance_approver")
    f.member(ana, org, "finance_approver")
    f.member(omar, org, "finance_approver")
    fund = f.fund(1_000_000, organisation_=org, officer=officer, two_approvals_above=50_000)
    grant = f.application(fund, amount=200_000)
    steps.award(grant, 200_000, by=officer, decided_by="panel")
    steps.accept(grant, by=grant.applicant)
    panel = f.person("Gwen")
    f.member(panel, fund.space, "grant_panel_member")
    resident = f.person("Rhys")
    other_fund = f.fund(500_000)
    other_officer = db.session.get(type(officer), other_fund.created_by_id)
    db.session.commit()
    base = f"/funds/{fund.slug}/grants/{grant.number}"
    return SimpleNamespace(
        fund=fund,
        grant=grant,
        officer=officer,
        tom=tom,
        ana=ana,
        omar=omar,
        panel=panel,
        resident=resident,
        grantee=grant.applicant,
        other_officer=other_officer,
        base=base,
        money=f"{base}/money",
        ledger=f"/funds/{fund.slug}/ledger",
    )


def _payment(w, amount, *, by=None, approvers=(), paid=False):
    payment = steps.request_payment(w.grant, amount, by=by or w.officer)
    for approver in approvers:
        steps.approve_payment(payment, by=approver)
    if paid:
        steps.mark_paid(payment, by=approvers[0], paid_on=date(2026, 5, 1), reference="BACS 1")
    db.session.commit()
    return payment


def _verify(fund) -> list[str]:
    """The books' check, on what the requests wrote (not this session's older copies)."""
    db.session.expire_all()
    return books.verify(fund)


def _transactions() -> int:
    return db.session.scalar(select(func.count(LedgerTransaction.id)))


def test_the_money_tab_shows_where_the_money_stands(client, w):
    _payment(w, 30_000, approvers=[w.tom], paid=True)
    _payment(w, 10_000)
    f.as_person(client, w.officer)
    page = f.page_text(client.get(w.money))
    assert "Awarded" in page and "£2,000.00" in page
    assert "£1,700.00" in page  # still to pay
    assert "£100.00" in page  # asked for and waiting
    assert "Paid on" in page and "BACS 1" in page
    assert "Approved by Tom." in page
    assert "Waiting for approval" in page
    assert "Payment to the grantee" in page and "Grant awarded" in page
    assert "Ask for a payment" in page
    assert "Up to £1,600.00 of this grant is left to ask for." in page

    f.as_person(client, w.grantee)
    page = f.page_text(client.get(w.money))
    assert "Paid on" in page
    assert "Ask for a payment" not in page and "Cancel the grant" not in page
    assert "Mark as paid" not in page and "Correct this" not in page

    for outsider in (w.resident, w.other_officer, None):
        f.as_person(client, outsider)
        assert client.get(w.money).status_code == 404


def test_two_approvals_above_the_limit_from_two_other_people(client, w):
    f.as_person(client, w.officer)
    response = client.post(
        f"{w.money}/payments", data={"request-amount": "1,200", "request-note": "First half"}
    )
    assert response.status_code == 303
    payment = db.session.scalars(select(Payment)).one()
    assert (payment.amount, payment.approvals_needed) == (120_000, 2)
    page = f.page_text(client.get(w.money))
    assert "Needs 2 approvals from different finance approvers." in page
    assert "Someone else must approve this: you asked for it." in page
    assert "Approve £1,200.00" not in page

    approve = f"{w.money}/payments/{payment.id}/approve"
    response = client.post(approve)  # the requester, who may see it, is told why not
    assert response.status_code == 422
    assert "Someone else must approve this: you asked for it." in f.page_text(response)

    f.as_person(client, w.tom)
    assert "Approve £1,200.00" in f.page_text(client.get(w.money))
    assert client.post(approve).status_code == 303
    db.session.refresh(payment)
    assert payment.status == "requested"
    page = f.page_text(client.get(w.money))
    assert "1 of 2 approvals: Tom." in page
    assert "You have approved this. Another finance approver must approve it too." in page
    response = client.post(approve)
    assert response.status_code == 422
    assert len(db.session.scalars(select(PaymentApproval)).all()) == 1

    f.as_person(client, w.ana)
    assert client.post(approve).status_code == 303
    db.session.refresh(payment)
    assert payment.status == "approved"
    assert "Approved by Tom, Ana." in f.page_text(client.get(w.money))

    response = client.post(
        f"{w.money}/payments/{payment.id}/paid",
        data={f"p{payment.id}-paid_on": "2026-01-05", f"p{payment.id}-reference": "BACS 77"},
    )
    assert response.status_code == 303
    db.session.refresh(payment)
    assert (payment.status, payment.paid_reference) == ("paid", "BACS 77")
    assert books.grant_money(w.grant).paid == 120_000
    assert _verify(w.fund) == []


def test_a_finance_approver_who_asked_can_never_approve(client, w):
    f.as_person(client, w.omar)
    assert client.post(f"{w.money}/payments", data={"request-amount": "100"}).status_code == 303
    payment = db.session.scalars(select(Payment)).one()
    assert payment.approvals_needed == 1
    page = f.page_text(client.get(w.money))
    assert "Someone else must approve this: you asked for it." in page
    assert "Approve £100.00" not in page
    response = client.post(f"{w.money}/payments/{payment.id}/approve")
    assert response.status_code == 422
    response = client.post(
        f"{w.money}/payments/{payment.id}/refuse", data={f"r{payment.id}-reason": "mine"}
    )
    assert response.status_code == 422
    db.session.refresh(payment)
    assert (payment.status, payment.approvals) == ("requested", [])

    f.as_person(client, w.tom)
    assert client.post(f"{w.money}/payments/{payment.id}/approve").status_code == 303
    db.session.refresh(payment)
    assert payment.status == "approved"


def test_people_without_the_right_get_not_found_on_every_change(client, w):
    payment = _payment(w, 20_000)
    paid = _payment(w, 10_000, approvers=[w.tom], paid=True)
    tx = db.session.get(LedgerTransaction, paid.transaction_id)
    posts = {
        f"{w.money}/payments": {"request-amount": "10"},
        f"{w.money}/payments/{payment.id}/approve": {},
        f"{w.money}/payments/{payment.id}/refuse": {f"r{payment.id}-reason": "no"},
        f"{w.money}/payments/{payment.id}/withdraw": {},
        f"{w.money}/payments/{payment.id}/paid": {
            f"p{payment.id}-paid_on": "2026-01-05",
            f"p{payment.id}-reference": "X",
        },
        f"{w.money}/returns": {"return-amount": "10", "return-occurred_on": "2026-01-05"},
        f"{w.money}/release": {"release-reason": "not needed"},
        f"{w.base}/cancel": {"cancel-reason": "stop"},
        f"{w.ledger}/{tx.id}/correct": {f"t{tx.id}-reason": "wrong"},
    }
    before = _transactions()
    for who in (w.resident, w.grantee, w.panel, w.other_officer):
        f.as_person(client, who)
        for url, data in posts.items():
            assert client.post(url, data=data).status_code == 404, (who.chosen_name, url)
        assert client.get(w.ledger).status_code == 404
    # A finance approver does not ask for payments, release money or cancel a grant, and
    # does not withdraw someone else's request.
    f.as_person(client, w.tom)
    for url in (
        f"{w.money}/payments",
        f"{w.money}/release",
        f"{w.base}/cancel",
        f"{w.money}/payments/{payment.id}/withdraw",
    ):
        assert client.post(url, data=posts[url]).status_code == 404, url
    assert _transactions() == before
    db.session.refresh(payment)
    assert payment.status == "requested" and w.grant.status == "active"
    f.as_person(client, None)
    assert client.get(w.ledger).status_code == 404


def test_asking_for_more_than_is_left_keeps_what_was_typed(client, w):
    _payment(w, 150_000)
    f.as_person(client, w.officer)
    response = client.post(
        f"{w.money}/payments", data={"request-amount": "600", "request-note": "Second"}
    )
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Only £500.00 of this grant is left to ask for." in page
    assert 'value="600"' in page and "Second" in page
    response = client.post(f"{w.money}/payments", data={"request-amount": "lots"})
    assert response.status_code == 422
    assert "Write an amount of money, like 250 or 250.50." in f.page_text(response)
    assert 'value="lots"' in f.page_text(response)
    response = client.post(f"{w.money}/payments", data={"request-amount": ""})
    assert "Give the amount to pay, more than nothing." in f.page_text(response)
    assert db.session.scalar(select(func.count(Payment.id))) == 1


def test_marking_paid_needs_a_date_and_a_reference(client, w):
    payment = _payment(w, 10_000, approvers=[w.tom])
    url = f"{w.money}/payments/{payment.id}/paid"
    prefix = f"p{payment.id}-"
    f.as_person(client, w.tom)
    page = f.page_text(client.get(w.money))
    assert f'value="{local_today().isoformat()}"' in page  # today, unless changed
    response = client.post(url, data={f"{prefix}paid_on": "2026-01-05", f"{prefix}reference": ""})
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Give the payment reference." in page and 'value="2026-01-05"' in page
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(url, data={f"{prefix}paid_on": tomorrow, f"{prefix}reference": "B 1"})
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Give a date that is not in the future." in page and 'value="B 1"' in page
    response = client.post(url, data={f"{prefix}paid_on": "", f"{prefix}reference": "B 1"})
    assert "Give the date it was paid." in f.page_text(response)
    db.session.refresh(payment)
    assert payment.status == "approved" and payment.transaction_id is None

    # Someone who may not see the grant's money learns nothing; a requested payment is not paid.
    waiting = _payment(w, 5_000)
    response = client.post(
        f"{w.money}/payments/{waiting.id}/paid",
        data={f"p{waiting.id}-paid_on": "2026-01-05", f"p{waiting.id}-reference": "B 2"},
    )
    assert response.status_code == 422
    assert "Only an approved payment can be marked as paid." in f.page_text(response)


def test_refusing_needs_a_reason_and_the_requester_can_withdraw(client, w):
    first, second = _payment(w, 10_000), _payment(w, 20_000)
    f.as_person(client, w.tom)
    url = f"{w.money}/payments/{first.id}/refuse"
    response = client.post(url, data={f"r{first.id}-reason": ""})
    assert response.status_code == 422
    assert "Say why it is not approved." in f.page_text(response)
    assert client.post(url, data={f"r{first.id}-reason": "No receipt yet"}).status_code == 303
    page = f.page_text(client.get(w.money))
    assert "Not approved" in page and "No receipt yet" in page

    f.as_person(client, w.officer)
    assert client.post(f"{w.money}/payments/{second.id}/withdraw").status_code == 303
    db.session.refresh(second)
    assert second.status == "withdrawn"
    response = client.post(f"{w.money}/payments/{second.id}/withdraw")
    assert response.status_code == 422
    assert "This payment can no longer be withdrawn." in f.page_text(response)
    assert books.pending_payments(w.grant) == 0


def test_money_given_back_is_a_return_never_more_than_was_paid(client, w):
    payment = _payment(w, 50_000, approvers=[w.tom], paid=True)
    f.as_person(client, w.officer)
    page = f.page_text(client.get(w.money))
    assert "Money the group gave back" in page
    data = {
        "return-amount": "600",
        "return-occurred_on": "2026-01-10",
        "return-reference": "Cheque 9",
        "return-note": "Hall",
    }
    response = client.post(f"{w.money}/returns", data=data)
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Only £500.00 can be returned." in page and "Cheque 9" in page
    response = client.post(f"{w.money}/returns", data={**data, "return-amount": "200"})
    assert response.status_code == 303
    tx = db.session.scalars(select(LedgerTransaction).order_by(LedgerTransaction.id.desc())).first()
    assert (tx.kind, tx.reference, tx.occurred_on) == ("return", "Cheque 9", date(2026, 1, 10))
    money = books.grant_money(w.grant)
    assert (money.paid, money.returned) == (30_000, 20_000)
    db.session.refresh(payment)
    assert payment.amount == 50_000 and payment.status == "paid"  # the payment stays as it was
    assert all(p.amount > 0 for p in db.session.scalars(select(Payment)))
    assert "Money returned" in f.page_text(client.get(w.money))


def test_releasing_money_not_needed(client, w):
    _payment(w, 50_000, approvers=[w.tom], paid=True)
    f.as_person(client, w.officer)
    response = client.post(f"{w.money}/release", data={"release-reason": ""})
    assert response.status_code == 422
    assert "Say why the money is not needed." in f.page_text(response)
    response = client.post(f"{w.money}/release", data={"release-reason": "The hall was free"})
    assert response.status_code == 303
    money = books.grant_money(w.grant)
    assert (money.unpaid, money.paid, money.returned) == (0, 50_000, 150_000)
    response = client.post(f"{w.money}/release", data={"release-reason": "again"})
    assert response.status_code == 422
    assert "Nothing is left unpaid to release." in f.page_text(response)
    assert _verify(w.fund) == []


def test_cancelling_needs_a_reason_withdraws_waiting_payments_and_releases_unpaid(client, w):
    _payment(w, 50_000, approvers=[w.tom], paid=True)
    waiting = _payment(w, 20_000)
    f.as_person(client, w.officer)
    page = f.page_text(client.get(w.money))
    assert "anything paid but not spent should come back" in page.lower()
    response = client.post(f"{w.base}/cancel", data={"cancel-reason": "  "})
    assert response.status_code == 422
    assert "Say why the grant is cancelled." in f.page_text(response)
    assert w.grant.status == "active"
    response = client.post(f"{w.base}/cancel", data={"cancel-reason": "The group has disbanded"})
    assert response.status_code == 303
    db.session.refresh(w.grant)
    db.session.refresh(waiting)
    assert w.grant.status == "cancelled"
    assert w.grant.cancelled_reason == "The group has disbanded"
    assert waiting.status == "withdrawn"
    money = books.grant_money(w.grant)
    assert (money.unpaid, money.paid, money.returned) == (0, 50_000, 150_000)
    page = f.page_text(client.get(w.money))
    assert "This grant was cancelled: The group has disbanded" in page
    assert "Money the group gave back" in page  # what was paid can still come back
    assert "Ask for a payment" not in page
    response = client.post(f"{w.money}/payments", data={"request-amount": "10"})
    assert response.status_code == 422
    assert "This grant is cancelled: nothing more is paid to it." in f.page_text(response)
    assert (
        client.post(
            f"{w.money}/returns", data={"return-amount": "100", "return-occurred_on": "2026-01-10"}
        ).status_code
        == 303
    )
    assert _verify(w.fund) == []


def test_the_ledger_page_names_accounts_and_corrects_by_reversal(client, w):
    payment = _payment(w, 10_000, approvers=[w.tom], paid=True)
    tx = db.session.get(LedgerTransaction, payment.transaction_id)
    ref = w.grant.reference
    f.as_person(client, w.tom)
    page = f.page_text(client.get(w.ledger))
    assert "The books balance: every transaction adds up to nothing" in page
    for words in ("Money in", "Available", f"Promised to {ref}", f"Paid to {ref}"):
        assert words in page
    assert "Correct this" in page

    url = f"{w.ledger}/{tx.id}/correct"
    response = client.post(url, data={f"t{tx.id}-reason": ""})
    assert response.status_code == 422
    assert "Say what was wrong." in f.page_text(response)
    response = client.post(url, data={f"t{tx.id}-reason": "Paid to the wrong account"})
    assert response.status_code == 303
    correction = db.session.scalar(
        select(LedgerTransaction).where(LedgerTransaction.reverses_id == tx.id)
    )
    assert correction.kind == "reversal" and correction.memo == "Paid to the wrong account"
    assert books.grant_money(w.grant).paid == 0
    assert _verify(w.fund) == []
    page = f.page_text(client.get(w.ledger))
    assert f"Corrected by #{correction.id}" in page and f"Corrects #{tx.id}" in page
    assert "ask for the payment again" in page
    assert "The books balance" in page
    f.as_person(client, w.officer)
    page = f.page_text(client.get(w.money))
    assert f"corrected in the ledger (transaction #{correction.id})" in page

    response = client.post(url, data={f"t{tx.id}-reason": "again"})
    assert response.status_code == 422
    assert "This transaction is already corrected." in f.page_text(response)
    response = client.post(
        f"{w.ledger}/{correction.id}/correct", data={f"t{correction.id}-reason": "undo"}
    )
    assert response.status_code == 422
    assert "A correction is not corrected again" in f.page_text(response)
    assert (
        client.post(f"{w.ledger}/999999/correct", data={"t999999-reason": "x"}).status_code == 404
    )


def test_a_correction_the_books_refuse_is_a_message(client, w):
    """Undoing the award after money was paid would leave the grant's promise below zero."""
    _payment(w, 10_000, approvers=[w.tom], paid=True)
    award = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.kind == "award"))
    before = _transactions()
    f.as_person(client, w.officer)
    response = client.post(
        f"{w.ledger}/{award.id}/correct", data={f"t{award.id}-reason": "Wrong amount"}
    )
    assert response.status_code == 422
    assert "This could not be done" in f.page_text(response)
    assert "Wrong amount" in f.page_text(response)
    assert _transactions() == before


def test_a_closed_grant_refuses_every_movement(client, w):
    _payment(w, 10_000, approvers=[w.tom], paid=True)
    paid_tx = db.session.scalar(
        select(LedgerTransaction).where(LedgerTransaction.kind == "payment")
    )
    w.grant.status = "closed"
    db.session.commit()
    before = _transactions()
    f.as_person(client, w.officer)
    page = f.page_text(client.get(w.money))
    assert "This grant is closed: no money moves for it any more." in page
    assert "Ask for a payment" not in page and "Money the group gave back" not in page
    for url, data in {
        f"{w.money}/payments": {"request-amount": "10"},
        f"{w.money}/returns": {"return-amount": "10", "return-occurred_on": "2026-01-05"},
        f"{w.money}/release": {"release-reason": "not needed"},
    }.items():
        response = client.post(url, data=data)
        assert response.status_code == 422, url
        assert "This grant is closed: no money moves for it any more." in f.page_text(response)
    response = client.post(
        f"{w.ledger}/{paid_tx.id}/correct", data={f"t{paid_tx.id}-reason": "late"}
    )
    assert response.status_code == 422
    assert "This grant is closed" in f.page_text(response)
    assert "Correct #" + str(paid_tx.id) not in f.page_text(client.get(w.ledger))
    response = client.post(f"{w.base}/cancel", data={"cancel-reason": "stop"})
    assert response.status_code == 422
    assert _transactions() == before


def test_with_htmx_a_bad_form_comes_back_alone_in_place(client, w):
    f.as_person(client, w.officer)
    response = client.post(
        f"{w.money}/payments", data={"request-amount": "0"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#money"
    page = f.page_text(response)
    assert "<html" not in page and 'id="money"' in page
    assert "Give the amount to pay, more than nothing." in page
    response = client.post(
        f"{w.money}/payments", data={"request-amount": "10"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"].startswith(w.money)
