"""Commission pages: set-up, overview, timeline and phases, charter, people.

Sessions, commitments and recompense have their own modules on the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from participate.accounts import spaces
from participate.accounts.models import Space
from participate.accounts.rules import ROLES
from participate.commissions import rules
from participate.commissions.models import Commission
from participate.extensions import db
from participate.web.htmx import render_page_or_block

bp = Blueprint("commissions", __name__, url_prefix="/commissions")


bp.add_app_template_filter(rules.phase_number, "phase_number")


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def load_commission(slug: str, action: str = "view") -> Commission:
    """The commission, or 404 when it doesn't exist or this person may not ``action`` it.

    People who may know it exists but not see it yet (civic commissioners during the
    community-only phase) also get 404 from every page but the overview, which tells them
    when they'll join.
    """
    commission = db.session.scalar(
        select(Commission).join(Commission.space).where(Space.slug == slug)
    )
    if commission is None or not rules.can(viewer(), action, commission):
        abort(404)
    return commission


def render(template: str, commission: Commission, status: int = 200, block: str | None = None,
           **context):
    """Render a commission page with what its layout needs: the commission, the viewer's
    role and a ``may`` dict of every commission permission (for the sub-navigation)."""
    person = viewer()
    context.update(
        commission=commission,
        my_role=rules.role_in(person, commission),
        may={action: rules.can(person, action, commission) for action in rules.POLICY},
        phase=rules.PHASES_BY_KEY[commission.phase],
        PHASES=rules.PHASES_BY_KEY,
    )
    if block is None:
        return render_template(template, **context), status
    return render_page_or_block(template, block, status=status, **context)


def _commission_for(space: Space) -> Commission | None:
    return db.session.scalar(select(Commission).where(Commission.space_id == space.id))


def _role_limit(space: Space, current_roles: list[str]) -> list[str]:
    commission = _commission_for(space)
    if commission is None:
        return list(ROLES)  # a commission space never set up as one: no cohort caps to apply
    return rules.roles_with_room(commission, current_roles)


def _own_page(space: Space) -> str | None:
    commission = _commission_for(space)
    return url_for("commissions.show", slug=space.slug) if commission else None


spaces.role_limits["commission"] = _role_limit
spaces.space_pages["commission"] = _own_page


# The other commission pages register their routes on ``bp`` when imported.
from participate.commissions import commitments, recompense, sessions  # noqa: E402, F401
