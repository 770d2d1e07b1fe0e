"""Storybooks: curated collections of stories and quotes, on screen, in print and as PDF."""

from __future__ import annotations

from sqlalchemy import func, select

from participate.columns import utcnow
from participate.extensions import db
from participate.stories.models import Quote, Story, Storybook, StorybookItem


def add_to_storybook(
    storybook: Storybook, *, story: Story | None = None, quote: Quote | None = None, added_by
) -> StorybookItem:
    """Put a whole story, or a quote, at the end of a storybook. The caller checks who may."""
    if (story is None) == (quote is None):
        raise ValueError("A storybook item is a story or a quote, not both")
    last = db.session.scalar(
        select(func.max(StorybookItem.position)).where(StorybookItem.storybook_id == storybook.id)
    )
    item = StorybookItem(
        storybook_id=storybook.id,
        position=(last or 0) + 1,
        story_id=story.id if story is not None else None,
        quote_id=quote.id if quote is not None else None,
        added_by_id=added_by.id,
    )
    storybook.updated_at = utcnow()
    db.session.add(item)
    return item
