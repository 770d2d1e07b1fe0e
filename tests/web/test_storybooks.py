"""Storybooks: making and curating one, and exactly what each reader finds on its page and in
its PDF, for every story audience x attribution x storybook audience x reader; withdrawal,
expiry, hiding and narrowed consent taking stories and quotes out on the very next request.

The expected sets below are written out by hand, not computed with the rules."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.clock import local_today
from participate.columns import utcnow
from participate.extensions import db
from participate.stories.models import Quote, Storybook, StorybookItem
from participate.stories.storybooks import add_to_storybook
from tests import factories as f

WITHDRAWN_LINE = "A story was withdrawn by its teller."
STORY_FORM = {
    "template": "self",
    "body": "Some words.",
    "content_note": "",
    "attribution": "first_name",
    "pseudonym": "",
    "quoting": "public",
    "expires_on": "",
    "action": "save",
}


@pytest.fixture
def place():
    c = f.commission(phase="together")
    p = {
        "sam": f.person("Sam Taylor"),  # facilitator
        "jade": f.person("Jade Morgan"),  # community commissioner: the teller
        "kim": f.person("Kim Lee"),  # another community commissioner
        "owen": f.person("Owen Price"),  # civic commissioner
        "olu": f.person("Olu Ade"),  # observer
        "rhys": f.person("Rhys Jones"),  # not in the commission
    }
    f.member(p["sam"], c.space, "facilitator")
    f.member(p["jade"], c.space, "community_commissioner")
    f.member(p["kim"], c.space, "community_commissioner")
    f.member(p["owen"], c.space, "civic_commissioner")
    f.member(p["olu"], c.space, "observer")
    db.session.commit()
    return c, p


def _base(c):
    return f"/commissions/{c.space.slug}/storybooks"


def _book(c, by, *, title="Voices from Northside", audience="commission", intro=None):
    book = Storybook(
        commission_id=c.id, title=title, audience=audience, introduction=intro, created_by_id=by.id
    )
    db.session.add(book)
    db.session.flush()
    return book


def _quote(story, excerpt, *, by, hidden=False):
    q = Quote(
        story_id=story.id,
        excerpt=excerpt,
        reach="commission",
        used_in="storybook",
        created_by_id=by.id,
        hidden_at=utcnow() if hidden else None,
    )
    db.session.add(q)
    db.session.flush()
    return q


def _items(html: str) -> list[str]:
    """Each item the storybook page shows, as its HTML, in order."""
    return [
        m[1]
        for m in re.findall(
            r'<(article|figure|p) class="[^"]*storybook-item[^"]*"[^>]*>(.*?)</\1>', html, re.S
        )
    ]


def _titles(html: str) -> list[str]:
    return [re.search(r"<h2[^>]*>(.*?)</h2>", i, re.S)[1] for i in _items(html) if "<h2" in i]


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _audit(prefix="storybook."):
    db.session.expire_all()
    return [e for e in db.session.scalars(select(AuditEntry)) if e.action.startswith(prefix)]


# --- every audience x attribution x storybook audience x reader -----------------------------

AUDIENCES = ("only_me", "facilitators", "cohort", "commission", "public")
ATTRIBUTIONS = ("full_name", "first_name", "pseudonym", "anonymous")

# Whole stories a storybook shows, by the storybook's audience. Written out by hand.
FOR_THE_COMMISSION = [
    "Tale commission full_name",
    "Tale commission first_name",
    "Tale commission pseudonym",
    "Tale commission anonymous",
    "Tale public full_name",
    "Tale public first_name",
    "Tale public pseudonym",
    "Tale public anonymous",
]
FOR_THE_PUBLIC = [
    "Tale public full_name",
    "Tale public first_name",
    "Tale public pseudonym",
    "Tale public anonymous",
]
# Quotes (each from a story for the commission), by what its teller allows for quoting.
QUOTES_FOR_THE_COMMISSION = ["Quoted commission words", "Quoted public words"]
QUOTES_FOR_THE_PUBLIC = ["Quoted public words"]
NEVER_QUOTED = ["Quoted none words", "Quoted hidden words"]

BYLINES = {
    "full_name": "By Jade Morgan",
    "first_name": "By Jade",
    "pseudonym": "By Robin",
    "anonymous": "Anonymous",
}

# reader: (the commission's storybook, the public storybook). None: not found (404).
READS = {
    "teller": (FOR_THE_COMMISSION, FOR_THE_PUBLIC),
    "community": (FOR_THE_COMMISSION, FOR_THE_PUBLIC),
    "civic": (FOR_THE_COMMISSION, FOR_THE_PUBLIC),
    "facilitator": (FOR_THE_COMMISSION, FOR_THE_PUBLIC),
    "observer": (FOR_THE_COMMISSION, FOR_THE_PUBLIC),
    "signed_out": (None, FOR_THE_PUBLIC),
    "outsider": (None, FOR_THE_PUBLIC),
}
QUOTES_READ = {
    "teller": (QUOTES_FOR_THE_COMMISSION, QUOTES_FOR_THE_PUBLIC),
    "community": (QUOTES_FOR_THE_COMMISSION, QUOTES_FOR_THE_PUBLIC),
    "civic": (QUOTES_FOR_THE_COMMISSION, QUOTES_FOR_THE_PUBLIC),
    "facilitator": (QUOTES_FOR_THE_COMMISSION, QUOTES_FOR_THE_PUBLIC),
    "observer": (QUOTES_FOR_THE_COMMISSION, QUOTES_FOR_THE_PUBLIC),
    "signed_out": (None, QUOTES_FOR_THE_PUBLIC),
    "outsider": (None, QUOTES_FOR_THE_PUBLIC),
}
# Only the storybook's curators (here the facilitator, who made both) hear how many items are
# left out, and never which: 20 stories + 4 quotes, less what is shown.
LEFT_OUT_NOTE = {
    "facilitator": ("14 items are not shown right now", "19 items are not shown right now"),
}
READER = {
    "teller": "jade",
    "community": "kim",
    "civic": "owen",
    "facilitator": "sam",
    "observer": "olu",
    "signed_out": None,
    "outsider": "rhys",
}


@pytest.fixture
def library(place):
    """Two storybooks (for the commission, for the public), each holding all 20 stories (one
    per audience x attribution, every one told by Jade) and four quotes."""
    c, p = place
    books = {
        "commission": _book(c, p["sam"], title="Book for the commission"),
        "public": _book(c, p["sam"], title="Book for everyone", audience="public"),
    }
    stories = []
    for audience in AUDIENCES:
        for attribution in ATTRIBUTIONS:
            stories.append(
                f.story(
                    c,
                    p["jade"],
                    title=f"Tale {audience} {attribution}",
                    body=f"Words of {audience} {attribution}.",
                    content_note=f"Note {audience} {attribution}",
                    audience=audience,
                    attribution=attribution,
                    pseudonym="Robin" if attribution == "pseudonym" else None,
                )
            )
    quotes = []
    for quoting in ("none", "commission", "public", "hidden"):
        story = f.story(
            c,
            p["jade"],
            title=f"Quoted story {quoting}",
            body=f"Quoted {quoting} words and more.",
            audience="commission",
            quoting="public" if quoting == "hidden" else quoting,
        )
        quotes.append(
            _quote(story, f"Quoted {quoting} words", by=p["sam"], hidden=quoting == "hidden")
        )
    for book in books.values():
        for story in stories:
            add_to_storybook(book, story=story, added_by=p["sam"])
        for quote in quotes:
            add_to_storybook(book, quote=quote, added_by=p["sam"])
    db.session.commit()
    return c, p, books


ALL_TALES = [f"Tale {a} {b}" for a in AUDIENCES for b in ATTRIBUTIONS]
ALL_QUOTES = [f"Quoted {q} words" for q in ("none", "commission", "public", "hidden")]


@pytest.mark.parametrize("reader", list(READS))
def test_each_reader_finds_exactly_what_the_tellers_allow(client, library, reader):
    c, p, books = library
    f.as_person(client, p[READER[reader]] if READER[reader] else None)
    for i, kind in enumerate(("commission", "public")):
        book = books[kind]
        page = client.get(f"{_base(c)}/{book.id}")
        pdf = client.get(f"{_base(c)}/{book.id}.pdf")
        expected, expected_quotes = READS[reader][i], QUOTES_READ[reader][i]
        if expected is None:
            assert (page.status_code, pdf.status_code) == (404, 404)
            assert book.title not in f.page_text(page)
            continue
        assert page.status_code == 200
        html = f.page_text(page)
        # The page: these stories, in the storybook's order, each once, and nothing else.
        assert _titles(html) == expected
        for title in ALL_TALES:
            assert (title in html) is (title in expected), title
        for item in _items(html):
            if "<h2" not in item:
                continue
            title = re.search(r"<h2[^>]*>(.*?)</h2>", item, re.S)[1]
            _tale, audience, attribution = title.split(" ")
            assert (
                re.search(r'class="byline">\s*(.*?)\s*</p>', item, re.S)[1] == BYLINES[attribution]
            ), title
            if attribution != "full_name":
                assert "Morgan" not in item
            # The content note comes before the words.
            note, words = f"Note {audience} {attribution}", f"Words of {audience} {attribution}."
            assert 0 <= item.index(note) < item.index(words)
        for words in ALL_QUOTES:
            assert (words in html) is (words in expected_quotes), words
        assert WITHDRAWN_LINE not in html
        note = LEFT_OUT_NOTE.get(reader)
        if note:
            assert note[i] in html
        else:
            assert "not shown right now" not in html

        # The PDF: the same stories and quotes, with the same bylines.
        text = _pdf_text(pdf)
        assert book.title in text
        for title in ALL_TALES:
            assert (title in text) is (title in expected), title
        for title in expected:
            attribution = title.split(" ")[2]
            assert re.search(
                re.escape(title) + r"\s+" + re.escape(BYLINES[attribution]) + r"(?! Morgan)", text
            ), title
        for words in ALL_QUOTES:
            assert (words in text) is (words in expected_quotes), words
        # The teller's whole name only where they chose it (a full-name story).
        assert text.count("Morgan") == sum(t.endswith("full_name") for t in expected)
        assert "not shown right now" not in text and WITHDRAWN_LINE not in text


def test_a_pdf_is_an_attachment_named_after_the_storybook(client, place):
    c, p = place
    book = _book(c, p["sam"], title="Voices from Northside: 2026!", audience="public")
    db.session.commit()
    response = client.get(f"{_base(c)}/{book.id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=voices-from-northside-2026.pdf"
    )
    assert "no-store" in response.headers["Cache-Control"]
    text = _pdf_text(response)
    assert "Voices from Northside: 2026!" in text and "anyone can read it" in text


# --- taken out on the very next request -----------------------------------------------------


@pytest.fixture
def shared_story(place):
    """One public story, quotable in public, in both storybooks as a whole story and a quote."""
    c, p = place
    story = f.story(
        c,
        p["jade"],
        title="Since the buses stopped",
        body="Now I walk everywhere.",
        audience="public",
        quoting="public",
    )
    quote = _quote(story, "Now I walk", by=p["sam"])
    books = {
        "commission": _book(c, p["sam"], title="Commission book"),
        "public": _book(c, p["sam"], title="Public book", audience="public"),
    }
    for book in books.values():
        add_to_storybook(book, story=story, added_by=p["sam"])
        add_to_storybook(book, quote=quote, added_by=p["sam"])
    db.session.commit()
    return c, p, story, quote, books


def _shows(client, c, book) -> tuple[set, set]:
    """What the page and the PDF show of the story: its title, its quote (words that are also
    in the story, so counted), the withdrawn line (once or twice)."""
    html, text = (
        f.page_text(client.get(f"{_base(c)}/{book.id}")),
        _pdf_text(client.get(f"{_base(c)}/{book.id}.pdf")),
    )
    found = []
    for where in (html, text):
        story = "Since the buses stopped" in where
        seen = {"story"} if story else set()
        if where.count("Now I walk") > (1 if story else 0):
            seen.add("quote")
        if WITHDRAWN_LINE in where:
            seen.add("line" if where.count(WITHDRAWN_LINE) == 1 else "two lines")
        found.append(seen)
    return found[0], found[1]


@pytest.mark.parametrize("how", ["withdraw", "withdraw_leaving_a_line", "expire", "hide"])
def test_withdrawal_expiry_and_hiding_take_it_out_at_once(app, client, shared_story, how):
    c, p, story, _quote_, books = shared_story
    f.as_person(client, p["owen"])
    both = ({"story", "quote"}, {"story", "quote"})
    assert _shows(client, c, books["commission"]) == both
    assert _shows(client, c, books["public"]) == both

    if how.startswith("withdraw"):
        teller = app.test_client()
        f.sign_in(teller, p["jade"])
        data = {"leave_withdrawn_line": "y"} if how == "withdraw_leaving_a_line" else {}
        assert (
            teller.post(
                f"/commissions/{c.space.slug}/stories/{story.id}/withdraw", data=data
            ).status_code
            == 303
        )
    elif how == "expire":
        story.expires_on = local_today()
        db.session.commit()
    else:
        story.hidden_at, story.hidden_reason = utcnow(), "Names someone"
        db.session.commit()

    expected = ({"two lines"},) * 2 if how == "withdraw_leaving_a_line" else (set(), set())
    for reader in (p["owen"], p["sam"], p["jade"], None):
        f.as_person(client, reader)
        for book in books.values():
            if reader is None and book.audience != "public":
                continue
            assert _shows(client, c, book) == expected, (reader, book.title)


def test_a_line_is_left_after_expiry_when_the_teller_asked(client, shared_story):
    c, p, story, _quote_, books = shared_story
    story.expires_on, story.leave_withdrawn_line = local_today() - timedelta(days=1), True
    db.session.commit()
    f.as_person(client, None)
    assert _shows(client, c, books["public"]) == ({"two lines"},) * 2


def _change(client, c, story, **choices):
    response = client.post(
        f"/commissions/{c.space.slug}/stories/{story.id}/edit",
        data={
            **STORY_FORM,
            "title": story.title,
            "body": story.body,
            "audience": story.audience,
            "quoting": story.quoting,
            **choices,
        },
    )
    assert response.status_code == 303, f.page_text(response)[:2000]


def test_narrowing_the_audience_takes_it_out_of_a_public_storybook(client, shared_story):
    c, p, story, _quote_, books = shared_story
    f.as_person(client, p["jade"])
    _change(client, c, story, audience="commission")
    f.as_person(client, None)
    # The quote still may be shown in public: the teller still allows quoting in public.
    assert _shows(client, c, books["public"]) == ({"quote"}, {"quote"})
    f.as_person(client, p["kim"])
    assert _shows(client, c, books["commission"]) == ({"story", "quote"}, {"story", "quote"})
    # Narrowed to the teller's own group: out of the commission's storybook too.
    f.as_person(client, p["jade"])
    _change(client, c, story, audience="cohort")
    f.as_person(client, p["kim"])
    assert _shows(client, c, books["commission"]) == ({"quote"}, {"quote"})


def test_quotes_follow_the_tellers_quoting_choice_and_hiding(client, shared_story):
    c, p, story, quote, books = shared_story
    f.as_person(client, p["jade"])
    _change(client, c, story, quoting="commission")
    f.as_person(client, p["owen"])
    assert _shows(client, c, books["public"]) == ({"story"}, {"story"})
    assert _shows(client, c, books["commission"]) == ({"story", "quote"}, {"story", "quote"})

    f.as_person(client, p["jade"])
    _change(client, c, story, quoting="none")
    f.as_person(client, p["owen"])
    assert _shows(client, c, books["commission"]) == ({"story"}, {"story"})

    f.as_person(client, p["jade"])
    _change(client, c, story, quoting="public")
    quote.hidden_at = utcnow()
    db.session.commit()
    f.as_person(client, p["owen"])
    assert _shows(client, c, books["commission"]) == ({"story"}, {"story"})
    assert _shows(client, c, books["public"]) == ({"story"}, {"story"})


# --- making, changing, curating ---------------------------------------------------------------


def test_a_member_makes_a_storybook(client, place):
    c, p = place
    f.as_person(client, p["kim"])
    listing = client.get(_base(c))
    assert listing.status_code == 200 and "Make a storybook" in f.page_text(listing)
    form = client.get(f"{_base(c)}/new")
    html = f.page_text(form)
    assert form.status_code == 200 and "Everyone in the commission" in html
    assert "Anyone, in public" in html and "shows only while its teller" in html
    response = client.post(
        f"{_base(c)}/new",
        data={
            "title": "  Voices from Northside ",
            "introduction": "Read **slowly**.",
            "audience": "public",
        },
    )
    assert response.status_code == 303
    book = db.session.scalars(select(Storybook)).one()
    assert (book.title, book.audience, book.created_by_id) == (
        "Voices from Northside",
        "public",
        p["kim"].id,
    )
    assert response.headers["Location"].endswith(f"{_base(c)}/{book.id}")
    page = f.page_text(client.get(f"{_base(c)}/{book.id}"))
    assert "<strong>slowly</strong>" in page and "Add a story" in page
    (entry,) = _audit()
    assert (entry.action, entry.visibility, entry.actor_id) == (
        "storybook.created",
        "private",
        p["kim"].id,
    )
    assert "Voices from Northside" in f.page_text(client.get(_base(c)))


def test_a_blank_title_comes_back_next_to_the_field_with_everything_kept(client, place):
    c, p = place
    f.as_person(client, p["sam"])
    data = {"title": "   ", "introduction": "Why we made it", "audience": "public"}
    response = client.post(f"{_base(c)}/new", data=data)
    assert response.status_code == 422
    html = f.page_text(response)
    assert re.search(r'id="title-error">.*Give the storybook a title\.', html, re.S)
    assert "Why we made it" in html
    assert re.search(r'<input checked[^>]*value="public"', html)
    assert "<html" in html  # without JavaScript: the whole page

    fragment = client.post(f"{_base(c)}/new", data=data, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and "HX-Request" in fragment.headers["Vary"]
    html = f.page_text(fragment)
    assert "<html" not in html and 'id="storybook-form"' in html
    assert "Give the storybook a title." in html and "Why we made it" in html
    assert db.session.scalars(select(Storybook)).all() == []

    book = _book(c, p["sam"])
    db.session.commit()
    response = client.post(
        f"{_base(c)}/{book.id}/edit",
        data={"title": "", "introduction": "Kept", "audience": "commission"},
    )
    assert response.status_code == 422 and "Give the storybook a title." in f.page_text(response)
    assert "Kept" in f.page_text(response)


def test_changing_a_storybook(client, place):
    c, p = place
    book = _book(c, p["kim"])
    db.session.commit()
    f.as_person(client, p["kim"])
    form = f.page_text(client.get(f"{_base(c)}/{book.id}/edit"))
    assert "Voices from Northside" in form and "Save changes" in form
    response = client.post(
        f"{_base(c)}/{book.id}/edit",
        data={"title": "Voices", "introduction": "", "audience": "public"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    book = db.session.get(Storybook, book.id)
    assert (book.title, book.audience, book.introduction) == ("Voices", "public", None)
    (entry,) = _audit()
    assert entry.action == "storybook.changed"
    assert entry.detail["audience"] == ["commission", "public"]


def test_a_curator_adds_a_story_that_fits_and_nothing_else(client, place):
    c, p = place
    fits = f.story(c, p["jade"], title="Fits the commission", audience="commission")
    public = f.story(c, p["jade"], title="Fits everyone", audience="public")
    narrow = f.story(c, p["jade"], title="Only for my group", audience="cohort")
    draft = f.story(c, p["sam"], title="A draft of mine", status="draft", audience="commission")
    gone = f.story(
        c,
        p["jade"],
        title="Taken back",
        audience="commission",
        status="withdrawn",
        withdrawn_at=utcnow(),
    )
    book = _book(c, p["sam"])
    db.session.commit()
    f.as_person(client, p["sam"])
    page = f.page_text(client.get(f"{_base(c)}/{book.id}"))
    options = re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', page)
    assert {title for _id, title in options} == {"Fits the commission", "Fits everyone"}
    assert "There is nothing to read" in page

    for bad in (narrow, draft, gone):
        response = client.post(f"{_base(c)}/{book.id}/stories", data={"story_id": bad.id})
        assert response.status_code == 422
        assert "can&#39;t go in this storybook now" in f.page_text(response)
        assert bad.title not in _items(f.page_text(response))
    response = client.post(f"{_base(c)}/{book.id}/stories", data={"story_id": ""})
    assert response.status_code == 422 and "Choose a story to add." in f.page_text(response)
    fragment = client.post(
        f"{_base(c)}/{book.id}/stories", data={"story_id": ""}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 422 and "<html" not in f.page_text(fragment)
    assert 'id="add-story-form"' in f.page_text(fragment)

    response = client.post(f"{_base(c)}/{book.id}/stories", data={"story_id": fits.id})
    assert response.status_code == 303
    page = f.page_text(client.get(f"{_base(c)}/{book.id}"))
    assert _titles(page) == ["Fits the commission"]
    options = re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', page)
    assert [title for _id, title in options] == ["Fits everyone"]  # not twice
    again = client.post(f"{_base(c)}/{book.id}/stories", data={"story_id": fits.id})
    assert again.status_code == 422
    client.post(f"{_base(c)}/{book.id}/stories", data={"story_id": public.id})
    assert _titles(f.page_text(client.get(f"{_base(c)}/{book.id}"))) == [
        "Fits the commission",
        "Fits everyone",
    ]

    # A public storybook takes only stories told in public.
    open_book = _book(c, p["sam"], title="Open", audience="public")
    db.session.commit()
    response = client.post(f"{_base(c)}/{open_book.id}/stories", data={"story_id": fits.id})
    assert response.status_code == 422
    entries = [e for e in _audit() if e.action == "storybook.item_added"]
    assert len(entries) == 2
    assert all("Fits" not in e.summary and "Fits" not in str(e.detail) for e in entries)


def test_moving_and_taking_out(client, place):
    c, p = place
    stories = [f.story(c, p["jade"], title=f"Story {n}", audience="commission") for n in (1, 2, 3)]
    hidden = f.story(c, p["jade"], title="Later hidden", audience="commission")
    book = _book(c, p["kim"])
    for s in (stories[0], hidden, stories[1], stories[2]):
        add_to_storybook(book, story=s, added_by=p["kim"])
    db.session.commit()
    hidden.audience = "only_me"  # its teller narrowed it: left out, the others move past it
    db.session.commit()
    items = {i.story_id: i.id for i in db.session.scalars(select(StorybookItem))}

    f.as_person(client, p["kim"])  # she made it
    page = f.page_text(client.get(f"{_base(c)}/{book.id}"))
    assert _titles(page) == ["Story 1", "Story 2", "Story 3"]
    assert "1 item is not shown right now" in page and "Later hidden" not in page
    move = f"{_base(c)}/{book.id}/items/{items[stories[1].id]}/move"
    assert client.post(move, data={"direction": "up"}).status_code == 303
    assert _titles(f.page_text(client.get(f"{_base(c)}/{book.id}"))) == ["Story 2", "Story 1", "Story 3"]
    client.post(move, data={"direction": "up"})  # already first: nothing changes
    client.post(
        f"{_base(c)}/{book.id}/items/{items[stories[0].id]}/move", data={"direction": "down"}
    )
    assert _titles(f.page_text(client.get(f"{_base(c)}/{book.id}"))) == ["Story 2", "Story 3", "Story 1"]
    assert client.post(move, data={"direction": "sideways"}).status_code == 400

    remove = f"{_base(c)}/{book.id}/items/{items[stories[2].id]}/remove"
    assert client.post(remove).status_code == 303
    assert _titles(f.page_text(client.get(f"{_base(c)}/{book.id}"))) == ["Story 2", "Story 1"]
    assert client.post(remove).status_code == 404
    # An item left out right now can't be touched: the curator doesn't know it is there.
    left_out = f"{_base(c)}/{book.id}/items/{items[hidden.id]}"
    assert client.post(f"{left_out}/remove").status_code == 404
    assert client.post(f"{left_out}/move", data={"direction": "up"}).status_code == 404
    actions = [e.action for e in _audit()]
    assert actions.count("storybook.item_removed") == 1
    assert actions.count("storybook.item_moved") == 2
    assert all("Story" not in e.summary for e in _audit())


def test_only_curators_change_a_storybook(client, place):
    c, p = place
    story = f.story(c, p["jade"], title="Fits", audience="commission")
    book = _book(c, p["kim"])  # Kim made it
    item = add_to_storybook(book, story=story, added_by=p["kim"])
    other = f.story(c, p["jade"], title="Another", audience="commission")
    db.session.commit()
    urls = [
        ("get", f"{_base(c)}/{book.id}/edit", None),
        ("post", f"{_base(c)}/{book.id}/edit", {"title": "X", "audience": "public"}),
        ("post", f"{_base(c)}/{book.id}/stories", {"story_id": other.id}),
        ("post", f"{_base(c)}/{book.id}/items/{item.id}/remove", {}),
        ("post", f"{_base(c)}/{book.id}/items/{item.id}/move", {"direction": "down"}),
    ]
    for who in ("jade", "owen", "olu", "rhys"):
        f.as_person(client, p[who])
        for method, url, data in urls:
            assert getattr(client, method)(url, data=data).status_code == 404, (who, url)
        if who != "rhys":
            page = f.page_text(client.get(f"{_base(c)}/{book.id}"))
            assert "Add a story" not in page and "Take it out" not in page
    f.as_person(client, None)
    for method, url, data in urls:
        assert getattr(client, method)(url, data=data).status_code in (302, 404)
    db.session.expire_all()
    assert db.session.get(Storybook, book.id).title == "Voices from Northside"
    assert len(db.session.scalars(select(StorybookItem)).all()) == 1

    # The facilitators look after every storybook.
    f.as_person(client, p["sam"])
    assert (
        client.post(f"{_base(c)}/{book.id}/stories", data={"story_id": other.id}).status_code == 303
    )


def test_who_can_open_which_storybook(client, place):
    c, p = place
    inside = _book(c, p["sam"], title="Inside book")
    outside = _book(c, p["sam"], title="Outside book", audience="public")
    other = f.commission("Another commission")
    elsewhere = _book(other, p["sam"], title="Elsewhere", audience="public")
    db.session.commit()
    for who in (None, "rhys"):
        f.as_person(client, p[who] if who else None)
        assert client.get(f"{_base(c)}/{inside.id}").status_code == 404
        assert client.get(f"{_base(c)}/{inside.id}.pdf").status_code == 404
        public = client.get(f"{_base(c)}/{outside.id}")
        assert public.status_code == 200 and "Outside book" in f.page_text(public)
        assert "Back to storybooks" not in f.page_text(public)  # no commission pages for them
        assert client.get(f"{_base(c)}/{outside.id}.pdf").status_code == 200
        assert client.get(f"{_base(c)}/{elsewhere.id}").status_code == 404  # wrong commission
        assert client.get(f"/commissions/no-such-place/storybooks/{outside.id}").status_code == 404
    assert client.get(_base(c)).status_code == 404  # Rhys: not a member
    f.as_person(client, None)
    assert client.get(_base(c)).status_code == 302  # the list: sign in first
    assert client.get(f"{_base(c)}/new").status_code == 302

    f.as_person(client, p["olu"])  # an observer is in the commission
    listing = f.page_text(client.get(_base(c)))
    assert "Inside book" in listing and "Outside book" in listing and "Elsewhere" not in listing
    assert client.get(f"{_base(c)}/{inside.id}").status_code == 200


def test_the_stories_list_links_to_the_storybooks(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    page = f.page_text(client.get(f"/commissions/{c.space.slug}/stories"))
    assert 'id="storybooks-panel-heading"' in page and "Make the first storybook" in page
    _book(c, p["sam"], title="Our first storybook")
    db.session.commit()
    page = f.page_text(client.get(f"/commissions/{c.space.slug}/stories"))
    assert "Our first storybook" in page and "See all storybooks" in page


def test_an_introduction_is_markdown_made_safe(client, place):
    c, p = place
    book = _book(
        c,
        p["sam"],
        audience="public",
        intro="<script>alert(1)</script> [x](javascript:alert(1)) *kind*",
    )
    db.session.commit()
    html = f.page_text(client.get(f"{_base(c)}/{book.id}"))
    assert "<script>alert" not in html and 'href="javascript' not in html
    assert "<em>kind</em>" in html
    assert "kind" in _pdf_text(client.get(f"{_base(c)}/{book.id}.pdf"))


def test_the_pdf_fetches_nothing(app, monkeypatch):
    """Whatever the HTML asks for, making the PDF opens no file and no network address."""
    import urllib.request

    from participate.web.pdf import html_to_pdf

    opened = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, *a, **k: opened.append(a)
    )
    pdf = html_to_pdf(
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        '<img src="file:///etc/passwd"><img src="https://example.org/x.png"><p>Words</p>'
    )
    assert pdf.startswith(b"%PDF") and opened == []


@pytest.mark.parametrize("audience,quoting,public_lines,commission_lines", [
    ("public", "public", 2, 2),  # both were shown in both books: a line for each
    ("commission", "public", 1, 2),  # the whole story never reached the public book
    ("commission", "commission", 0, 2),  # nothing of it reached the public book
    ("commission", "none", 0, 1),  # its quote was never shown anywhere
])
def test_a_withdrawn_line_appears_only_where_the_story_had_been_seen(
    client, place, audience, quoting, public_lines, commission_lines
):
    c, p = place
    story = f.story(c, p["jade"], title="Gone now", body="Words I take back.",
                    audience=audience, quoting=quoting)
    quote = _quote(story, "Words I take back", by=p["sam"])
    books = {"commission": _book(c, p["sam"], title="Inside"),
             "public": _book(c, p["sam"], title="Outside", audience="public")}
    for book in books.values():
        add_to_storybook(book, story=story, added_by=p["sam"])
        add_to_storybook(book, quote=quote, added_by=p["sam"])
    story.status, story.withdrawn_at, story.leave_withdrawn_line = "withdrawn", utcnow(), True
    db.session.commit()
    f.as_person(client, None)
    assert f.page_text(client.get(f"{_base(c)}/{books['public'].id}")).count(WITHDRAWN_LINE) == (
        public_lines)
    f.as_person(client, p["owen"])
    assert f.page_text(client.get(f"{_base(c)}/{books['commission'].id}")).count(WITHDRAWN_LINE) == (
        commission_lines)
