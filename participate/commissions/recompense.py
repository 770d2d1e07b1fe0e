"""Recompense: involvement payments and expenses, recorded by facilitators, approved by a
finance approver, and each member's own history and statement."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import exists, select
from werkzeug.utils import secure_filename

from participate.accounts.forms import choices
from participate.accounts.models import Membership, Person
from participate.audit import record
from participate.clock import local_today, place_zone
from participate.columns import utcnow
from participate.commissions import rules
from participate.commissions.forms import (
    DecisionForm,
    ExpenseForm,
    ForWhomForm,
    InvolvementForm,
    RatesForm,
    people_choices,
)
from participate.commissions.models import Commission, CommissionSession, Recompense
from participate.commissions.views import (
    acting_for_here,
    acting_subject,
    bp,
    load_commission,
    members,
    render,
    viewer,
)
from participate.extensions import db
from participate.money import format_amount, format_money
from participate.web.htmx import see_other

# --- helpers ---------------------------------------------------------------------------------


def _load(slug: str) -> Commission:
    """Payments pages are also for a host's finance approvers, who can't see the rest."""
    return load_commission(slug, "know_exists")


def _may_record(commission: Commission) -> bool:
    # In assisted mode the facilitator sees and does only what the member may.
    return acting_for_here(commission) is None and rules.can(
        viewer(), "record_recompense", commission
    )


def _may_approve(commission: Commission) -> bool:
    return acting_for_here(commission) is None and rules.can(
        viewer(), "approve_recompense", commission
    )


def _local_day(session: CommissionSession) -> date:
    return session.starts_at.astimezone(place_zone()).date()


def _sessions(commission: Commission) -> list[CommissionSession]:
    return list(
        db.session.scalars(
            select(CommissionSession)
            .where(CommissionSession.commission_id == commission.id)
            .order_by(CommissionSession.starts_at.desc())
        )
    )


def _set_choices(form: ForWhomForm, commission: Commission) -> None:
    form.person_id.choices = people_choices([m.person for m in members(commission)])
    form.session_id.choices = choices(
        [("", _("Not a session: another activity"))]
        + [
            (s.id, f"{s.title}, {format_date(_local_day(s), 'd MMM yyyy')}")
            for s in _sessions(commission)
        ]
    )


def _involvement_form(commission: Commission, submitted: bool = True) -> InvolvementForm:
    """The form as sent (``submitted``) or fresh; its choices show what each comes to."""
    form = InvolvementForm(prefix="pay", **({} if submitted else {"formdata": None}))
    _set_choices(form, commission)
    form.choice.choices = choices(
        (
            key,
            _(
                "%(choice)s: %(amount)s",
                choice=_(label),
                amount=format_money(rules.involvement_amount(key, commission), commission.currency),
            ),
        )
        for key, label in rules.PAYMENT_CHOICES.items()
    )
    return form


def _expense_form(commission: Commission, submitted: bool = True) -> ExpenseForm:
    form = ExpenseForm(prefix="expense", **({} if submitted else {"formdata": None}))
    _set_choices(form, commission)
    return form


def _occasion(form: ForWhomForm, commission: Commission):
    """The session (checked to be this commission's), activity and day; errors on the form."""
    for name, message in rules.occasion_problems(
        form.session_id.data, form.activity.data, form.happened_on.data
    ).items():
        getattr(form, name).errors = [_(message)]
    session = None
    if form.session_id.data is not None:
        session = db.session.get(CommissionSession, form.session_id.data)
        if session is None or session.commission_id != commission.id:
            form.session_id.errors = [_("Choose one of the commission's sessions.")]
            session = None
    day = form.happened_on.data or (_local_day(session) if session else None)
    return session, (form.activity.data or "").strip() or None, day


def _records(commission: Commission, person: Person | None = None) -> list[Recompense]:
    query = select(Recompense).where(Recompense.commission_id == commission.id)
    if person is not None:
        query = query.where(Recompense.person_id == person.id)
    rows = db.session.scalars(query).all()
    return sorted(rows, key=lambda r: (rules.day_of(r), r.id), reverse=True)


def _belongs(person: Person, commission: Commission) -> bool:
    """In the commission (even if they have left), or paid by it."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Membership.person_id == person.id,
                    Membership.space_id == commission.space_id,
                )
            )
        )
        or db.session.scalar(
            select(
                exists().where(
                    Recompense.person_id == person.id,
                    Recompense.commission_id == commission.id,
                )
            )
        )
    )


def _whose(commission: Commission) -> Person:
    """Whose payments to show: ``?person=ID`` for facilitators and approvers; otherwise the
    member (or, in assisted mode, the member a facilitator is acting for). 404 otherwise."""
    wanted = request.args.get("person", "")
    if wanted:
        person = db.session.get(Person, int(wanted)) if wanted.isdigit() else None
        if (
            person is None
            or not rules.can_see_recompense_of(viewer(), person, commission)
            or not _belongs(person, commission)
        ):
            abort(404)
        return person
    person = acting_subject(commission)
    if rules.role_in(person, commission) is None:
        abort(404)
    return person


# --- facilitators and finance approvers ------------------------------------------------------

STATUS_FILTERS = list(rules.RECOMPENSE_STATUSES)


def _payments_page(commission: Commission, status: int = 200, block: str | None = None, **forms):
    may_record, may_approve = _may_record(commission), _may_approve(commission)
    context = {}
    if may_record:
        chosen_status = request.args.get("status", "")
        chosen_status = chosen_status if chosen_status in STATUS_FILTERS else ""
        chosen_person = request.args.get("person", "")
        shown = [
            r
            for r in _records(commission)
            if (not chosen_status or r.status == chosen_status)
            and (not chosen_person or str(r.person_id) == chosen_person)
        ]
        context.update(
            involvement_form=forms.get("involvement_form") or _involvement_form(commission, False),
            expense_form=forms.get("expense_form") or _expense_form(commission, False),
            records=shown,
            chosen_status=chosen_status,
            chosen_person=chosen_person,
            people=[m.person for m in members(commission)],
            rates_form=forms.get("rates_form")
            or RatesForm(
                formdata=None,
                rate=format_amount(commission.involvement_rate_pence),
                reduced=format_amount(commission.reduced_rate_pence),
            ),
        )
    if may_approve:
        waiting = [r for r in _records(commission) if r.status == "recorded"]
        waiting.reverse()  # oldest first: first come, first paid
        decision_forms = {r.id: DecisionForm(formdata=None, prefix=f"d{r.id}") for r in waiting}
        decision_forms.update(forms.get("decision_forms") or {})
        context.update(
            waiting=waiting,
            decision_forms=decision_forms,
            may_decide={
                r.id: rules.can_decide_recompense(viewer(), r, commission) for r in waiting
            },
        )
    return render(
        "commissions/recompense/index.html",
        commission,
        status=status,
        block=block,
        may_record=may_record,
        may_approve=may_approve,
        me=viewer(),
        **context,
        **_labels(),
    )


def _labels() -> dict:
    return {
        "CHOICES": rules.PAYMENT_CHOICES,
        "EXPENSE_TYPES": rules.EXPENSE_TYPES,
        "RECOMPENSE_STATUSES": rules.RECOMPENSE_STATUSES,
        "day_of": rules.day_of,
    }


@bp.get("/<slug>/payments")
@login_required
def recompense(slug: str):
    commission = _load(slug)
    if acting_for_here(commission) is not None:
        return redirect(url_for("commissions.my_recompense", slug=slug))
    if not (_may_record(commission) or _may_approve(commission)):
        if rules.role_in(viewer(), commission) is not None:
            return redirect(url_for("commissions.my_recompense", slug=slug))
        abort(404)
    return _payments_page(commission, block="payment_records")


def _record(commission: Commission, form, occasion, what: str, **kind) -> Recompense:
    """Save a payment or an expense from ``form`` (who, when, note) and audit it.
    ``kind`` holds what differs: kind, choice or expense type, and the amount."""
    session, activity, day = occasion
    payment = Recompense(
        commission_id=commission.id,
        person_id=form.person_id.data,
        session_id=session.id if session else None,
        activity=activity,
        happened_on=day,
        currency=commission.currency,
        note=(form.note.data or "").strip() or None,
        status="recorded",
        recorded_by_id=current_user.id,
        **kind,
    )
    payment.person = db.session.get(Person, form.person_id.data)
    db.session.add(payment)
    db.session.flush()
    record(
        "recompense.recorded",
        f"Recorded {what} of {format_money(payment.amount_pence, payment.currency)} "
        f"for {payment.person.chosen_name}",
        payment,
        space=commission.space,
        visibility="private",
        detail={
            "person": payment.person_id,
            "kind": payment.kind,
            "choice": payment.choice,
            "expense_type": payment.expense_type,
            "amount_pence": payment.amount_pence,
        },
    )
    db.session.commit()
    return payment


@bp.post("/<slug>/payments/involvement")
@login_required
def recompense_involvement(slug: str):
    """A facilitator records a payment for taking part, at the commission's rate."""
    commission = _load(slug)
    if not _may_record(commission):
        abort(404)
    form = _involvement_form(commission)
    valid = form.validate_on_submit()
    session, activity, day = _occasion(form, commission)
    if (
        valid
        and session is not None
        and rules.already_paid_for(_records(commission), form.person_id.data, session.id)
    ):
        form.session_id.errors = [
            _("They already have a payment for this session. Check the records below.")
        ]
    if not valid or form.errors:
        return _payments_page(commission, 422, block="involvement_form", involvement_form=form)
    payment = _record(
        commission,
        form,
        (session, activity, day),
        f"an involvement payment ({form.choice.data})",
        kind="involvement",
        choice=form.choice.data,
        amount_pence=rules.involvement_amount(form.choice.data, commission),
    )
    flash(
        _(
            "Recorded %(amount)s for %(name)s (%(choice)s). It now waits for a finance approver.",
            amount=format_money(payment.amount_pence, payment.currency),
            name=payment.person.chosen_name,
            choice=_(rules.PAYMENT_CHOICES[payment.choice]).lower(),
        ),
        "success",
    )
    return see_other(url_for("commissions.recompense", slug=slug))


@bp.post("/<slug>/payments/expenses")
@login_required
def recompense_expense(slug: str):
    """A facilitator records an expense to pay back: kept apart from payments."""
    commission = _load(slug)
    if not _may_record(commission):
        abort(404)
    form = _expense_form(commission)
    valid = form.validate_on_submit()
    session, activity, day = _occasion(form, commission)
    pence = None
    if not form.amount.errors:
        pence, problem = rules.read_expense_amount(form.amount.data)
        if problem:
            form.amount.errors = [
                _(problem, most=format_money(rules.MAX_EXPENSE_PENCE, commission.currency))
            ]
    if not valid or form.errors:
        return _payments_page(commission, 422, block="expense_form", expense_form=form)
    payment = _record(
        commission,
        form,
        (session, activity, day),
        f"a {form.expense_type.data} expense",
        kind="expense",
        expense_type=form.expense_type.data,
        amount_pence=pence,
    )
    flash(
        _(
            "Recorded %(amount)s of expenses for %(name)s. It now waits for a finance approver.",
            amount=format_money(payment.amount_pence, payment.currency),
            name=payment.person.chosen_name,
        ),
        "success",
    )
    return see_other(url_for("commissions.recompense", slug=slug))


@bp.post("/<slug>/payments/<int:record_id>/decision")
@login_required
def recompense_decide(slug: str, record_id: int):
    """A host's finance approver approves or doesn't: never their own recording, never a
    payment to themself."""
    commission = _load(slug)
    payment = db.session.get(Recompense, record_id)
    if (
        payment is None
        or payment.commission_id != commission.id
        or not _may_approve(commission)
        or not rules.can_decide_recompense(viewer(), payment, commission)
    ):
        abort(404)
    form = DecisionForm(prefix=f"d{payment.id}")
    if form.validate_on_submit():
        for name, message in rules.decision_problems(form.decision.data, form.note.data).items():
            getattr(form, name).errors = [_(message)]
    if not form.is_submitted() or form.errors:
        return _payments_page(commission, 422, block="approvals", decision_forms={payment.id: form})
    approved = form.decision.data == "approve"
    payment.status = "approved" if approved else "rejected"
    payment.decided_by_id = current_user.id
    payment.decided_at = utcnow()
    payment.decision_note = (form.note.data or "").strip() or None
    amount = format_money(payment.amount_pence, payment.currency)
    record(
        "recompense.approved" if approved else "recompense.rejected",
        f"{'Approved' if approved else 'Did not approve'} {amount} "
        f"for {payment.person.chosen_name}",
        payment,
        space=commission.space,
        visibility="private",
        detail={"note": payment.decision_note, "recorded_by": payment.recorded_by_id},
    )
    db.session.commit()
    flash(
        _("Approved %(amount)s for %(name)s.", amount=amount, name=payment.person.chosen_name)
        if approved
        else _(
            "Not approved: %(amount)s for %(name)s. The facilitators will see your note.",
            amount=amount,
            name=payment.person.chosen_name,
        ),
        "success",
    )
    return see_other(url_for("commissions.recompense", slug=slug))


# --- a member's own history and statement ----------------------------------------------------


@bp.get("/<slug>/payments/mine")
@login_required
def my_recompense(slug: str):
    commission = _load(slug)
    person = _whose(commission)
    records = _records(commission, person)
    return render(
        "commissions/recompense/mine.html",
        commission,
        person=person,
        own=person.id == current_user.id,
        payments=[r for r in records if r.kind == "involvement"],
        expenses=[r for r in records if r.kind == "expense"],
        totals=rules.statement(records),
        person_arg=request.args.get("person"),
        **_labels(),
    )


def _period():
    """The statement's period from ``?from=`` and ``?to=`` (ISO dates); bad ones are
    ignored, and said so."""
    bad = False
    found = []
    for name in ("from", "to"):
        text = request.args.get(name, "").strip()
        try:
            found.append(date.fromisoformat(text) if text else None)
        except ValueError:
            found.append(None)
            bad = True
    start, end = found
    if start and end and end < start:
        start, end, bad = None, None, True
    return start, end, bad


def _statement_context(commission: Commission):
    person = _whose(commission)
    start, end, bad_dates = _period()
    lines = rules.statement_lines(_records(commission, person), start, end)
    return {
        "person": person,
        "lines": lines,
        "bad_dates": bad_dates,
        "made_on": local_today(),
        "hosts": [h.organisation.name for h in commission.hosts],
        "query": {k: v for k, v in request.args.items() if k in ("person", "from", "to") and v},
        **_labels(),
    }


@bp.get("/<slug>/payments/mine/statement")
@login_required
def recompense_statement(slug: str):
    """A plain, printable statement for a benefits adviser."""
    commission = _load(slug)
    return render_template(
        "commissions/recompense/statement.html",
        commission=commission,
        **_statement_context(commission),
    )


@bp.get("/<slug>/payments/mine/statement.txt")
@login_required
def recompense_statement_text(slug: str):
    """The same statement as a plain text file to keep, print or email."""
    commission = _load(slug)
    context = _statement_context(commission)
    body = render_template("commissions/recompense/statement.txt", commission=commission, **context)
    response = make_response(body)
    response.mimetype = "text/plain"
    name = (
        secure_filename(f"{commission.space.slug}-{context['person'].chosen_name}-statement.txt")
        or "statement.txt"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<slug>/payments/rates")
@login_required
def recompense_rates(slug: str):
    """Facilitators set what the commission pays for taking part."""
    commission = _load(slug)
    if not _may_record(commission):
        abort(404)
    form = RatesForm()
    form.validate_on_submit()
    problems, rate, reduced = rules.rate_problems(form.rate.data, form.reduced.data)
    most = format_money(rules.MAX_RATE_PENCE, commission.currency)
    for name, message in problems.items():
        getattr(form, name).errors = [_(message, most=most)]
    if problems or form.errors:
        return _payments_page(commission, 422, block="rates", rates_form=form)
    before = (commission.involvement_rate_pence, commission.reduced_rate_pence)
    if before != (rate, reduced):
        commission.involvement_rate_pence, commission.reduced_rate_pence = rate, reduced
        record(
            "recompense.rates_changed",
            f"Set the payment for taking part to {format_money(rate, commission.currency)} "
            f"(reduced {format_money(reduced, commission.currency)})",
            commission,
            space=commission.space,
            visibility="space",
            detail={"before": list(before), "after": [rate, reduced]},
        )
        db.session.commit()
        flash(_("The rates are saved. They apply to payments recorded from now on."), "success")
    return see_other(url_for("commissions.recompense", slug=slug))
