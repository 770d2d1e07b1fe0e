"""Demo stories: one for each audience, one withdrawn, one recorded by a gatherer, quoted ones,
so each demo member sees a different set; with themes, links to a session and a commitment,
two storybooks (one public), an open flag, a hidden quote and a call for support."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from participate.commissions.models import CommissionSession, Commitment
from participate.extensions import db
from participate.stories.models import (
    ModerationEntry,
    Quote,
    Story,
    Storybook,
    StoryFlag,
    StoryLink,
    Theme,
)
from participate.stories.storybooks import add_to_storybook


def load(commission, people: dict, today) -> list[Story]:
    """``people``: community (Jade), dot, kayleigh, civic (Owen), business (Fatima),
    facilitator (Sam)."""
    shared_at = datetime.combine(today - timedelta(days=20), time(11), UTC)
    rows = [
        (
            people["community"],
            None,
            "self",
            "Why I said yes",
            "I said yes because my son's school kept sending letters home about uniform, and "
            "**nobody asked what it costs** to keep up.\n\nI want the people who write those "
            "letters to sit with us for an afternoon.",
            None,
            "commission",
            "first_name",
            "public",
            False,
        ),
        (
            people["dot"],
            people["facilitator"],
            "now",
            "Getting to the hub",
            "The bus stopped coming past my road in the spring. Without a lift I can't get to "
            "anything after four o'clock.",
            "Talks about being stuck at home",
            "cohort",
            "pseudonym",
            "commission",
            False,
        ),
        (
            people["kayleigh"],
            None,
            "free",
            "What keeps me well",
            "Walking the dog, and this group. Some weeks that's all.",
            "Talks about low mood",
            "facilitators",
            "anonymous",
            "none",
            False,
        ),
        (
            people["civic"],
            None,
            "self",
            "Why I'm here",
            "I've written policies about people I've never met. I'm here to listen first.",
            None,
            "public",
            "full_name",
            "public",
            False,
        ),
        (
            people["business"],
            None,
            "us",
            "What we share",
            "We all want our kids to stay in Porthaven when they grow up.",
            None,
            "only_me",
            "first_name",
            "none",
            False,
        ),
        (
            people["dot"],
            None,
            "free",
            "The winter before last",
            "I don't want this one out any more.",
            None,
            "commission",
            "first_name",
            "none",
            True,
        ),
    ]
    stories = []
    for teller, gatherer, template, title, body, note, audience, attribution, quoting, gone in rows:
        story = Story(
            commission_id=commission.id,
            teller_id=teller.id,
            recorded_by_id=gatherer.id if gatherer else None,
            template=template,
            title=title,
            body=body,
            content_note=note,
            audience=audience,
            attribution=attribution,
            pseudonym="Robin" if attribution == "pseudonym" else None,
            quoting=quoting,
            status="withdrawn" if gone else "shared",
            shared_at=shared_at,
            withdrawn_at=shared_at + timedelta(days=10) if gone else None,
            leave_withdrawn_line=gone,
        )
        db.session.add(story)
        stories.append(story)
    db.session.flush()
    _uses(commission, people, stories, shared_at)
    return stories


def _uses(commission, people: dict, stories: list[Story], shared_at) -> None:
    """What happened to the stories: themes, links, quotes, storybooks, safety."""
    said_yes, hub, keeps_well, why_here = stories[0], stories[1], stories[2], stories[3]
    sam, later = people["facilitator"], shared_at + timedelta(days=2)
    keeps_well.wants_support = True  # Sam sees the call for support on the stories page

    first_session = db.session.scalars(
        select(CommissionSession)
        .where(CommissionSession.commission_id == commission.id)
        .order_by(CommissionSession.starts_at)
    ).first()
    uniform = db.session.scalars(
        select(Commitment).where(
            Commitment.commission_id == commission.id, Commitment.what.like("%uniform%")
        )
    ).first()

    getting_around = Theme(
        commission_id=commission.id,
        name="Getting around",
        description="Buses, lifts and the cost of getting to things after four o'clock.",
        created_by_id=sam.id,
    )
    school_costs = Theme(
        commission_id=commission.id,
        name="The cost of school",
        description="Uniform, trips and the letters home about them.",
        created_by_id=sam.id,
    )
    db.session.add_all([getting_around, school_costs])
    db.session.flush()
    links = [
        (hub, "theme", getting_around.id, None),
        (said_yes, "theme", school_costs.id, None),
    ]
    if uniform is not None:
        links.append(
            (said_yes, "commitment", uniform.id, "Jade's story is why this went to the forum.")
        )
    if first_session is not None:
        links.append((said_yes, "session", first_session.id, "Jade read it out in this session."))
    for story, kind, target, note in links:
        db.session.add(
            StoryLink(
                story_id=story.id,
                target_kind=kind,
                target_id=target,
                note=note,
                created_by_id=sam.id,
                created_at=later,
            )
        )

    notes_of = first_session.id if first_session is not None else None
    in_notes = Quote(
        story_id=said_yes.id,
        excerpt="nobody asked what it costs",
        reach="commission",
        used_in="session_note",
        used_in_id=notes_of,
        created_by_id=sam.id,
        created_at=later,
    )
    in_book = Quote(
        story_id=said_yes.id,
        excerpt="I want the people who write those letters to sit with us for an afternoon.",
        reach="public",
        used_in="storybook",
        created_by_id=sam.id,
        created_at=later,
    )
    hidden = Quote(
        story_id=said_yes.id,
        excerpt="my son's school kept sending letters home about uniform",
        reach="commission",
        used_in="session_note",
        used_in_id=notes_of,
        created_by_id=sam.id,
        created_at=later,
        hidden_at=later + timedelta(days=1),
        hidden_reason="It could identify a child's school. It is being reworded with its teller.",
    )
    db.session.add_all([in_notes, in_book, hidden])
    db.session.flush()
    db.session.add(
        ModerationEntry(
            commission_id=commission.id,
            story_id=said_yes.id,
            quote_id=hidden.id,
            action="hidden",
            reason=hidden.hidden_reason,
            by_id=sam.id,
            at=hidden.hidden_at,
            teller_told_at=hidden.hidden_at + timedelta(hours=3),
        )
    )

    public_book = Storybook(
        commission_id=commission.id,
        title="Porthaven voices, this autumn",
        introduction="Words our commissioners chose to share beyond the commission.",
        audience="public",
        created_by_id=sam.id,
        created_at=later,
    )
    inside_book = Storybook(
        commission_id=commission.id,
        title="For the next session",
        introduction="To read before we meet, if you'd like to.",
        audience="commission",
        created_by_id=sam.id,
        created_at=later,
    )
    db.session.add_all([public_book, inside_book])
    db.session.flush()
    in_book.used_in_id = public_book.id
    add_to_storybook(public_book, story=why_here, added_by=sam)
    add_to_storybook(public_book, quote=in_book, added_by=sam)
    # For the whole commission only: a public storybook leaves it out until Jade says otherwise.
    add_to_storybook(public_book, story=said_yes, added_by=sam)
    add_to_storybook(inside_book, story=said_yes, added_by=sam)
    add_to_storybook(inside_book, story=why_here, added_by=sam)

    db.session.add(
        StoryFlag(
            story_id=why_here.id,
            raised_by_id=people["community"].id,
            reason="It names the council's housing team. Could we check they're all right "
            "with that before it goes further?",
            raised_at=later + timedelta(days=3),
        )
    )
