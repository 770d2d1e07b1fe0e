"""During the grant: the grant's Updates tab. Light spend updates (how much, a short note),
the contact log (kept by the people who run the fund, read by the grantee too: it is about
them), and small reallocations between budget lines, under the fund's limit, decided by a
manager who did not ask for them.

Reallocations move nothing in the ledger: a line's amount now is worked out by ``lines.py``
from its original amount and the approved reallocations. Each change below is one step that
checks ``rules``, writes an audit entry, and leaves committing to the view.
"""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participate.accounts.models import Person
from participate.audit import record
from participate.columns import utcnow
from participate.extensions import db
from participate.grants import books, lines, rules
from participate.grants.forms.during import (
    ContactForm,
    DecideReallocationForm,
    ReallocationForm,
    SpendUpdateForm,
)
from participate.grants.models import (
    BudgetLine,
    ContactNote,
    Grant,
    Reallocation,
    SpendUpdate,
)
from participate.grants.steps import StepRefused
from participate.grants.views import (
    add_problems,
    allow,
    bp,
    grant_form_errors,
    load_grant,
    load_record,
    money_problems,
    render_grant,
    today,
    viewer,
)
from participate.money import format_money
from participate.problems import Problem
from participate.text import N_
from participate.web.htmx import see_other

TEMPLATE = "grants/updates.html"


class ReallocationProblems(StepRefused):
    """The amount no longer fits: ``problems`` say why (money params in pence)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


# --- the steps -------------------------------------------------------------------------------


def record_spend(grant: Grant, amount: int, note: str, *, by) -> SpendUpdate:
    if not rules.can_update_spend(by, grant):
        raise StepRefused(N_("only the grantee or the fund updates spending, while the grant runs"))
    if amount is None or amount < 0:
        raise StepRefused(N_("say how much was spent, 0 or more"))
    update = SpendUpdate(grant_id=grant.id, amount=amount, note=note, by_id=by.id)
    db.session.add(update)
    db.session.flush()
    record(
        "grants.spend_update",
        f"Spend update for {grant.reference}",
        update,
        space=grant.fund.space,
        actor=by,
        detail={"amount": amount},
    )
    return update


def record_contact(grant: Grant, on, how: str, note: str, *, by, today_) -> ContactNote:
    if not rules.can_log_contact(by, grant):
        raise StepRefused(N_("only the people who run the fund keep the contact log"))
    if how not in rules.CONTACT_KINDS or on > today_:
        raise StepRefused(N_("a contact is one of the kinds, on a day that has happened"))
    contact = ContactNote(grant_id=grant.id, on=on, how=how, note=note, by_id=by.id)
    db.session.add(contact)
    db.session.flush()
    record(
        "grants.contact",
        f"Contact with {grant.reference} ({how})",
        contact,
        space=grant.fund.space,
        actor=by,
    )
    return contact


def reallocations(grant: Grant) -> list[Reallocation]:
    return db.session.scalars(
        select(Reallocation)
        .where(Reallocation.grant_id == grant.id)
        .order_by(Reallocation.requested_at.desc(), Reallocation.id.desc())
    ).all()


def line_amounts(grant: Grant, found: list[Reallocation] | None = None) -> dict[int, int]:
    """``{line id: amount now}`` for the grant's budget lines."""
    found = reallocations(grant) if found is None else found
    return lines.current_amounts({line.id: line.amount for line in grant.lines}, found)


def request_reallocation(
    grant: Grant, from_line: BudgetLine, to_line: BudgetLine, amount: int, reason: str, *, by
) -> Reallocation:
    if not rules.can_ask_reallocation(by, grant):
        raise StepRefused(N_("only the grantee or the fund asks to move money, while it runs"))
    if from_line.grant_id != grant.id or to_line.grant_id != grant.id or from_line == to_line:
        raise StepRefused(N_("move money between two of this grant's lines"))
    problems = rules.reallocation_problems(
        amount, line_amounts(grant)[from_line.id], grant.fund.reallocation_limit
    )
    if problems:
        raise ReallocationProblems(problems)
    found = Reallocation(
        grant_id=grant.id,
        from_line_id=from_line.id,
        to_line_id=to_line.id,
        amount=amount,
        reason=reason,
        requested_by_id=by.id,
    )
    db.session.add(found)
    db.session.flush()
    record(
        "grants.reallocation_requested",
        f"Asked to move {amount} from {from_line.label} to {to_line.label} in {grant.reference}",
        found,
        space=grant.fund.space,
        actor=by,
        detail={"amount": amount, "from": from_line.id, "to": to_line.id},
    )
    return found


def settle_reallocation(
    found: Reallocation, grant: Grant, *, approve: bool, note: str | None, by
) -> Reallocation:
    """Approve or refuse. Approving checks the amount again against the line as it is now
    (another reallocation may have moved money since it was asked for)."""
    # One decision at a time for this grant (a row lock where the database has them).
    db.session.execute(select(Grant.id).where(Grant.id == grant.id).with_for_update())
    db.session.refresh(found)
    if not (rules.can_decide_reallocation(by, found, grant) and grant.status in rules.PAYABLE):
        raise StepRefused(N_("a manager who did not ask decides, once, while the grant runs"))
    if not approve and not note:
        raise StepRefused(N_("say why not"))
    if approve:
        problems = rules.reallocation_problems(
            found.amount, line_amounts(grant)[found.from_line_id], grant.fund.reallocation_limit
        )
        if problems:
            raise ReallocationProblems(problems)
    found.status = "approved" if approve else "refused"
    found.decided_by_id, found.decided_at, found.decision_note = by.id, utcnow(), note or None
    db.session.flush()
    record(
        "grants.reallocation_decided",
        f"{'Approved' if approve else 'Refused'} moving {found.amount} in {grant.reference}",
        found,
        space=grant.fund.space,
        actor=by,
        detail={"approved": approve, "amount": found.amount},
    )
    return found


# --- the page --------------------------------------------------------------------------------


def _line_label(line: BudgetLine, now: int, currency: str) -> str:
    return _("%(line)s (%(amount)s now)", line=line.label, amount=format_money(now, currency))


def _reallocation_form(grant: Grant, now: dict[int, int], formdata=True) -> ReallocationForm:
    kwargs = {} if formdata else {"formdata": None}
    form = ReallocationForm(prefix="move", **kwargs)
    form.set_lines(
        [(line.id, _line_label(line, now[line.id], grant.fund.currency)) for line in grant.lines],
        _("Choose a line"),
    )
    return form


def _context(grant: Grant, **forms) -> dict:
    person = viewer()
    fund = grant.fund
    updates = db.session.scalars(
        select(SpendUpdate)
        .where(SpendUpdate.grant_id == grant.id)
        .options(selectinload(SpendUpdate.by))
        .order_by(SpendUpdate.at.desc(), SpendUpdate.id.desc())
    ).all()
    contacts = db.session.scalars(
        select(ContactNote)
        .where(ContactNote.grant_id == grant.id)
        .options(selectinload(ContactNote.by))
        .order_by(ContactNote.on.desc(), ContactNote.id.desc())
    ).all()
    found = reallocations(grant)
    now = line_amounts(grant, found)
    ids = {r.requested_by_id for r in found} | {r.decided_by_id for r in found if r.decided_by_id}
    people = (
        {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
        if ids
        else {}
    )
    money = books.grant_money(grant)
    spent = lines.spent(updates)
    may_decide = grant.status in rules.PAYABLE
    decide_forms = {
        r.id: DecideReallocationForm(formdata=None, prefix=f"decide-{r.id}")
        for r in found
        if may_decide and rules.can_decide_reallocation(person, r, grant)
    }
    decide_forms.update(forms.pop("decide_forms", {}))
    may_ask = rules.can_ask_reallocation(person, grant) and lines.can_reallocate(
        len(grant.lines), fund.reallocation_limit
    )
    return {
        "updates": updates,
        "contacts": contacts,
        "reallocations": found,
        "lines_now": now,
        "people": people,
        "spent": spent,
        "paid": money.paid,
        "spend_state": lines.spend_state(spent, money.paid),
        "may_update_spend": rules.can_update_spend(person, grant),
        "may_log_contact": rules.can_log_contact(person, grant),
        "may_ask": may_ask,
        "could_ask": rules.is_grantee(person, grant) or rules.manages(person, fund),
        "running": grant.status in rules.PAYABLE,
        "decide_forms": decide_forms,
        "CONTACT_KINDS": rules.CONTACT_KINDS,
        "spend_form": forms.get("spend_form") or SpendUpdateForm(formdata=None, prefix="spend"),
        "contact_form": forms.get("contact_form")
        or ContactForm(formdata=None, prefix="contact", on=today()),
        "reallocation_form": forms.get("reallocation_form")
        or _reallocation_form(grant, now, formdata=False),
    }


def _page(grant: Grant):
    return render_grant(TEMPLATE, grant, "updates", **_context(grant))


def _errors(grant: Grant, block: str, target: str, **forms):
    return grant_form_errors(TEMPLATE, grant, "updates", block, target, **_context(grant, **forms))


def _back(grant: Grant, anchor: str):
    url = url_for("grants.updates", slug=grant.fund.slug, number=grant.number)
    return see_other(f"{url}#{anchor}")


@bp.get("/<slug>/grants/<int:number>/updates")
def updates(slug: str, number: int):
    return _page(load_grant(slug, number))


@bp.post("/<slug>/grants/<int:number>/updates/spend")
def spend_update(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(rules.can_update_spend(person, grant))
    form = SpendUpdateForm(prefix="spend")
    if not form.validate_on_submit():
        return _errors(grant, "spend_form", "spend-form", spend_form=form)
    try:
        record_spend(grant, form.amount.data, form.note.data, by=person)
    except StepRefused:
        db.session.rollback()
        form.form_errors.append(_("This update could not be saved. Please try again."))
        return _errors(grant, "spend_form", "spend-form", spend_form=form)
    db.session.commit()
    flash(_("Thank you: your spend update is saved."))
    return _back(grant, "spending")


@bp.post("/<slug>/grants/<int:number>/updates/contact")
def log_contact(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(rules.can_log_contact(person, grant))
    form = ContactForm(prefix="contact")
    valid = form.validate_on_submit()
    if form.on.data is not None and form.on.data > today():
        form.on.errors = [*form.on.errors, _("That day has not happened yet.")]
        form._errors = None
        valid = False
    if not valid:
        return _errors(grant, "contact_form", "contact-form", contact_form=form)
    record_contact(grant, form.on.data, form.how.data, form.note.data, by=person, today_=today())
    db.session.commit()
    flash(_("The note is in the contact log."))
    return _back(grant, "contact")


@bp.post("/<slug>/grants/<int:number>/updates/reallocations")
def ask_reallocation(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    fund = grant.fund
    allow(
        rules.can_ask_reallocation(person, grant)
        and lines.can_reallocate(len(grant.lines), fund.reallocation_limit)
    )
    now = line_amounts(grant)
    form = _reallocation_form(grant, now)
    valid = form.validate_on_submit()
    by_id = {line.id: line for line in grant.lines}
    for field in (form.from_line, form.to_line):
        if field.data is not None and field.data not in by_id:
            field.errors = [*field.errors, _("Choose one of this grant's budget lines.")]
            valid = False
    from_line, to_line = by_id.get(form.from_line.data), by_id.get(form.to_line.data)
    if from_line is not None and from_line is to_line:
        form.to_line.errors = [*form.to_line.errors, _("Choose a different line to move it to.")]
        valid = False
    if from_line is not None and not form.amount.errors and form.amount.data is not None:
        problems = rules.reallocation_problems(
            form.amount.data, now[from_line.id], fund.reallocation_limit
        )
        if add_problems(form, money_problems(problems, fund.currency)):
            valid = False
    form._errors = None
    if not valid:
        return _errors(grant, "reallocation_form", "reallocation-form", reallocation_form=form)
    try:
        request_reallocation(
            grant, from_line, to_line, form.amount.data, form.reason.data, by=person
        )
    except ReallocationProblems as refused:
        db.session.rollback()
        add_problems(form, money_problems(refused.problems, fund.currency))
        return _errors(grant, "reallocation_form", "reallocation-form", reallocation_form=form)
    db.session.commit()
    if rules.manages(person, fund):
        flash(_("Asked. Another person who runs the fund will say yes or no."))
    else:
        flash(_("Asked. Someone who runs the fund will say yes or no, and you will see it here."))
    return _back(grant, "reallocations")


@bp.post("/<slug>/grants/<int:number>/updates/reallocations/<int:reallocation_id>")
def decide_reallocation(slug: str, number: int, reallocation_id: int):
    grant = load_grant(slug, number)
    person = viewer()
    found = load_record(Reallocation, reallocation_id, grant)
    allow(rules.can_decide_reallocation(person, found, grant))
    form = DecideReallocationForm(prefix=f"decide-{found.id}")
    valid = form.validate_on_submit()
    if form.decision.data == "refuse" and not form.note.data:
        form.note.errors = [*form.note.errors, _("Say why not, so the person who asked knows.")]
        form._errors = None
        valid = False
    if not valid:
        return _errors(grant, "reallocations", "reallocations", decide_forms={found.id: form})
    approve = form.decision.data == "approve"
    try:
        settle_reallocation(found, grant, approve=approve, note=form.note.data, by=person)
    except ReallocationProblems as refused:
        db.session.rollback()
        problems = [
            Problem("decision", p.message, p.params)
            for p in money_problems(refused.problems, grant.fund.currency)
        ]
        add_problems(form, problems)
        return _errors(grant, "reallocations", "reallocations", decide_forms={found.id: form})
    except StepRefused:
        db.session.rollback()
        allow(False)
    db.session.commit()
    flash(
        _("Done: the budget lines now show the move.")
        if approve
        else _("Done: the lines stay as they were, and your reason is shown.")
    )
    return _back(grant, "reallocations")
