"""Results: counting a pot, checking and publishing the count, the council's changes with their
published reasons, the results page (every project and why, a chart and its table), and the
anonymous ballots as a pabulib file.

Every decision asks ``budgeting.rules``; the words come from ``budgeting.explain``. Residents
see only published results; the round's officers also see a count waiting to be published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response, flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from participate.accounts.forms import choices
from participate.accounts.models import Person
from participate.audit import record
from participate.budgeting import counting, explain, rules
from participate.budgeting.exchange import export_pb
from participate.budgeting.forms.results import ButtonForm, OverrideForm
from participate.budgeting.models import BudgetProject, GrantRound, Override, Pot, Result
from participate.budgeting.views import allow, bp, load_pot, load_round, render, viewer
from participate.columns import utcnow
from participate.extensions import db
from participate.web.htmx import form_errors, is_htmx, see_other


@dataclass
class PotResult:
    """One pot on the results page: the result shown (or None), its explanation, chart and
    ballot figures, and each project's council decisions."""

    pot: Pot
    result: Result | None
    explained: explain.Explanation | None = None
    chart: explain.Chart | None = None
    ballots: dict | None = None
    decisions: dict | None = None  # ref -> [Override], oldest first
    people: dict | None = None  # person id -> Person, for names
    waiting: int = 0  # paper ballots not yet checked, now
    ids: dict | None = None  # ref -> project id, for links
    published_at: datetime | None = None


def _overrides(result: Result) -> list[Override]:
    return list(
        db.session.scalars(
            select(Override)
            .where(Override.result_id == result.id)
            .order_by(Override.at, Override.id)
        )
    )


def _people(ids) -> dict[int, Person]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}


def _figures(pot: Pot, rnd: GrantRound) -> dict:
    """Votes, points and ballots for a result counted before they were kept with it."""
    return counting.figures(pot, counting.election_for(pot, rnd))


def _shown(pot: Pot, officer: bool) -> Result | None:
    """The result a person sees: the latest published one, or for officers the latest count."""
    return counting.latest_result(pot, published_only=not officer)


def pot_result(pot: Pot, rnd: GrantRound, result: Result | None) -> PotResult:
    if result is None:
        return PotResult(pot, None, waiting=counting.ballot_figures(pot)["waiting"])
    outcome = result.outcome
    figures = None
    if "scores" not in outcome or "ballots" not in outcome:  # counted before they were kept
        figures = _figures(pot, rnd)
    decisions: dict[str, list[Override]] = {}
    latest: dict[str, bool] = {}
    projects = {p.id: p for p in pot.projects}
    overrides = _overrides(result)
    for o in overrides:
        project = projects.get(o.project_id)
        if project is not None:
            decisions.setdefault(project.ref, []).append(o)
            latest[project.ref] = o.funded
    explained = explain.explain(
        outcome,
        pot.projects,
        pot.amount,
        rnd.currency,
        scores=figures["scores"] if figures else None,
        votes=figures["votes"] if figures else None,
        points=rnd.ballot_type == "cumulative",
        overrides=latest,
    )
    ballots = outcome.get("ballots") or (figures or {}).get("ballots")
    people = _people([o.by_id for o in overrides] + [result.counted_by_id, result.published_by_id])
    return PotResult(
        pot,
        result,
        explained,
        explain.chart(explained.rows),
        ballots,
        decisions,
        people,
        counting.ballot_figures(pot)["waiting"],
        {p.ref: p.id for p in pot.projects},
        result.published_at,
    )


def _results_url(rnd: GrantRound, pot: Pot | None = None) -> str:
    url = url_for("budgeting.results", slug=rnd.space.slug)
    return f"{url}#pot-{pot.id}" if pot is not None else url


# --- the results page ------------------------------------------------------------------------


@bp.get("/<slug>/results/")
def results(slug: str):
    rnd = load_round(slug)
    person = viewer()
    officer = rules.manages(person, rnd)
    if not rules.at_or_after(rnd, "results"):
        return render("budgeting/results_due.html", rnd, tab="results")
    pots = [pot_result(pot, rnd, _shown(pot, officer)) for pot in rnd.pots]
    return render(
        "budgeting/results.html",
        rnd,
        tab="results",
        pots=pots,
        officer=officer,
        may_count=rules.can_count(person, rnd),
        may_publish=rules.can_publish(person, rnd),
        may_override=rules.can_override(person, rnd),
        button=ButtonForm(),
        RULE_LABELS=rules.RULE_LABELS,
    )


# --- counting and publishing -----------------------------------------------------------------


def _button_ok() -> bool:
    if ButtonForm().validate_on_submit():
        return True
    flash(_("That form had expired. Please try again."), "error")
    return False


@bp.post("/<slug>/results/<int:pot_id>/count")
def count(slug: str, pot_id: int):
    rnd = load_round(slug)
    person = viewer()
    allow(rules.can_count(person, rnd))
    pot = load_pot(rnd, pot_id)
    if not _button_ok():
        return see_other(_results_url(rnd, pot))
    if counting.latest_result(pot, published_only=True) is not None:
        flash(
            _(
                "This result is published, so it cannot be counted again. To change it, "
                "record the council's decision with a reason."
            ),
            "error",
        )
        return see_other(_results_url(rnd, pot))
    result = counting.count_pot(pot, rnd, person.id)
    record(
        "budgeting.counted",
        f"Counted {pot.name} by {rnd.rule} (not published yet)",
        result,
        space=rnd.space,
        visibility="private",
        detail={"pot_id": pot.id, "selected": result.outcome["selected"]},
    )
    db.session.commit()
    flash(_("Counted. Check the result below, then publish it."), "success")
    return see_other(_results_url(rnd, pot))


@bp.post("/<slug>/results/<int:pot_id>/publish")
def publish(slug: str, pot_id: int):
    rnd = load_round(slug)
    person = viewer()
    allow(rules.can_publish(person, rnd))
    pot = load_pot(rnd, pot_id)
    if not _button_ok():
        return see_other(_results_url(rnd, pot))
    result = counting.latest_result(pot)
    if result is None or result.published:
        flash(_("There is no new count to publish."), "error")
        return see_other(_results_url(rnd, pot))
    result.published = True
    result.published_by_id = person.id
    result.published_at = utcnow()
    record(
        "budgeting.published",
        f"Published the result for {pot.name}",
        result,
        space=rnd.space,
        visibility="public",
        detail={"pot_id": pot.id, "selected": result.outcome["selected"]},
    )
    db.session.commit()
    flash(_("The result is published. Everyone who can see the round can see it."), "success")
    return see_other(_results_url(rnd, pot))


# --- the council's changes -------------------------------------------------------------------


def _override_choices(shown: PotResult) -> list[tuple[str, str]]:
    out = []
    for row in shown.explained.rows:
        now = _("funded") if row.funded else _("not funded")
        out.append((row.ref, _("%(title)s (now %(state)s)", title=row.title, state=now)))
    return out


def _override_page(rnd, shown: PotResult, form, status: int = 200):
    context = {"shown": shown, "pot": shown.pot, "form": form}
    if status == 422 and is_htmx():
        person = viewer()
        return form_errors(
            "budgeting/results_override.html",
            "override_form",
            "override-form",
            rnd=rnd,
            space=rnd.space,
            manages=rules.manages(person, rnd),
            **context,
        )
    return render("budgeting/results_override.html", rnd, status=status, tab="results", **context)


@bp.route("/<slug>/results/<int:pot_id>/override", methods=["GET", "POST"])
def override(slug: str, pot_id: int):
    rnd = load_round(slug)
    person = viewer()
    allow(rules.can_override(person, rnd))
    pot = load_pot(rnd, pot_id)
    result = counting.latest_result(pot, published_only=True)
    allow(result is not None)  # a count is changed once it is published
    shown = pot_result(pot, rnd, result)
    form = OverrideForm()
    form.project.choices = choices(_override_choices(shown))
    if request.method == "GET":
        return _override_page(rnd, shown, form)
    valid = form.validate_on_submit()
    row = next((r for r in shown.explained.rows if r.ref == form.project.data), None)
    if valid and row is not None and form.funded.data == ("yes" if row.funded else "no"):
        message = (
            _("This project is already funded.")
            if row.funded
            else _("This project is already not funded.")
        )
        form.funded.errors = [*form.funded.errors, message]
        form._errors = None
        valid = False
    if not valid or row is None:
        return _override_page(rnd, shown, form, status=422)
    project = db.session.scalar(
        select(BudgetProject).where(BudgetProject.pot_id == pot.id, BudgetProject.ref == row.ref)
    )
    funded = form.funded.data == "yes"
    decision = Override(
        result_id=result.id,
        project_id=project.id,
        funded=funded,
        reason=form.reason.data,
        by_id=person.id,
        at=utcnow(),
    )
    db.session.add(decision)
    db.session.flush()
    record(
        "budgeting.override",
        f"{'Funded' if funded else 'Did not fund'} {project.title} by the council's decision",
        decision,
        space=rnd.space,
        visibility="public",
        detail={"pot_id": pot.id, "project_id": project.id, "funded": funded},
    )
    db.session.commit()
    flash(_("The council's decision is published next to the project."), "success")
    return see_other(_results_url(rnd, pot))


# --- the anonymous ballots -------------------------------------------------------------------


@bp.get("/<slug>/results/<int:pot_id>/download.pb")
def download(slug: str, pot_id: int):
    rnd = load_round(slug)
    person = viewer()
    pot = load_pot(rnd, pot_id)
    officer = rules.manages(person, rnd)
    result = _shown(pot, officer)
    allow(result is not None and rules.results_visible(person, rnd, result.published))
    text = export_pb(rnd, pot)
    name = f"{rnd.space.slug}-{pot.position}.pb"
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
