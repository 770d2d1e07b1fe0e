"""The public place pages, no sign-in: ``GET /places/`` (every place with anything public)
and ``GET /places/<slug>`` (a place's public home: open rounds, published decisions,
"you said, we did", round results, funds and grants, each figure with its "as of" date).

What is public is decided by ``participate.public.facts`` alone, the module the open-data
download and the JSON API read too, so the pages and the open data agree. The page only
arranges those facts (``place_rules``). A place with nothing public is 404, as is one that
does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from participate.accounts.models import Space
from participate.budgeting import rules as pb_rules
from participate.clock import local_today
from participate.commissions import rules as commission_rules
from participate.extensions import db
from participate.grants import rules as grant_rules
from participate.public import facts, place_rules

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.app_template_global("has_public_place")
def has_public_place(org) -> bool:
    """Whether ``org`` has a public place page, for links back to it from other pages."""
    return org is not None and facts.has_public_facts(org)


@bp.get("/")
def index():
    """Every place with anything public, and a line of what is there."""
    today = local_today()
    places = [
        (org, place_rules.summary(facts.place_counts(org, today)))
        for org in facts.public_places(today)
    ]
    return render_template("public/places.html", places=places, today=today)


def _commission_slugs(commitments: list[dict]) -> dict[int, str]:
    """Each public commitment's commission slug, by commitment id, for links to its "you
    said, we did" page (the ``commitments`` rows name the commission but carry no slug)."""
    from participate.commissions.models import Commission, Commitment

    ids = [c["id"] for c in commitments]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Commitment.id, Space.slug)
        .join(Commission, Commission.id == Commitment.commission_id)
        .join(Space, Space.id == Commission.space_id)
        .where(Commitment.id.in_(ids))
    )
    return {commitment_id: slug for commitment_id, slug in rows}


def load_place(slug: str):
    """The place, or 404 when it does not exist or has nothing public."""
    org = facts.public_place(slug)
    if org is None:
        abort(404)
    return org


@bp.get("/<slug>")
def show(slug: str):
    """A place's public home."""
    org = load_place(slug)
    today = local_today()
    rounds = facts.place_rounds(org, today)
    results = place_rules.results_by_round(rounds, facts.place_results(org, today))
    open_rounds = [
        (row, place_rules.round_now(facts.public_round(org, row["slug"]), today))
        for row in place_rules.open_rounds(rounds)
    ]
    commitments = facts.place_commitments(org, today)
    funds = facts.place_funds(org, today)
    return render_template(
        "public/place.html",
        org=org,
        today=today,
        open_rounds=open_rounds,
        results=results,
        earlier_rounds=place_rules.earlier_rounds(rounds, (r.round["id"] for r in results)),
        decisions=place_rules.latest_first(facts.place_decisions(org, today)),
        commitments=place_rules.by_commission(commitments, _commission_slugs(commitments)),
        tally=place_rules.commitment_tally(commitments),
        funds=funds,
        grants=place_rules.grants_by_fund(funds, facts.place_grants(org, today)),
        PRIVATE_RECIPIENT_NAME=facts.PRIVATE_RECIPIENT_NAME,
        PRIVATE_RECIPIENT=grant_rules.PRIVATE_RECIPIENT,
        GRANT_STATUSES=grant_rules.STATUS_LABELS,
        FUND_STATUSES=grant_rules.FUND_STATUS_LABELS,
        COMMITMENT_STATUSES=commission_rules.COMMITMENT_STATUSES,
        PHASE_LABELS=pb_rules.PHASE_LABELS,
    )
