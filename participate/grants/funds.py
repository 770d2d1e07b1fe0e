"""Funds: the list of funds, setting one up, its settings (moving it on, adding money), and
the public fund page (the money, the dates, the grants so far, a burn-down of money against
time left, who decided the money, and the register of interests summed up).

Council officers of the fund's organisation (and site admins) run a fund; a fund being set up
is invisible (404) to everyone else. Every decision asks ``grants.rules`` or the pure sums in
``grants.burndown``; money comes in only through ``steps.add_money``.
"""

from __future__ import annotations

from datetime import date

from flask import flash, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select

from participate.accounts import spaces
from participate.accounts.hosting import hosted_by, organisations_run_by
from participate.accounts.models import Organisation
from participate.extensions import db
from participate.grants import books, burndown, fund_rules, register, rules, steps
from participate.grants.forms.funds import (
    SETTINGS,
    AddMoneyForm,
    FundSettingsForm,
    MoveFundForm,
    NewFundForm,
)
from participate.grants.models import Fund, Grant, LedgerAccount, LedgerPosting, LedgerTransaction
from participate.grants.views import (
    add_problems,
    allow,
    bp,
    load_fund,
    money_problems,
    render,
    render_form_errors,
    today,
    viewer,
)
from participate.money import format_money
from participate.problems import Problem, refusal_text
from participate.text import N_
from participate.web.htmx import form_errors, is_htmx, see_other

AWARDED = ("awarded", "active", "closing", "cancelled")  # listed as "grants awarded so far"
MONEY_FIELDS = ("micro_limit", "max_grant", "two_approvals_above", "reallocation_limit")


def _show_problems(form, problems: list[Problem], currency: str) -> bool:
    """Put the fund's problems next to their fields, money and dates written for people."""
    dated = []
    for p in problems:
        params = dict(p.params)
        if "closure" in params:
            params["closure"] = format_date(date.fromisoformat(params["closure"]), "d MMMM yyyy")
        dated.append(Problem(p.field, p.message, params))
    return add_problems(form, money_problems(dated, currency))


def _problems(form, *, today_=None) -> list[Problem]:
    money = {name: form[name].data for name in MONEY_FIELDS}
    if "total" in form:
        money["total"] = form["total"].data
    return fund_rules.settings_problems(
        opens_on=form.opens_on.data,
        ends_on=form.ends_on.data,
        closure_window_months=form.closure_window_months.data,
        today=today_,
        **money,
    )


# --- every fund ------------------------------------------------------------------------------


def render_template_page(template: str, status: int = 200, **context):
    return render_template(template, **context), status


@bp.get("/")
def index():
    person = viewer()
    funds = db.session.scalars(select(Fund).order_by(Fund.ends_on, Fund.id)).all()
    visible = [f for f in funds if rules.can_view_fund(person, f)]
    return render_template_page(
        "grants/index.html",
        being_set_up=[f for f in visible if f.status == "draft"],
        open_now=[f for f in visible if f.status == "open"],
        paused=[f for f in visible if f.status == "paused"],
        closed=[f for f in visible if f.status == "closed"],
        organisations=organisations_run_by(person, rules.manages),
        FUND_STATUS_LABELS=rules.FUND_STATUS_LABELS,
    )


# --- setting up a fund -----------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    person = viewer()
    org = db.session.scalar(
        select(Organisation).where(Organisation.slug == request.args.get("organisation", ""))
    )
    allow(org is not None and rules.manages(person, hosted_by(org)))
    form = NewFundForm()
    context = dict(form=form, organisation=org)
    if request.method == "GET":
        return render_template_page("grants/fund_new.html", **context)
    valid = form.validate_on_submit()
    if valid and _show_problems(form, _problems(form, today_=today()), form.currency.data):
        valid = False
    if not valid:
        if is_htmx():
            return form_errors("grants/fund_new.html", "new_fund_form", "new-fund-form", **context)
        return render_template_page("grants/fund_new.html", 422, **context)
    settings = {name: form[name].data for name in SETTINGS if name not in ("name", "ends_on")}
    settings["summary"] = settings["summary"] or None
    settings["reallocation_limit"] = settings["reallocation_limit"] or 0
    fund = steps.create_fund(
        org,
        form.name.data,
        ends_on=form.ends_on.data,
        by=person,
        total=form.total.data or 0,
        visibility=form.visibility.data,
        status="draft",
        **settings,
    )
    db.session.commit()
    flash(
        _("The fund is set up. Only the people who run your funds can see it until you open it."),
        "success",
    )
    return see_other(url_for("grants.settings", slug=fund.slug))


# --- the settings ----------------------------------------------------------------------------


def _has_money_movements(fund: Fund) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(LedgerTransaction.id)).where(LedgerTransaction.fund_id == fund.id)
        )
    )


def _moves(fund: Fund) -> list[dict]:
    return [
        {
            "to": to,
            "label": fund_rules.MOVE_LABELS[(fund.status, to)],
            "about": fund_rules.MOVE_ABOUT[(fund.status, to)],
        }
        for to in fund_rules.FUND_MOVES[fund.status]
    ]


def _settings_context(fund: Fund, **context) -> dict:
    return {
        "form": context.pop("form", None) or FundSettingsForm(obj=fund, formdata=None),
        "money_form": context.pop("money_form", None) or AddMoneyForm(formdata=None),
        "move_form": MoveFundForm(formdata=None),
        "moves": _moves(fund),
        "move_problems": context.pop("move_problems", []),
        "fund_money": books.fund_money(fund),
        "currency_fixed": _has_money_movements(fund),
        **context,
    }


def _render_settings(fund: Fund, status: int = 200, **context):
    return render(
        "grants/settings.html", fund, status, tab="settings", **_settings_context(fund, **context)
    )


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    fund = load_fund(slug)
    person = viewer()
    allow(rules.manages(person, fund))
    if request.method == "GET":
        return _render_settings(fund)
    form = FundSettingsForm()
    valid = form.validate_on_submit()
    if valid:
        dates_changed = (form.opens_on.data, form.ends_on.data) != (fund.opens_on, fund.ends_on)
        problems = _problems(form, today_=today() if dates_changed else None)
        if form.currency.data != fund.currency and _has_money_movements(fund):
            problems.append(
                Problem("currency", N_("The currency is fixed once money has come into the fund."))
            )
        if _show_problems(form, problems, fund.currency):
            valid = False
    if not valid:
        return render_form_errors(
            "grants/settings.html",
            fund,
            "settings_form",
            "settings-form",
            tab="settings",
            **_settings_context(fund, form=form),
        )
    values = {name: form[name].data for name in SETTINGS}
    values["summary"] = values["summary"] or None
    values["reallocation_limit"] = values["reallocation_limit"] or 0
    changed = steps.change_fund(fund, values, by=person)
    db.session.commit()
    flash(_("The settings are saved.") if changed else _("Nothing had changed."), "success")
    return see_other(url_for("grants.settings", slug=slug))


@bp.post("/<slug>/settings/status")
@login_required
def settings_status(slug: str):
    fund = load_fund(slug)
    person = viewer()
    allow(rules.manages(person, fund))
    form = MoveFundForm()
    to = form.to.data if form.validate_on_submit() else ""
    problems = fund_rules.move_problems(
        fund.status,
        to,
        money_in=books.fund_money(fund).total,
        ends_on=fund.ends_on,
        today=today(),
        grant_statuses=[g.status for g in fund.grants],
    )
    if problems:
        messages = [_(p.message, **p.params) for p in problems]
        return _render_settings(fund, 422, move_problems=messages)
    steps.move_fund(fund, to, by=person)
    db.session.commit()
    flash(_("The fund is now: %(status)s.", status=_(rules.FUND_STATUS_LABELS[to])), "success")
    return see_other(
        url_for("grants.show", slug=slug) if to == "open" else url_for("grants.settings", slug=slug)
    )


@bp.post("/<slug>/settings/money")
@login_required
def settings_money(slug: str):
    fund = load_fund(slug)
    person = viewer()
    allow(rules.manages(person, fund))
    form = AddMoneyForm()
    valid = form.validate_on_submit()
    if valid:
        problems = []
        if fund.status == "closed":
            problems.append(Problem("amount", N_("A closed fund takes no more money.")))
        elif not form.amount.data or form.amount.data <= 0:
            problems.append(Problem("amount", N_("Add more than nothing.")))
        if _show_problems(form, problems, fund.currency):
            valid = False
    if valid:
        try:
            steps.add_money(
                fund,
                form.amount.data,
                by=person,
                memo=form.note.data,
                reference=form.reference.data or None,
            )
        except (steps.StepRefused, books.LedgerRefused) as refused:
            db.session.rollback()
            form.amount.errors = [*form.amount.errors, refusal_text(refused)]
            form._errors = None
            valid = False
    if not valid:
        return render_form_errors(
            "grants/settings.html",
            fund,
            "money_form",
            "money-form",
            tab="settings",
            **_settings_context(fund, money_form=form),
        )
    db.session.commit()
    flash(
        _("%(amount)s is added to the fund.", amount=format_money(form.amount.data, fund.currency)),
        "success",
    )
    return see_other(url_for("grants.settings", slug=slug) + "#money")


# --- the public fund page --------------------------------------------------------------------


def _movements(fund: Fund) -> list[burndown.Movement]:
    rows = db.session.execute(
        select(LedgerTransaction.occurred_on, LedgerAccount.kind, func.sum(LedgerPosting.amount))
        .join(LedgerPosting, LedgerPosting.transaction_id == LedgerTransaction.id)
        .join(LedgerAccount, LedgerAccount.id == LedgerPosting.account_id)
        .where(LedgerTransaction.fund_id == fund.id, LedgerAccount.kind.in_(("income", "paid")))
        .group_by(LedgerTransaction.occurred_on, LedgerAccount.kind)
    ).all()
    return [
        burndown.Movement(
            on,
            into=-int(amount) if kind == "income" else 0,
            paid=int(amount) if kind == "paid" else 0,
        )
        for on, kind, amount in rows
    ]


def _burndown(fund: Fund, total: int):
    movements = _movements(fund)
    if not movements:
        return None, []
    starts = [m.on for m in movements]
    if fund.opens_on is not None:
        starts.append(fund.opens_on)
    start = min(starts) if starts else fund.created_at.date()
    if start >= fund.ends_on:
        return None, []
    points = burndown.series(movements, start, fund.ends_on, today(), total)
    return burndown.chart(points, start, fund.ends_on, today(), rules.closure_starts(fund)), points


@bp.get("/<slug>")
def show(slug: str):
    fund = load_fund(slug)
    money = books.fund_money(fund)
    grants = db.session.scalars(
        select(Grant)
        .where(Grant.fund_id == fund.id, Grant.status.in_((*AWARDED, "closed")))
        .order_by(Grant.number)
    ).all()
    chart, points = _burndown(fund, money.total)
    now = today()
    return render(
        "grants/fund.html",
        fund,
        tab="about",
        money=money,
        awarded=[g for g in grants if g.status in AWARDED],
        closed=[g for g in grants if g.status == "closed"],
        public_recipient=rules.public_recipient,
        PRIVATE_RECIPIENT=rules.PRIVATE_RECIPIENT,
        closure_starts=rules.closure_starts(fund),
        applications_open=rules.applications_open(fund, now),
        chart=chart,
        points=points,
        left_now=next((p.left for p in reversed(points) if p.left is not None), None),
        even_now=burndown.even_pace(money.total, points[0].on, fund.ends_on, now)
        if points
        else None,
        shares=burndown.shares((g.decided_by, g.amount_awarded or 0) for g in grants),
        register_summary=register.public_summary(fund),
        DECIDED_BY=rules.DECIDED_BY,
    )


def _fund_space_words(space) -> str | None:
    """A fund's space is called a fund (its kind is a grant round's, for its panel's roles)."""
    if db.session.scalar(select(Fund.id).where(Fund.space_id == space.id)) is None:
        return None
    return _("Small-grant fund")


spaces.space_kind_words["grant_round"] = _fund_space_words
