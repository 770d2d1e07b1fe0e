"""The demo's stories: each demo member sees a different set, through the one rule."""

from sqlalchemy import select

from participate.accounts.models import Person
from participate.clock import local_today
from participate.commissions.models import Commission
from participate.demo import load
from participate.extensions import db
from participate.stories import rules
from participate.stories.models import Quote, Story


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
    quote = db.session.scalar(select(Quote))
    assert rules.can_see_quote(None, quote, quote.story, commission, today)
