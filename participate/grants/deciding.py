"""Deciding on applications: each panel member's declaration of interest (and stepping out
when they have one), their view, the decision the people who run the fund record (an award or
a decline, never against the panel), taking an application to a consent round, the register
of declarations, and awards from the winners of a residents' vote.

The grant page (``applying``) includes ``templates/grants/_decision.html``; that partial asks
``decision_state(grant)`` (given to templates here) for everything it shows, so the page needs
no more than ``grant`` in its context. Every permission is asked of ``grants.rules`` and
``grants.deciding_rules``; every change goes through ``grants.steps``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import exists, select

from participate.accounts.models import Person, Space
from participate.budgeting.counting import latest_result
from participate.budgeting.models import BudgetProject, GrantRound, Override, Pot, Result
from participate.decisions import steps as decision_steps
from participate.decisions.models import Proposal
from participate.extensions import db
from participate.grants import books, deciding_rules, register, rules, steps
from participate.grants.books import LedgerRefused
from participate.grants.forms.deciding import (
    AwardForm,
    ButtonForm,
    DeclareForm,
    DeclineForm,
    FromRoundForm,
    ViewForm,
)
from participate.grants.models import Declaration, Fund, Grant, PanelView
from participate.grants.views import (
    _fund_context,
    add_problems,
    allow,
    bp,
    load_fund,
    load_grant,
    money_problems,
    render,
    render_grant,
    viewer,
)
from participate.money import format_money
from participate.problems import refusal_text
from participate.web.htmx import is_htmx, see_other

DECISION_ID = "decision"


# --- what the decision part of the grant page shows ------------------------------------------


@dataclass
class DecisionState:
    """Everything ``_decision.html`` shows, for the person looking."""

    declarations: list[Declaration]
    views: list[PanelView]
    count: rules.PanelCount
    needed: int  # views one way that decide it (one for a micro-grant)
    given: int  # views given by members who have not stepped out
    mine: Declaration | None
    my_view: PanelView | None
    on_panel: bool
    sees_register: bool  # the panel and the people who run the fund
    may_declare: bool
    may_view: bool
    stepped_out: bool
    manages: bool
    may_decide: bool
    outcome: str | None  # "fund", "not_fund" or None while undecided
    proposal: Proposal | None
    may_take_to_consent: bool
    available: int
    decider: Person | None  # who recorded the decision
    not_declared: list[Person]  # panel members yet to declare (for the panel and managers)
    declare_form: DeclareForm
    view_form: ViewForm
    award_form: AwardForm
    decline_form: DeclineForm
    button_form: ButtonForm


def _proposal(grant: Grant) -> Proposal | None:
    return db.session.get(Proposal, grant.proposal_id) if grant.proposal_id else None


def decision_state(grant: Grant, forms: dict | None = None) -> DecisionState:
    forms = forms if isinstance(forms, dict) else {}
    person = viewer()
    fund = grant.fund
    declarations = list(steps.declarations(grant))
    views = list(steps.views(grant))
    panel = steps.panel_ids(fund)
    count = rules.panel_count(panel, declarations, views, grant.micro)
    mine = deciding_rules.my_declaration(person, declarations)
    my_view = deciding_rules.my_view(person, views)
    proposal = _proposal(grant)
    outcome = deciding_rules.outcome(fund.decides_by, count, proposal.state if proposal else None)
    sees = rules.sees_register(person, fund)
    declared = {d.person_id for d in declarations}
    waiting = [i for i in panel if i not in declared]
    not_declared = (
        list(db.session.scalars(select(Person).where(Person.id.in_(waiting))))
        if sees and waiting and grant.status == "applied"
        else []
    )

    declare_form = forms.get("declare_form") or DeclareForm(
        formdata=None,
        data={
            "declared": ("interest" if mine.has_interest else "none") if mine else None,
            "interest": mine.interest if mine else None,
        },
    )
    view_form = forms.get("view_form") or ViewForm(
        formdata=None,
        data={
            "view": my_view.choice if my_view else None,
            "view_note": my_view.note if my_view else None,
        },
    )
    award_form = forms.get("award_form") or AwardForm(
        formdata=None, data={"amount": grant.amount_requested, "ends_on": grant.planned_end}
    )
    return DecisionState(
        declarations=declarations,
        views=views,
        count=count,
        needed=count.needed,
        given=count.fund + count.not_fund,
        mine=mine,
        my_view=my_view,
        on_panel=rules.on_panel(person, fund),
        sees_register=sees,
        may_declare=rules.can_declare(person, grant),
        may_view=rules.can_give_view(person, grant, declarations),
        stepped_out=person is not None and rules.recused(person, declarations),
        manages=rules.manages(person, fund),
        may_decide=rules.can_decide(person, grant, declarations),
        outcome=outcome,
        proposal=proposal,
        may_take_to_consent=deciding_rules.can_take_to_consent(person, grant, declarations),
        available=books.fund_money(fund).available,
        decider=db.session.get(Person, grant.decided_by_id) if grant.decided_by_id else None,
        not_declared=not_declared,
        declare_form=declare_form,
        view_form=view_form,
        award_form=award_form,
        decline_form=forms.get("decline_form") or DeclineForm(formdata=None),
        button_form=ButtonForm(formdata=None),
    )


@bp.context_processor
def _decision_helpers():
    return {
        "decision_state": decision_state,
        "INTEREST_CHOICES": deciding_rules.INTEREST_CHOICES,
        "VIEW_CHOICES": deciding_rules.VIEW_CHOICES,
        "DECIDED_BY": rules.DECIDED_BY,
    }


def _grant_url(grant: Grant) -> str:
    """Back to the grant page at the panel's part. (Not for htmx: its redirect to the same
    page with only an anchor added would scroll, not load the page again.)"""
    url = url_for("grants.grant", slug=grant.fund.slug, number=grant.number)
    return url if is_htmx() else f"{url}#{DECISION_ID}"


def _context(grant: Grant, forms: dict) -> dict:
    """The grant page's context (``applying`` builds it), with the filled decision forms."""
    from participate.grants import applying

    return {**applying.grant_page_context(grant), "decision_forms": forms}


def _form_errors(grant: Grant, **forms):
    """A decision form that did not validate: 422 with the filled form and its messages. With
    htmx, just the decision part, swapped in place; otherwise the whole grant page."""
    if is_htmx():
        page = _fund_context(
            grant.fund,
            "applications",
            {
                "decision_forms": forms,
                "grant": grant,
                "is_grantee": rules.is_grantee(viewer(), grant),
                "STATUS_LABELS": rules.STATUS_LABELS,
            },
        )
        response = make_response(render_template("grants/_decision.html", **page), 422)
        response.headers["HX-Retarget"] = f"#{DECISION_ID}"
        response.headers["HX-Reswap"] = "outerHTML"
        response.vary.add("HX-Request")
        return response
    return render_grant(
        "grants/grant.html", grant, "application", status=422, **_context(grant, forms)
    )


def _refused(grant: Grant, message: str):
    flash(message, "error")
    return see_other(_grant_url(grant))


# --- declaring and giving a view -------------------------------------------------------------


@bp.post("/<slug>/grants/<int:number>/declare")
@login_required
def declare_interest(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(rules.on_panel(person, grant.fund))
    if not rules.can_declare(person, grant):
        return _refused(grant, _("This application has been decided: declarations are closed."))
    form = DeclareForm()
    valid = form.validate_on_submit()
    if not form.declared.errors:
        valid = (
            not add_problems(
                form, deciding_rules.declaration_problems(form.declared.data, form.interest.data)
            )
            and valid
        )
    if not valid:
        return _form_errors(grant, declare_form=form)
    has_interest = form.declared.data == "interest"
    try:
        steps.declare(
            grant,
            person,
            has_interest=has_interest,
            interest=form.interest.data if has_interest else None,
        )
    except steps.StepRefused:
        db.session.rollback()
        return _refused(grant, _("You cannot declare on this application now."))
    db.session.commit()
    if has_interest:
        flash(
            _("Thank you. You declared an interest, so you are stepping out of deciding this one."),
            "success",
        )
    else:
        flash(_("Thank you. You declared no interest: you can now give your view."), "success")
    return see_other(_grant_url(grant))


@bp.post("/<slug>/grants/<int:number>/view")
@login_required
def give_view(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(rules.on_panel(person, grant.fund))
    declarations = steps.declarations(grant)
    if not rules.can_give_view(person, grant, declarations):
        if grant.status != "applied":
            return _refused(grant, _("This application has been decided."))
        if rules.recused(person, declarations):
            return _refused(
                grant,
                _(
                    "You declared an interest, so you are stepping out of "
                    "deciding this one. Your view is not asked for."
                ),
            )
        if grant.fund.decides_by != "panel":
            return _refused(grant, _("This fund does not decide by the panel's views."))
        return _refused(grant, _("First say whether you have an interest in this application."))
    form = ViewForm()
    if not form.validate_on_submit():
        return _form_errors(grant, view_form=form)
    try:
        steps.give_view(grant, person, choice=form.view.data, note=form.view_note.data or None)
    except steps.StepRefused:
        db.session.rollback()
        return _refused(grant, _("You cannot give a view on this application now."))
    db.session.commit()
    flash(
        _("Thank you: your view is saved. You can change it until the decision is made."), "success"
    )
    return see_other(_grant_url(grant))


# --- the decision ----------------------------------------------------------------------------


def _deciding(grant: Grant):
    """The person recording the decision, and why they cannot yet (``None`` when they can)."""
    person = viewer()
    allow(rules.manages(person, grant.fund))
    declarations = steps.declarations(grant)
    if grant.status != "applied":
        return _("This application has already been decided.")
    if rules.recused(person, declarations):
        return _(
            "You declared an interest in this application, so someone else records the decision."
        )
    if not rules.can_decide(person, grant, declarations):
        return _("You cannot record the decision on this application.")
    return None


def _outcome(grant: Grant) -> str | None:
    proposal = _proposal(grant)
    return deciding_rules.outcome(
        grant.fund.decides_by, steps.panel_count(grant), proposal.state if proposal else None
    )


def _decided_by(fund: Fund) -> str:
    return "consent" if fund.decides_by == "consent" else "panel"


@bp.post("/<slug>/grants/<int:number>/award")
@login_required
def award_grant(slug: str, number: int):
    grant = load_grant(slug, number)
    why_not = _deciding(grant)
    if why_not:
        return _refused(grant, why_not)
    if _outcome(grant) != "fund":
        return _refused(
            grant, _("The panel has not agreed to fund this application, so it cannot be awarded.")
        )
    form = AwardForm()
    valid = form.validate_on_submit()
    if not form.amount.errors:
        problems = rules.award_problems(
            form.amount.data, grant.amount_requested, books.fund_money(grant.fund).available
        )
        valid = not add_problems(form, money_problems(problems, grant.fund.currency)) and valid
    if not valid:
        return _form_errors(grant, award_form=form)
    try:
        steps.award(
            grant,
            form.amount.data,
            by=viewer(),
            decided_by=_decided_by(grant.fund),
            note=form.award_note.data or None,
            conditions=form.conditions.data or None,
            ends_on=form.ends_on.data,
        )
    except (steps.StepRefused, LedgerRefused) as refused:
        db.session.rollback()
        form.form_errors.append(
            _("The award could not be made: %(why)s", why=refusal_text(refused))
        )
        return _form_errors(grant, award_form=form)
    db.session.commit()
    flash(_("The grant is awarded. The applicant can now accept the offer."), "success")
    return see_other(_grant_url(grant))


@bp.post("/<slug>/grants/<int:number>/decline")
@login_required
def decline_grant(slug: str, number: int):
    grant = load_grant(slug, number)
    why_not = _deciding(grant)
    if why_not:
        return _refused(grant, why_not)
    if _outcome(grant) != "not_fund":
        return _refused(grant, _("The panel has not agreed to decline this application."))
    form = DeclineForm()
    if not form.validate_on_submit():
        return _form_errors(grant, decline_form=form)
    try:
        steps.decline(grant, by=viewer(), note=form.reason.data, decided_by=_decided_by(grant.fund))
    except steps.StepRefused:
        db.session.rollback()
        return _refused(grant, _("This application cannot be declined now."))
    db.session.commit()
    flash(_("The decision is recorded. The applicant will read your reason."), "success")
    return see_other(_grant_url(grant))


@bp.post("/<slug>/grants/<int:number>/consent-round")
@login_required
def consent_round(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(rules.manages(person, grant.fund))
    if not ButtonForm().validate_on_submit():
        return _refused(grant, _("This form had expired. Please send it again."))
    if not deciding_rules.can_take_to_consent(person, grant, steps.declarations(grant)):
        return _refused(grant, _("This application cannot go to a consent round now."))
    fund = grant.fund
    words = deciding_rules.proposal_words(
        grant, format_money(grant.amount_requested, fund.currency)
    )
    proposal = decision_steps.propose(
        decision_steps.circle_for(fund.space),
        person,
        person,
        f"Grant {grant.reference}: {grant.title}"[:200],
        **words,
    )
    grant.proposal_id = proposal.id
    db.session.commit()
    flash(_("The application is now a proposal for the panel's consent round."), "success")
    return see_other(_grant_url(grant))


# --- the register of declarations ------------------------------------------------------------


@bp.get("/<slug>/register", endpoint="register")
@login_required
def register_page(slug: str):
    fund = load_fund(slug)
    allow(rules.sees_register(viewer(), fund))
    grants = list(
        db.session.scalars(select(Grant).where(Grant.fund_id == fund.id).order_by(Grant.number))
    )
    rows = db.session.scalars(
        select(Declaration)
        .join(Grant, Grant.id == Declaration.grant_id)
        .where(Grant.fund_id == fund.id)
        .order_by(Declaration.declared_at, Declaration.id)
    ).all()
    by_grant: dict[int, list[Declaration]] = {}
    for d in rows:
        by_grant.setdefault(d.grant_id, []).append(d)
    panel = steps.panel_ids(fund)
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(panel)))}
    waiting = {
        g.id: [people[i] for i in panel if i not in {d.person_id for d in by_grant.get(g.id, [])}]
        for g in grants
        if g.status == "applied"
    }
    return render(
        "grants/register.html",
        fund,
        tab="register",
        grants=grants,
        by_grant=by_grant,
        waiting=waiting,
        summary=register.public_summary(fund),
        may_award_from_round=deciding_rules.can_award_from_round(viewer(), fund),
    )


# --- awards from residents' votes ------------------------------------------------------------


def _rounds_with_results(fund: Fund) -> list[GrantRound]:
    published = (
        select(Result.id)
        .join(Pot, Pot.id == Result.pot_id)
        .where(Pot.round_id == GrantRound.id, Result.published.is_(True))
    )
    return list(
        db.session.scalars(
            select(GrantRound)
            .join(Space, Space.id == GrantRound.space_id)
            .where(Space.organisation_id == fund.space.organisation_id, exists(published))
            .order_by(GrantRound.created_at.desc(), GrantRound.id.desc())
        )
    )


def _winners(rnd: GrantRound) -> list[tuple[Pot, Result | None, list[BudgetProject]]]:
    """Each pot's published result and its winning projects (the count's choice, changed by
    the council's published decisions)."""
    found = []
    for pot in rnd.pots:
        result = latest_result(pot, published_only=True)
        if result is None:
            found.append((pot, None, []))
            continue
        by_ref = {p.ref: p for p in pot.projects}
        by_id = {p.id: p for p in pot.projects}
        overrides = [
            (by_id[o.project_id].ref, o.funded)
            for o in db.session.scalars(
                select(Override)
                .where(Override.result_id == result.id)
                .order_by(Override.at, Override.id)
            )
            if o.project_id in by_id
        ]
        refs = deciding_rules.winners(result.outcome.get("selected", []), overrides)
        found.append((pot, result, [by_ref[r] for r in refs if r in by_ref]))
    return found


def _plan(fund: Fund, rnd: GrantRound):
    pots = _winners(rnd)
    ids = [p.id for _pot, _r, projects in pots for p in projects]
    made = (
        {
            g.project_id: g
            for g in db.session.scalars(select(Grant).where(Grant.project_id.in_(ids)))
        }
        if ids
        else {}
    )
    author_ids = {p.author_id for _pot, _r, projects in pots for p in projects if p.author_id}
    authors = (
        {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(author_ids)))}
        if author_ids
        else {}
    )
    plan = deciding_rules.plan_awards(
        [(pot.name, projects) for pot, _r, projects in pots],
        made,
        authors,
        books.fund_money(fund).available,
    )
    return pots, made, plan


def _from_round_page(
    fund: Fund,
    form: FromRoundForm,
    rnd: GrantRound | None,
    status: int = 200,
    problem: str | None = None,
):
    pots, made, plan = _plan(fund, rnd) if rnd is not None else ([], {}, None)
    return render(
        "grants/from_round.html",
        fund,
        status=status,
        tab="applications",
        form=form,
        rnd=rnd,
        pots=pots,
        made=made,
        plan=plan,
        problem=problem,
        button_form=ButtonForm(formdata=None),
    )


def _round_form(fund: Fund, rounds: list[GrantRound], formdata=None) -> FromRoundForm:
    form = FromRoundForm(formdata=formdata, meta={"csrf": False})
    form.round_id.choices = [(None, _("Choose a round"))] + [(r.id, r.title) for r in rounds]
    return form


@bp.route("/<slug>/from-round", methods=["GET", "POST"], endpoint="from_round")
@login_required
def from_round(slug: str):
    fund = load_fund(slug)
    allow(deciding_rules.can_award_from_round(viewer(), fund))
    rounds = _rounds_with_results(fund)
    chosen_id = request.values.get("round_id", type=int)
    rnd = next((r for r in rounds if r.id == chosen_id), None)
    if request.method == "GET":
        form = _round_form(fund, rounds, request.args if request.args else None)
        if chosen_id is not None and rnd is None:
            form.round_id.errors = [_("Choose one of these rounds.")]
        return _from_round_page(fund, form, rnd, status=200 if rnd or chosen_id is None else 422)
    form = _round_form(fund, rounds, request.form)
    if rnd is None:
        form.round_id.errors = [_("Choose one of these rounds.")]
        return _from_round_page(fund, form, None, status=422)
    if not ButtonForm().validate_on_submit():
        return _from_round_page(
            fund, form, rnd, status=422, problem=_("This form had expired. Please send it again.")
        )
    _pots, _made, plan = _plan(fund, rnd)
    if not plan.to_make:
        return _from_round_page(
            fund,
            form,
            rnd,
            status=422,
            problem=_("There is nothing left to turn into grants from this round."),
        )
    if not plan.enough:
        return _from_round_page(
            fund,
            form,
            rnd,
            status=422,
            problem=_(
                "The fund has only %(available)s left to award, and these grants need "
                "%(needed)s. Nothing was made: add money to the fund first.",
                available=format_money(plan.available, fund.currency),
                needed=format_money(plan.needed, fund.currency),
            ),
        )
    by = viewer()
    try:
        for w in plan.to_make:
            p, author = w.project, w.author
            grant = steps.apply(
                fund,
                author,
                title=p.title[:200],
                what=p.what or p.title,
                who_for=p.who_for,
                where_text=(p.where_text or "")[:200] or None,
                hope=p.hope,
                amount_requested=w.pence,
                recipient_kind="organisation" if p.group_name else "individual",
                recipient_name=(p.group_name or author.chosen_name)[:200],
                name_public=False,
            )
            grant.project_id = p.id
            db.session.flush()
            steps.award(
                grant,
                w.pence,
                by=by,
                decided_by="residents",
                note=f"Chosen by residents in {rnd.title}",
            )
    except (steps.StepRefused, LedgerRefused) as refused:
        db.session.rollback()
        return _from_round_page(
            fund,
            _round_form(fund, rounds, request.form),
            rnd,
            status=422,
            problem=_("Nothing was made: %(why)s", why=refusal_text(refused)),
        )
    db.session.commit()
    flash(
        ngettext(
            "%(num)s grant made from the residents' vote in %(round)s.",
            "%(num)s grants made from the residents' vote in %(round)s.",
            len(plan.to_make),
            round=rnd.title,
        ),
        "success",
    )
    if plan.no_author:
        flash(
            ngettext(
                "%(num)s winner has no one named as suggesting it, so it is not a grant yet: "
                "%(titles)s.",
                "%(num)s winners have no one named as suggesting them, so they are not grants "
                "yet: %(titles)s.",
                len(plan.no_author),
                titles=", ".join(w.project.title for w in plan.no_author),
            ),
            "warning",
        )
    return see_other(url_for("grants.from_round", slug=fund.slug, round_id=rnd.id))


def _stepped_out_of_consent(proposal) -> set[int]:
    """In the consent round for an application, the panel members who declared an interest
    in it, and the person who applied, step out of deciding it (``decisions.steps``)."""
    grant = db.session.scalar(select(Grant).where(Grant.proposal_id == proposal.id))
    if grant is None:
        return set()
    return {d.person_id for d in steps.declarations(grant) if d.has_interest} | {grant.applicant_id}


decision_steps.stepped_out_providers.append(_stepped_out_of_consent)
