"""Grant round pages: the blueprint, loading a round, pot or project (404 for anyone who may
not know it exists), rule problems put next to form fields, and the round's layout.

The pages themselves live in ``rounds`` (setting up and the round page), ``projects``
(ideas, comments, offers, feasibility), ``voting`` (ballots online, assisted and on paper) and
``results`` (counting, results, overrides). Every decision is asked of ``budgeting.rules``.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from participate.accounts.models import Space
from participate.budgeting import rules
from participate.budgeting.models import BudgetProject, GrantRound, Pot
from participate.clock import local_today
from participate.extensions import db
from participate.problems import add_problems  # noqa: F401 - the round pages import it here
from participate.web.htmx import form_errors

bp = Blueprint("budgeting", __name__, url_prefix="/rounds")


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def today():
    return local_today()


def subject(rnd: GrantRound):
    """Whose vote or idea this is: the person a facilitator is acting for in this round's
    space (assisted mode), or the viewer."""
    acting, space = g.get("acting_for"), g.get("acting_in")
    if acting is not None and space is not None and space.id == rnd.space_id:
        return acting
    return viewer()


def load_round(slug: str) -> GrantRound:
    rnd = db.session.scalar(
        select(GrantRound).join(Space, GrantRound.space_id == Space.id).where(Space.slug == slug)
    )
    if rnd is None or not rules.can_view_round(viewer(), rnd):
        abort(404)
    return rnd


def load_pot(rnd: GrantRound, pot_id: int) -> Pot:
    pot = db.session.get(Pot, pot_id)
    if pot is None or pot.round_id != rnd.id:
        abort(404)
    return pot


def load_project(rnd: GrantRound, project_id: int) -> BudgetProject:
    project = db.session.get(BudgetProject, project_id)
    if project is None or project.pot.round_id != rnd.id:
        abort(404)
    return project


def allow(permitted: bool) -> None:
    """Stop here with 404 unless ``permitted``: a person learns nothing from a refusal."""
    if not permitted:
        abort(404)


def area_words(rnd: GrantRound) -> str:
    """The round's area as people say it: its name, or "the area"."""
    return rnd.area_name or _("the area")


def _round_context(rnd: GrantRound, tab: str, context: dict) -> dict:
    person = viewer()
    return {
        **context,
        "rnd": rnd,
        "space": rnd.space,
        "tab": tab,
        "today": today(),
        "manages": rules.manages(person, rnd),
        "may_enter_paper": rules.can_enter_paper(person, rnd),
        "PHASE_LABELS": rules.PHASE_LABELS,
        "PROJECT_STATUSES": rules.PROJECT_STATUSES,
        "BALLOT_SOURCES": rules.BALLOT_SOURCES,
    }


def render(template: str, rnd: GrantRound, status: int = 200, tab: str = "", **context):
    """A round page inside the round's layout (its name, phase and tabs)."""
    return render_template(template, **_round_context(rnd, tab, context)), status


def render_round_block(
    template: str, rnd: GrantRound, block: str, status: int = 200, tab: str = "", **context
):
    """One block of a round page, for htmx to swap in place."""
    response = make_response(
        render_block(template, block, **_round_context(rnd, tab, context)), status
    )
    response.vary.add("HX-Request")
    return response


def render_form_errors(
    template: str, rnd: GrantRound, block: str, target_id: str, tab: str = "", **context
):
    """A round's form that did not validate: 422 with the whole page, or for htmx just the
    form (``block``, swapped into ``#target_id``)."""
    return form_errors(template, block, target_id, **_round_context(rnd, tab, context))


# Their routes register on ``bp`` when imported.
from participate.budgeting import (  # noqa: E402, F401
    home,
    paper,
    printing,
    projects,
    results,
    rounds,
    together,
    voting,
)
