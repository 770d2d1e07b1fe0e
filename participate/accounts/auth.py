"""Sign-in mechanics: password hashing, loading the signed-in person, assisted mode."""

from __future__ import annotations

from functools import cache

import argon2
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, g, session
from flask_login import current_user, login_user
from sqlalchemy.orm import joinedload

from participate.accounts import rules
from participate.accounts.models import Person, Space
from participate.columns import utcnow
from participate.extensions import db, login_manager

# OWASP's Password Storage Cheat Sheet: argon2id with at least 19 MiB of memory, 2 passes and
# 1 lane. About 30 ms of one core here, against about 170 ms for argon2-cffi's
# RFC_9106_LOW_MEMORY (64 MiB, 3 passes, 4 lanes), which on a vote day would let two cores
# sign in only a dozen people a second. Hashes made with other settings are redone at the
# next sign-in (``check_needs_rehash``).
OWASP = argon2.Parameters(
    type=argon2.Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=2,
    memory_cost=19 * 1024,
    parallelism=1,
)


@cache
def _hasher(profile: str) -> PasswordHasher:
    """``profile``: "OWASP", or the name of one of ``argon2.profiles`` (tests use CHEAPEST)."""
    parameters = OWASP if profile == "OWASP" else getattr(argon2.profiles, profile)
    return PasswordHasher.from_parameters(parameters)


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
        # Every signed-in request asks this: the person and their memberships (which every
        # permission check reads) in one round trip.
        person = db.session.get(Person, int(person_id), options=[joinedload(Person.memberships)])
        return person if person is not None and person.active else None

    app.before_request(_load_assisting)
