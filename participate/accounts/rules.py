"""Who may do what with people, organisations and spaces: pure rules, no Flask, no database.

``can(person, action, thing)`` is the one question every accounts view asks. ``person`` is
anything with ``is_site_admin`` and ``memberships`` (each with ``space_id``,
``organisation_id``, ``role`` and ``status``); ``None`` means nobody is signed in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from participate.text import N_

# --- roles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    key: str
    label: str  # plain words shown to people (translated in templates)
    scope: str  # "organisation" or "space"
    about: str


ROLES: dict[str, Role] = {
    r.key: r
    for r in [
        Role(
            "council_officer",
            N_("Council officer"),
            "organisation",
            N_(
                "Publishes grant rounds, checks whether ideas can happen, and follows them through."
            ),
        ),
        Role(
            "finance_approver",
            N_("Finance approver"),
            "organisation",
            N_("Approves payments that someone else has asked for."),
        ),
        Role(
            "facilitator",
            N_("Facilitator"),
            "space",
            N_("Runs sessions, keeps the space safe, and records for people in the room."),
        ),
        Role(
            "community_commissioner",
            N_("Community commissioner"),
            "space",
            N_("Brings lived experience, sets the agenda, proposes and consents."),
        ),
        Role(
            "civic_commissioner",
            N_("Civic commissioner"),
            "space",
            N_("Listens first, then works alongside community commissioners on change."),
        ),
        Role(
            "business_commissioner",
            N_("Business commissioner"),
            "space",
            N_("Listens first, then works alongside community commissioners on change."),
        ),
        Role(
            "observer",
            N_("Observer"),
            "space",
            N_("Follows the work without taking part in decisions."),
        ),
        Role(
            "grant_panel_member",
            N_("Grant panel member"),
            "space",
            N_("Reads applications and decides small grants with the rest of the panel."),
        ),
        Role(
            "resident", N_("Resident"), "space", N_("Lives in the area: proposes ideas and votes.")
        ),
    ]
}

SPACE_ROLES = [r.key for r in ROLES.values() if r.scope == "space"]
ORGANISATION_ROLES = [r.key for r in ROLES.values() if r.scope == "organisation"]
COMMISSIONER_ROLES = {"community_commissioner", "civic_commissioner", "business_commissioner"}
SPACE_KINDS = {
    "commission": N_("Commission"),
    "grant_round": N_("Grant round"),
    "group": N_("Group"),
}
ORGANISATION_KINDS = {
    "council": N_("Council"),
    "funder": N_("Funder"),
    "community_group": N_("Community group"),
}
NOTIFICATION_CHOICES = {
    "each": N_("Each time something needs me"),
    "daily": N_("One email a day at most"),
    "weekly": N_("One email a week at most"),
    "none": N_("No emails: I'll look when I sign in"),
}
MEMBERSHIP_STATUSES = {
    "active": N_("Active"),
    "stepping_back": N_("Stepping back"),
    "left": N_("Left"),
}

# Roles a facilitator may give when adding or inviting someone to their space.
ROLES_BY_SPACE_KIND = {
    "commission": [
        "community_commissioner",
        "civic_commissioner",
        "business_commissioner",
        "facilitator",
        "observer",
    ],
    "grant_round": ["resident", "grant_panel_member", "facilitator", "observer"],
    "group": ["resident", "facilitator", "observer"],
}
MAX_FACILITATORS_PER_COMMISSION = 3


def roles_for_space_kind(kind: str) -> list[Role]:
    return [ROLES[key] for key in ROLES_BY_SPACE_KIND.get(kind, [])]


# --- memberships -----------------------------------------------------------------------------


def active_memberships(person) -> list:
    if person is None:
        return []
    return [m for m in person.memberships if m.status != "left"]


def role_in_space(person, space) -> str | None:
    for m in active_memberships(person):
        if m.space_id == space.id:
            return m.role
    return None


def role_in_organisation(person, organisation) -> str | None:
    for m in active_memberships(person):
        if m.organisation_id == organisation.id:
            return m.role
    return None


def _admin(person) -> bool:
    return person is not None and bool(person.is_site_admin)


def facilitates(person, space) -> bool:
    return role_in_space(person, space) == "facilitator"


def _officer_of(person, space) -> bool:
    """A council officer of the organisation that hosts the space."""
    for m in active_memberships(person):
        if m.organisation_id == space.organisation_id and m.role == "council_officer":
            return True
    return False


# --- the policy ------------------------------------------------------------------------------


def _view_space(person, space) -> bool:
    if space.visibility == "public":
        return True
    return _admin(person) or role_in_space(person, space) is not None or _officer_of(person, space)


def _manage_space(person, space) -> bool:
    """Add people, invite, issue sign-in codes, see access needs."""
    return _admin(person) or facilitates(person, space)


def _view_members(person, space) -> bool:
    return _admin(person) or role_in_space(person, space) is not None or _officer_of(person, space)


def _view_organisation(person, organisation) -> bool:
    return person is not None


def _manage_organisation(person, organisation) -> bool:
    return _admin(person) or role_in_organisation(person, organisation) == "council_officer"


def _assist(person, pair) -> bool:
    """A facilitator may act for someone in their space who is there and agrees."""
    space, member = pair
    if person is None or member is None or member.id == person.id:
        return False
    return facilitates(person, space) and role_in_space(member, space) is not None


def _self_or_their_facilitator(person, subject) -> bool:
    """The person themself, or a facilitator of one of their spaces.

    Decides who sees someone's access needs, and whose profile a facilitator may change while
    acting for them (assisted mode).
    """
    if person is None or subject is None:
        return False
    if person.id == subject.id:
        return True
    their_spaces = {m.space_id for m in active_memberships(subject) if m.space_id}
    return any(
        m.role == "facilitator" and m.space_id in their_spaces for m in active_memberships(person)
    )


def _issue_paper_code(person, pair) -> bool:
    """A new sign-in code, for someone with no email, from a facilitator of their space."""
    space, member = pair
    if member is None or member.email or role_in_space(member, space) is None:
        return False
    return _manage_space(person, space)


def _admin_only(person, _thing) -> bool:
    return _admin(person)


POLICY: dict[str, Callable[[object, object], bool]] = {
    "view_space": _view_space,
    "view_members": _view_members,
    "manage_space": _manage_space,
    "view_organisation": _view_organisation,
    "manage_organisation": _manage_organisation,
    "assist": _assist,
    "see_access_needs": _self_or_their_facilitator,
    "edit_profile": _self_or_their_facilitator,
    "issue_paper_code": _issue_paper_code,
    "administer": _admin_only,
}


def can(person, action: str, thing=None) -> bool:
    """May ``person`` do ``action`` to ``thing``? Unknown actions are refused."""
    rule = POLICY.get(action)
    if rule is None:
        raise KeyError(f"No accounts rule for {action!r}")
    if person is not None and not getattr(person, "active", True):
        return False
    return bool(rule(person, thing))


def roles_a_facilitator_may_give(space, current_roles: Iterable[str]) -> list[Role]:
    """The roles on offer when adding someone, without going past three facilitators."""
    roles = roles_for_space_kind(space.kind)
    facilitators = sum(1 for r in current_roles if r == "facilitator")
    if space.kind == "commission" and facilitators >= MAX_FACILITATORS_PER_COMMISSION:
        roles = [r for r in roles if r.key != "facilitator"]
    return roles


# --- one-time secrets ------------------------------------------------------------------------

# No 0/O, 1/I/L, 5/S, 2/Z: easy to read aloud and to copy from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 8


def new_link_secret() -> str:
    return secrets.token_urlsafe(32)


def new_paper_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(typed: str) -> str:
    """What someone typed from paper, as we stored it: upper case, no spaces, one dash."""
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(cleaned) != CODE_LENGTH:
        return cleaned
    return f"{cleaned[:4]}-{cleaned[4:]}"


def hash_secret(secret: str) -> str:
    """Secrets are long and random, so a fast hash is enough; we never store the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_usable(token, now: datetime) -> bool:
    return token is not None and token.used_at is None and token.expires_at > now


def expiry(now: datetime, hours: int) -> datetime:
    return now + timedelta(hours=hours)


# --- passwords -------------------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 10


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why a new password won't do, in plain words, or None when it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("Use at least 10 characters. Three random words work well.")
    if len(set(password)) < 4:
        return N_("Use a mix of characters: this one repeats itself too much.")
    if email and password.lower() == email.lower():
        return N_("Don't use your email address as your password.")
    return None


def normalise_email(email: str) -> str:
    return email.strip().lower()
