"""Demo links, so that a newcomer sees a whole chain: a story Jade shared in public → the
proposal "A named contact for council tax arrears" (Owen's public story is linked to it
too) → its published decision → the commitment to review the council's arrears letters
and the tenants' group's grant from Porthaven Community Chest (paid, with what happened).

Called from ``participate.demo`` after the other features' demos: it finds their items by
name and leaves things alone when one is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from participate.accounts.models import Person, Space
from participate.commissions.models import Commission, Commitment
from participate.decisions.models import Decision, Proposal
from participate.extensions import db
from participate.grants.models import Grant
from participate.links.models import Link
from participate.stories.models import Story, StoryLink

COMMISSION = "porthaven-poverty-truth-commission"
DECISION = "A named contact for council tax arrears"
COMMITMENT = "Review how the council writes to people about council tax arrears"
GRANT = "Winter warm packs and a damp clinic"


def _one(query):
    return db.session.scalars(query).first()


def load(today) -> None:
    commission = _one(select(Commission).join(Commission.space).where(Space.slug == COMMISSION))
    if commission is None:
        return
    proposal = _one(
        select(Proposal).where(Proposal.space_id == commission.space_id, Proposal.title == DECISION)
    )
    decision = (
        _one(select(Decision).where(Decision.proposal_id == proposal.id).order_by(Decision.id))
        if proposal is not None
        else None
    )
    if decision is None:
        return
    sam = _one(select(Person).where(Person.email == "facilitator@porthaven.example"))
    jade = _one(select(Person).where(Person.email == "community@porthaven.example"))
    priya = _one(select(Person).where(Person.email == "officer@porthaven.example"))
    if sam is None or jade is None:
        return
    shared_at = datetime.combine(today - timedelta(days=70), time(10), UTC)

    # Jade shared this one with the public, named by her first name, quotable in public.
    desk = Story(
        commission_id=commission.id,
        teller_id=jade.id,
        template="now",
        title="Passed from desk to desk",
        body="When the arrears letter came I rang four times. **Every time a different "
        "person**, and every time I had to start again from the beginning.\n\nI just wanted "
        "one person who knew what was going on.",
        audience="public",
        attribution="first_name",
        quoting="public",
        status="shared",
        shared_at=shared_at,
        created_at=shared_at,
        updated_at=shared_at,
    )
    db.session.add(desk)
    db.session.flush()

    why_here = _one(
        select(Story).where(Story.commission_id == commission.id, Story.title == "Why I'm here")
    )
    story_links = [
        (desk, "proposal", proposal.id, "This story is where the proposal started."),
    ]
    if why_here is not None:  # Owen's, public and under his full name, as he chose
        story_links.append(
            (
                why_here,
                "proposal",
                proposal.id,
                "The listening this story asks for shaped the second version.",
            )
        )
    for story, kind, target, note in story_links:
        db.session.add(
            StoryLink(
                story_id=story.id,
                target_kind=kind,
                target_id=target,
                note=note,
                created_by_id=sam.id,
                created_at=shared_at + timedelta(days=4),
            )
        )

    links = []
    commitment = _one(
        select(Commitment).where(
            Commitment.commission_id == commission.id, Commitment.what == COMMITMENT
        )
    )
    if commitment is not None:
        links.append(
            (
                ("decision", decision.id),
                ("commitment", commitment.id),
                "Helen took the decision to the revenues team: the letters are being rewritten.",
                sam,
            )
        )
    grant = _one(select(Grant).where(Grant.title == GRANT))
    if grant is not None and priya is not None:
        links.append(
            (
                ("decision", decision.id),
                ("grant", grant.id),
                "The named contact meets tenants behind on council tax at the damp clinics.",
                priya,
            )
        )
    for (source_kind, source_id), (target_kind, target_id), note, by in links:
        db.session.add(
            Link(
                source_kind=source_kind,
                source_id=source_id,
                target_kind=target_kind,
                target_id=target_id,
                note=note,
                created_by_id=by.id,
                created_at=decision.adopted_at + timedelta(days=2),
            )
        )
    db.session.flush()
