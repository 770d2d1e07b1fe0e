"""The audit log page for site admins, with filters that also work without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, request
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.accounts.models import Person, Space
from participate.audit import rules
from participate.audit.models import VISIBILITIES, AuditEntry
from participate.extensions import db
from participate.web.htmx import render_page_or_block

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PAGE_SIZE = 50


def _date(value: str | None, end: bool = False):
    try:
        day = datetime.strptime(value or "", "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None
    return day + timedelta(days=1) if end else day


@bp.get("/")
@login_required
def log():
    if not rules.can(current_user, "view_log"):
        abort(404)
    args = request.args
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    filters = {
        "action": args.get("action", "").strip(),
        "person": args.get("person", "").strip(),
        "space": args.get("space", "").strip(),
        "visibility": args.get("visibility", "").strip(),
        "since": args.get("since", "").strip(),
        "until": args.get("until", "").strip(),
    }
    if filters["action"]:
        query = query.where(AuditEntry.action.startswith(filters["action"]))
    if filters["person"].isdigit():
        pid = int(filters["person"])
        query = query.where((AuditEntry.actor_id == pid) | (AuditEntry.on_behalf_of_id == pid))
    if filters["space"].isdigit():
        query = query.where(AuditEntry.space_id == int(filters["space"]))
    if filters["visibility"] in VISIBILITIES:
        query = query.where(AuditEntry.visibility == filters["visibility"])
    since, until = _date(filters["since"]), _date(filters["until"], end=True)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    page = max(int(args.get("page", "1")) if args.get("page", "1").isdigit() else 1, 1)
    rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return render_page_or_block(
        "audit/log.html",
        "results",
        entries=rows[:PAGE_SIZE],
        has_more=len(rows) > PAGE_SIZE,
        page=page,
        filters=filters,
        actions=actions.all(),
        people=db.session.scalars(select(Person).order_by(Person.chosen_name)).all(),
        spaces=db.session.scalars(select(Space).order_by(Space.name)).all(),
        visibilities=VISIBILITIES,
        bad_dates=[k for k in ("since", "until") if filters[k] and not _date(filters[k])],
    )
