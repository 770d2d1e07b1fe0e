"""Site administration: organisations and spaces."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.accounts import rules
from participate.accounts.forms import OrganisationForm, SpaceForm, choices
from participate.accounts.models import Organisation, Space
from participate.audit import record
from participate.extensions import db
from participate.slugs import slugify
from participate.web.htmx import form_errors, see_other

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _admins_only():
    if not rules.can(current_user, "administer"):
        abort(404)


def _forms(organisation_form=None, space_form=None):
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    space_form = space_form or SpaceForm(prefix="space")
    space_form.organisation_id.choices = choices((o.id, o.name) for o in organisations)
    return {
        "organisations": organisations,
        "spaces": db.session.scalars(select(Space).order_by(Space.name)).all(),
        "organisation_form": organisation_form or OrganisationForm(prefix="organisation"),
        "space_form": space_form,
    }


@bp.get("/")
def index():
    return render_template("accounts/admin.html", **_forms())


@bp.post("/organisations")
def add_organisation():
    form = OrganisationForm(prefix="organisation")
    if not form.validate_on_submit():
        return form_errors(
            "accounts/admin.html",
            "organisation_form",
            "organisation-form",
            **_forms(organisation_form=form),
        )
    organisation = Organisation(
        name=form.name.data.strip(),
        kind=form.kind.data,
        description=form.description.data or None,
        slug=slugify(form.name.data, Organisation),
    )
    db.session.add(organisation)
    db.session.flush()
    record(
        "organisation.created",
        f"Added the organisation {organisation.name}",
        organisation,
        visibility="public",
    )
    db.session.commit()
    flash(_("Added %(name)s.", name=organisation.name), "success")
    return see_other(url_for("admin.index"))


@bp.post("/spaces")
def add_space():
    form = SpaceForm(prefix="space")
    form.organisation_id.choices = choices(
        (o.id, o.name) for o in db.session.scalars(select(Organisation)).all()
    )
    if not form.validate_on_submit():
        return form_errors(
            "accounts/admin.html", "space_form", "space-form", **_forms(space_form=form)
        )
    space = Space(
        name=form.name.data.strip(),
        kind=form.kind.data,
        organisation_id=form.organisation_id.data,
        visibility=form.visibility.data,
        description=form.description.data or None,
        slug=slugify(form.name.data, Space),
    )
    db.session.add(space)
    db.session.flush()
    record("space.created", f"Added the space {space.name}", space, space=space, visibility="space")
    db.session.commit()
    flash(
        _("Added %(name)s. Invite its first facilitator from its page.", name=space.name), "success"
    )
    return see_other(url_for("spaces.show", slug=space.slug))
