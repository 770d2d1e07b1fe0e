"""The things that happen to a fund and its grants, each one step: it asks ``rules`` whether
the step is allowed, moves money only through ``books``, and writes an audit entry. Pages,
the demo and the property tests all go through here, so they cannot disagree.

A step that is not allowed raises ``StepRefused`` and changes nothing; the caller commits.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from participate.accounts.models import Membership, Organisation, Space
from participate.audit import record
from participate.columns import utcnow
from participate.extensions import db
from participate.grants import books, rules
from participate.grants.models import (
    BudgetLine,
    Closure,
    Declaration,
    Fund,
    Grant,
    PanelView,
    Payment,
    PaymentApproval,
)
from participate.notices import news
from participate.problems import Refusal
from participate.slugs import slugify
from participate.text import N_


class StepRefused(Refusal):
    """A step the rules do not allow now (``why`` marked with N_, shown translated)."""


def _require(allowed: bool, why: str, **params: object) -> None:
    if not allowed:
        raise StepRefused(why, **params)


# --- the fund --------------------------------------------------------------------------------


def create_fund(
    organisation: Organisation,
    name: str,
    *,
    ends_on: date,
    by,
    total: int = 0,
    visibility: str = "public",
    **settings,
) -> Fund:
    """A fund with its own space (for its panel) and, when ``total`` is given, the money put
    into it. The person who sets it up facilitates its panel's space."""
    space = Space(
        slug=slugify(name, Space),
        name=name,
        kind="grant_round",
        organisation=organisation,
        visibility=visibility,
    )
    db.session.add(space)
    db.session.flush()
    fund = Fund(
        space_id=space.id, name=name, ends_on=ends_on, total=0, created_by_id=by.id, **settings
    )
    db.session.add(fund)
    db.session.flush()
    db.session.add(Membership(person_id=by.id, space_id=space.id, role="facilitator"))
    db.session.flush()
    db.session.refresh(by)
    if total:
        add_money(fund, total, by=by, memo=f"Money for {name}")
    record("grants.fund_created", f"Set up the fund {name}", fund, space=space, actor=by)
    return fund


def add_money(fund: Fund, amount: int, *, by, memo: str, reference: str | None = None):
    _require(amount > 0, N_("add more than nothing"))
    tx = books.fund_in(fund, amount, memo=memo, by=by, reference=reference)
    fund.total += amount
    record(
        "grants.money_in",
        f"{amount} into {fund.name}",
        fund,
        space=fund.space,
        actor=by,
        detail={"transaction": tx.id, "amount": amount},
    )
    return tx


def change_fund(fund: Fund, values: dict, *, by) -> list[str]:
    """Change a fund's settings (``values``: Fund columns); returns the names that changed.
    The total is not a setting: money comes in through ``add_money``."""
    _require(rules.manages(by, fund), N_("only the people who run a fund change it"))
    _require("total" not in values, N_("money comes into a fund through add_money"))
    changed = [name for name, value in values.items() if getattr(fund, name) != value]
    for name in changed:
        setattr(fund, name, values[name])
    if "name" in changed:
        fund.space.name = fund.name
    if changed:
        record(
            "grants.fund_changed",
            f"Changed the settings of {fund.name}",
            fund,
            space=fund.space,
            actor=by,
            detail={"changed": changed},
        )
    return changed


def move_fund(fund: Fund, to: str, *, by) -> Fund:
    """Open, pause, reopen or close a fund (``fund_rules.move_problems`` says why not)."""
    from participate.grants import fund_rules

    _require(rules.manages(by, fund), N_("only the people who run a fund move it"))
    _require(
        fund_rules.can_move_fund(fund.status, to),
        N_("a %(status)s fund cannot be %(to)s"),
        status=fund.status,
        to=to,
    )
    before, fund.status = fund.status, to
    record(
        "grants.fund_moved",
        f"Moved {fund.name} from {before} to {to}",
        fund,
        space=fund.space,
        actor=by,
        visibility="public" if to != "draft" else "private",
        detail={"from": before, "to": to},
    )
    return fund


# --- applying and deciding -------------------------------------------------------------------


def apply(fund: Fund, applicant, *, lines: list[tuple[str, int]] = (), **fields) -> Grant:
    """An application: ``fields`` are Grant columns (title, what, amount_requested...)."""
    number = (
        db.session.scalar(select(func.max(Grant.number)).where(Grant.fund_id == fund.id)) or 0
    ) + 1
    grant = Grant(
        fund_id=fund.id, number=number, applicant_id=applicant.id, status="applied", **fields
    )
    grant.micro = rules.is_micro(fund, grant.amount_requested)
    db.session.add(grant)
    db.session.flush()
    for position, (label, amount) in enumerate(lines, start=1):
        db.session.add(BudgetLine(grant_id=grant.id, position=position, label=label, amount=amount))
    db.session.flush()
    record(
        "grants.applied",
        f"Applied to {fund.name}: {grant.title}",
        grant,
        space=fund.space,
        actor=applicant,
    )
    return grant


def declarations(grant: Grant) -> list[Declaration]:
    return db.session.scalars(
        select(Declaration).where(Declaration.grant_id == grant.id).order_by(Declaration.id)
    ).all()


def views(grant: Grant) -> list[PanelView]:
    return db.session.scalars(
        select(PanelView).where(PanelView.grant_id == grant.id).order_by(PanelView.id)
    ).all()


def panel_ids(fund: Fund) -> list[int]:
    return db.session.scalars(
        select(Membership.person_id).where(
            Membership.space_id == fund.space_id,
            Membership.role == "grant_panel_member",
            Membership.status != "left",
        )
    ).all()


def panel_count(grant: Grant) -> rules.PanelCount:
    return rules.panel_count(
        panel_ids(grant.fund), declarations(grant), views(grant), grant.micro, grant.applicant_id
    )


def declare(grant: Grant, person, *, has_interest: bool, interest: str | None = None):
    """A panel member's declaration, once per application (changing it replaces it; a view
    given before an interest was declared no longer counts)."""
    _require(rules.can_declare(person, grant), N_("only the panel declares, while it decides"))
    found = db.session.scalar(
        select(Declaration).where(
            Declaration.grant_id == grant.id, Declaration.person_id == person.id
        )
    )
    if found is None:
        found = Declaration(grant_id=grant.id, person_id=person.id)
        db.session.add(found)
    found.has_interest = has_interest
    found.interest = interest if has_interest else None
    found.declared_at = utcnow()
    if has_interest:
        for view in views(grant):
            if view.person_id == person.id:
                db.session.delete(view)
    db.session.flush()
    record(
        "grants.declared",
        f"Declared {'an interest' if has_interest else 'no interest'} in {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=person,
    )
    return found


def give_view(grant: Grant, person, *, choice: str, note: str | None = None) -> PanelView:
    _require(
        rules.can_give_view(person, grant, declarations(grant)),
        N_("declare first; a member with an interest steps out"),
    )
    found = db.session.scalar(
        select(PanelView).where(PanelView.grant_id == grant.id, PanelView.person_id == person.id)
    )
    if found is None:
        found = PanelView(grant_id=grant.id, person_id=person.id)
        db.session.add(found)
    found.choice, found.note, found.at = choice, note, utcnow()
    db.session.flush()
    record(
        "grants.view",
        f"Gave a view on {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=person,
    )
    return found


def award(
    grant: Grant,
    amount: int,
    *,
    by,
    decided_by: str,
    note: str | None = None,
    conditions: str | None = None,
    ends_on: date | None = None,
) -> Grant:
    """The decision to fund: the award is a commitment transaction from what is available."""
    _require(rules.can_move(grant.status, "award"), N_("grant is %(status)s"), status=grant.status)
    problems = rules.award_problems(
        amount, grant.amount_requested, books.fund_money(grant.fund).available
    )
    _require(not problems, problems[0].message if problems else "")
    books.award(grant, amount, memo=f"Awarded {grant.reference}: {grant.title}", by=by)
    grant.status = rules.next_status(grant.status, "award")
    grant.amount_awarded = amount
    grant.micro = rules.is_micro(grant.fund, amount)
    grant.decided_by, grant.decision_note = decided_by, note
    grant.decided_at, grant.decided_by_id = utcnow(), by.id
    grant.conditions = conditions
    grant.ends_on = ends_on or grant.planned_end
    grant.offered_at = utcnow()
    grant.updated_at = utcnow()
    db.session.flush()
    record(
        "grants.awarded",
        f"Awarded {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
        visibility="public",
        detail={"amount": amount, "decided_by": decided_by},
    )
    return grant


def decline(grant: Grant, *, by, note: str, decided_by: str = "panel") -> Grant:
    _require(
        rules.can_move(grant.status, "decline"), N_("grant is %(status)s"), status=grant.status
    )
    grant.status = rules.next_status(grant.status, "decline")
    grant.decided_by, grant.decision_note = decided_by, note
    grant.decided_at, grant.decided_by_id = utcnow(), by.id
    grant.updated_at = utcnow()
    db.session.flush()
    record(
        "grants.declined", f"Declined {grant.reference}", grant, space=grant.fund.space, actor=by
    )
    return grant


def accept(grant: Grant, *, by) -> Grant:
    """The grantee accepts the offer and its agreement: the grant is active."""
    _require(rules.can_accept(by, grant), N_("only the grantee accepts an offer"))
    grant.status = rules.next_status(grant.status, "accept")
    grant.accepted_at, grant.accepted_by_id = utcnow(), by.id
    grant.updated_at = utcnow()
    db.session.flush()
    record(
        "grants.accepted",
        f"Accepted the offer for {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
    )
    return grant


# --- paying ----------------------------------------------------------------------------------


def request_payment(grant: Grant, amount: int, *, by, note: str | None = None) -> Payment:
    _require(rules.can_request_payment(by, grant), N_("you cannot ask for this grant's payments"))
    problems = rules.payment_problems(
        amount, books.grant_money(grant).unpaid, books.pending_payments(grant)
    )
    _require(not problems, problems[0].message if problems else "")
    payment = Payment(
        grant_id=grant.id,
        amount=amount,
        note=note,
        requested_by_id=by.id,
        approvals_needed=rules.approvals_needed(grant.fund, amount),
    )
    db.session.add(payment)
    db.session.flush()
    record(
        "grants.payment_requested",
        f"Asked to pay {amount} to {grant.reference}",
        payment,
        space=grant.fund.space,
        actor=by,
        detail={"amount": amount},
    )
    return payment


def approve_payment(payment: Payment, *, by) -> Payment:
    grant = payment.grant
    _require(
        rules.can_approve(by, payment, grant),
        N_("a finance approver who did not ask for it approves, once"),
    )
    db.session.add(PaymentApproval(payment_id=payment.id, person_id=by.id))
    db.session.flush()
    db.session.refresh(payment)
    if rules.fully_approved(payment):
        payment.status = "approved"
    db.session.flush()
    record(
        "grants.payment_approved",
        f"Approved a payment to {grant.reference}",
        payment,
        space=grant.fund.space,
        actor=by,
    )
    news.payment_approved(payment)  # fully approved: grantee and asker hear (notices/news.py)
    return payment


def refuse_payment(payment: Payment, *, by, reason: str) -> Payment:
    _require(rules.can_refuse(by, payment, payment.grant), N_("you cannot refuse this payment"))
    payment.status, payment.refused_reason, payment.refused_by_id = "refused", reason, by.id
    db.session.flush()
    record(
        "grants.payment_refused",
        f"Did not approve a payment to {payment.grant.reference}",
        payment,
        space=payment.grant.fund.space,
        actor=by,
    )
    return payment


def withdraw_payment(payment: Payment, *, by) -> Payment:
    _require(rules.can_withdraw_payment(by, payment), N_("only the person who asked withdraws"))
    payment.status = "withdrawn"
    db.session.flush()
    record(
        "grants.payment_withdrawn",
        f"Withdrew a payment request for {payment.grant.reference}",
        payment,
        space=payment.grant.fund.space,
        actor=by,
    )
    return payment


def mark_paid(payment: Payment, *, by, paid_on: date, reference: str) -> Payment:
    grant = payment.grant
    _require(rules.can_mark_paid(by, payment, grant), N_("only an approved payment is paid"))
    tx = books.pay(
        payment, memo=f"Payment to {grant.reference}", by=by, paid_on=paid_on, reference=reference
    )
    payment.status, payment.paid_on, payment.paid_reference = "paid", paid_on, reference
    payment.marked_paid_by_id, payment.transaction_id = by.id, tx.id
    db.session.flush()
    record(
        "grants.paid",
        f"Paid {payment.amount} to {grant.reference}",
        payment,
        space=grant.fund.space,
        actor=by,
        detail={"transaction": tx.id},
    )
    return payment


def record_return(
    grant: Grant,
    amount: int,
    *,
    by,
    occurred_on: date | None = None,
    reference: str | None = None,
    note: str | None = None,
):
    """Money the grantee paid back: a visible return transaction, never a negative payment."""
    _require(rules.can_record_return(by, grant), N_("you cannot record returns for this grant"))
    problems = rules.return_problems(amount, books.grant_money(grant).paid)
    _require(not problems, problems[0].message if problems else "")
    tx = books.give_back(
        grant,
        amount,
        memo=note or f"Returned by {grant.reference}",
        by=by,
        occurred_on=occurred_on,
        reference=reference,
    )
    record(
        "grants.returned",
        f"{amount} returned from {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
        detail={"transaction": tx.id},
    )
    return tx


def release_unpaid(grant: Grant, *, by, memo: str):
    """Whatever is still promised and unpaid goes back, as returned (nothing if none)."""
    unpaid = books.grant_money(grant).unpaid
    if unpaid <= 0:
        return None
    tx = books.release(grant, unpaid, memo=memo, by=by)
    record(
        "grants.released",
        f"Released {unpaid} unpaid from {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
        detail={"transaction": tx.id},
    )
    return tx


def correct(tx, *, memo: str, by):
    """A correction: the reversing transaction that undoes ``tx`` (``books.reverse``)."""
    _require(rules.can_reverse(by, db.session.get(Fund, tx.fund_id)), N_("you cannot correct it"))
    correction = books.reverse(tx, memo=memo, by=by)
    fund = db.session.get(Fund, tx.fund_id)
    record(
        "grants.corrected",
        f"Corrected transaction {tx.id} in {fund.name}",
        fund,
        space=fund.space,
        actor=by,
        detail={"transaction": correction.id, "reverses": tx.id},
    )
    return correction


def cancel(grant: Grant, *, by, reason: str) -> Grant:
    """Stop a grant with a reason: waiting payments are withdrawn and unpaid money released.
    Money already paid and not spent comes back later as a return."""
    _require(rules.can_cancel(by, grant), N_("you cannot cancel this grant"))
    for payment in db.session.scalars(
        select(Payment).where(
            Payment.grant_id == grant.id, Payment.status.in_(("requested", "approved"))
        )
    ):
        payment.status = "withdrawn"
    grant.status = rules.next_status(grant.status, "cancel")
    release_unpaid(grant, by=by, memo=f"Cancelled {grant.reference}: {reason}")
    grant.cancelled_reason, grant.cancelled_at, grant.cancelled_by_id = reason, utcnow(), by.id
    grant.updated_at = utcnow()
    db.session.flush()
    record(
        "grants.cancelled",
        f"Cancelled {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
        visibility="public",
    )
    return grant


# --- closing ---------------------------------------------------------------------------------


def start_closure(grant: Grant, *, by) -> Closure:
    _require(rules.can_start_closure(by, grant), N_("only an active grant starts closing"))
    grant.status = rules.next_status(grant.status, "start_closure")
    closure = Closure(grant_id=grant.id, started_by_id=by.id)
    db.session.add(closure)
    grant.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(grant)
    record(
        "grants.closing",
        f"Started closing {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
    )
    news.closure_started(grant, by)  # the grantee and the fund's officers hear
    return closure


def closure_steps(grant: Grant) -> list[rules.Step]:
    from participate.grants.models import LetterComment, OutstandingIssue

    closure = grant.closure
    open_issues = db.session.scalar(
        select(func.count(OutstandingIssue.id)).where(
            OutstandingIssue.grant_id == grant.id, OutstandingIssue.status == "open"
        )
    )
    open_comments = db.session.scalar(
        select(func.count(LetterComment.id)).where(
            LetterComment.grant_id == grant.id, LetterComment.status == "open"
        )
    )
    return rules.closure_steps(
        closure,
        open_issues=open_issues,
        open_comments=open_comments,
        unpaid=books.grant_money(grant).unpaid,
        pending_payments=books.pending_payments(grant),
    )


def sign(grant: Grant, side: str, *, by) -> Grant:
    """One side signs the letter as it stands; when both have, the grant is closed."""
    closure = grant.closure
    _require(
        rules.can_sign(by, grant, side, closure_steps(grant), closure),
        N_("not ready to sign, or not yours to sign"),
    )
    if side == "funder":
        closure.funder_signed_by_id, closure.funder_signed_at = by.id, utcnow()
        closure.funder_signed_version = closure.letter_version
    else:
        closure.grantee_signed_by_id, closure.grantee_signed_at = by.id, utcnow()
        closure.grantee_signed_version = closure.letter_version
    db.session.flush()
    record(
        "grants.signed",
        f"Signed the closure letter for {grant.reference} ({side})",
        grant,
        space=grant.fund.space,
        actor=by,
    )
    if rules.both_signed(closure):
        grant.status = rules.next_status(grant.status, "close")
        grant.closed_at = utcnow()
        grant.updated_at = utcnow()
        db.session.flush()
        record(
            "grants.closed",
            f"Closed {grant.reference}",
            grant,
            space=grant.fund.space,
            actor=by,
            visibility="public",
        )
    news.signed(grant, side, by)  # the other side hears; or everyone: it is closed
    return grant
