"""Voting pages: the pots and whether you have voted, and a pot's ballot: online, entered by
a facilitator for someone who is there and agreed, or for a visitor at a drop-in by the
reference on the sign-in sheet. Paper ballots are ``budgeting.paper``.

Every decision is asked of ``budgeting.rules``; saving a ballot is ``budgeting.ballots``.
Audit rows say that a ballot was cast, never what was chosen.
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from participate.audit import record
from participate.budgeting import ballots, counting, rules
from participate.budgeting.forms.voting import (
    AssistedBallotForm,
    BallotForm,
    read_choices,
    typed_points,
)
from participate.budgeting.models import GrantRound, Pot
from participate.budgeting.views import (
    add_problems,
    allow,
    area_words,
    bp,
    load_pot,
    load_round,
    render,
    render_form_errors,
    render_round_block,
    subject,
    today,
    viewer,
)
from participate.extensions import db
from participate.money import format_whole
from participate.text import N_
from participate.web.htmx import is_htmx, see_other

MONEY_PARAMS = ("total", "budget", "least")


# --- who may vote, in plain words ------------------------------------------------------------


def refusal(person, rnd: GrantRound) -> str | None:
    """Why ``person`` may not vote in ``rnd`` now (translated), or None when they may."""
    now = today()
    if rules.may_vote(person, rnd, now):
        return None
    if not rules.at_or_after(rnd, "voting"):
        if rnd.voting_from:
            return _(
                "Voting is not open yet. It opens on %(date)s.",
                date=format_date(rnd.voting_from, "d MMMM yyyy"),
            )
        return _("Voting is not open yet.")
    if not rules.voting_open(rnd, now):
        if rnd.results_from:
            last = rnd.results_from - timedelta(days=1)
            return _(
                "Voting has closed. The last day to vote was %(date)s.",
                date=format_date(last, "d MMMM yyyy"),
            )
        return _("Voting has closed.")
    if person is None:
        return _("Sign in first to vote.")
    group = rnd.members_space or rnd.space
    return _("Only members of %(group)s can vote in this round.", group=group.name)


def _declaration_labels(form: BallotForm, rnd: GrantRound, name: str | None) -> None:
    """Name the area, the age and (when someone is helped) the voter in the declaration."""
    if name is None:
        form.declare_area.label.text = _("I live, work or study in %(area)s", area=area_words(rnd))
        form.declare_age.label.text = _("I am %(n)s or older", n=rnd.vote_age_from)
    else:
        form.declare_area.label.text = _(
            "%(name)s lives, works or studies in %(area)s", name=name, area=area_words(rnd)
        )
        form.declare_age.label.text = _(
            "%(name)s is %(n)s or older", name=name, n=rnd.vote_age_from
        )


def _declaration_problems(form: BallotForm, rnd: GrantRound) -> list[rules.Problem]:
    if not rules.needs_declaration(rnd, rnd.who_votes):
        return []
    problems = []
    if not form.declare_area.data:
        problems.append(
            rules.Problem("declare_area", N_("Tick to confirm this: only people here can vote."))
        )
    if rnd.vote_age_from and not form.declare_age.data:
        problems.append(rules.Problem("declare_age", N_("Tick to confirm the age to vote.")))
    return problems


def _money_problems(rnd: GrantRound, problems: list[rules.Problem]) -> list[rules.Problem]:
    """Show amounts in a knapsack ballot's messages as money."""
    if rnd.ballot_type != "knapsack":
        return problems
    return [
        rules.Problem(
            p.field,
            p.message,
            {
                k: format_whole(v, rnd.currency) if k in MONEY_PARAMS else v
                for k, v in p.params.items()
            },
        )
        for p in problems
    ]


# --- a ballot's state ------------------------------------------------------------------------


def _costs(projects) -> dict[int, int]:
    return {p.id: p.cost for p in projects}


def running_total(rnd: GrantRound, pot: Pot, projects, choices) -> dict:
    """What the voter has chosen so far, for the running total."""
    costs = _costs(projects)
    picked = {pid: p for pid, p in choices.items() if isinstance(p, int) and p > 0}
    spent = sum(costs.get(pid, 0) for pid in picked)
    used = sum(picked.values())
    return {
        "picked": len(picked),
        "spent": spent,
        "left": pot.amount - spent,
        "used": used,
        "points_left": (rnd.points or 0) - used,
        "least": rules.least_spend(rnd, pot.amount),
    }


def _ballot_context(rnd, pot, form, choices, typed=None, point_errors=None, **extra):
    projects = counting.on_ballot(pot)
    if typed is None:
        typed = {p.id: str(choices.get(p.id, "") or "") for p in projects}
    return dict(
        pot=pot,
        projects=projects,
        form=form,
        choices=choices,
        typed=typed,
        point_errors={pid: _(msg) for pid, msg in (point_errors or {}).items()},
        total=running_total(rnd, pot, projects, choices),
        needs_declaration=rules.needs_declaration(rnd, rnd.who_votes),
        BALLOT_LABELS=rules.BALLOT_LABELS,
        **extra,
    )


def ballot_page(template, rnd, block, target, status=200, tab="vote", **context):
    """A whole page, or for htmx just ``block`` (a 422 retargets to ``target``)."""
    if not is_htmx():
        return render(template, rnd, status=status, tab=tab, **context)
    if status == 422:
        return render_form_errors(template, rnd, block, target, tab=tab, **context)
    return render_round_block(template, rnd, block, status, tab=tab, **context)


def read_ballot(rnd, pot, form):
    """The posted choices, with every problem put on ``form``; True when it can be saved."""
    projects = counting.on_ballot(pot)
    ids = [p.id for p in projects]
    choices, point_errors = read_choices(request.form, rnd.ballot_type, ids)
    valid = form.validate_on_submit()
    problems = []
    if point_errors:
        problems.append(
            rules.Problem("", N_("Some points are not whole numbers: look at the projects marked."))
        )
    else:
        problems = _money_problems(
            rnd, rules.ballot_problems(rnd, pot.amount, _costs(projects), choices)
        )
    add_problems(form, problems)
    return choices, point_errors, valid and not problems


def _checked(template, rnd, pot, form, **page):
    """The ballot again with its running total, nothing saved: the "Check my total" button
    (without JavaScript the total is worked out here)."""
    ids = [p.id for p in counting.on_ballot(pot)]
    choices, point_errors = read_choices(request.form, rnd.ballot_type, ids)
    context = _ballot_context(
        rnd, pot, form, choices, typed_points(request.form, ids), point_errors, **page
    )
    return ballot_page(template, rnd, "ballot_form", "ballot-form", **context)


# --- the pots --------------------------------------------------------------------------------


def figures_text(figures: dict) -> str:
    text = _(
        "So far: %(online)s online, %(assisted)s with help, %(paper)s on paper",
        online=figures["online"],
        assisted=figures["assisted"],
        paper=figures["paper"],
    )
    if figures.get("imported"):
        text += _(", %(n)s from an imported file", n=figures["imported"])
    if figures["waiting"]:
        text += " " + _("(%(n)s more waiting to be checked)", n=figures["waiting"])
    return text


@bp.get("/<slug>/vote/")
def vote(slug: str):
    rnd = load_round(slug)
    person, helper = subject(rnd), viewer()
    pots = []
    for pot in rnd.pots:
        mine = ballots.find(pot.id, ballots.person_key(person.id)) if person else None
        pots.append(
            {
                "pot": pot,
                "ballot": mine,
                "figures": figures_text(counting.ballot_figures(pot)),
                "projects": len(counting.on_ballot(pot)),
            }
        )
    return render(
        "budgeting/vote.html",
        rnd,
        tab="vote",
        pots=pots,
        refusal=refusal(person, rnd),
        signed_in=helper is not None,
        helped=person if helper is not None and person.id != helper.id else None,
        may_assist=rules.can_assist_voter(helper, rnd, today()),
        who_votes=rules.WHO_VOTES[rnd.who_votes],
        area=area_words(rnd),
        last_day=rnd.results_from - timedelta(days=1) if rnd.results_from else None,
    )


# --- a ballot --------------------------------------------------------------------------------


def _helped(rnd):
    """The person a facilitator is voting for, or None when people vote for themselves."""
    person, helper = subject(rnd), viewer()
    if person is not None and helper is not None and person.id != helper.id:
        return person
    return None


@bp.route("/<slug>/vote/<int:pot_id>", methods=["GET", "POST"])
def ballot(slug: str, pot_id: int):
    rnd = load_round(slug)
    pot = load_pot(rnd, pot_id)
    person, helped = subject(rnd), _helped(rnd)
    form = BallotForm()
    _declaration_labels(form, rnd, helped.chosen_name if helped else None)
    reason = refusal(person, rnd)
    mine = ballots.find(pot.id, ballots.person_key(person.id)) if person else None
    page = dict(refusal=reason, helped=helped, existing=mine)

    if request.method == "GET" or reason is not None:
        context = _ballot_context(rnd, pot, form, ballots.chosen(mine), **page)
        status = 403 if request.method == "POST" else 200
        return render("budgeting/ballot.html", rnd, status=status, tab="vote", **context)

    projects = counting.on_ballot(pot)
    if request.form.get("action") == "check":
        return _checked("budgeting/ballot.html", rnd, pot, form, **page)

    choices, point_errors, ok = read_ballot(rnd, pot, form)
    ok = ok and not add_problems(form, _declaration_problems(form, rnd))
    if not ok:
        context = _ballot_context(
            rnd,
            pot,
            form,
            choices,
            typed_points(request.form, [p.id for p in projects]),
            point_errors,
            **page,
        )
        return ballot_page(
            "budgeting/ballot.html", rnd, "ballot_form", "ballot-form", 422, **context
        )

    helper = viewer()
    cast = ballots.cast(
        pot,
        ballots.person_key(person.id),
        choices,
        source="assisted" if helped else "online",
        person_id=person.id,
        recorded_by_id=helper.id if helped else None,
        found=mine,
    )
    verb = "Cast" if cast.created else "Changed"
    if helped:
        summary = f"{verb} a vote in {pot.name} for {helped.chosen_name}, who is here and agreed"
    else:
        summary = f"{verb} their vote in {pot.name}"
    record(
        "budgeting.ballot_cast" if cast.created else "budgeting.ballot_changed",
        summary,
        cast.ballot,
        space=rnd.space,
        visibility="private",
        on_behalf_of=helped,
    )
    db.session.commit()
    return see_other(url_for("budgeting.ballot_saved", slug=slug, pot_id=pot_id))


@bp.post("/<slug>/vote/<int:pot_id>/total")
def ballot_total(slug: str, pot_id: int):
    """The running total as the voter ticks (htmx), without saving anything."""
    rnd = load_round(slug)
    pot = load_pot(rnd, pot_id)
    projects = counting.on_ballot(pot)
    choices, _point_errors = read_choices(request.form, rnd.ballot_type, [p.id for p in projects])
    return render_round_block(
        "budgeting/ballot_total.html",
        rnd,
        "total",
        tab="vote",
        pot=pot,
        total=running_total(rnd, pot, projects, choices),
    )


@bp.get("/<slug>/vote/<int:pot_id>/saved")
def ballot_saved(slug: str, pot_id: int):
    rnd = load_round(slug)
    pot = load_pot(rnd, pot_id)
    person = subject(rnd)
    mine = ballots.find(pot.id, ballots.person_key(person.id)) if person else None
    if mine is None:
        return redirect(url_for("budgeting.ballot", slug=slug, pot_id=pot.id))
    points = ballots.chosen(mine)
    chosen = [(p, points[p.id]) for p in counting.on_ballot(pot) if p.id in points]
    return render(
        "budgeting/ballot_saved.html",
        rnd,
        tab="vote",
        pot=pot,
        ballot=mine,
        chosen=chosen,
        helped=_helped(rnd),
        may_change=rules.voting_open(rnd, today()),
    )


@bp.route("/<slug>/vote/<int:pot_id>/assisted", methods=["GET", "POST"])
def ballot_assisted(slug: str, pot_id: int):
    """A facilitator enters the vote of someone at a drop-in who has no account, under the
    reference on the drop-in's sign-in sheet."""
    rnd = load_round(slug)
    pot = load_pot(rnd, pot_id)
    helper = viewer()
    allow(rules.can_assist_voter(helper, rnd, today()))
    form = AssistedBallotForm()
    _declaration_labels(form, rnd, _("This person"))
    if request.method == "GET":
        context = _ballot_context(rnd, pot, form, {})
        return render("budgeting/ballot_assisted.html", rnd, tab="vote", **context)

    projects = counting.on_ballot(pot)
    if request.form.get("action") == "check":
        return _checked("budgeting/ballot_assisted.html", rnd, pot, form)
    choices, point_errors, ok = read_ballot(rnd, pot, form)
    ok = ok and not add_problems(form, _declaration_problems(form, rnd))
    if not ok:
        context = _ballot_context(
            rnd,
            pot,
            form,
            choices,
            typed_points(request.form, [p.id for p in projects]),
            point_errors,
        )
        return ballot_page(
            "budgeting/ballot_assisted.html", rnd, "ballot_form", "ballot-form", 422, **context
        )
    ref = form.ref.data
    cast = ballots.cast(
        pot, ballots.assisted_key(ref), choices, source="assisted", recorded_by_id=helper.id
    )
    record(
        "budgeting.ballot_assisted",
        f"{'Entered' if cast.created else 'Changed'} the vote in {pot.name} of {ref}, "
        "who was at a drop-in and agreed",
        cast.ballot,
        space=rnd.space,
        visibility="private",
    )
    db.session.commit()
    if cast.created:
        flash(_("Saved the vote for %(ref)s.", ref=ref), "success")
    else:
        flash(
            _(
                "Changed the vote for %(ref)s: these choices replace the ones entered before.",
                ref=ref,
            ),
            "success",
        )
    return see_other(url_for("budgeting.ballot_assisted", slug=slug, pot_id=pot.id))
