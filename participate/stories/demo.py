"""Demo stories: one for each audience, one withdrawn, one recorded by a gatherer, one quoted,
so each demo member sees a different set."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from participate.extensions import db
from participate.stories.models import Quote, Story


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
    db.session.add(
        Quote(
            story_id=stories[0].id,
            excerpt="nobody asked what it costs",
            reach="public",
            used_in="session_note",
            created_by_id=people["facilitator"].id,
        )
    )
    return stories
