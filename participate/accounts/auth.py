"""Sign-in mechanics: password hashing, loading the signed-in person, assisted mode."""

from __future__ import annotations

from functools import cache

import argon2
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, g, session
from flask_login import current_user, login_user

from participate.accounts import rules
from participate.accounts.models import Person, Space
from participate.columns import utcnow
from participate.extensions import db, login_manager


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(argon2.profiles, profile))


def hasher() -> PasswordHasher:
    return _hasher(current_app.config["ARGON2_PROFILE"])


def set_password(person: Person, password: str) -> None:
    person.password_hash = hasher().hash(password)


def check_password(person: Person | None, password: str) -> bool:
    """Verify, taking the same time whether or not the account exists."""
    ph = hasher()
    if person is None or not person.password_hash:
        # Hash anyway so a stranger can't tell from the timing that no such account exists.
        ph.hash(password)
        return False
    try:
        ph.verify(person.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if ph.check_needs_rehash(person.password_hash):
        person.password_hash = ph.hash(password)
    return True


def sign_in(person: Person, remember: bool = False) -> None:
    session.pop("assisting", None)
    login_user(person, remember=remember)
    person.last_signed_in_at = utcnow()


# --- assisted mode ---------------------------------------------------------------------------


def start_assisting(space: Space, member: Person) -> None:
    session["assisting"] = {"space_id": space.id, "person_id": member.id}


def stop_assisting() -> None:
    session.pop("assisting", None)


def subject() -> Person:
    """Whose things a page shows and changes: the person acted for, or the one signed in."""
    return g.get("acting_for") or current_user._get_current_object()


def _load_assisting() -> None:
    g.acting_for = None
    g.acting_in = None
    assisting = session.get("assisting")
    if not assisting or not current_user.is_authenticated:
        return
    space = db.session.get(Space, assisting.get("space_id"))
    member = db.session.get(Person, assisting.get("person_id"))
    if space is None or not rules.can(current_user, "assist", (space, member)):
        session.pop("assisting", None)  # rights changed since it started: stop quietly
        return
    g.acting_for = member
    g.acting_in = space


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None  # the sign-in page explains itself

    @login_manager.user_loader
    def _load(person_id: str):
        person = db.session.get(Person, int(person_id))
        return person if person is not None and person.active else None

    app.before_request(_load_assisting)
