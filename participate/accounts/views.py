"""Signing in and out (password, emailed link, paper code), resets, invitations, profile."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select

from participate.accounts import auth, rules, tokens
from participate.accounts.forms import (
    AcceptInvitationForm,
    CodeForm,
    EmailForm,
    NewPasswordForm,
    ProfileForm,
    SignInForm,
)
from participate.accounts.mail import send
from participate.accounts.models import Membership, Person
from participate.audit import record
from participate.extensions import db, limiter
from participate.text import N_
from participate.web.htmx import form_errors, see_other
from participate.web.urls import safe_next

bp = Blueprint("accounts", __name__)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


# One budget for every way of signing in, per address, so trying codes or links instead of
# passwords gains nothing.
sign_in_limit = limiter.shared_limit(_sign_in_limit, scope="sign-in", methods=["POST"])


def _person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == rules.normalise_email(email)))


def _finish_sign_in(person: Person, how: str, remember: bool = False):
    auth.sign_in(person, remember=remember)
    record("account.signed_in", f"Signed in with {how}", person, actor=person)
    db.session.commit()
    return see_other(safe_next(request.values.get("next")))


# --- password ------------------------------------------------------------------------------


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limit
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = SignInForm()
    if form.validate_on_submit():
        person = _person_by_email(form.email.data)
        if person is not None and person.active and auth.check_password(person, form.password.data):
            return _finish_sign_in(person, "a password", remember=form.remember.data)
        if person is None:
            auth.check_password(None, form.password.data)
        form.password.errors = [
            _(
                "That email address and password don't match. Check both and try again, or "
                "sign in with a link we email you instead."
            )
        ]
        form.password.data = ""
        return form_errors("accounts/sign_in.html", "sign_in_form", "sign-in-form", form=form)
    if form.is_submitted():
        return form_errors("accounts/sign_in.html", "sign_in_form", "sign-in-form", form=form)
    return render_template("accounts/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        record("account.signed_out", "Signed out", current_user, actor=current_user)
        db.session.commit()
    auth.stop_assisting()
    logout_user()
    flash(_("You've signed out."), "success")
    return see_other(url_for("web.home"))


# --- emailed sign-in link ------------------------------------------------------------------


# What each emailed link is for: (token purpose, page, email subject and template, where the
# link goes, how long it lasts, and what the "check your email" page says we sent).
EMAILED_LINKS = {
    "sign_in_link": (
        "accounts/email_link.html",
        N_("Your sign-in link"),
        "sign_in_link",
        "accounts.use_link",
        "SIGN_IN_LINK_HOURS",
        N_("a sign-in link"),
    ),
    "password_reset": (
        "accounts/forgot_password.html",
        N_("Choose a new password"),
        "password_reset",
        "accounts.reset_password",
        "PASSWORD_RESET_HOURS",
        N_("a link to choose a new password"),
    ),
}


def _email_a_link(purpose: str):
    """Ask for an email address and send a one-time link, saying the same either way."""
    page, subject, email_template, endpoint, hours_setting, what = EMAILED_LINKS[purpose]
    form = EmailForm()
    if form.validate_on_submit():
        person = _person_by_email(form.email.data)
        if person is not None and person.active:
            _token, secret = tokens.issue(purpose, person=person)
            send(
                person.email,
                subject,
                email_template,
                person.language,
                person=person,
                link=url_for(endpoint, secret=secret, _external=True),
                hours=current_app.config[hours_setting],
            )
            db.session.commit()
        # The same answer whether or not the account exists.
        return render_template(
            "accounts/check_email.html", email=rules.normalise_email(form.email.data), what=_(what)
        )
    if form.is_submitted():
        return form_errors(page, "email_form", "email-form", form=form)
    return render_template(page, form=form)


@bp.route("/sign-in/email", methods=["GET", "POST"])
@sign_in_limit
def email_link():
    return _email_a_link("sign_in_link")


@bp.route("/sign-in/link/<secret>", methods=["GET", "POST"])
@sign_in_limit
def use_link(secret: str):
    """GET only asks to confirm, so an email scanner opening the link can't use it up."""
    token = tokens.find_personal("sign_in_link", secret)
    if token is None:
        return render_template("accounts/link_expired.html"), 404
    if request.method == "POST":
        tokens.use(token)
        return _finish_sign_in(token.person, "an emailed link")
    return render_template("accounts/use_link.html", secret=secret)


# --- paper code ----------------------------------------------------------------------------


@bp.route("/sign-in/code", methods=["GET", "POST"])
@sign_in_limit
def sign_in_code():
    form = CodeForm()
    if form.validate_on_submit():
        token = tokens.find_personal("paper_code", form.code.data)
        if token is not None:
            tokens.use(token)
            return _finish_sign_in(token.person, "a paper code", remember=True)
        form.code.errors = [
            _(
                "That code doesn't work. It may have been used already or be out of date. "
                "Check it, or ask a facilitator for a new one."
            )
        ]
    if form.is_submitted():
        return form_errors("accounts/sign_in_code.html", "code_form", "code-form", form=form)
    return render_template("accounts/sign_in_code.html", form=form)


# --- password reset ------------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@sign_in_limit
def forgot_password():
    return _email_a_link("password_reset")


@bp.route("/password/reset/<secret>", methods=["GET", "POST"])
@sign_in_limit
def reset_password(secret: str):
    token = tokens.find_personal("password_reset", secret)
    if token is None:
        return render_template("accounts/link_expired.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        person = token.person
        auth.set_password(person, form.password.data)
        tokens.use(token)
        record("account.password_reset", "Chose a new password", person, actor=person)
        flash(_("Your new password is set."), "success")
        return _finish_sign_in(person, "a password reset link")
    if form.is_submitted():
        return form_errors(
            "accounts/reset_password.html",
            "password_form",
            "password-form",
            form=form,
            secret=secret,
        )
    return render_template("accounts/reset_password.html", form=form, secret=secret)


# --- invitations ---------------------------------------------------------------------------


def _join(person: Person, token) -> None:
    scope = (
        {"space_id": token.space_id}
        if token.space_id
        else {"organisation_id": token.organisation_id}
    )
    existing = db.session.scalar(select(Membership).filter_by(person_id=person.id, **scope))
    if existing is None:
        db.session.add(Membership(person=person, role=token.role, **scope))
    elif existing.status == "left":
        existing.status, existing.role = "active", token.role
    tokens.use(token)
    where = token.space or token.organisation
    record(
        "membership.joined",
        f"Accepted an invitation to {where.name} as {token.role}",
        where,
        space=token.space,
        visibility="space" if token.space else "private",
        actor=person,
        on_behalf_of=None,
    )


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
def invitation(secret: str):
    token = tokens.find("invitation", secret)
    if token is None:
        return render_template("accounts/link_expired.html"), 404
    where = token.space or token.organisation
    existing = _person_by_email(token.email)
    if existing is not None:
        # They already have an account: they join once signed in as that person.
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.sign_in", next=request.path))
        if current_user.id != existing.id:
            return render_template("accounts/invitation_other.html", where=where, token=token), 403
        if request.method == "POST":
            _join(current_user, token)
            db.session.commit()
            flash(_("You've joined %(name)s.", name=where.name), "success")
            return see_other(url_for("web.home"))
        return render_template(
            "accounts/invitation_join.html", where=where, token=token, secret=secret
        )
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        person = Person(
            email=token.email,
            chosen_name=form.chosen_name.data.strip(),
            pronouns=(form.pronouns.data or "").strip() or None,
            language=str(get_locale() or "en"),
            created_by_id=token.created_by_id,
        )
        if form.password.data:
            auth.set_password(person, form.password.data)
        db.session.add(person)
        db.session.flush()
        record("account.created", "Created an account from an invitation", person, actor=person)
        _join(person, token)
        auth.sign_in(person)
        db.session.commit()
        flash(
            _(
                "Welcome, %(name)s. You've joined %(where)s.",
                name=person.chosen_name,
                where=where.name,
            ),
            "success",
        )
        return see_other(url_for("web.home"))
    if form.is_submitted():
        return form_errors(
            "accounts/invitation.html",
            "invitation_form",
            "invitation-form",
            form=form,
            where=where,
            token=token,
            secret=secret,
        )
    return render_template(
        "accounts/invitation.html", form=form, where=where, token=token, secret=secret
    )


# --- profile -------------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Your own profile, or, in assisted mode, the profile of the person you're helping."""
    person = auth.subject()
    if not rules.can(current_user, "edit_profile", person):
        abort(404)
    form = ProfileForm(obj=person)
    if form.validate_on_submit():
        changed = [
            name
            for name in (
                "chosen_name",
                "pronouns",
                "language",
                "access_needs",
                "notification_choice",
            )
            if (getattr(form, name).data or None) != (getattr(person, name) or None)
        ]
        person.chosen_name = form.chosen_name.data.strip()
        person.pronouns = (form.pronouns.data or "").strip() or None
        person.language = form.language.data
        person.access_needs = (form.access_needs.data or "").strip() or None
        person.notification_choice = form.notification_choice.data
        if changed:
            record(
                "profile.updated",
                "Updated profile: " + ", ".join(changed),
                person,
                detail={"fields": changed},
            )
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("accounts.profile"))
    if form.is_submitted():
        return form_errors(
            "accounts/profile.html", "profile_form", "profile-form", form=form, person=person
        )
    return render_template("accounts/profile.html", form=form, person=person)
