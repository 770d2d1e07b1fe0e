"""Setting up and running a grant round: the list of rounds, starting one, its settings, its
pots, moving it from phase to phase, and the round page residents read first.

Council officers of the hosting council (and site admins) set a round up; every decision asks
``budgeting.rules``. A round being set up is invisible (404) to everyone else.
"""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select

from participate.accounts.hosting import hosted_by, organisations_run_by
from participate.accounts.models import Organisation, Space
from participate.audit import record
from participate.budgeting import rules
from participate.budgeting.forms.rounds import (
    DATE_FIELDS,
    LOCKED_FIELDS,
    MoveForm,
    NewRoundForm,
    PotForm,
    RoundForm,
)
from participate.budgeting.models import GrantRound, Pot
from participate.budgeting.views import (
    add_problems,
    allow,
    bp,
    load_pot,
    load_round,
    render,
    render_form_errors,
    today,
    viewer,
)
from participate.columns import utcnow
from participate.extensions import db
from participate.notices import news
from participate.slugs import slugify
from participate.text import N_
from participate.web.htmx import form_errors, is_htmx, see_other

SETTINGS = (
    "title",
    "summary",
    "area_kind",
    "area_name",
    "radius_metres",
    "who_proposes",
    "who_votes",
    "members_space_id",
    "vote_age_from",
    *LOCKED_FIELDS,
    *DATE_FIELDS,
    "currency",
    "unspent",
)
# Which ballot settings mean something for each ballot type (the others are cleared).
BALLOT_SETTINGS = {
    "approval": ("min_picks", "max_picks"),
    "knapsack": ("min_spend_percent",),
    "cumulative": ("points",),
}
FINISHED = ("delivery", "closed")


# --- every round -----------------------------------------------------------------------------


@bp.get("/")
def index():
    person = viewer()
    rounds = db.session.scalars(
        select(GrantRound).order_by(GrantRound.created_at.desc(), GrantRound.id.desc())
    ).all()
    visible = [r for r in rounds if rules.can_view_round(person, r)]
    return render_template(
        "budgeting/index.html",
        being_set_up=[r for r in visible if r.phase == "draft"],
        open_now=[r for r in visible if r.phase not in ("draft", *FINISHED)],
        finished=[r for r in visible if r.phase in FINISHED],
        total={r.id: sum(p.amount for p in r.pots) for r in visible},
        councils=organisations_run_by(person, rules.manages),
        PHASE_LABELS=rules.PHASE_LABELS,
    )


# --- starting a round ------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    person = viewer()
    org = db.session.scalar(
        select(Organisation).where(Organisation.slug == request.args.get("organisation", ""))
    )
    allow(org is not None and rules.manages(person, hosted_by(org)))
    form = NewRoundForm()
    if request.method == "POST":
        if form.validate_on_submit():
            title = form.title.data
            space = Space(
                slug=slugify(title, Space),
                name=title,
                kind="grant_round",
                organisation=org,
                visibility=form.visibility.data,
            )
            db.session.add(space)
            db.session.flush()
            rnd = GrantRound(space_id=space.id, title=title, phase="draft", created_by_id=person.id)
            db.session.add(rnd)
            db.session.flush()
            record(
                "budgeting.round_started",
                f"Started setting up the grant round {title}",
                rnd,
                space=space,
                visibility="space",
                detail={"organisation": org.slug, "visibility": space.visibility},
            )
            db.session.commit()
            flash(_("The round is started. Only council officers can see it for now."), "success")
            return see_other(url_for("budgeting.edit", slug=space.slug))
        if is_htmx():
            return form_errors(
                "budgeting/round_new.html",
                "new_round_form",
                "new-round-form",
                form=form,
                organisation=org,
            )
        return render_template("budgeting/round_new.html", form=form, organisation=org), 422
    return render_template("budgeting/round_new.html", form=form, organisation=org)


# --- the settings ----------------------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value)


def _council_spaces(rnd: GrantRound) -> list[Space]:
    return db.session.scalars(
        select(Space).where(Space.organisation_id == rnd.space.organisation_id).order_by(Space.name)
    ).all()


def _keep_locked(form, rnd: GrantRound) -> list[str]:
    """Once voting opens the ballot and the rule stay as they are: put the round's values
    back in the form and return the fields someone tried to change anyway."""
    tried = []
    for name in LOCKED_FIELDS:
        field, current = form[name], getattr(rnd, name)
        if name in request.form and request.form.get(name, "").strip() != _text(current):
            tried.append(name)
        field.data = current
        field.raw_data = [_text(current)]
    return tried


def _settings_problems(form) -> list[rules.Problem]:
    data = {name: form[name].data for name in SETTINGS}
    problems = rules.setup_problems(
        ballot_type=data["ballot_type"],
        rule=data["rule"],
        min_picks=data["min_picks"],
        max_picks=data["max_picks"],
        points=data["points"],
        min_spend_percent=data["min_spend_percent"],
        area_kind=data["area_kind"],
        area_name=data["area_name"],
        radius_metres=data["radius_metres"],
        who_proposes=data["who_proposes"],
        who_votes=data["who_votes"],
        members_space_id=data["members_space_id"],
    )
    return problems + rules.phase_date_problems({name: data[name] for name in DATE_FIELDS})


def _save_settings(form, rnd: GrantRound, locked: bool) -> list[str]:
    """Copy the form into the round; returns the names of the settings that changed."""
    values = {name: form[name].data for name in SETTINGS}
    values["summary"] = values["summary"] or None
    values["area_name"] = values["area_name"] or None
    values["unspent"] = values["unspent"] or None
    if values["area_kind"] != "radius":
        values["radius_metres"] = None
    if "members" not in (values["who_proposes"], values["who_votes"]):
        values["members_space_id"] = None
    if locked:
        for name in LOCKED_FIELDS:
            values.pop(name)
    else:
        kept = BALLOT_SETTINGS[values["ballot_type"]]
        for name in ("min_picks", "max_picks", "points", "min_spend_percent"):
            if name not in kept:
                values[name] = None
    changed = [name for name, value in values.items() if getattr(rnd, name) != value]
    for name in changed:
        setattr(rnd, name, values[name])
    if "title" in changed:
        rnd.space.name = rnd.title
    return changed


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    rnd = load_round(slug)
    allow(rules.manages(viewer(), rnd))
    locked = rules.setup_locked(rnd)
    form = RoundForm(obj=rnd)
    form.set_choices(_council_spaces(rnd), rnd.currency)
    context = dict(form=form, locked=locked, tab="about")
    if request.method == "GET":
        return render("budgeting/round_edit.html", rnd, **context)
    tried = _keep_locked(form, rnd) if locked else []
    valid = form.validate_on_submit()
    if tried:
        message = _("The ballot and the counting rule are fixed once voting opens.")
        form.form_errors.append(
            _("Nothing was saved: the ballot and the counting rule are fixed once voting opens.")
        )
        for name in tried:
            form[name].errors = [*form[name].errors, message]
        form._errors = None
        valid = False
    if valid and add_problems(form, _settings_problems(form)):
        valid = False
    if not valid:
        return render_form_errors(
            "budgeting/round_edit.html", rnd, "round_form", "round-form", **context
        )
    changed = _save_settings(form, rnd, locked)
    if changed:
        rnd.updated_at = utcnow()
        record(
            "budgeting.round_changed",
            f"Changed the settings of {rnd.title}",
            rnd,
            space=rnd.space,
            visibility="space",
            detail={"changed": changed},
        )
    db.session.commit()
    flash(_("The settings are saved.") if changed else _("Nothing had changed."), "success")
    return see_other(url_for("budgeting.show", slug=slug))


# --- pots ------------------------------------------------------------------------------------


def _pots_fixed(rnd: GrantRound):
    """Pots stay as they are once voting opens: say so and go back to the round page."""
    flash(_("The pots are fixed once voting opens, so they cannot be changed."), "error")
    return see_other(url_for("budgeting.show", slug=rnd.space.slug) + "#pots")


def _pot_form(rnd: GrantRound, pot: Pot | None):
    form = PotForm(obj=pot)
    if request.method == "GET":
        return form, render("budgeting/round_pot.html", rnd, form=form, pot=pot, tab="about")
    if form.validate_on_submit():
        return form, None
    return form, render_form_errors(
        "budgeting/round_pot.html", rnd, "pot_form", "pot-form", tab="about", form=form, pot=pot
    )


@bp.route("/<slug>/pots/new", methods=["GET", "POST"])
@login_required
def new_pot(slug: str):
    rnd = load_round(slug)
    allow(rules.manages(viewer(), rnd))
    if rules.setup_locked(rnd):
        return _pots_fixed(rnd)
    form, page = _pot_form(rnd, None)
    if page is not None:
        return page
    last = db.session.scalar(select(func.max(Pot.position)).where(Pot.round_id == rnd.id))
    pot = Pot(
        round_id=rnd.id,
        position=(last or 0) + 1,
        name=form.name.data,
        amount=form.amount.data,
        area_or_theme=form.area_or_theme.data or None,
    )
    db.session.add(pot)
    db.session.flush()
    record(
        "budgeting.pot_added",
        f"Added the pot {pot.name} ({pot.amount} {rnd.currency}) to {rnd.title}",
        pot,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("The pot %(name)s is added.", name=pot.name), "success")
    return see_other(url_for("budgeting.show", slug=slug) + "#pots")


@bp.route("/<slug>/pots/<int:pot_id>/edit", methods=["GET", "POST"])
@login_required
def edit_pot(slug: str, pot_id: int):
    rnd = load_round(slug)
    allow(rules.manages(viewer(), rnd))
    pot = load_pot(rnd, pot_id)
    if rules.setup_locked(rnd):
        return _pots_fixed(rnd)
    form, page = _pot_form(rnd, pot)
    if page is not None:
        return page
    before = (pot.name, pot.amount, pot.area_or_theme)
    pot.name = form.name.data
    pot.amount = form.amount.data
    pot.area_or_theme = form.area_or_theme.data or None
    if before != (pot.name, pot.amount, pot.area_or_theme):
        record(
            "budgeting.pot_changed",
            f"Changed the pot {pot.name} ({pot.amount} {rnd.currency}) in {rnd.title}",
            pot,
            space=rnd.space,
            visibility="space",
            detail={"before": {"name": before[0], "amount": before[1], "area": before[2]}},
        )
    db.session.commit()
    flash(_("The pot %(name)s is saved.", name=pot.name), "success")
    return see_other(url_for("budgeting.show", slug=slug) + "#pots")


@bp.post("/<slug>/pots/<int:pot_id>/remove")
@login_required
def remove_pot(slug: str, pot_id: int):
    rnd = load_round(slug)
    allow(rules.manages(viewer(), rnd))
    pot = load_pot(rnd, pot_id)
    if rules.setup_locked(rnd):
        return _pots_fixed(rnd)
    if pot.projects:
        flash(
            _("The pot %(name)s has ideas in it, so it cannot be removed.", name=pot.name),
            "error",
        )
        return see_other(url_for("budgeting.show", slug=slug) + "#pots")
    record(
        "budgeting.pot_removed",
        f"Removed the pot {pot.name} ({pot.amount} {rnd.currency}) from {rnd.title}",
        pot,
        space=rnd.space,
        visibility="space",
    )
    db.session.delete(pot)
    db.session.commit()
    flash(_("The pot %(name)s is removed.", name=pot.name), "success")
    return see_other(url_for("budgeting.show", slug=slug) + "#pots")


# --- moving on -------------------------------------------------------------------------------


@bp.post("/<slug>/phase")
@login_required
def move(slug: str):
    rnd = load_round(slug)
    person = viewer()
    allow(rules.manages(person, rnd))
    form = MoveForm()
    to = form.to.data if form.validate_on_submit() else None
    if to is None or not rules.can_move_phase(person, rnd, to):
        problems = [
            rules.Problem(
                "",
                N_("A round moves one step at a time, and goes back only before voting."),
            )
        ]
    else:
        problems = rules.move_problems(rnd, to, rnd.pots, today())
    if problems:
        messages = [_(p.message, **p.params) for p in problems]
        return _show(rnd, status=422, move_problems=messages, move_to=to)
    before = rnd.phase
    rnd.phase = to
    rnd.updated_at = utcnow()
    record(
        "budgeting.phase_moved",
        f"Moved {rnd.title} from {before} to {to}",
        rnd,
        space=rnd.space,
        visibility="space",
        detail={"from": before, "to": to},
    )
    news.round_moved(rnd, to)  # voting opens: its voters hear (notices/news.py)
    db.session.commit()
    flash(_("The round is now at: %(phase)s.", phase=_(rules.PHASE_LABELS[to])), "success")
    return see_other(url_for("budgeting.show", slug=slug))


# --- the round page --------------------------------------------------------------------------


def _show(rnd: GrantRound, status: int = 200, **context):
    person = viewer()
    here = rules.phase_index(rnd.phase)
    after = rules.next_phase(rnd)
    before = rules.PHASES[here - 1] if here > 0 else None
    return render(
        "budgeting/round.html",
        rnd,
        status=status,
        tab="about",
        pots=rnd.pots,
        total=sum(p.amount for p in rnd.pots),
        steps=rules.timeline(rnd),
        next_phase=after if after and rules.can_move_phase(person, rnd, after) else None,
        previous_phase=before if before and rules.can_move_phase(person, rnd, before) else None,
        setup_locked=rules.setup_locked(rnd),
        ideas_open=rules.ideas_open(rnd, today()),
        voting_open=rules.voting_open(rnd, today()),
        members_space=rnd.members_space or rnd.space,
        PHASE_ABOUT=rules.PHASE_ABOUT,
        AREA_KINDS=rules.AREA_KINDS,
        WHO_PROPOSES=rules.WHO_PROPOSES,
        WHO_VOTES=rules.WHO_VOTES,
        BALLOT_LABELS=rules.BALLOT_LABELS,
        RULE_LABELS=rules.RULE_LABELS,
        move_form=MoveForm(),
        **{"move_problems": [], "move_to": None, **context},
    )


@bp.get("/<slug>/")
def show(slug: str):
    return _show(load_round(slug))
