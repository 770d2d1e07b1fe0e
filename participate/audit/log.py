"""Write audit rows, with the actor and the person acted for taken from the request."""

from __future__ import annotations

from flask import g, has_request_context
from flask_login import current_user

from participate.audit.models import VISIBILITIES, AuditEntry
from participate.extensions import db


def _current_actor():
    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return None, None
    acting_for = g.get("acting_for")
    return current_user._get_current_object(), acting_for


def record(
    action: str,
    summary: str,
    obj=None,
    *,
    space=None,
    visibility: str = "private",
    actor=None,
    on_behalf_of=None,
    detail: dict | None = None,
) -> AuditEntry:
    """Add an audit row to the session; it is written with the change it describes.

    ``actor`` and ``on_behalf_of`` default to whoever is signed in and whoever a facilitator
    is acting for in assisted mode.
    """
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}")
    request_actor, request_for = _current_actor()
    acting_in = g.get("acting_in") if has_request_context() else None
    if space is not None and acting_in is not None and acting_in.id != space.id:
        request_for = None  # acting for someone in one space says nothing about another
    actor = actor if actor is not None else request_actor
    on_behalf_of = on_behalf_of if on_behalf_of is not None else request_for
    entry = AuditEntry(
        action=action,
        summary=summary[:300],
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        space_id=space.id if space is not None else None,
        visibility=visibility,
        actor_id=actor.id if actor is not None else None,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of is not None else None,
        detail=detail,
    )
    db.session.add(entry)
    return entry
