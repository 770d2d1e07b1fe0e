"""Stories, their quotes, links, storybooks and moderation.

Whether anyone may see any of this is decided in ``stories/rules.py`` and nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.accounts.models import Person
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db


class Story(db.Model):
    __tablename__ = "story"
    __table_args__ = (
        CheckConstraint("template IN ('self', 'us', 'now', 'free')", name="template"),
        CheckConstraint(
            "audience IN ('only_me', 'facilitators', 'cohort', 'commission', 'public')",
            name="audience",
        ),
        CheckConstraint(
            "attribution IN ('full_name', 'first_name', 'pseudonym', 'anonymous')",
            name="attribution",
        ),
        CheckConstraint("quoting IN ('none', 'commission', 'public')", name="quoting"),
        CheckConstraint("status IN ('draft', 'shared', 'withdrawn')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    teller_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # A story gatherer who wrote it down with the teller; it still belongs to the teller.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    template: Mapped[str] = mapped_column(String(10), default="free")
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    content_note: Mapped[str | None] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(15), default="only_me")
    attribution: Mapped[str] = mapped_column(String(12), default="first_name")
    pseudonym: Mapped[str | None] = mapped_column(String(80))
    quoting: Mapped[str] = mapped_column(String(12), default="none")
    expires_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When withdrawn: leave the line "a story was withdrawn by its teller" where it was.
    leave_withdrawn_line: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_support: Mapped[bool] = mapped_column(Boolean, default=False)
    support_acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    support_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    teller: Mapped[Person] = relationship(foreign_keys=[teller_id], lazy="joined")
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])
    quotes: Mapped[list[Quote]] = relationship(back_populates="story")


class Quote(db.Model):
    """An excerpt used somewhere else, always shown through its story's current consent."""

    __tablename__ = "story_quote"
    __table_args__ = (
        CheckConstraint("reach IN ('commission', 'public')", name="reach"),
        CheckConstraint(
            "used_in IN ('proposal', 'session_note', 'storybook', 'decision', 'report')",
            name="used_in",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id"), index=True)
    excerpt: Mapped[str] = mapped_column(Text)
    # Where the quote is shown: inside the commission, or in public reports.
    reach: Mapped[str] = mapped_column(String(12), default="commission")
    used_in: Mapped[str] = mapped_column(String(15))
    used_in_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(300))

    story: Mapped[Story] = relationship(back_populates="quotes", lazy="joined")
