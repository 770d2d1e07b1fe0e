"""Telling people news: ``tell`` adds a notice (once per person and key), and the ``*_``
functions below are the one call each feature makes after something happened. They only add
rows to the caller's session; the caller commits. Emails go out later, from
``flask notices send`` (``send.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from participate.accounts.models import Membership, Person
from participate.columns import utcnow
from participate.extensions import db
from participate.notices import rules
from participate.notices.models import Notice


def path_for(endpoint: str, **values) -> str:
    """A path on this site, built without a request (the command runs from cron)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _insert(values: dict):
    """INSERT ... ON CONFLICT (person_id, key) DO NOTHING where the database says it
    (SQLite, PostgreSQL); otherwise None, and ``tell`` uses a savepoint."""
    name = db.session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return None
    return (
        dialect_insert(Notice.__table__)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["person_id", "key"])
        .returning(Notice.__table__.c.id)
    )


def tell(
    person: Person,
    kind: str,
    key: str,
    params: dict | None = None,
    path: str | None = None,
    happened_at: datetime | None = None,
) -> bool:
    """Keep this news for ``person`` unless they already have news with this ``key``.
    Returns whether it was new. A duplicate (even one added at the same moment by another
    request) never raises and never spoils the caller's transaction."""
    if kind not in rules.KINDS:
        raise ValueError(f"unknown kind of notice: {kind}")
    if person.id is None:
        db.session.flush()
    values = {
        "person_id": person.id,
        "kind": kind,
        "key": key,
        "params": dict(params or {}),
        "path": path,
        "happened_at": happened_at or utcnow(),
    }
    statement = _insert(values)
    if statement is not None:
        return db.session.execute(statement).first() is not None
    try:
        with db.session.begin_nested():
            db.session.execute(insert(Notice.__table__).values(**values))
    except IntegrityError:
        return False
    return True


def tell_all(
    people: Iterable[Person],
    kind: str,
    key: str,
    params: dict,
    path: str | None,
    happened_at: datetime | None = None,
) -> int:
    told = 0
    seen: set[int] = set()
    for person in people:
        if person.id in seen:
            continue
        seen.add(person.id)
        told += tell(person, kind, key, params, path, happened_at)
    return told


# --- who hears -------------------------------------------------------------------------------


def members_of(space_id: int, roles: Iterable[str] | None = None) -> list[Person]:
    """Active people with a membership of the space that has not ended (as
    ``accounts.rules.active_memberships`` counts it)."""
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.space_id == space_id,
            Membership.status != "left",
            Person.active.is_(True),
        )
        .order_by(Person.id)
    )
    if roles is not None:
        query = query.where(Membership.role.in_(list(roles)))
    return list(db.session.scalars(query).unique())


def officers_of(organisation_id: int) -> list[Person]:
    """The council officers of an organisation (those who run its rounds and funds)."""
    return list(
        db.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role == "council_officer",
                Membership.status != "left",
                Person.active.is_(True),
            )
            .order_by(Person.id)
        ).unique()
    )


def voters_told(rnd) -> list[Person]:
    """Who is told a round's voting news: the members of the group it is for (rounds where
    only members vote); for a round open to every resident, the members of the round's own
    space (we do not email everyone in the area)."""
    if rnd.who_votes == "members":
        return members_of(rnd.members_space_id or rnd.space_id)
    return members_of(rnd.space_id)


# --- the events ------------------------------------------------------------------------------


def _round_params(rnd) -> dict:
    params = {"round": rnd.title, "space": rnd.space.name}
    last_day = rules.last_voting_day(rnd.results_from)
    if last_day is not None:
        params.update(step="until", last_day=last_day.isoformat())
    return params


def round_moved(rnd, to: str) -> int:
    """A grant round moved phase: when voting opens, its voters hear."""
    if to != "voting":
        return 0
    return tell_all(
        voters_told(rnd),
        "round_opening",
        rules.round_opening_key(rnd.id),
        _round_params(rnd),
        path_for("budgeting.vote", slug=rnd.space.slug),
    )


def objection_raised(proposal, decision_round, objector: Person) -> int:
    """An objection was recorded in a consent round: its proposal's proposer hears (not the
    rest of the circle; not the proposer about their own objection)."""
    from participate.decisions.models import Objection

    objection = db.session.scalars(
        select(Objection)
        .where(Objection.round_id == decision_round.id, Objection.raised_by_id == objector.id)
        .order_by(Objection.id.desc())
    ).first()
    if objection is None:
        return 0
    return objection_told(objection)


def objection_told(objection) -> int:
    proposal = objection.proposal
    if proposal.proposer_id == objection.raised_by_id:
        return 0
    return tell_all(
        [proposal.proposer],
        "objection",
        rules.objection_key(objection.id),
        {"proposal": proposal.title, "space": proposal.space.name},
        path_for("decisions.show", slug=proposal.space.slug, proposal_id=proposal.id),
        happened_at=objection.raised_at,
    )


def grant_params(grant, **extra) -> dict:
    return {"grant": grant.title, "reference": grant.reference, "space": grant.fund.name, **extra}


def payment_approved(payment) -> int:
    """A payment has all the approvals it needs: the grantee and the officer who asked for it
    hear (the approvers know already)."""
    if payment.status != "approved":
        return 0
    grant = payment.grant
    asked = db.session.get(Person, payment.requested_by_id)
    params = grant_params(grant, amount_pence=payment.amount, currency=grant.fund.currency)
    return tell_all(
        [grant.applicant, *([asked] if asked else [])],
        "payment_approved",
        rules.payment_key(payment.id),
        params,
        path_for("grants.money", slug=grant.fund.slug, number=grant.number),
    )


def grant_side(grant, by: Person | None, *, grantee: bool = True, fund: bool = True):
    people = []
    if grantee:
        people.append(grant.applicant)
    if fund:
        people += officers_of(grant.fund.space.organisation_id)
    return [p for p in people if by is None or p.id != by.id]


def _closing(
    grant, step: str, people, version: int | None = None, happened_at: datetime | None = None
) -> int:
    extra = {"step": step}
    if step == "signed_grantee":
        extra["recipient"] = grant.recipient_name
    return tell_all(
        people,
        "grant_closing",
        rules.closing_key(grant.id, step, version),
        grant_params(grant, **extra),
        path_for("grants.closing", slug=grant.fund.slug, number=grant.number),
        happened_at,
    )


def closure_started(grant, by: Person | None = None) -> int:
    """Closing started: the grantee and the fund's officers hear (not whoever started it)."""
    return _closing(grant, "started", grant_side(grant, by))


def closure_ready(grant, happened_at: datetime | None = None) -> int:
    """Every step done but the signatures (found by the send command)."""
    return _closing(
        grant, "ready", grant_side(grant, None), grant.closure.letter_version, happened_at
    )


def signed(grant, side: str, by: Person | None = None) -> int:
    """One side signed: the other side hears; both have: everyone hears it is closed."""
    if grant.status == "closed":
        return _closing(grant, "closed", grant_side(grant, by))
    version = grant.closure.letter_version if grant.closure is not None else None
    if side == "funder":
        return _closing(grant, "signed_funder", grant_side(grant, by, fund=False), version)
    return _closing(grant, "signed_grantee", grant_side(grant, by, grantee=False), version)
