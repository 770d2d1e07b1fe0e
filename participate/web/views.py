"""Home and the language switch (health and readiness: ``participate.ops.health``)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, session
from flask_login import current_user
from sqlalchemy import select

from participate.accounts.models import Organisation, Space
from participate.accounts.rules import active_memberships
from participate.audit import record
from participate.extensions import db
from participate.web.home import TASK_PROVIDERS, tasks_for
from participate.web.htmx import see_other
from participate.web.urls import safe_next

bp = Blueprint("web", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("web/welcome.html")
    person = current_user
    space_ids = [m.space_id for m in person.memberships if m.space_id]
    organisation_ids = [m.organisation_id for m in person.memberships if m.organisation_id]
    spaces = db.session.scalars(select(Space).where(Space.id.in_(space_ids))).all()
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.id.in_(organisation_ids))
    ).all()
    spaces_by_id = {s.id: s for s in spaces}
    organisations_by_id = {o.id: o for o in organisations}
    return render_template(
        "web/home.html",
        tasks=[t for provide in TASK_PROVIDERS for t in provide(person)]
        + tasks_for(person, spaces_by_id, organisations_by_id),
        spaces_by_id=spaces_by_id,
        organisations_by_id=organisations_by_id,
        memberships=active_memberships(person),
    )


@bp.post("/language")
def choose_language():
    """Switch between English and Welsh; remembered on the profile when signed in."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated and current_user.language != language:
            current_user.language = language
            record("profile.language_changed", "Changed language", current_user)
            db.session.commit()
    return see_other(safe_next(request.form.get("next")))
