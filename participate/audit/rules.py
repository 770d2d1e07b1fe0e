"""Who may read which audit rows: pure rules."""

from __future__ import annotations

from participate.accounts.rules import active_memberships


def _admin(person) -> bool:
    return person is not None and bool(person.is_site_admin)


def _view_log(person, _thing) -> bool:
    """The whole log, with its filters, is for site admins."""
    return _admin(person)


def _view_entry(person, entry) -> bool:
    if entry.visibility == "public" or _admin(person):
        return True
    if person is None:
        return False
    if person.id in (entry.actor_id, entry.on_behalf_of_id):
        return True
    if entry.visibility == "space" and entry.space_id is not None:
        return any(m.space_id == entry.space_id for m in active_memberships(person))
    return False


POLICY = {"view_log": _view_log, "view_entry": _view_entry}


def can(person, action: str, thing=None) -> bool:
    rule = POLICY.get(action)
    if rule is None:
        raise KeyError(f"No audit rule for {action!r}")
    return bool(rule(person, thing))
