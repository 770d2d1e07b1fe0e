"""Which organisations a person runs something for: the councils whose grant rounds they may
start, the organisations whose funds they may set up. Each feature's rules say what "runs"
means (``manages(person, thing)``); this asks them about a stand-in hosted by each
organisation."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from sqlalchemy import select

from participate.accounts.models import Organisation
from participate.accounts.rules import active_memberships
from participate.extensions import db


def hosted_by(org: Organisation):
    """A stand-in round or fund hosted by ``org``, to ask a feature's rules about it."""
    return SimpleNamespace(space=SimpleNamespace(organisation_id=org.id))


def organisations_run_by(person, manages: Callable) -> list[Organisation]:
    """The organisations (councils and funders, for site admins; otherwise the person's own)
    for which ``manages(person, hosted_by(org))`` holds, by name."""
    if person is None:
        return []
    if person.is_site_admin:
        query = select(Organisation).where(Organisation.kind.in_(("council", "funder")))
    else:
        ids = {m.organisation_id for m in active_memberships(person) if m.organisation_id}
        if not ids:
            return []
        query = select(Organisation).where(Organisation.id.in_(ids))
    orgs = db.session.scalars(query.order_by(Organisation.name)).all()
    return [o for o in orgs if manages(person, hosted_by(o))]
