"""Commission papers: a session's printed agenda (page and PDF) with nothing private on it, and
the blank paper story form whose choices round-trip through "Tell a story" when a facilitator
types in what a teller ticked on paper."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from participate.commissions.models import (
    AgendaItem,
    Attendance,
    CommissionSession,
    Lifebuoy,
    Recompense,
    RoundResponse,
)
from participate.extensions import db
from participate.stories import rules as story_rules
from participate.stories.models import Story
from tests import factories as f


@pytest.fixture
def place():
    c = f.commission(phase="together")
    people = {
        "sam": f.person("Sam Rowe"),
        "jade": f.person("Jade Evans"),
        "owen": f.person("Owen Price"),
        "stranger": f.person("Stranger"),
    }
    f.member(people["sam"], c.space, "facilitator")
    f.member(people["jade"], c.space, "community_commissioner")
    f.member(people["owen"], c.space, "civic_commissioner")
    start = datetime(2027, 6, 10, 9, 0, tzinfo=UTC)
    s = CommissionSession(
        commission_id=c.id,
        title="Starting on our stories",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Northside Community Hub, main hall",
        online_link="https://meet.example.org/northside",
        accessibility_notes="Step-free entrance at the side. Hearing loop.",
        checkin_prompt="How are you arriving today, in a word or two?",
        checkout_prompt="What will you take away from today?",
        status="live",
        notes="PRIVATE-NOTE: Jade was upset about the letter from the council.",
    )
    s.agenda = [
        AgendaItem(position=1, title="Why stories matter", minutes=20),
        AgendaItem(position=2, title="Story of self, in pairs", minutes=60),
    ]
    db.session.add(s)
    db.session.flush()
    # Private things about the session that must never reach its printed agenda.
    db.session.add_all(
        [
            Lifebuoy(
                commission_id=c.id, session_id=s.id, person_id=people["jade"].id, kind="moment"
            ),
            Attendance(session_id=s.id, person_id=people["jade"].id, status="present"),
            RoundResponse(
                session_id=s.id,
                person_id=people["jade"].id,
                round="check_in",
                response="PRIVATE-ANSWER: tired but here",
            ),
            Recompense(
                commission_id=c.id,
                person_id=people["jade"].id,
                session_id=s.id,
                kind="expense",
                expense_type="travel",
                amount_pence=480,
                recorded_by_id=people["sam"].id,
                status="recorded",
                note="PRIVATE-RECOMPENSE bus fare",
            ),
        ]
    )
    db.session.commit()
    return c, s, people


def _slug(c):
    return c.space.slug


def _pdf_text(data: bytes) -> str:
    """The PDF's words, with line breaks and runs of spaces made single spaces."""
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def _words(response) -> str:
    """The page's text without its tags, whitespace made single spaces."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


# --- the agenda --------------------------------------------------------------------------------


def test_a_member_prints_the_agenda_with_the_plan_and_nothing_private(client, place):
    c, s, p = place
    f.sign_in(client, p["jade"])
    page = client.get(f"/commissions/{_slug(c)}/sessions/{s.id}")
    assert f"/commissions/{_slug(c)}/sessions/{s.id}/agenda" in f.page_text(page)
    assert f"/commissions/{_slug(c)}/sessions/{s.id}/agenda.pdf" in f.page_text(page)

    response = client.get(f"/commissions/{_slug(c)}/sessions/{s.id}/agenda")
    assert response.status_code == 200
    words = _words(response)
    # 10:00 in London in June is 09:00 UTC; check-in and introductions come first.
    for expected in [
        "Agenda: Starting on our stories",
        "Thursday 10 June 2027, 10:00 to 13:00",
        "Northside Community Hub, main hall",
        "https://meet.example.org/northside",
        "Step-free entrance at the side. Hearing loop.",
        "10:00 Check-in (10 minutes)",
        "10:25 Why stories matter (20 minutes)",
        "10:45 Story of self, in pairs (60 minutes)",
        "How are you arriving today, in a word or two?",
        "What will you take away from today?",
        "Facilitators Sam Rowe",
        "receipts for travel",
    ]:
        assert expected in words, expected
    for private in ["PRIVATE-", "I need a moment", "Who's here", "Jade Evans", "4.80"]:
        assert private not in words, private

    pdf = client.get(f"/commissions/{_slug(c)}/sessions/{s.id}/agenda.pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "private, no-store"
    assert "agenda-starting-on-our-stories.pdf" in pdf.headers["Content-Disposition"]
    text = _pdf_text(pdf.data)
    for expected in [
        "Agenda: Starting on our stories",
        "Why stories matter",
        "Story of self, in pairs",
        "How are you arriving today, in a word or two?",
        "Sam Rowe",
        "https://meet.example.org/northside",
    ]:
        assert expected in text, expected
    for private in ["PRIVATE-", "I need a moment", "Jade Evans"]:
        assert private not in text, private


def test_nobody_outside_the_commission_finds_the_agenda(client, place):
    c, s, p = place
    urls = [
        f"/commissions/{_slug(c)}/sessions/{s.id}/agenda",
        f"/commissions/{_slug(c)}/sessions/{s.id}/agenda.pdf",
    ]
    f.sign_in(client, p["stranger"])
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Signed out: sent to sign in, never shown the agenda.
    f.as_person(client, None)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_civic_commissioners_wait_for_the_agenda_while_it_is_community_only(client, place):
    c, s, p = place
    c.phase = "community_only"
    db.session.commit()
    f.sign_in(client, p["owen"])
    assert client.get(f"/commissions/{_slug(c)}/sessions/{s.id}/agenda").status_code == 404
    assert client.get(f"/commissions/{_slug(c)}/sessions/{s.id}/agenda.pdf").status_code == 404
    f.as_person(client, p["jade"])
    assert client.get(f"/commissions/{_slug(c)}/sessions/{s.id}/agenda").status_code == 200


def test_a_session_of_another_commission_is_not_found_here(client, place):
    c, s, p = place
    other = f.commission("Another commission")
    f.member(p["jade"], other.space, "community_commissioner")
    db.session.commit()
    f.sign_in(client, p["jade"])
    assert client.get(f"/commissions/{other.space.slug}/sessions/{s.id}/agenda").status_code == 404
    assert client.get(f"/commissions/{_slug(c)}/sessions/999999/agenda.pdf").status_code == 404


# --- the paper story form --------------------------------------------------------------------


def _form_url(c, pdf=False):
    return f"/commissions/{_slug(c)}/stories/paper-form" + (".pdf" if pdf else "")


def _online_choices(page_html: str) -> dict[str, list[tuple[str, str]]]:
    """Each radio question of the online form: its (value, words) in the page's order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name, value, words in re.findall(
        r'<input[^>]*name="(\w+)"[^>]*type="radio"[^>]*value="([^"]*)"[^>]*>\s*'
        r"<label[^>]*>([^<]*)</label>",
        page_html,
    ):
        found.setdefault(name, []).append((value, html.unescape(words).strip()))
    return found


def _in_order(text: str, phrases: list[str]) -> bool:
    at = -1
    for phrase in phrases:
        at = text.find(phrase, at + 1)
        if at < 0:
            return False
    return True


def test_only_facilitators_print_the_paper_story_form(client, place):
    c, _s, p = place
    f.sign_in(client, p["jade"])
    assert "/stories/paper-form" not in f.page_text(client.get(f"/commissions/{_slug(c)}/stories"))
    assert client.get(_form_url(c)).status_code == 404
    assert client.get(_form_url(c, pdf=True)).status_code == 404
    f.as_person(client, p["stranger"])
    assert client.get(_form_url(c)).status_code == 404
    assert client.get(_form_url(c, pdf=True)).status_code == 404

    f.as_person(client, p["sam"])
    assert _form_url(c) in f.page_text(client.get(f"/commissions/{_slug(c)}/stories"))
    assert _form_url(c) in f.page_text(client.get(f"/commissions/{_slug(c)}/stories/new"))
    page = client.get(_form_url(c))
    assert page.status_code == 200
    words = _words(page)
    assert "Your story, on paper" in words
    assert "withdraw it, at any time" in words
    assert "Signed" in words


def test_the_paper_form_has_every_consent_choice_in_the_online_forms_order(client, place):
    c, _s, p = place
    f.sign_in(client, p["sam"])
    response = client.get(_form_url(c, pdf=True))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    online = _online_choices(f.page_text(client.get(f"/commissions/{_slug(c)}/stories/new")))
    assert set(online) == {"template", "audience", "attribution", "quoting"}
    expected = {
        "template": story_rules.TEMPLATES,
        "audience": story_rules.AUDIENCES,
        "attribution": story_rules.ATTRIBUTIONS,
        "quoting": story_rules.QUOTING,
    }
    for name, mapping in expected.items():
        # Every choice the online form offers, and no other, in the same order and words.
        assert [words for _v, words in online[name]] == list(mapping.values())
    every_phrase = [words for name in online for _v, words in online[name]]
    assert _in_order(text, every_phrase), "the paper's choices are not in the online order"
    for phrase in [
        "Who can read it",
        "How you are named",
        "The made-up name",
        "Quoting parts of it",
        "Take it down on this date (optional)",
        'If it is withdrawn, leave a line saying "A story was withdrawn by its teller."',
        "I'd like support after sharing",
        "What keeps you well?",
        "withdraw it, at any time",
        "Signed",
        "Date",
    ]:
        assert phrase in text, phrase
    # The consent questions come in the same order as online, after the story itself.
    assert _in_order(
        text,
        [
            "How would you like to tell it?",
            "Your story",
            "Your choices",
            "Who can read it",
            "How you are named",
            "The made-up name",
            "Quoting parts of it",
            "Take it down on this date",
            "If it is withdrawn",
            "I'd like support after sharing",
        ],
    )


def test_a_paper_form_is_typed_in_through_tell_a_story(client, place):
    """The round trip: the teller ticks choices on the printed form; the facilitator finds the
    same words on "Tell a story" and sends them for the teller, who owns the story."""
    c, _s, p = place
    f.sign_in(client, p["sam"])
    text = _pdf_text(client.get(_form_url(c, pdf=True)).data)
    online = _online_choices(f.page_text(client.get(f"/commissions/{_slug(c)}/stories/new")))

    # What Jade ticked on paper: one choice under each question, read off the printed form.
    ticked = {
        "template": story_rules.TEMPLATES["self"],
        "audience": story_rules.AUDIENCES["commission"],
        "attribution": story_rules.ATTRIBUTIONS["pseudonym"],
        "quoting": story_rules.QUOTING["commission"],
    }
    data = {}
    for name, words in ticked.items():
        assert words in text, f"{words!r} is not on the paper form"
        values = [value for value, label in online[name] if label == words]
        assert len(values) == 1, f"{words!r} is not a choice of {name} online"
        data[name] = values[0]
    data.update(
        teller_id=str(p["jade"].id),
        consent="y",
        title="The long walk",
        body="Written on paper at the hub, typed in by Sam.",
        pseudonym="Marigold",
        expires_on="2099-01-31",
        leave_withdrawn_line="y",
        action="share",
    )
    response = client.post(f"/commissions/{_slug(c)}/stories/new", data=data)
    assert response.status_code == 303, response.data[:800]

    story = db.session.scalar(select(Story).where(Story.title == "The long walk"))
    assert (story.teller_id, story.recorded_by_id, story.status) == (
        p["jade"].id,
        p["sam"].id,
        "shared",
    )
    assert (story.template, story.audience, story.attribution, story.quoting) == (
        "self",
        "commission",
        "pseudonym",
        "commission",
    )
    assert story.pseudonym == "Marigold"
    assert story.expires_on.isoformat() == "2099-01-31"
    assert story.leave_withdrawn_line is True
    assert story.wants_support is False
