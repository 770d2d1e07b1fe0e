"""What the small grants ask of someone, on their home page, each a plain sentence and a link:

- a panel member: applications in their funds waiting for their declaration or their view;
- the grantee: an offer to accept, a final report to send, a closure letter to sign;
- a finance approver: payments waiting for their approval (never their own request, never one
  they already approved);
- the council officers who run a fund: approved payments to mark paid, requests to move money
  between budget lines, grants whose closing should start, letters waiting for the fund's
  signature.

A few queries per person, whatever the number of grants. Site admins, who may run any fund,
are not asked about every fund in the place (principle 10: don't flood people); the council
officers of each fund's organisation are.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from participate.accounts.models import Space
from participate.accounts.rules import active_memberships
from participate.clock import local_today
from participate.extensions import db
from participate.grants import rules
from participate.grants.models import (
    Declaration,
    Fund,
    Grant,
    LedgerAccount,
    LetterComment,
    OutstandingIssue,
    PanelView,
    Payment,
    Reallocation,
)
from participate.text import N_
from participate.web.home import TASK_PROVIDERS, Task


def _args(grant: Grant) -> dict:
    return {"slug": grant.fund.slug, "number": grant.number}


def _in_organisations(organisation_ids):
    """Grants of the funds run by these organisations (join onto Grant)."""
    return (
        select(Grant)
        .join(Fund, Grant.fund_id == Fund.id)
        .join(Space, Fund.space_id == Space.id)
        .where(Space.organisation_id.in_(organisation_ids))
    )


def _steps_by_grant(grants: list[Grant]) -> dict[int, list[rules.Step]]:
    """``steps.closure_steps`` for many closing grants at once (four queries in all)."""
    ids = [g.id for g in grants]
    if not ids:
        return {}

    def counts(model, status):
        return dict(
            db.session.execute(
                select(model.grant_id, func.count(model.id))
                .where(model.grant_id.in_(ids), model.status == status)
                .group_by(model.grant_id)
            ).all()
        )

    issues, comments = counts(OutstandingIssue, "open"), counts(LetterComment, "open")
    unpaid = dict(
        db.session.execute(
            select(LedgerAccount.grant_id, LedgerAccount.balance).where(
                LedgerAccount.grant_id.in_(ids), LedgerAccount.kind == "committed"
            )
        ).all()
    )
    pending = dict(
        db.session.execute(
            select(Payment.grant_id, func.sum(Payment.amount))
            .where(Payment.grant_id.in_(ids), Payment.status.in_(("requested", "approved")))
            .group_by(Payment.grant_id)
        ).all()
    )
    return {
        g.id: rules.closure_steps(
            g.closure,
            open_issues=issues.get(g.id, 0),
            open_comments=comments.get(g.id, 0),
            unpaid=int(unpaid.get(g.id) or 0),
            pending_payments=int(pending.get(g.id) or 0),
        )
        for g in grants
    }


def _to_sign(person, grants: list[Grant], side: str) -> list[Grant]:
    """Closing grants whose letter waits for ``side``'s signature from ``person``."""
    drafted = [
        g for g in grants if g.status == "closing" and g.closure is not None and g.closure.letter
    ]
    steps = _steps_by_grant(drafted)
    return [g for g in drafted if rules.can_sign(person, g, side, steps[g.id], g.closure)]


def _panel_tasks(person, space_ids: set[int]) -> list[Task]:
    if not space_ids:
        return []
    grants = db.session.scalars(
        select(Grant)
        .join(Fund, Grant.fund_id == Fund.id)
        .where(Fund.space_id.in_(space_ids), Grant.status == "applied")
        .order_by(Grant.created_at, Grant.id)
    ).all()
    if not grants:
        return []
    ids = [g.id for g in grants]
    declared = defaultdict(list)
    for d in db.session.scalars(
        select(Declaration).where(Declaration.person_id == person.id, Declaration.grant_id.in_(ids))
    ):
        declared[d.grant_id].append(d)
    viewed = set(
        db.session.scalars(
            select(PanelView.grant_id).where(
                PanelView.person_id == person.id, PanelView.grant_id.in_(ids)
            )
        )
    )
    tasks = []
    for grant in grants:
        mine = declared[grant.id]
        if rules.can_declare(person, grant) and not mine:
            tasks.append(
                Task(
                    N_("Say whether you have an interest in the application %(space)s"),
                    "grants.grant",
                    _args(grant),
                    grant.title,
                )
            )
        elif rules.can_give_view(person, grant, mine) and grant.id not in viewed:
            tasks.append(
                Task(
                    N_("Give your view on the application %(space)s"),
                    "grants.grant",
                    _args(grant),
                    grant.title,
                )
            )
    return tasks


def _grantee_tasks(person) -> list[Task]:
    grants = db.session.scalars(
        select(Grant)
        .where(Grant.applicant_id == person.id, Grant.status.in_(("awarded", "closing")))
        .options(selectinload(Grant.closure))
        .order_by(Grant.id)
    ).all()
    tasks = []
    for grant in grants:
        if rules.can_accept(person, grant):
            tasks.append(
                Task(
                    N_("Accept the offer for %(space)s"), "grants.grant", _args(grant), grant.title
                )
            )
        elif (
            rules.can_send_report(person, grant)
            and grant.closure is not None
            and grant.closure.report_at is None
        ):
            tasks.append(
                Task(
                    N_("Send your final report for %(space)s"),
                    "grants.closing",
                    _args(grant),
                    grant.title,
                )
            )
    for grant in _to_sign(person, grants, "grantee"):
        tasks.append(
            Task(
                N_("Sign the closure letter for %(space)s"),
                "grants.closing",
                _args(grant),
                grant.title,
            )
        )
    return tasks


def _payments(organisation_ids: set[int], status: str):
    return db.session.execute(
        select(Payment, Grant)
        .join(Grant, Payment.grant_id == Grant.id)
        .join(Fund, Grant.fund_id == Fund.id)
        .join(Space, Fund.space_id == Space.id)
        .where(Space.organisation_id.in_(organisation_ids), Payment.status == status)
        .order_by(Payment.requested_at, Payment.id)
    ).all()


def _finance_tasks(person, organisation_ids: set[int]) -> list[Task]:
    if not organisation_ids:
        return []
    tasks, seen = [], set()
    for payment, grant in _payments(organisation_ids, "requested"):
        if grant.id not in seen and rules.can_approve(person, payment, grant):
            seen.add(grant.id)
            tasks.append(
                Task(
                    N_("Approve a payment to %(space)s"), "grants.money", _args(grant), grant.title
                )
            )
    return tasks


def _manager_tasks(person, organisation_ids: set[int], today) -> list[Task]:
    if not organisation_ids:
        return []
    tasks: list[Task] = []
    seen = set()
    for payment, grant in _payments(organisation_ids, "approved"):
        if grant.id not in seen and rules.can_mark_paid(person, payment, grant):
            seen.add(grant.id)
            tasks.append(
                Task(
                    N_("Mark the approved payment to %(space)s as paid"),
                    "grants.money",
                    _args(grant),
                    grant.title,
                )
            )
    seen = set()
    for found, grant in db.session.execute(
        select(Reallocation, Grant)
        .join(Grant, Reallocation.grant_id == Grant.id)
        .join(Fund, Grant.fund_id == Fund.id)
        .join(Space, Fund.space_id == Space.id)
        .where(
            Space.organisation_id.in_(organisation_ids),
            Reallocation.status == "requested",
            Grant.status.in_(rules.PAYABLE),
        )
        .order_by(Reallocation.requested_at, Reallocation.id)
    ).all():
        if grant.id not in seen and rules.can_decide_reallocation(person, found, grant):
            seen.add(grant.id)
            tasks.append(
                Task(
                    N_("Say yes or no to moving money between the budget lines of %(space)s"),
                    "grants.updates",
                    _args(grant),
                    grant.title,
                )
            )
    running = db.session.scalars(
        _in_organisations(organisation_ids)
        .where(Grant.status.in_(("active", "closing")))
        .options(selectinload(Grant.closure))
        .order_by(Grant.id)
    ).all()
    for grant in running:
        if rules.reminder_due(grant, today) and rules.can_start_closure(person, grant):
            # The name carries the date: "Start closing Breakfast club: it ends on 31 March".
            ends = format_date(rules.grant_ends(grant), "d MMMM yyyy")
            tasks.append(
                Task(
                    N_("Start closing %(space)s"),
                    "grants.closing",
                    _args(grant),
                    _("%(grant)s: it ends on %(date)s", grant=grant.title, date=ends),
                )
            )
    for grant in _to_sign(person, running, "funder"):
        tasks.append(
            Task(
                N_("Sign the closure letter for %(space)s on behalf of the fund"),
                "grants.closing",
                _args(grant),
                grant.title,
            )
        )
    return tasks


def _home_tasks(person) -> list[Task]:
    memberships = active_memberships(person)
    panel = {m.space_id for m in memberships if m.space_id and m.role == "grant_panel_member"}

    def organisations(role):
        return {m.organisation_id for m in memberships if m.organisation_id and m.role == role}

    return (
        _panel_tasks(person, panel)
        + _grantee_tasks(person)
        + _finance_tasks(person, organisations("finance_approver"))
        + _manager_tasks(person, organisations("council_officer"), local_today())
    )


TASK_PROVIDERS.append(_home_tasks)
