"""Spaces and organisations: who is in them, adding people, invitations, assisted mode."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.accounts import auth, rules, tokens
from participate.accounts.forms import AddPersonForm, AssistForm, InviteForm, choices
from participate.accounts.mail import send
from participate.accounts.models import Membership, Organisation, Person, Space
from participate.audit import record
from participate.extensions import db
from participate.text import N_
from participate.web.htmx import form_errors, see_other
from participate.web.urls import safe_next

bp = Blueprint("spaces", __name__)

# Features that hold spaces of a kind can narrow the roles on offer (a commission's cohort
# caps, say): kind -> function(space, current roles) -> the role keys that still have room.
role_limits: dict = {}
# ... and give a space of their kind its own page: kind -> function(space) -> URL or None,
# and its own name for what it is: kind -> function(space) -> translated words or None.
space_pages: dict = {}
space_kind_words: dict = {}


def load_space(slug: str, action: str = "view_space") -> Space:
    """The space, or 404 when it doesn't exist or this person may not know it does."""
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not rules.can(current_user_or_none(), "view_space", space):
        abort(404)
    if action != "view_space" and not rules.can(current_user_or_none(), action, space):
        abort(404)
    return space


def current_user_or_none():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _members(space: Space) -> list[Membership]:
    rows = db.session.scalars(
        select(Membership)
        .where(Membership.space_id == space.id)
        .join(Membership.person)
        .order_by(Person.chosen_name)
    ).all()
    return [m for m in rows if m.status != "left"]


@bp.get("/spaces/<slug>")
def show(slug: str):
    space = load_space(slug)
    own_page = space_pages.get(space.kind)
    if own_page is not None and (url := own_page(space)):
        return redirect(url)
    viewer = current_user_or_none()
    members = _members(space) if rules.can(viewer, "view_members", space) else []
    grant_round = None
    if space.kind == "grant_round":
        from participate.budgeting import rules as budgeting_rules
        from participate.budgeting.models import GrantRound

        grant_round = db.session.scalar(select(GrantRound).where(GrantRound.space_id == space.id))
        if grant_round is not None and not budgeting_rules.can_view_round(viewer, grant_round):
            grant_round = None
    words = space_kind_words.get(space.kind)
    return render_template(
        "accounts/space.html",
        space=space,
        kind_words=(words(space) if words else None) or _(rules.SPACE_KINDS[space.kind]),
        grant_round=grant_round,
        members=members,
        my_role=rules.role_in_space(viewer, space),
        can_manage=rules.can(viewer, "manage_space", space),
        can_assist={m.person_id: rules.can(viewer, "assist", (space, m.person)) for m in members},
        sees_needs={m.person_id: rules.can(viewer, "see_access_needs", m.person) for m in members},
        assist_form=AssistForm(),
    )


def _roles_on_offer(space: Space) -> list:
    current = [m.role for m in _members(space)]
    roles = rules.roles_a_facilitator_may_give(space, current)
    limit = role_limits.get(space.kind)
    if limit is not None:
        room = set(limit(space, current))
        roles = [r for r in roles if r.key in room]
    return choices((r.key, _(r.label)) for r in roles)


def _role_choices(space: Space, form) -> None:
    form.role.choices = _roles_on_offer(space)


@bp.route("/spaces/<slug>/people/new", methods=["GET", "POST"])
@login_required
def add_person(slug: str):
    """A facilitator makes an account for someone with no email, and hands them a code."""
    space = load_space(slug, "manage_space")
    form = AddPersonForm()
    _role_choices(space, form)
    if form.validate_on_submit():
        person = Person(
            chosen_name=form.chosen_name.data.strip(),
            pronouns=(form.pronouns.data or "").strip() or None,
            access_needs=(form.access_needs.data or "").strip() or None,
            notification_choice="none",
            created_by_id=current_user.id,
        )
        db.session.add(person)
        db.session.add(Membership(person=person, space=space, role=form.role.data))
        db.session.flush()
        record(
            "account.created_without_email",
            f"Made an account for {person.chosen_name} in {space.name}",
            person,
            space=space,
            visibility="space",
            on_behalf_of=person,
        )
        _token, code = tokens.issue("paper_code", person=person, created_by=current_user)
        db.session.commit()
        return _code_page(space, person, code)
    if form.is_submitted():
        return form_errors(
            "accounts/add_person.html", "add_person_form", "add-person-form", form=form, space=space
        )
    return render_template("accounts/add_person.html", form=form, space=space)


def _code_page(space: Space, person: Person, code: str):
    hours = current_app.config["PAPER_CODE_HOURS"]
    return render_template(
        "accounts/paper_code.html",
        space=space,
        person=person,
        code=code,
        days=hours // 24,
        sign_in_url=url_for("accounts.sign_in_code", _external=True),
    )


@bp.post("/spaces/<slug>/people/<int:person_id>/code")
@login_required
def new_code(slug: str, person_id: int):
    """A fresh paper code for someone in the space; any older code stops working."""
    space = load_space(slug, "manage_space")
    person = db.session.get(Person, person_id)
    if not rules.can(current_user, "issue_paper_code", (space, person)):
        abort(404)
    _token, code = tokens.issue("paper_code", person=person, created_by=current_user)
    record(
        "account.paper_code_issued",
        f"Gave {person.chosen_name} a new sign-in code",
        person,
        space=space,
        visibility="private",
    )
    db.session.commit()
    return _code_page(space, person, code)


def _invite(where, role_choices, already_there: bool | None, back_url: str, action_url: str):
    """Invite someone by email to a space or an organisation, with one of ``role_choices``."""
    form = InviteForm()
    form.role.choices = role_choices
    context = {"form": form, "where": where, "back_url": back_url, "action_url": action_url}
    if form.validate_on_submit():
        email = rules.normalise_email(form.email.data)
        existing = db.session.scalar(select(Person).where(Person.email == email))
        if existing is not None and already_there(existing):
            form.email.errors = [_("%(name)s is already here.", name=existing.chosen_name)]
            return form_errors("accounts/invite.html", "invite_form", "invite-form", **context)
        scope = (
            {"space_id": where.id} if isinstance(where, Space) else {"organisation_id": where.id}
        )
        _token, secret = tokens.issue(
            "invitation", created_by=current_user, email=email, role=form.role.data, **scope
        )
        send(
            email,
            N_("You're invited to join %(space)s"),
            "invitation",
            existing.language if existing else "en",
            subject_args={"space": where.name},
            inviter=current_user,
            where=where,
            role=rules.ROLES[form.role.data],
            link=url_for("accounts.invitation", secret=secret, _external=True),
            days=current_app.config["INVITATION_HOURS"] // 24,
        )
        space = where if isinstance(where, Space) else None
        record(
            "membership.invited",
            f"Invited someone to {where.name} as {form.role.data}",
            where,
            space=space,
            visibility="space" if space else "private",
            detail={"role": form.role.data},
        )
        db.session.commit()
        flash(_("Invitation sent to %(email)s.", email=email), "success")
        return see_other(back_url)
    if form.is_submitted():
        return form_errors("accounts/invite.html", "invite_form", "invite-form", **context)
    return render_template("accounts/invite.html", **context)


@bp.route("/spaces/<slug>/invite", methods=["GET", "POST"])
@login_required
def invite(slug: str):
    space = load_space(slug, "manage_space")
    return _invite(
        space,
        _roles_on_offer(space),
        lambda person: rules.role_in_space(person, space) is not None,
        url_for("spaces.show", slug=space.slug),
        url_for("spaces.invite", slug=space.slug),
    )


@bp.post("/spaces/<slug>/assist")
@login_required
def start_assisting(slug: str):
    space = load_space(slug)
    form = AssistForm()
    member = (
        db.session.get(Person, int(form.person_id.data or 0))
        if (form.person_id.data or "").isdigit()
        else None
    )
    if member is None or not rules.can(current_user, "assist", (space, member)):
        abort(404)
    if not form.validate_on_submit():
        flash(
            _(
                "Check with %(name)s first, then tick the box to say they agree.",
                name=member.chosen_name,
            ),
            "error",
        )
        return see_other(url_for("spaces.show", slug=space.slug, _anchor=f"member-{member.id}"))
    auth.start_assisting(space, member)
    record(
        "assist.started",
        f"Started acting for {member.chosen_name}, who is present and agreed",
        member,
        space=space,
        visibility="private",
        on_behalf_of=member,
    )
    db.session.commit()
    flash(
        _(
            "You're now acting for %(name)s. Everything you do is recorded as done by you for "
            "them.",
            name=member.chosen_name,
        ),
        "success",
    )
    return see_other(url_for("accounts.profile"))


@bp.post("/assist/stop")
@login_required
def stop_assisting():
    from flask import g

    member, space = g.get("acting_for"), g.get("acting_in")
    auth.stop_assisting()
    if member is not None:
        record(
            "assist.stopped",
            f"Stopped acting for {member.chosen_name}",
            member,
            space=space,
            on_behalf_of=member,
        )
        db.session.commit()
        flash(_("You've stopped acting for %(name)s.", name=member.chosen_name), "success")
    return see_other(safe_next(request.form.get("next")))


def load_organisation(slug: str, action: str = "view_organisation") -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None or not rules.can(current_user, action, org):
        abort(404)
    return org


@bp.get("/organisations/<slug>")
@login_required
def organisation(slug: str):
    org = load_organisation(slug)
    spaces = [s for s in org.spaces if rules.can(current_user, "view_space", s)]
    people = []
    if rules.can(current_user, "manage_organisation", org):
        people = db.session.scalars(
            select(Membership).where(Membership.organisation_id == org.id)
        ).all()
    return render_template(
        "accounts/organisation.html",
        organisation=org,
        spaces=spaces,
        people=people,
        can_manage=rules.can(current_user, "manage_organisation", org),
    )


@bp.route("/organisations/<slug>/invite", methods=["GET", "POST"])
@login_required
def invite_to_organisation(slug: str):
    """Council officers (and site admins) invite colleagues as officers or finance approvers."""
    org = load_organisation(slug, "manage_organisation")
    return _invite(
        org,
        choices((key, _(rules.ROLES[key].label)) for key in rules.ORGANISATION_ROLES),
        lambda person: rules.role_in_organisation(person, org) is not None,
        url_for("spaces.organisation", slug=org.slug),
        url_for("spaces.invite_to_organisation", slug=org.slug),
    )
