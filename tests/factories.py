"""Small builders for test data: one obvious way to make a person, a space, a membership."""

from __future__ import annotations

import itertools

from participate.accounts import auth
from participate.accounts.models import Membership, Organisation, Person, Space
from participate.extensions import db

PASSWORD = "correct horse battery"  # noqa: S105 - test data
_seq = itertools.count(1)


def person(name: str | None = None, *, email: str | None = "", password: str | None = PASSWORD,
           admin: bool = False, **extra) -> Person:
    n = next(_seq)
    name = name or f"Person {n}"
    if email == "":
        email = f"{name.lower().replace(' ', '.')}.{n}@example.org"
    p = Person(chosen_name=name, email=email, is_site_admin=admin, **extra)
    if password and email:
        auth.set_password(p, password)
    db.session.add(p)
    db.session.flush()
    return p


def organisation(name: str = "Porthaven Council", kind: str = "council") -> Organisation:
    n = next(_seq)
    o = Organisation(name=name, kind=kind, slug=f"org-{n}")
    db.session.add(o)
    db.session.flush()
    return o


def space(name: str = "A commission", kind: str = "commission", visibility: str = "members",
          organisation_: Organisation | None = None) -> Space:
    n = next(_seq)
    s = Space(name=name, kind=kind, visibility=visibility, slug=f"space-{n}",
              organisation=organisation_ or organisation())
    db.session.add(s)
    db.session.flush()
    return s


def member(p: Person, where, role: str, status: str = "active") -> Membership:
    scope = {"organisation": where} if isinstance(where, Organisation) else {"space": where}
    m = Membership(person=p, role=role, status=status, **scope)
    db.session.add(m)
    db.session.flush()
    db.session.refresh(p)
    return m


def sign_in(client, p: Person, password: str = PASSWORD):
    db.session.commit()
    response = client.post("/sign-in", data={"email": p.email, "password": password})
    assert response.status_code == 303, response.data[:500]
    return response


def commission(name: str = "Porthaven Poverty Truth Commission", *, phase: str = "together",
               phase_started_on=None, hosts=(), **extra):
    """A commission with its space; the space's organisation is the first host."""
    from datetime import date

    from participate.commissions.models import Commission, CommissionHost
    from participate.commissions.rules import DEFAULT_PLAN

    hosts = list(hosts) or [organisation("Northside Community Hub", "community_group")]
    s = space(name, kind="commission", organisation_=hosts[0])
    c = Commission(space=s, place="Porthaven", starts_on=date(2025, 1, 6), phase=phase,
                   phase_started_on=phase_started_on or date(2026, 6, 1),
                   phase_plan=dict(DEFAULT_PLAN), **extra)
    c.hosts = [CommissionHost(organisation=o) for o in hosts]
    db.session.add(c)
    db.session.flush()
    return c


def story(c, teller: Person, *, title: str = "Getting to the hub",
          body: str = "The bus stopped coming, so I walked.", audience: str = "commission",
          attribution: str = "first_name", quoting: str = "none", status: str = "shared",
          **extra):
    """A story told in commission ``c``; shared (with ``shared_at``) unless ``status`` says not."""
    from participate.columns import utcnow
    from participate.stories.models import Story

    s = Story(commission_id=c.id, teller_id=teller.id, title=title, body=body,
              audience=audience, attribution=attribution, quoting=quoting, status=status,
              shared_at=utcnow() if status != "draft" else None, **extra)
    db.session.add(s)
    db.session.flush()
    return s


def grant_round(phase: str = "ideas", *, visibility: str = "public",
                organisation_: Organisation | None = None, pots=((10_000, "Whole area"),),
                **settings):
    """A grant round in its own space, with pots of ``(amount, name)``; returns the round.
    ``round.space.organisation`` is the council whose officers run it."""
    from participate.budgeting.models import GrantRound, Pot

    s = space("A grant round", kind="grant_round", visibility=visibility,
              organisation_=organisation_)
    r = GrantRound(space_id=s.id, title=settings.pop("title", "Neighbourhood Fund"),
                   phase=phase, **settings)
    db.session.add(r)
    db.session.flush()
    for i, (amount, name) in enumerate(pots, start=1):
        db.session.add(Pot(round_id=r.id, position=i, name=name, amount=amount))
    db.session.flush()
    db.session.refresh(r)
    return r


def budget_project(pot, title: str = "Benches", cost: int = 1_000, *, status: str = "feasible",
                   author: Person | None = None, ref: str | None = None, **extra):
    from participate.budgeting.models import BudgetProject

    p = BudgetProject(pot_id=pot.id, ref=ref or f"P{next(_seq)}", title=title, cost=cost,
                      status=status, author_id=author.id if author else None, **extra)
    db.session.add(p)
    db.session.flush()
    return p


def as_person(client, p: Person | None):
    """Sign out, then sign in as ``p`` (``None``: stay signed out)."""
    client.post("/sign-out")
    if p is not None:
        sign_in(client, p)


def page_text(response) -> str:
    return response.get_data(as_text=True)


def fund(total: int = 1_000_000, *, organisation_: Organisation | None = None,
         officer: Person | None = None, status: str = "open", **settings):
    """An open fund of ``total`` pence (the money already in), set up by ``officer`` (a new
    council officer of ``organisation_`` when not given). ``fund.space`` holds its panel."""
    from datetime import date

    from participate.grants import steps

    org = organisation_ or organisation()
    if officer is None:
        officer = person("Fund Officer")
        member(officer, org, "council_officer")
    settings.setdefault("ends_on", date(2030, 3, 31))
    f = steps.create_fund(org, settings.pop("name", "Community Chest"), by=officer,
                          total=total, status=status, **settings)
    db.session.flush()
    return f


def application(f, applicant: Person | None = None, amount: int = 100_000, **fields):
    """An application to fund ``f`` for ``amount`` pence (a new applicant when not given)."""
    from participate.grants import steps

    fields.setdefault("title", "Saturday breakfast club")
    fields.setdefault("what", "Breakfast and games for families on Saturday mornings.")
    fields.setdefault("recipient_name", "Northside Families Group")
    return steps.apply(f, applicant or person("Applicant"), amount_requested=amount, **fields)
