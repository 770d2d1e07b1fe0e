"""Paying a grant: the grant's Money tab (payments asked for, approved by someone else, marked
paid with a date and reference; money the group gave back; unpaid money released; cancelling)
and the fund's ledger page (every transaction with its postings, corrections by reversal,
and whether the books check out).

Who may try a step is asked of ``paying_rules.may_try`` (anyone else gets 404); whether the
step is open now is asked of ``grants.rules`` through ``paying_rules`` (a plain message and
422 when not). Every change goes through ``grants.steps`` or ``grants.books``.
"""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select

from participate.accounts.models import Person
from participate.extensions import db
from participate.grants import books, paying_rules, rules, steps
from participate.grants.forms.paying import (
    ActionForm,
    CancelForm,
    CorrectForm,
    MarkPaidForm,
    PaymentRequestForm,
    RefuseForm,
    ReleaseForm,
    ReturnForm,
)
from participate.grants.models import Fund, Grant, LedgerTransaction, Payment
from participate.grants.views import (
    add_problems,
    allow,
    bp,
    grant_form_errors,
    load_fund,
    load_grant,
    load_record,
    money_problems,
    render,
    render_form_errors,
    render_grant,
    today,
    viewer,
)
from participate.money import format_money
from participate.problems import refusal_text
from participate.text import N_
from participate.web.htmx import see_other

MONEY_TEMPLATE = "grants/money.html"
LEDGER_TEMPLATE = "grants/ledger.html"


def _people(ids) -> dict[int, Person]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}


def _refusal_text(error: Exception) -> str:
    return _("This could not be done: %(why)s.", why=refusal_text(error))


# --- the Money tab ---------------------------------------------------------------------------


def _with_anchor(url: str, anchor: str) -> str:
    """Back to a place on the page (``see_other`` drops it for htmx on the same page)."""
    return f"{url}#{anchor}" if anchor else url


def money_url(grant: Grant, anchor: str = "") -> str:
    return _with_anchor(url_for("grants.money", slug=grant.fund.slug, number=grant.number), anchor)


def _mark_paid_form(payment: Payment, formdata=None) -> MarkPaidForm:
    if formdata is None:
        return MarkPaidForm(formdata=None, prefix=f"p{payment.id}", data={"paid_on": today()})
    return MarkPaidForm(prefix=f"p{payment.id}")


def _money_context(grant: Grant, refused: str | None, forms: dict) -> dict:
    person = viewer()
    fund = grant.fund
    money = books.grant_money(grant)
    pending = books.pending_payments(grant)
    payments = db.session.scalars(
        select(Payment).where(Payment.grant_id == grant.id).order_by(Payment.id)
    ).all()
    transactions = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.grant_id == grant.id)
        .order_by(LedgerTransaction.id)
    ).all()
    corrected_by = {t.reverses_id: t.id for t in transactions if t.reverses_id}
    people = _people(
        [p.refused_by_id for p in payments]
        + [p.marked_paid_by_id for p in payments]
        + [grant.cancelled_by_id]
    )
    refuse_forms = forms.get("refuse_forms", {})
    paid_forms = forms.get("paid_forms", {})
    rows = []
    for p in payments:
        names = [a.person.chosen_name for a in p.approvals]
        rows.append(
            {
                "payment": p,
                "approvals": paying_rules.approvals_words(p.approvals_needed, names),
                "may_approve": person is not None and rules.can_approve(person, p, grant),
                "blocker": paying_rules.approve_blocker(person, p, grant),
                "may_refuse": person is not None and rules.can_refuse(person, p, grant),
                "may_withdraw": person is not None and rules.can_withdraw_payment(person, p),
                "may_mark_paid": person is not None
                and rules.can_mark_paid(person, p, grant)
                and rules.accepts_money(grant.status, "payment"),
                "refuse_form": refuse_forms.get(p.id)
                or RefuseForm(formdata=None, prefix=f"r{p.id}"),
                "paid_form": paid_forms.get(p.id) or _mark_paid_form(p),
                "refused_by": people.get(p.refused_by_id),
                "marked_paid_by": people.get(p.marked_paid_by_id),
                "corrected_by": corrected_by.get(p.transaction_id),
            }
        )
    can_request = person is not None and rules.can_request_payment(person, grant)
    return {
        "money": money,
        "pending": pending,
        "left_to_ask": max(money.unpaid - pending, 0),
        "rows": rows,
        "transactions": transactions,
        "corrected_by": corrected_by,
        "moved": {t.id: paying_rules.moved(p.amount for p in t.postings) for t in transactions},
        "refused": refused,
        "may_request": can_request and money.unpaid - pending > 0,
        "nothing_left_to_ask": can_request and money.unpaid - pending <= 0,
        "may_return": person is not None
        and rules.can_record_return(person, grant)
        and money.paid > 0,
        "may_release": paying_rules.can_release(person, grant, money.unpaid),
        "may_cancel": person is not None and rules.can_cancel(person, grant),
        "sees_ledger_link": rules.can_reverse(person, fund),
        "cancelled_by": people.get(grant.cancelled_by_id),
        "two_approvals_above": fund.two_approvals_above,
        "request_form": forms.get("request_form")
        or PaymentRequestForm(formdata=None, prefix="request"),
        "return_form": forms.get("return_form")
        or ReturnForm(formdata=None, prefix="return", data={"occurred_on": today()}),
        "release_form": forms.get("release_form") or ReleaseForm(formdata=None, prefix="release"),
        "cancel_form": forms.get("cancel_form") or CancelForm(formdata=None, prefix="cancel"),
        "action_form": ActionForm(formdata=None),
        "PAYMENT_STATUS_LABELS": rules.PAYMENT_STATUS_LABELS,
        "TRANSACTION_KINDS": rules.TRANSACTION_KINDS,
    }


def _money_page(grant: Grant, refused: str | None = None, **forms):
    if refused is not None or forms:
        return grant_form_errors(
            MONEY_TEMPLATE,
            grant,
            "money",
            "money_page",
            "money",
            **_money_context(grant, refused, forms),
        )
    return render_grant(MONEY_TEMPLATE, grant, "money", **_money_context(grant, None, {}))


@bp.get("/<slug>/grants/<int:number>/money")
def money(slug: str, number: int):
    grant = load_grant(slug, number)
    return _money_page(grant)


@bp.post("/<slug>/grants/<int:number>/money/payments")
@login_required
def money_request(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(paying_rules.may_try("request", person, grant))
    form = PaymentRequestForm(prefix="request")
    refused = paying_rules.request_refusal(grant)
    if refused:
        return _money_page(grant, _(refused), request_form=form)
    valid = form.validate_on_submit()
    if not form.amount.errors:
        money = books.grant_money(grant)
        problems = rules.payment_problems(
            form.amount.data, money.unpaid, books.pending_payments(grant)
        )
        valid = not add_problems(form, money_problems(problems, grant.fund.currency)) and valid
    if not valid:
        return _money_page(grant, request_form=form)
    try:
        payment = steps.request_payment(
            grant, form.amount.data, by=person, note=form.note.data or None
        )
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error), request_form=form)
    db.session.commit()
    amount = format_money(payment.amount, grant.fund.currency)
    if payment.approvals_needed > 1:
        flash(
            _(
                "You asked for %(amount)s. It needs %(count)s approvals from finance approvers "
                "other than you.",
                amount=amount,
                count=payment.approvals_needed,
            ),
            "success",
        )
    else:
        flash(
            _(
                "You asked for %(amount)s. It needs one approval from a finance approver other "
                "than you.",
                amount=amount,
            ),
            "success",
        )
    return see_other(money_url(grant, f"payment-{payment.id}"))


@bp.post("/<slug>/grants/<int:number>/money/payments/<int:payment_id>/approve")
@login_required
def money_approve(slug: str, number: int, payment_id: int):
    grant = load_grant(slug, number)
    payment = load_record(Payment, payment_id, grant)
    person = viewer()
    allow(paying_rules.may_try("approve", person, grant, payment))
    form = ActionForm()
    refused = paying_rules.approve_refusal(person, payment, grant)
    if refused:
        return _money_page(grant, _(refused))
    if not form.validate_on_submit():
        return _money_page(grant, _("This form had expired. Please send it again."))
    try:
        steps.approve_payment(payment, by=person)
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error))
    db.session.commit()
    if payment.status == "approved":
        flash(_("Approved. It can now be paid and marked as paid."), "success")
    else:
        flash(_("Your approval is saved. Another finance approver must approve it too."), "success")
    return see_other(money_url(grant, f"payment-{payment.id}"))


@bp.post("/<slug>/grants/<int:number>/money/payments/<int:payment_id>/refuse")
@login_required
def money_refuse(slug: str, number: int, payment_id: int):
    grant = load_grant(slug, number)
    payment = load_record(Payment, payment_id, grant)
    person = viewer()
    allow(paying_rules.may_try("refuse", person, grant, payment))
    form = RefuseForm(prefix=f"r{payment.id}")
    refused = paying_rules.refuse_refusal(person, payment, grant)
    if refused:
        return _money_page(grant, _(refused))
    if not form.validate_on_submit():
        return _money_page(grant, refuse_forms={payment.id: form})
    try:
        steps.refuse_payment(payment, by=person, reason=form.reason.data)
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error), refuse_forms={payment.id: form})
    db.session.commit()
    flash(_("Not approved. The person who asked can see your reason."), "success")
    return see_other(money_url(grant, f"payment-{payment.id}"))


@bp.post("/<slug>/grants/<int:number>/money/payments/<int:payment_id>/withdraw")
@login_required
def money_withdraw(slug: str, number: int, payment_id: int):
    grant = load_grant(slug, number)
    payment = load_record(Payment, payment_id, grant)
    person = viewer()
    allow(paying_rules.may_try("withdraw", person, grant, payment))
    form = ActionForm()
    refused = paying_rules.withdraw_refusal(person, payment)
    if refused:
        return _money_page(grant, _(refused))
    if not form.validate_on_submit():
        return _money_page(grant, _("This form had expired. Please send it again."))
    try:
        steps.withdraw_payment(payment, by=person)
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error))
    db.session.commit()
    flash(_("The payment request is withdrawn."), "success")
    return see_other(money_url(grant, f"payment-{payment.id}"))


@bp.post("/<slug>/grants/<int:number>/money/payments/<int:payment_id>/paid")
@login_required
def money_paid(slug: str, number: int, payment_id: int):
    grant = load_grant(slug, number)
    payment = load_record(Payment, payment_id, grant)
    person = viewer()
    allow(paying_rules.may_try("mark_paid", person, grant))
    form = _mark_paid_form(payment, formdata=True)
    refused = paying_rules.mark_paid_refusal(person, payment, grant)
    if refused:
        return _money_page(grant, _(refused), paid_forms={payment.id: form})
    valid = form.validate_on_submit()
    if not form.paid_on.errors:
        problems = paying_rules.day_problems(
            "paid_on", form.paid_on.data, today(), N_("Give the date it was paid.")
        )
        valid = not add_problems(form, problems) and valid
    if not valid:
        return _money_page(grant, paid_forms={payment.id: form})
    try:
        steps.mark_paid(
            payment, by=person, paid_on=form.paid_on.data, reference=form.reference.data
        )
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error), paid_forms={payment.id: form})
    db.session.commit()
    flash(_("Marked as paid. The payment is in the fund's ledger."), "success")
    return see_other(money_url(grant, f"payment-{payment.id}"))


@bp.post("/<slug>/grants/<int:number>/money/returns")
@login_required
def money_return(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(paying_rules.may_try("return", person, grant))
    form = ReturnForm(prefix="return")
    refused = paying_rules.return_refusal(grant)
    if refused:
        return _money_page(grant, _(refused), return_form=form)
    valid = form.validate_on_submit()
    problems = []
    if not form.amount.errors:
        problems += money_problems(
            rules.return_problems(form.amount.data, books.grant_money(grant).paid),
            grant.fund.currency,
        )
    if not form.occurred_on.errors:
        problems += paying_rules.day_problems(
            "occurred_on", form.occurred_on.data, today(), N_("Give the date the money came back.")
        )
    valid = not add_problems(form, problems) and valid
    if not valid:
        return _money_page(grant, return_form=form)
    try:
        steps.record_return(
            grant,
            form.amount.data,
            by=person,
            occurred_on=form.occurred_on.data,
            reference=form.reference.data or None,
            note=form.note.data or None,
        )
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error), return_form=form)
    db.session.commit()
    flash(
        _(
            "Recorded: %(amount)s given back.",
            amount=format_money(form.amount.data, grant.fund.currency),
        ),
        "success",
    )
    return see_other(money_url(grant, "transactions"))


@bp.post("/<slug>/grants/<int:number>/money/release")
@login_required
def money_release(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(paying_rules.may_try("release", person, grant))
    form = ReleaseForm(prefix="release")
    unpaid = books.grant_money(grant).unpaid
    refused = paying_rules.release_refusal(grant, unpaid)
    if refused:
        return _money_page(grant, _(refused), release_form=form)
    if not form.validate_on_submit():
        return _money_page(grant, release_form=form)
    try:
        steps.release_unpaid(grant, by=person, memo=form.reason.data)
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error), release_form=form)
    db.session.commit()
    flash(
        _(
            "%(amount)s that was not needed went back to the fund.",
            amount=format_money(unpaid, grant.fund.currency),
        ),
        "success",
    )
    return see_other(money_url(grant, "transactions"))


@bp.post("/<slug>/grants/<int:number>/cancel")
@login_required
def money_cancel(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(paying_rules.may_try("cancel", person, grant))
    form = CancelForm(prefix="cancel")
    refused = paying_rules.cancel_refusal(grant)
    if refused:
        return _money_page(grant, _(refused), cancel_form=form)
    if not form.validate_on_submit():
        return _money_page(grant, cancel_form=form)
    unpaid = books.grant_money(grant).unpaid
    try:
        steps.cancel(grant, by=person, reason=form.reason.data)
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _money_page(grant, _refusal_text(error), cancel_form=form)
    db.session.commit()
    flash(
        _(
            "The grant is cancelled. Payments waiting were withdrawn and %(amount)s not paid "
            "went back to the fund.",
            amount=format_money(unpaid, grant.fund.currency),
        ),
        "success",
    )
    return see_other(money_url(grant))


# --- the fund's ledger -----------------------------------------------------------------------


def _ledger_context(fund: Fund, refused: str | None, forms: dict) -> dict:
    count = db.session.scalar(
        select(func.count(LedgerTransaction.id)).where(LedgerTransaction.fund_id == fund.id)
    )
    transactions = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.fund_id == fund.id)
        .order_by(LedgerTransaction.id.desc())
        .limit(paying_rules.LEDGER_LIMIT)
    ).all()
    corrected_by = dict(
        db.session.execute(
            select(LedgerTransaction.reverses_id, LedgerTransaction.id).where(
                LedgerTransaction.fund_id == fund.id, LedgerTransaction.reverses_id.is_not(None)
            )
        ).all()
    )
    grants = {g.id: g for g in fund.grants}
    references = {g.id: g.reference for g in grants.values()}
    correct_forms = forms.get("correct_forms", {})
    statuses = {g.id: g.status for g in grants.values()}
    return {
        "fund_money": books.fund_money(fund),
        "problems": books.verify(fund),
        "count": count,
        "limit": paying_rules.LEDGER_LIMIT,
        "transactions": transactions,
        "corrected_by": corrected_by,
        "grants": grants,
        "who": _people(t.created_by_id for t in transactions),
        "accounts": {
            p.id: paying_rules.account_words(p.account.code, references)
            for t in transactions
            for p in t.postings
        },
        "moved": {t.id: paying_rules.moved(p.amount for p in t.postings) for t in transactions},
        "may_correct": {
            t.id: paying_rules.can_correct(t, set(corrected_by), statuses.get(t.grant_id))
            for t in transactions
        },
        "correct_forms": {
            t.id: correct_forms.get(t.id) or CorrectForm(formdata=None, prefix=f"t{t.id}")
            for t in transactions
        },
        "refused": refused,
        "TRANSACTION_KINDS": rules.TRANSACTION_KINDS,
    }


def _ledger_page(fund: Fund, refused: str | None = None, **forms):
    if refused is not None or forms:
        return render_form_errors(
            LEDGER_TEMPLATE,
            fund,
            "ledger_page",
            "ledger",
            tab="ledger",
            **_ledger_context(fund, refused, forms),
        )
    return render(LEDGER_TEMPLATE, fund, tab="ledger", **_ledger_context(fund, None, {}))


@bp.get("/<slug>/ledger")
def ledger(slug: str):
    fund = load_fund(slug)
    allow(rules.can_reverse(viewer(), fund))
    return _ledger_page(fund)


@bp.post("/<slug>/ledger/<int:transaction_id>/correct")
@login_required
def ledger_correct(slug: str, transaction_id: int):
    fund = load_fund(slug)
    person = viewer()
    allow(rules.can_reverse(person, fund))
    tx = db.session.get(LedgerTransaction, transaction_id)
    if tx is None or tx.fund_id != fund.id:
        abort(404)
    form = CorrectForm(prefix=f"t{tx.id}")
    already = db.session.scalar(
        select(LedgerTransaction.id).where(LedgerTransaction.reverses_id == tx.id)
    )
    grant = db.session.get(Grant, tx.grant_id) if tx.grant_id else None
    refused = paying_rules.correct_refusal(
        tx, {tx.id} if already else set(), grant.status if grant else None
    )
    if refused:
        return _ledger_page(fund, _(refused))
    if not form.validate_on_submit():
        return _ledger_page(fund, correct_forms={tx.id: form})
    try:
        correction = steps.correct(tx, memo=form.reason.data, by=person)
    except (steps.StepRefused, books.LedgerRefused) as error:
        db.session.rollback()
        return _ledger_page(fund, _refusal_text(error), correct_forms={tx.id: form})
    db.session.commit()
    flash(
        _("Corrected: transaction #%(new)s undoes #%(old)s.", new=correction.id, old=tx.id),
        "success",
    )
    return see_other(_with_anchor(url_for("grants.ledger", slug=fund.slug), f"tx-{correction.id}"))
