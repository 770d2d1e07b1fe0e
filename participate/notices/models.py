"""A notice: one piece of news for one person, kept until it has been emailed.

``key`` names the news itself ("objection:41", "deadline:round:3:pot:7"): the unique
(person, key) pair is what makes sure nobody is told the same news twice, whichever part of
the app or the scheduled command tries to tell them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.accounts.models import Person
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db


class Notice(db.Model):
    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("person_id", "key"),
        CheckConstraint(
            "sent_how IS NULL OR sent_how IN ('each', 'digest', 'skipped')", name="sent_how"
        ),
        Index("ix_notice_unsent", "sent_at", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # What kind of news: round_opening, deadline, objection, payment_approved, grant_closing.
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(160))
    # The words are made when the email is written, in the reader's language at that time,
    # from these values (titles, amounts, dates as ISO strings).
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Where to read more: a path on this site ("/funds/chest/grants/4/money").
    path: Mapped[str | None] = mapped_column(String(300))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # each: its own email; digest: in a digest; skipped: the person chose no emails, or has no
    # address, so it was never sent.
    sent_how: Mapped[str | None] = mapped_column(String(10))

    person: Mapped[Person] = relationship(lazy="joined")
