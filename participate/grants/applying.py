"""Applying for a small grant: the application form (a short one for micro-grants, the full
one with budget lines), the list of applications, a grant's "Application and decision" page,
and the grantee accepting the offer and its agreement.

Who may do what is asked of ``grants.rules``; the changes go through ``grants.steps``.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from participate.extensions import db
from participate.grants import agreement, books, rules, steps
from participate.grants.forms.applying import (
    MAX_LINES,
    AcceptForm,
    ApplicationForm,
    SmallApplicationForm,
)
from participate.grants.models import Fund, Grant
from participate.grants.views import (
    add_problems,
    allow,
    bp,
    grant_form_errors,
    load_fund,
    load_grant,
    money_problems,
    render,
    render_form_errors,
    render_fund_block,
    render_grant,
    today,
    viewer,
)
from participate.money import format_money
from participate.problems import Problem
from participate.web.htmx import is_htmx, see_other

SIZES = ("small", "full")


def _day(day) -> str:
    return format_date(day, "d MMMM yyyy")


def grant_url(grant: Grant, anchor: str = "") -> str:
    url = url_for("grants.grant", slug=grant.fund.slug, number=grant.number)
    return f"{url}#{anchor}" if anchor else url


# --- applying --------------------------------------------------------------------------------


def _closed_reason(fund: Fund) -> tuple[str, dict]:
    now = today()
    if fund.status == "open" and fund.opens_on is not None and now < fund.opens_on:
        return "not_yet", {"date": _day(fund.opens_on)}
    if fund.status == "open":
        return "window", {"date": _day(rules.closure_starts(fund))}
    return "closed", {}


def _size() -> str | None:
    size = request.args.get("size")
    return size if size in SIZES else None


def _apply_page(fund: Fund, form, size: str, status: int = 200):
    return render(
        "grants/apply.html",
        fund,
        status,
        form=form,
        size=size,
        max_lines=MAX_LINES,
        RECIPIENT_KINDS=rules.RECIPIENT_KINDS,
    )


def _label_lines(form) -> None:
    """Number each budget line's labels, so a screen reader says which line it is in."""
    for n, entry in enumerate(getattr(form, "lines", []), start=1):
        entry.form.label.label.text = _("Line %(n)d: what it pays for", n=n)
        entry.form.amount.label.text = _("Line %(n)d: amount", n=n)


@bp.route("/<slug>/apply", methods=["GET", "POST"])
@login_required
def apply(slug: str):
    fund = load_fund(slug)
    person = viewer()
    if not rules.can_apply(person, fund, today()):
        reason, params = _closed_reason(fund)
        return render(
            "grants/apply.html",
            fund,
            200 if request.method == "GET" else 403,
            closed=reason,
            closed_params=params,
        )
    size = _size()
    if fund.micro_limit is None:
        size = "full"
    if size is None and request.method == "GET":
        # Two ways in: the few questions for a micro-grant, or the full form.
        return render(
            "grants/apply.html",
            fund,
            choose=True,
            micro_limit=format_money(fund.micro_limit, fund.currency),
        )
    size = size or "full"
    form_class = SmallApplicationForm if size == "small" else ApplicationForm
    if request.method == "GET":
        form = form_class(formdata=None)
        _label_lines(form)
        return _apply_page(fund, form, size)

    form = form_class()
    form.currency = fund.currency
    if size == "full" and request.form.get("add_line"):
        # "Add another line": the same form back, filled in, with one more empty row.
        if form.add_line():
            # The new row takes the focus, so the person carries on typing there.
            form.lines[-1].form.label.render_kw = {"autofocus": True}
        _label_lines(form)
        if is_htmx():
            return render_fund_block(
                "grants/apply.html",
                fund,
                "apply_form",
                form=form,
                size=size,
                max_lines=MAX_LINES,
                RECIPIENT_KINDS=rules.RECIPIENT_KINDS,
            )
        return _apply_page(fund, form, size)

    valid = form.validate_on_submit()
    amount = form.amount_requested.data
    if not form.amount_requested.errors:
        available = books.fund_money(fund).available
        problems = [
            Problem("amount_requested", p.message, p.params)
            for p in rules.application_problems(amount, fund, available)
        ]
        if add_problems(form, money_problems(problems, fund.currency)):
            valid = False
        elif size == "small" and amount > fund.micro_limit:
            form.amount_requested.errors = [
                _(
                    "With the short form you can ask for up to %(limit)s. To ask for more, use "
                    "the full form.",
                    limit=format_money(fund.micro_limit, fund.currency),
                )
            ]
            form._errors = None
            valid = False
    if valid:
        try:
            grant = steps.apply(fund, person, lines=form.budget_lines(), **form.grant_fields())
        except steps.StepRefused:
            db.session.rollback()
            form.form_errors.append(
                _("We could not take your application just now. Please try again.")
            )
            valid = False
    if not valid:
        _label_lines(form)
        return render_form_errors(
            "grants/apply.html",
            fund,
            "apply_form",
            "apply-form",
            form=form,
            size=size,
            max_lines=MAX_LINES,
            RECIPIENT_KINDS=rules.RECIPIENT_KINDS,
        )
    db.session.commit()
    flash(
        _(
            "Thank you. Your application is in: the panel will look at it and we will tell you "
            "what they decide."
        ),
        "success",
    )
    return see_other(grant_url(grant))


# --- the list of applications ----------------------------------------------------------------


@bp.get("/<slug>/applications")
@login_required
def applications(slug: str):
    fund = load_fund(slug)
    person = viewer()
    everyone = rules.sees_applications(person, fund)
    query = select(Grant).where(Grant.fund_id == fund.id).order_by(Grant.number)
    if not everyone:
        query = query.where(Grant.applicant_id == person.id)
    grants = list(db.session.scalars(query))
    groups = [(status, [g for g in grants if g.status == status]) for status in rules.STATUSES]
    return render(
        "grants/applications.html",
        fund,
        tab="applications",
        everyone=everyone,
        grants=grants,
        groups=[(status, listed) for status, listed in groups if listed],
        may_apply=rules.can_apply(person, fund, today()),
    )


# --- a grant's application and decision ------------------------------------------------------


def grant_page_context(grant: Grant, accept_form=None) -> dict:
    person = viewer()
    panel = rules.sees_applications(person, grant.fund)
    return {
        # For the deciding partial (grants/_decision.html): only for the people who decide.
        "declarations": steps.declarations(grant) if panel else [],
        "views": steps.views(grant) if panel else [],
        "count": steps.panel_count(grant) if panel else None,
        "terms": agreement.terms(grant, grant.fund, day=_day),
        "holder": agreement.money_holder(grant),
        "accept_form": accept_form or AcceptForm(formdata=None),
        "can_accept": rules.can_accept(person, grant),
        "DECIDED_BY": rules.DECIDED_BY,
        "RECIPIENT_KINDS": rules.RECIPIENT_KINDS,
    }


@bp.get("/<slug>/grants/<int:number>")
@login_required
def grant(slug: str, number: int):
    grant = load_grant(slug, number)
    return render_grant("grants/grant.html", grant, "application", **grant_page_context(grant))


@bp.post("/<slug>/grants/<int:number>/accept")
@login_required
def accept(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    if rules.is_grantee(person, grant) and grant.status != "awarded":
        # Sent twice, or the offer changed meanwhile: say where things stand.
        flash(_("There is no offer waiting for you to accept on this grant."), "error")
        return see_other(grant_url(grant))
    allow(rules.can_accept(person, grant))
    form = AcceptForm()
    if not form.validate_on_submit():
        return grant_form_errors(
            "grants/grant.html",
            grant,
            "application",
            "offer",
            "offer",
            **grant_page_context(grant, accept_form=form),
        )
    try:
        steps.accept(grant, by=person)
    except steps.StepRefused:
        db.session.rollback()
        flash(_("There is no offer waiting for you to accept on this grant."), "error")
        return see_other(grant_url(grant))
    db.session.commit()
    flash(
        _(
            "Thank you: you have accepted the offer. The grant has started, and the fund will "
            "arrange the payments."
        ),
        "success",
    )
    return see_other(grant_url(grant))
