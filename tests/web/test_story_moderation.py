"""Safety: flagging stories and quotes, hiding and showing again with a reason, telling the
teller, the moderation log, and answering calls for support."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date

import pytest
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.extensions import db
from participate.stories import rules
from participate.stories.models import ModerationEntry, Quote, Story, StoryFlag
from tests import factories as f

TITLE = "Why I said yes"
BODY = "Nobody asked what the uniform costs, so I did."
REASON = "It names a teacher at the school"


@pytest.fixture
def place():
    c = f.commission(phase="together")
    p = {
        "sam": f.person("Sam Taylor"),
        "jade": f.person("Jade Morgan"),
        "kim": f.person("Kim Lee"),
        "owen": f.person("Owen Price"),
        "olu": f.person("Olu Ade"),
        "rhys": f.person("Rhys Jones"),  # not in the commission
    }
    f.member(p["sam"], c.space, "facilitator")
    f.member(p["jade"], c.space, "community_commissioner")
    f.member(p["kim"], c.space, "community_commissioner")
    f.member(p["owen"], c.space, "civic_commissioner")
    f.member(p["olu"], c.space, "observer")
    story = f.story(
        c,
        p["jade"],
        title=TITLE,
        body=BODY,
        audience="commission",
        attribution="full_name",
        quoting="commission",
    )
    db.session.commit()
    return c, p, story


def _text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def _words(page: str) -> str:
    """The page's text without its tags."""
    return re.sub(r"<[^>]+>", "", page)


def _base(c) -> str:
    return f"/commissions/{c.space.slug}/stories"


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def _quote(story, excerpt="what the uniform costs", reach="commission") -> Quote:
    q = Quote(story_id=story.id, excerpt=excerpt, reach=reach, used_in="session_note", used_in_id=1)
    db.session.add(q)
    db.session.commit()
    return q


def _sees(client, c, story) -> bool:
    listed = story.title in _text(client.get(_base(c)))
    page = client.get(f"{_base(c)}/{story.id}").status_code
    assert listed == (page == 200), (listed, page)
    return listed


def _audit_text() -> str:
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEntry)).all()
    return " ".join(f"{r.summary} {r.detail}" for r in rows)


# --- the whole way through -------------------------------------------------------------------


def test_flag_hide_tell_the_teller_log_and_show_again(client, place, outbox):
    c, p, story = place
    url = f"{_base(c)}/{story.id}"

    # Owen is worried about it; a missing reason comes back next to the field.
    f.as_person(client, p["owen"])
    page = _text(client.get(url))
    assert "Worried about this story?" in page
    assert f"{url}/flag" in page
    missing = client.post(f"{url}/flag", data={"reason": "   "})
    assert missing.status_code == 422
    assert 'id="reason-error"' in _text(missing)
    assert "Say what worries you" in _text(missing)
    assert db.session.scalar(select(StoryFlag)) is None

    thanked = client.post(f"{url}/flag", data={"reason": REASON}, follow_redirects=True)
    assert thanked.status_code == 200
    assert "A facilitator will look at it" in _text(thanked)
    flag = db.session.scalars(select(StoryFlag)).one()
    assert (flag.story_id, flag.quote_id, flag.raised_by_id, flag.reason, flag.outcome) == (
        story.id,
        None,
        p["owen"].id,
        REASON,
        None,
    )

    # Other members don't see the worry; the facilitator does, with who raised it.
    f.as_person(client, p["kim"])
    listing = _text(client.get(_base(c)))
    assert "To look at" not in listing and REASON not in listing
    f.as_person(client, p["sam"])
    listing = _text(client.get(_base(c)))
    assert "To look at" in listing and REASON in listing and "Owen Price" in listing
    assert "Look at worries people raised" in _text(client.get("/"))

    # The facilitator hides it, with a reason.
    hidden = client.post(f"{url}/hide", data={"hide-reason": "Names someone who hasn't agreed"})
    assert hidden.status_code == 303
    story = _fresh(Story, story.id)
    assert story.hidden_at is not None and story.hidden_reason == "Names someone who hasn't agreed"
    assert _fresh(StoryFlag, flag.id).outcome == "hidden"
    entry = db.session.scalars(select(ModerationEntry)).one()
    assert (entry.action, entry.by_id, entry.quote_id, entry.teller_told_at) == (
        "hidden",
        p["sam"].id,
        None,
        None,
    )
    assert "Look at worries people raised" not in _text(client.get("/"))

    # Gone for members at once, list and page.
    for key in ("kim", "owen", "olu"):
        f.as_person(client, p[key])
        assert not _sees(client, c, story), key

    # The facilitator still sees it, marked hidden, with a way to show it again.
    f.as_person(client, p["sam"])
    page = _text(client.get(url))
    assert TITLE in page and "Hidden" in page and "Show it again" in page
    assert "Names someone who hasn't agreed" in page

    # The teller is told: email, home task, and the notice on the story (which counts as told).
    assert len(outbox) == 1
    mail = outbox[0]
    assert mail.to == [p["jade"].email]
    assert "A facilitator hid one of your stories in" in mail.subject
    assert TITLE in mail.body and "Names someone who hasn't agreed" in mail.body
    assert BODY not in mail.body and "talk about it" in mail.body
    assert f"/stories/{story.id}" in mail.body

    f.as_person(client, p["jade"])
    assert "A facilitator hid one of your stories in" in _text(client.get("/"))
    assert "Hidden by a facilitator" in _text(client.get(_base(c)))
    page = _text(client.get(url))
    assert "A facilitator hid this story on" in page
    assert "Names someone who hasn't agreed" in page
    assert "Worried about this story?" not in page  # the teller can't flag their own story
    assert _fresh(ModerationEntry, entry.id).teller_told_at is not None
    assert "A facilitator hid one of your stories in" not in _text(client.get("/"))

    # The moderation log: the reason and by whom, never the title, the words or the teller.
    f.as_person(client, p["kim"])
    assert "Moderation log" in _text(client.get(_base(c)))
    log = _text(client.get(f"{_base(c)}/moderation"))
    assert "Names someone who hasn't agreed" in log
    assert "A story" in log and "Hidden" in log and "Sam Taylor" in log
    for secret in (TITLE, BODY, "Jade", REASON):
        assert secret not in log, secret

    # Shown again: everyone the teller chose sees it again, and the log says so.
    f.as_person(client, p["sam"])
    again = client.post(f"{url}/show-again", data={"again-reason": "The name is taken out now"})
    assert again.status_code == 303
    assert _fresh(Story, story.id).hidden_at is None
    f.as_person(client, p["kim"])
    assert _sees(client, c, story)
    log = _text(client.get(f"{_base(c)}/moderation"))
    assert "Shown again" in log and "The name is taken out now" in log

    # The audit log records each step, never the words.
    audit = _audit_text()
    for action in ("story.flagged", "story.hidden", "story.shown_again"):
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
    assert TITLE not in audit and BODY not in audit


def test_keeping_it_showing_closes_the_flag(client, place):
    c, p, story = place
    f.as_person(client, p["kim"])
    client.post(f"{_base(c)}/{story.id}/flag", data={"reason": "Not sure it's true"})
    flag = db.session.scalars(select(StoryFlag)).one()

    f.as_person(client, p["sam"])
    assert "Not sure it's true" in _text(client.get(_base(c)))
    assert client.post(f"{_base(c)}/flags/{flag.id}/keep").status_code == 303
    flag = _fresh(StoryFlag, flag.id)
    assert (flag.outcome, flag.decided_by_id) == ("kept", p["sam"].id)
    assert flag.decided_at is not None
    assert "Not sure it's true" not in _text(client.get(_base(c)))
    assert _fresh(Story, story.id).hidden_at is None
    assert db.session.scalar(select(ModerationEntry)) is None  # nothing was hidden
    f.as_person(client, p["owen"])
    assert _sees(client, c, story)


def test_a_facilitator_hides_a_story_from_its_page_without_a_flag(client, place, outbox):
    c, p, story = place
    f.as_person(client, p["sam"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "Keeping it safe" in page and 'id="hide-form"' in page
    assert "Worried about this story?" not in page  # facilitators hide it themselves
    response = client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "Asked to"})
    assert response.status_code == 303
    assert _fresh(Story, story.id).hidden_reason == "Asked to"
    assert len(outbox) == 1
    f.as_person(client, p["kim"])
    assert not _sees(client, c, story)


# --- quotes ----------------------------------------------------------------------------------


def test_a_quote_is_flagged_hidden_and_the_teller_told(client, place, outbox):
    c, p, story = place
    quote = _quote(story)
    flag_url = f"{_base(c)}/quotes/{quote.id}/flag"

    f.as_person(client, p["kim"])
    form = _text(client.get(flag_url))
    assert "what the uniform costs" in form
    assert client.post(flag_url, data={"reason": "Out of context"}).status_code == 303
    flag = db.session.scalars(select(StoryFlag)).one()
    assert (flag.quote_id, flag.story_id) == (quote.id, story.id)

    f.as_person(client, p["sam"])
    listing = _text(client.get(_base(c)))
    assert f"A quote from {TITLE}" in _words(listing) and "Out of context" in listing
    hide_url = f"{_base(c)}/quotes/{quote.id}/hide"
    assert hide_url in listing
    assert client.post(hide_url, data={"hide-reason": "Taken out of context"}).status_code == 303
    quote = _fresh(Quote, quote.id)
    assert quote.hidden_reason == "Taken out of context"
    assert _fresh(StoryFlag, flag.id).outcome == "hidden"
    assert not rules.can_see_quote(p["kim"], quote, quote.story, c, date.today())
    # The story itself still shows.
    assert _fresh(Story, story.id).hidden_at is None
    f.as_person(client, p["kim"])
    assert _sees(client, c, story)

    assert len(outbox) == 1
    assert "hidden a quote from your story" in outbox[0].body
    assert TITLE in outbox[0].body and "what the uniform costs" not in outbox[0].body

    f.as_person(client, p["jade"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "A facilitator hid a quote from this story on" in page
    assert "Taken out of context" in page
    assert db.session.scalars(select(ModerationEntry)).one().teller_told_at is not None

    f.as_person(client, p["kim"])
    log = _text(client.get(f"{_base(c)}/moderation"))
    assert "A quote" in log and "Taken out of context" in log
    for secret in (TITLE, "what the uniform costs", "Jade"):
        assert secret not in log

    f.as_person(client, p["sam"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    again_url = f"{_base(c)}/quotes/{quote.id}/show-again"
    assert again_url in page
    assert client.post(again_url, data={"again-reason": "Context added"}).status_code == 303
    assert _fresh(Quote, quote.id).hidden_at is None


def test_the_teller_cannot_flag_a_quote_of_their_own_story(client, place):
    c, p, story = place
    quote = _quote(story)
    f.as_person(client, p["jade"])
    assert client.get(f"{_base(c)}/quotes/{quote.id}/flag").status_code == 404
    assert (
        client.post(f"{_base(c)}/quotes/{quote.id}/flag", data={"reason": "x"}).status_code == 404
    )


def test_a_quote_its_story_no_longer_allows_cannot_be_flagged(client, place):
    c, p, story = place
    quote = _quote(story)
    story.quoting = "none"
    db.session.commit()
    f.as_person(client, p["kim"])
    assert client.get(f"{_base(c)}/quotes/{quote.id}/flag").status_code == 404


# --- who may do what -------------------------------------------------------------------------


def test_only_facilitators_hide_show_keep_or_answer_support(client, place):
    c, p, story = place
    quote = _quote(story)
    story.wants_support = True
    db.session.commit()
    f.as_person(client, p["owen"])
    client.post(f"{_base(c)}/{story.id}/flag", data={"reason": "Worried"})
    flag = db.session.scalars(select(StoryFlag)).one()

    for key in ("jade", "kim", "owen", "olu"):
        f.as_person(client, p[key])
        for method, url, data in [
            ("get", f"{_base(c)}/{story.id}/hide", None),
            ("post", f"{_base(c)}/{story.id}/hide", {"hide-reason": "x"}),
            ("post", f"{_base(c)}/{story.id}/show-again", {"again-reason": "x"}),
            ("post", f"{_base(c)}/quotes/{quote.id}/hide", {"hide-reason": "x"}),
            ("post", f"{_base(c)}/quotes/{quote.id}/show-again", {"again-reason": "x"}),
            ("post", f"{_base(c)}/flags/{flag.id}/keep", {}),
            ("post", f"{_base(c)}/{story.id}/support", {}),
        ]:
            response = (
                getattr(client, method)(url, data=data) if data is not None else (client.get(url))
            )
            assert response.status_code == 404, (key, url)
        page = _text(client.get(f"{_base(c)}/{story.id}"))
        assert "Keeping it safe" not in page and "To look at" not in _text(client.get(_base(c)))

    story, flag = _fresh(Story, story.id), _fresh(StoryFlag, flag.id)
    assert story.hidden_at is None and story.support_acknowledged_at is None
    assert flag.outcome is None and _fresh(Quote, quote.id).hidden_at is None


def test_people_who_cannot_see_a_story_cannot_flag_it(client, place):
    c, p, _story = place
    cohort = f.story(c, p["kim"], title="For my group", audience="cohort")
    db.session.commit()
    f.as_person(client, p["owen"])  # a civic commissioner: not in Kim's group
    assert client.get(f"{_base(c)}/{cohort.id}/flag").status_code == 404
    assert client.post(f"{_base(c)}/{cohort.id}/flag", data={"reason": "x"}).status_code == 404
    f.as_person(client, p["jade"])  # in Kim's group
    assert client.get(f"{_base(c)}/{cohort.id}/flag").status_code == 200
    f.as_person(client, p["rhys"])
    assert client.get(f"{_base(c)}/{cohort.id}/flag").status_code == 404
    assert db.session.scalar(select(StoryFlag)) is None


def test_the_teller_cannot_flag_their_own_story(client, place):
    c, p, story = place
    f.as_person(client, p["jade"])
    assert client.get(f"{_base(c)}/{story.id}/flag").status_code == 404
    assert client.post(f"{_base(c)}/{story.id}/flag", data={"reason": "x"}).status_code == 404


def test_a_hidden_story_cannot_be_flagged_again(client, place):
    c, p, story = place
    f.as_person(client, p["sam"])
    client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "For now"})
    assert client.get(f"{_base(c)}/{story.id}/flag").status_code == 404
    f.as_person(client, p["kim"])
    assert client.get(f"{_base(c)}/{story.id}/flag").status_code == 404


def test_the_moderation_log_is_for_members(client, place):
    c, p, _story = place
    f.as_person(client, p["rhys"])
    assert client.get(f"{_base(c)}/moderation").status_code == 404
    for key in ("olu", "owen", "kim", "sam"):
        f.as_person(client, p[key])
        response = client.get(f"{_base(c)}/moderation")
        assert response.status_code == 200
        assert "Nothing has been hidden." in _text(response)
        assert f"{_base(c)}/moderation" in _text(client.get(_base(c)))


def test_in_assisted_mode_the_facilitator_flags_for_the_member_and_cannot_moderate(client, place):
    """Acting for a member, a facilitator does only what that member may."""
    c, p, story = place
    f.as_person(client, p["sam"])
    client.post(
        f"/spaces/{c.space.slug}/assist", data={"person_id": str(p["kim"].id), "consent": "y"}
    )
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "Keeping it safe" not in page and "Worried about this story?" in page
    assert client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "x"}).status_code == 404
    assert _fresh(Story, story.id).hidden_at is None
    assert (
        client.post(f"{_base(c)}/{story.id}/flag", data={"reason": "Kim is worried"}).status_code
        == 303
    )
    flag = db.session.scalars(select(StoryFlag)).one()
    assert flag.raised_by_id == p["kim"].id
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "story.flagged")).one()
    assert (audit.actor_id, audit.on_behalf_of_id) == (p["sam"].id, p["kim"].id)


# --- forms keep what was typed ---------------------------------------------------------------


def test_a_missing_or_long_reason_comes_back_next_to_the_field(client, place):
    c, p, story = place
    f.as_person(client, p["kim"])
    long_reason = "It worries me. " * 40
    response = client.post(f"{_base(c)}/{story.id}/flag", data={"reason": long_reason})
    assert response.status_code == 422
    page = _text(response)
    assert 'id="reason-error"' in page and "500 characters or fewer" in page
    assert long_reason.strip() in page  # kept
    htmx = client.post(
        f"{_base(c)}/{story.id}/flag", data={"reason": ""}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422
    assert _text(htmx).lstrip().startswith('<form id="flag-form"')

    f.as_person(client, p["sam"])
    missing = client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": ""})
    assert missing.status_code == 422
    assert 'id="hide-reason-error"' in _text(missing) and "the teller is told" in _text(missing)
    too_long = "Because" * 50
    kept = client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": too_long})
    assert kept.status_code == 422 and too_long in _text(kept)
    htmx = client.post(
        f"{_base(c)}/{story.id}/hide", data={"hide-reason": ""}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422
    assert _text(htmx).lstrip().startswith('<form id="hide-form"')
    assert _fresh(Story, story.id).hidden_at is None

    client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "For now"})
    missing = client.post(f"{_base(c)}/{story.id}/show-again", data={"again-reason": " "})
    assert missing.status_code == 422 and 'id="again-reason-error"' in _text(missing)
    assert _fresh(Story, story.id).hidden_at is not None


def test_flagging_returns_to_a_safe_next_page(client, place):
    c, p, story = place
    quote = _quote(story)
    f.as_person(client, p["kim"])
    url = f"{_base(c)}/quotes/{quote.id}/flag"
    response = client.post(f"{url}?next=/commissions/{c.space.slug}/sessions", data={"reason": "x"})
    assert response.headers["Location"].endswith(f"/commissions/{c.space.slug}/sessions")
    response = client.post(f"{url}?next=https://evil.example/", data={"reason": "x"})
    assert "evil.example" not in response.headers["Location"]


# --- telling the teller ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "choice, email, mails",
    [
        ("each", "jade@example.org", 1),
        ("weekly", "jade@example.org", 1),
        ("none", "jade@example.org", 0),
        ("weekly", None, 0),
    ],
)
def test_the_email_respects_the_tellers_choice(client, place, outbox, choice, email, mails):
    c, p, story = place
    p["jade"].notification_choice, p["jade"].email = choice, email
    db.session.commit()
    f.as_person(client, p["sam"])
    client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "For now"})
    assert len(outbox) == mails
    # With or without email, the home page says so until they look.
    assert db.session.scalars(select(ModerationEntry)).one().teller_told_at is None


def test_the_home_task_goes_once_it_is_shown_again(client, place):
    c, p, story = place
    f.as_person(client, p["sam"])
    client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "For now"})
    client.post(f"{_base(c)}/{story.id}/show-again", data={"again-reason": "All fine"})
    f.as_person(client, p["jade"])
    assert "A facilitator hid one of your stories" not in _text(client.get("/"))


def test_the_email_is_in_the_tellers_language(client, place, outbox):
    c, p, story = place
    p["jade"].language = "cy"
    db.session.commit()
    f.as_person(client, p["sam"])
    client.post(f"{_base(c)}/{story.id}/hide", data={"hide-reason": "For now"})
    assert len(outbox) == 1 and TITLE in outbox[0].body


# --- support after sharing -------------------------------------------------------------------


def test_a_facilitator_says_they_have_been_in_touch(client, place):
    c, p, story = place
    story.wants_support = True
    db.session.commit()

    f.as_person(client, p["jade"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "You asked for support after sharing. A facilitator will be in touch." in page

    f.as_person(client, p["sam"])
    listing = _text(client.get(_base(c)))
    assert "Jade Morgan would like support after sharing" in listing
    assert "I've been in touch" in listing
    response = client.post(f"{_base(c)}/{story.id}/support")
    assert response.status_code == 303
    story = _fresh(Story, story.id)
    assert story.support_acknowledged_by_id == p["sam"].id
    assert story.support_acknowledged_at is not None
    assert "Jade Morgan would like support" not in _text(client.get(_base(c)))
    rows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "story.support_acknowledged")
    ).all()
    assert len(rows) == 1 and TITLE not in rows[0].summary

    f.as_person(client, p["jade"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "A facilitator has been in touch with you about support" in page
    f.as_person(client, p["kim"])
    assert "about support" not in _text(client.get(f"{_base(c)}/{story.id}"))


def test_support_for_a_story_that_did_not_ask_is_not_found(client, place):
    c, p, story = place
    f.as_person(client, p["sam"])
    assert client.post(f"{_base(c)}/{story.id}/support").status_code == 404
