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
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
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
    # The telling form's own key: the draft it saves as people type and the story its
    # buttons save are the same row, whichever request arrives first.
    form_key: Mapped[str | None] = mapped_column(String(36), unique=True)

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


class Theme(db.Model):
    """Something several stories speak to ("getting to appointments"); facilitators name them."""

    __tablename__ = "story_theme"
    __table_args__ = (UniqueConstraint("commission_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoryLink(db.Model):
    """A story connected to a theme, a session, a commitment (an outcome), a proposal or a
    decision. Shown wherever the target is, each time through the story's current consent."""

    __tablename__ = "story_link"
    __table_args__ = (
        CheckConstraint(
            "target_kind IN ('theme', 'session', 'commitment', 'proposal', 'decision')",
            name="target_kind",
        ),
        UniqueConstraint("story_id", "target_kind", "target_id"),
        Index("ix_story_link_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int] = mapped_column(Integer)
    # How it connects, in a few words ("this is why we asked for a named contact").
    note: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    story: Mapped[Story] = relationship(lazy="joined")


class Storybook(db.Model):
    """A curated collection. Rendered for its audience: each story and quote in it appears
    only while its teller's consent allows that audience."""

    __tablename__ = "storybook"
    __table_args__ = (CheckConstraint("audience IN ('commission', 'public')", name="audience"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    introduction: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(12), default="commission")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[StorybookItem]] = relationship(
        order_by="StorybookItem.position", cascade="all, delete-orphan"
    )


class StorybookItem(db.Model):
    """One whole story, or one quote, in a storybook."""

    __tablename__ = "storybook_item"
    __table_args__ = (
        CheckConstraint("(story_id IS NULL) <> (quote_id IS NULL)", name="story_or_quote"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    storybook_id: Mapped[int] = mapped_column(ForeignKey("storybook.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("story.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("story_quote.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    story: Mapped[Story | None] = relationship(lazy="joined")
    quote: Mapped[Quote | None] = relationship(lazy="joined")


class StoryFlag(db.Model):
    """Someone worried about a story or a quote, and why. Facilitators look at it."""

    __tablename__ = "story_flag"
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome IN ('hidden', 'kept')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("story_quote.id"))
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[str] = mapped_column(String(500))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(8))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    story: Mapped[Story] = relationship(lazy="joined")
    quote: Mapped[Quote | None] = relationship()
    raised_by: Mapped[Person] = relationship(foreign_keys=[raised_by_id])


class ModerationEntry(db.Model):
    """The commission's moderation log: what was hidden or shown again, why, by whom.
    Members read it; it never holds the words of the story or quote."""

    __tablename__ = "story_moderation"
    __table_args__ = (CheckConstraint("action IN ('hidden', 'shown_again')", name="action"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("story_quote.id"))
    action: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(500))
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the teller saw the notice on their story (they are told until then).
    teller_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    by: Mapped[Person] = relationship(foreign_keys=[by_id], lazy="joined")
