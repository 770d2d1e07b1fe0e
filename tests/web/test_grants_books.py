"""The grants ledger in the database: balanced, append-only, derived balances, refusals."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from participate.extensions import db
from participate.grants import books, steps
from participate.grants.models import LedgerAccount, LedgerPosting, LedgerTransaction
from tests import factories as f


@pytest.fixture
def people(app):
    org = f.organisation()
    officer, finance, finance2 = f.person("Priya"), f.person("Tom"), f.person("Ana")
    f.member(officer, org, "council_officer")
    f.member(finance, org, "finance_approver")
    f.member(finance2, org, "finance_approver")
    fund = f.fund(1_000_000, organisation_=org, officer=officer, two_approvals_above=50_000)
    return fund, officer, finance, finance2


def _active(fund, officer, amount=200_000):
    grant = f.application(fund, amount=amount)
    steps.award(grant, amount, by=officer, decided_by="panel")
    steps.accept(grant, by=grant.applicant)
    return grant


def test_award_pay_return_and_release_keep_the_books(people):
    fund, officer, finance, finance2 = people
    grant = _active(fund, officer)
    payment = steps.request_payment(grant, 120_000, by=officer)
    assert payment.approvals_needed == 2
    steps.approve_payment(payment, by=finance)
    assert payment.status == "requested"
    steps.approve_payment(payment, by=finance2)
    assert payment.status == "approved"
    steps.mark_paid(payment, by=finance, paid_on=date(2026, 5, 1), reference="BACS 1")
    steps.record_return(grant, 20_000, by=officer, reference="Cheque 9")
    steps.release_unpaid(grant, by=officer, memo="Not needed")
    money = books.grant_money(grant)
    assert (money.unpaid, money.paid, money.returned) == (0, 100_000, 100_000)
    whole = books.fund_money(fund)
    assert (whole.total, whole.available, whole.paid, whole.returned) == (
        1_000_000, 800_000, 100_000, 100_000)
    assert books.verify(fund) == []


def test_the_requester_cannot_approve_and_no_one_overpays(people):
    fund, officer, finance, _ = people
    grant = _active(fund, officer)
    payment = steps.request_payment(grant, 10_000, by=officer)
    with pytest.raises(steps.StepRefused):
        steps.approve_payment(payment, by=officer)
    with pytest.raises(steps.StepRefused):
        steps.request_payment(grant, 190_001, by=officer)
    with pytest.raises(books.LedgerRefused):
        books.release(grant, 200_001, memo="too much", by=officer)


def test_a_reversal_points_at_what_it_corrects_once(people):
    fund, officer, finance, _ = people
    grant = _active(fund, officer)
    payment = steps.request_payment(grant, 10_000, by=officer)
    steps.approve_payment(payment, by=finance)
    steps.mark_paid(payment, by=finance, paid_on=date(2026, 5, 1), reference="typo")
    paid_tx = db.session.get(LedgerTransaction, payment.transaction_id)
    correction = books.reverse(paid_tx, memo="Wrong reference", by=finance)
    assert correction.reverses_id == paid_tx.id
    assert books.grant_money(grant).paid == 0
    with pytest.raises(books.LedgerRefused):
        books.reverse(paid_tx, memo="again", by=finance)
    assert books.verify(fund) == []


def test_the_database_refuses_to_change_a_posting(people):
    fund, officer, _, _ = people
    db.session.commit()
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE ledger_posting SET amount = amount + 1"))
    db.session.rollback()
    with pytest.raises(DBAPIError):
        db.session.execute(text("DELETE FROM ledger_transaction"))
    db.session.rollback()
    posting = db.session.scalars(db.select(LedgerPosting)).first()
    posting.amount += 1
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_verify_names_a_stored_balance_that_differs(people):
    fund, officer, _, _ = people
    account = db.session.scalar(
        db.select(LedgerAccount).where(LedgerAccount.fund_id == fund.id,
                                       LedgerAccount.code == "available"))
    account.balance += 5
    db.session.flush()
    problems = books.verify(fund)
    assert problems == [
        "Community Chest: account available: stored 1000005, postings give 1000000"
    ]


def test_a_closed_grant_accepts_no_movement(people):
    fund, officer, finance, _ = people
    grant = _active(fund, officer)
    grant.status = "closed"
    with pytest.raises(books.LedgerRefused):
        books.release(grant, 1, memo="late", by=officer)
