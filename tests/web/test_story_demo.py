"""The demo's stories: each demo member sees a different set, through the one rule."""

from sqlalchemy import select

from participate.accounts.models import Person
from participate.clock import local_today
from participate.commissions.models import Commission
from participate.demo import load
from participate.extensions import db
from participate.stories import rules
from participate.stories.models import (
    ModerationEntry,
    Quote,
    Story,
    Storybook,
    StoryFlag,
    StoryLink,
    Theme,
)


def test_demo_members_see_different_stories(app):
    load()
    commission = db.session.scalar(select(Commission))
    stories = db.session.scalars(select(Story)).all()
    today = local_today()

    def seen(email):
        person = db.session.scalar(select(Person).where(Person.email == email))
        return {s.title for s in stories if rules.can_see_story(person, s, commission, today)}

    jade = seen("community@porthaven.example")
    owen = seen("civic@porthaven.example")
    sam = seen("facilitator@porthaven.example")
    assert "Getting to the hub" in jade and "Getting to the hub" not in owen  # cohort only
    assert "What keeps me well" in sam and "What keeps me well" not in jade  # facilitators
    assert "What we share" not in jade | owen | sam  # only its teller
    assert "The winter before last" not in jade | owen | sam  # withdrawn
    assert len({frozenset(jade), frozenset(owen), frozenset(sam)}) == 3
    assert {s.audience for s in stories} == set(rules.AUDIENCES)
    withdrawn = next(s for s in stories if s.status == "withdrawn")
    assert rules.shows_withdrawn_line(withdrawn, today)
    quotes = {q.used_in + ("-hidden" if q.hidden_at else ""): q
              for q in db.session.scalars(select(Quote))}
    owen_p = db.session.scalar(select(Person).where(Person.email == "civic@porthaven.example"))
    public_one, in_notes = quotes["storybook"], quotes["session_note"]
    assert rules.can_see_quote(None, public_one, public_one.story, commission, today)
    assert rules.can_see_quote(owen_p, in_notes, in_notes.story, commission, today)
    assert not rules.can_see_quote(None, in_notes, in_notes.story, commission, today)
    hidden = quotes["session_note-hidden"]
    assert not rules.can_see_quote(owen_p, hidden, hidden.story, commission, today)


def test_demo_storybooks_show_different_things_to_their_audiences(app):
    load()
    today = local_today()
    books = {b.audience: b for b in db.session.scalars(select(Storybook))}
    shown = {
        audience: [
            (item.story or item.quote.story).title
            for item in book.items
            if (item.story and rules.story_fits_storybook(item.story, audience, today))
            or (item.quote and rules.quote_fits_storybook(item.quote, item.quote.story,
                                                         audience, today))
        ]
        for audience, book in books.items()
    }
    # "Why I said yes" is for the commission: left out of the public book, in the other.
    assert shown["public"] == ["Why I'm here", "Why I said yes"]  # Owen's story, Jade's quote
    assert shown["commission"] == ["Why I said yes", "Why I'm here"]
    assert len(books["public"].items) == 3


def test_demo_has_themes_links_an_open_flag_and_a_call_for_support(app):
    load()
    assert {t.name for t in db.session.scalars(select(Theme))} == {
        "Getting around", "The cost of school"}
    kinds = {link.target_kind for link in db.session.scalars(select(StoryLink))}
    assert kinds == {"theme", "session", "commitment", "proposal"}
    flag = db.session.scalars(select(StoryFlag)).one()
    assert flag.outcome is None and flag.story.title == "Why I'm here"
    entry = db.session.scalars(select(ModerationEntry)).one()
    assert entry.action == "hidden" and entry.quote_id is not None
    waiting = [s.title for s in db.session.scalars(select(Story)) if rules.waits_for_support(s)]
    assert waiting == ["What keeps me well"]
