"""Issue and redeem one-time secrets: sign-in links, paper codes, invitations, resets."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from participate.accounts import rules
from participate.accounts.models import OneTimeToken, Person
from participate.columns import utcnow
from participate.extensions import db

HOURS_SETTING = {
    "sign_in_link": "SIGN_IN_LINK_HOURS",
    "paper_code": "PAPER_CODE_HOURS",
    "invitation": "INVITATION_HOURS",
    "password_reset": "PASSWORD_RESET_HOURS",  # a setting's name  # nosec B105
}


def issue(
    purpose: str, *, person: Person | None = None, created_by: Person | None = None, **fields
) -> tuple[OneTimeToken, str]:
    """A new token and its secret. The secret is returned once and never stored."""
    secret = rules.new_paper_code() if purpose == "paper_code" else rules.new_link_secret()
    if person is not None and purpose in ("paper_code", "sign_in_link", "password_reset"):
        # Only the newest of each kind works: handing out a new code cancels the old one.
        for old in _unused(purpose, person):
            old.used_at = utcnow()
    hours = current_app.config[HOURS_SETTING[purpose]]
    token = OneTimeToken(
        purpose=purpose,
        secret_hash=rules.hash_secret(secret),
        person_id=person.id if person is not None else None,
        created_by_id=created_by.id if created_by is not None else None,
        expires_at=rules.expiry(utcnow(), hours),
        **fields,
    )
    db.session.add(token)
    return token, secret


def _unused(purpose: str, person: Person):
    return db.session.scalars(
        select(OneTimeToken).where(
            OneTimeToken.purpose == purpose,
            OneTimeToken.person_id == person.id,
            OneTimeToken.used_at.is_(None),
        )
    ).all()


def find(purpose: str, secret: str) -> OneTimeToken | None:
    """The usable token for this secret, or None when it is wrong, used or out of date."""
    if purpose == "paper_code":
        secret = rules.normalise_code(secret)
    token = db.session.scalar(
        select(OneTimeToken).where(
            OneTimeToken.purpose == purpose,
            OneTimeToken.secret_hash == rules.hash_secret(secret),
        )
    )
    return token if rules.token_usable(token, utcnow()) else None


def use(token: OneTimeToken) -> None:
    token.used_at = utcnow()


def find_personal(purpose: str, secret: str) -> OneTimeToken | None:
    """Like ``find``, for tokens that sign someone in: only while that person is active."""
    token = find(purpose, secret)
    if token is None or token.person is None or not token.person.active:
        return None
    return token
