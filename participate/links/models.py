"""One link: "this led to that", between two things in different features.

Stories are linked through ``stories.models.StoryLink`` (their consent is checked each time);
everything after a story is linked here. Some links are implied by the data itself (a grant
awarded by a consent round, a grant made from a winning project) and are not stored again:
``links.chain`` adds them when it walks.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from participate.columns import UTCDateTime, utcnow
from participate.extensions import db

# Kept in step with links.rules.KINDS and the migration's check constraint.
KINDS = ("theme", "proposal", "decision", "commitment", "pb_project", "grant")


class Link(db.Model):
    """``source`` led to ``target`` ("this decision led to this grant")."""

    __tablename__ = "item_link"
    __table_args__ = (
        CheckConstraint(
            "source_kind IN ('theme', 'proposal', 'decision', 'commitment', 'pb_project', "
            "'grant')",
            name="source_kind",
        ),
        CheckConstraint(
            "target_kind IN ('theme', 'proposal', 'decision', 'commitment', 'pb_project', "
            "'grant')",
            name="target_kind",
        ),
        CheckConstraint(
            "NOT (source_kind = target_kind AND source_id = target_id)", name="not_itself"
        ),
        UniqueConstraint("source_kind", "source_id", "target_kind", "target_id"),
        Index("ix_item_link_source", "source_kind", "source_id"),
        Index("ix_item_link_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_kind: Mapped[str] = mapped_column(String(12))
    source_id: Mapped[int] = mapped_column(Integer)
    target_kind: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int] = mapped_column(Integer)
    # How it connects, in a few words ("the grants carried out this decision").
    note: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
