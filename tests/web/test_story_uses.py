"""Using stories: quotes in session notes and storybooks, themes, links to sessions and
commitments, and the teller's "where my story has been used" / "what happened".

Who sees what is written out by hand below, not computed the way the rules compute it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.columns import utcnow
from participate.commissions.models import CommissionSession, Commitment, CommitmentUpdate
from participate.extensions import db
from participate.stories.models import Quote, Story, Storybook, StorybookItem, StoryLink, Theme
from tests import factories as f

BODY = "The bus stopped coming past my road.\n\nWithout a **lift** I am stuck at home after four."
EXCERPT = "Without a lift I am stuck at home after four."
NOTE = "Talks about being stuck at home"

ROLES = ("teller", "community", "civic", "facilitator", "observer", "stranger")
MEMBERS = {"teller", "community", "civic", "facilitator", "observer"}

# Who may read a shared, live story, by its audience (the 'together' phase). The stranger has
# no role in the commission: every commission page is 404 for them.
READS = {
    "only_me": {"teller"},
    "facilitators": {"teller", "facilitator"},
    "cohort": {"teller", "community", "facilitator"},
    "commission": {"teller", "community", "civic", "facilitator", "observer"},
    "public": {"teller", "community", "civic", "facilitator", "observer"},
}
# How the teller (Jade Morgan) is named, by attribution.
BYLINES = {
    "full_name": "By Jade Morgan",
    "first_name": "By Jade",
    "pseudonym": "By Robin",
    "anonymous": "Anonymous",
}


@pytest.fixture
def place():
    c = f.commission(phase="together")
    p = {
        "facilitator": f.person("Sam Taylor"),
        "teller": f.person("Jade Morgan"),
        "community": f.person("Kim Lee"),
        "civic": f.person("Owen Price"),
        "observer": f.person("Olu Ade"),
        "stranger": f.person("Rhys Jones"),  # not in the commission
    }
    f.member(p["facilitator"], c.space, "facilitator")
    f.member(p["teller"], c.space, "community_commissioner")
    f.member(p["community"], c.space, "community_commissioner")
    f.member(p["civic"], c.space, "civic_commissioner")
    f.member(p["observer"], c.space, "observer")
    start = datetime(2027, 6, 10, 17, 0, tzinfo=UTC)
    session = CommissionSession(
        commission_id=c.id,
        title="Stories and tea",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="planned",
    )
    commitment = Commitment(
        commission_id=c.id,
        what="Put a named contact on every housing letter",
        owner_role="Head of housing",
        status="in_progress",
    )
    theme = Theme(commission_id=c.id, name="Getting about", description="Buses, lifts, walking")
    db.session.add_all([session, commitment, theme])
    db.session.flush()
    db.session.add(
        CommitmentUpdate(
            commitment_id=commitment.id,
            status="in_progress",
            note="Letters are being rewritten",
            by_id=p["facilitator"].id,
        )
    )
    db.session.commit()
    return c, p, session, commitment, theme


def _base(c):
    return f"/commissions/{c.space.slug}"


def _story(c, teller, **extra) -> Story:
    fields = {
        "title": "Since the buses stopped",
        "body": BODY,
        "audience": "commission",
        "attribution": "first_name",
        "quoting": "commission",
        "content_note": NOTE,
    }
    fields.update(extra)
    s = f.story(c, teller, **fields)
    db.session.commit()
    return s


def _quote(story, session, reach="commission", **extra) -> Quote:
    q = Quote(
        story_id=story.id,
        excerpt=EXCERPT,
        reach=reach,
        used_in="session_note",
        used_in_id=session.id,
        **extra,
    )
    db.session.add(q)
    db.session.commit()
    return q


def _link(story, kind, target, note=None) -> StoryLink:
    link = StoryLink(story_id=story.id, target_kind=kind, target_id=target.id, note=note)
    db.session.add(link)
    db.session.commit()
    return link


def _section(html: str, element_id: str) -> str:
    """The HTML of ``<section id=...>`` (our sections hold no other section), or ''."""
    match = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _audit(action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _urls(c, session, commitment, theme):
    return {
        "session": f"{_base(c)}/sessions/{session.id}",
        "commitment": f"{_base(c)}/commitments/{commitment.id}",
        "theme": f"{_base(c)}/stories/themes/{theme.id}",
    }


# --- who sees what, on every page that shows quotes or linked stories ------------------------


@pytest.mark.parametrize("attribution", list(BYLINES))
@pytest.mark.parametrize("audience", list(READS))
def test_each_role_sees_exactly_its_quotes_and_linked_stories(client, place, audience, attribution):
    c, p, session, commitment, theme = place
    story = _story(c, p["teller"], audience=audience, attribution=attribution, pseudonym="Robin")
    _quote(story, session)
    for kind, target in (("session", session), ("commitment", commitment), ("theme", theme)):
        _link(story, kind, target, note="why we asked for a named contact")
    urls = _urls(c, session, commitment, theme)

    for role in ROLES:
        f.as_person(client, p[role])
        pages = {kind: client.get(url) for kind, url in urls.items()}
        if role == "stranger":
            assert {kind: r.status_code for kind, r in pages.items()} == {
                "session": 404,
                "commitment": 404,
                "theme": 404,
            }
            continue
        assert all(r.status_code == 200 for r in pages.values()), role
        reads = role in READS[audience]

        # The quote in the session's notes: any member, as the teller allows quoting inside
        # the commission; its story's title only for people who may read the story.
        quotes = _section(f.page_text(pages["session"]), "story-quotes")
        assert EXCERPT in quotes, role
        assert BYLINES[attribution] in quotes and NOTE in quotes, role
        assert (story.title in quotes) is reads, role

        # Linked stories: on the session, the commitment and the theme, only for readers.
        behind = {
            "session": _section(f.page_text(pages["session"]), "stories-behind"),
            "commitment": _section(f.page_text(pages["commitment"]), "stories-behind"),
            "theme": f.page_text(pages["theme"]).split('id="theme-stories-heading"')[1],
        }
        for kind, html in behind.items():
            assert (story.title in html) is reads, (role, kind)
            assert ("why we asked for a named contact" in html) is reads, (role, kind)
            if reads:
                assert BYLINES[attribution] in html, (role, kind)
            assert "A story was withdrawn" not in html

        # The teller's name never shows beside an anonymous or pseudonymous story.
        if attribution in ("anonymous", "pseudonym"):
            for html in (quotes, *behind.values()):
                assert "Jade" not in html, role


def test_a_public_quote_and_a_commission_quote_both_show_to_members(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"], quoting="public")
    _quote(story, session, reach="public")
    f.as_person(client, p["observer"])
    quotes = _section(f.page_text(client.get(f"{_base(c)}/sessions/{session.id}")), "story-quotes")
    assert EXCERPT in quotes


# --- consent changes take a quote off the session page in the very next request -----------


CHANGES = {
    "withdrawn": (
        {"status": "withdrawn", "withdrawn_at": utcnow()},
        "Not shown: your story is withdrawn",
    ),
    "expired": (
        {"expires_on": date.today() - timedelta(days=1)},
        "Not shown: the date you chose to take your story down has passed",
    ),
    "quoting_off": ({"quoting": "none"}, "Not shown: you don&#39;t allow quoting now"),
    "story_hidden": (
        {"hidden_at": utcnow(), "hidden_reason": "Names a neighbour"},
        "Not shown: your story is hidden by a facilitator",
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_consent_change_removes_the_quote_at_once_and_the_teller_sees_why(client, place, change):
    c, p, session, *_ = place
    story = _story(c, p["teller"], leave_withdrawn_line=True)
    _quote(story, session, created_by_id=p["facilitator"].id)
    page = f"{_base(c)}/sessions/{session.id}"
    f.as_person(client, p["community"])
    assert EXCERPT in f.page_text(client.get(page))

    fields, reason = CHANGES[change]
    for name, value in fields.items():
        setattr(story, name, value)
    db.session.commit()

    html = f.page_text(client.get(page))
    assert EXCERPT not in html
    quotes = _section(html, "story-quotes")
    # Where a story was withdrawn (or expired) and its teller chose the line: the line.
    gone = change in ("withdrawn", "expired")
    assert ("A story was withdrawn by its teller." in quotes) is gone

    f.as_person(client, p["teller"])
    used = _section(f.page_text(client.get(f"{_base(c)}/stories/{story.id}")), "story-used")
    assert EXCERPT in used and "Stories and tea" in used and "Sam Taylor" in used
    assert reason in used
    assert "Shown now" not in used


def test_withdrawing_through_the_page_removes_the_quote_and_leaves_no_line_unless_chosen(
    client, place
):
    c, p, session, commitment, _theme = place
    story = _story(c, p["teller"])
    _quote(story, session)
    _link(story, "commitment", commitment)
    f.as_person(client, p["teller"])
    assert client.post(f"{_base(c)}/stories/{story.id}/withdraw").status_code == 303
    f.as_person(client, p["facilitator"])
    session_html = f.page_text(client.get(f"{_base(c)}/sessions/{session.id}"))
    assert EXCERPT not in session_html and "A story was withdrawn" not in session_html
    commitment_html = f.page_text(client.get(f"{_base(c)}/commitments/{commitment.id}"))
    assert story.title not in commitment_html and "Stories behind this" not in commitment_html


def test_narrowing_public_quoting_to_the_commission_says_so_to_the_teller(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"], quoting="public")
    _quote(story, session, reach="public")
    story.quoting = "commission"
    db.session.commit()
    f.as_person(client, p["community"])
    assert EXCERPT not in f.page_text(client.get(f"{_base(c)}/sessions/{session.id}"))
    f.as_person(client, p["teller"])
    used = _section(f.page_text(client.get(f"{_base(c)}/stories/{story.id}")), "story-used")
    assert "Not shown: you allow quoting only inside the commission now" in used


def test_a_quote_hidden_by_a_facilitator_goes_and_the_teller_is_told_why(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"])
    quote = _quote(story, session)
    page = f"{_base(c)}/sessions/{session.id}"
    f.as_person(client, p["facilitator"])
    assert EXCERPT in f.page_text(client.get(page))
    quote.hidden_at, quote.hidden_reason = utcnow(), "Could identify someone"
    db.session.commit()
    assert EXCERPT not in f.page_text(client.get(page))
    f.as_person(client, p["teller"])
    used = _section(f.page_text(client.get(f"{_base(c)}/stories/{story.id}")), "story-used")
    assert "Not shown: hidden by a facilitator" in used and "Could identify someone" in used


# --- quoting ---------------------------------------------------------------------------------


def test_a_facilitator_quotes_a_story_into_a_sessions_notes(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"])
    f.as_person(client, p["facilitator"])
    story_page = f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))
    assert "Quote part of this story" in story_page
    form = client.get(f"{_base(c)}/stories/{story.id}/quote")
    assert form.status_code == 200
    assert f'value="session-{session.id}"' in f.page_text(form)

    wrong = "Without a car I am stuck at home."
    response = client.post(
        f"{_base(c)}/stories/{story.id}/quote",
        data={"excerpt": wrong, "place": f"session-{session.id}"},
    )
    assert response.status_code == 422
    html = f.page_text(response)
    assert "aren&#39;t in the story as the teller wrote them" in html
    assert 'id="excerpt-error"' in html and wrong in html
    assert db.session.scalars(select(Quote)).all() == []

    # Spaces and line breaks aside, and without the story's **bold** markup: their words.
    response = client.post(
        f"{_base(c)}/stories/{story.id}/quote",
        data={
            "excerpt": "Without a lift\n I am   stuck at home after four.",
            "place": f"session-{session.id}",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/sessions/{session.id}#story-quotes")
    quote = db.session.scalars(select(Quote)).one()
    assert (quote.story_id, quote.used_in, quote.used_in_id, quote.reach, quote.created_by_id) == (
        story.id,
        "session_note",
        session.id,
        "commission",
        p["facilitator"].id,
    )
    (entry,) = _audit("story.quoted")
    assert entry.visibility == "private" and "lift" not in entry.summary
    assert entry.detail["story"] == story.id and entry.detail["used_in"] == "session_note"
    quotes = _section(f.page_text(client.get(f"{_base(c)}/sessions/{session.id}")), "story-quotes")
    assert "Without a lift" in quotes and "By Jade" in quotes


def test_quoting_into_a_storybook_puts_the_quote_in_it_at_the_storybooks_reach(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"], quoting="public")
    mine = Storybook(
        commission_id=c.id, title="Our voices", audience="public", created_by_id=p["community"].id
    )
    others = Storybook(
        commission_id=c.id,
        title="Sam's book",
        audience="commission",
        created_by_id=p["facilitator"].id,
    )
    db.session.add_all([mine, others])
    db.session.commit()
    f.as_person(client, p["community"])
    form = f.page_text(client.get(f"{_base(c)}/stories/{story.id}/quote"))
    # Kim curates her own storybook; session notes and Sam's book are not hers to change.
    assert f'value="storybook-{mine.id}"' in form
    assert f'value="storybook-{others.id}"' not in form and "session-" not in form
    for place_value in (f"session-{session.id}", f"storybook-{others.id}"):
        response = client.post(
            f"{_base(c)}/stories/{story.id}/quote", data={"excerpt": EXCERPT, "place": place_value}
        )
        assert response.status_code == 422
        assert "Choose one of the places in the list." in f.page_text(response)
    response = client.post(
        f"{_base(c)}/stories/{story.id}/quote",
        data={"excerpt": EXCERPT, "place": f"storybook-{mine.id}"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/storybooks/{mine.id}")
    quote = db.session.scalars(select(Quote)).one()
    assert (quote.used_in, quote.used_in_id, quote.reach) == ("storybook", mine.id, "public")
    item = db.session.scalars(select(StorybookItem)).one()
    assert (item.storybook_id, item.quote_id, item.story_id) == (mine.id, quote.id, None)


def test_only_destinations_the_quoting_allows_are_offered(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"], quoting="commission")
    public_book = Storybook(
        commission_id=c.id,
        title="For the town",
        audience="public",
        created_by_id=p["facilitator"].id,
    )
    db.session.add(public_book)
    db.session.commit()
    f.as_person(client, p["facilitator"])
    form = f.page_text(client.get(f"{_base(c)}/stories/{story.id}/quote"))
    assert f'value="session-{session.id}"' in form
    assert f'value="storybook-{public_book.id}"' not in form
    response = client.post(
        f"{_base(c)}/stories/{story.id}/quote",
        data={"excerpt": EXCERPT, "place": f"storybook-{public_book.id}"},
    )
    assert response.status_code == 422
    assert db.session.scalars(select(Quote)).all() == []


def test_a_member_with_nowhere_to_put_a_quote_is_told_so(client, place):
    c, p, _session, *_ = place
    story = _story(c, p["teller"])
    f.as_person(client, p["community"])
    page = f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))
    assert "There is nowhere you can put a quote yet." in page
    assert f"/stories/{story.id}/quote" not in page


@pytest.mark.parametrize(
    "who,quoting,audience",
    [
        ("community", "none", "commission"),  # the teller allows no quoting
        ("civic", "commission", "cohort"),  # can't read it
        ("facilitator", "commission", "only_me"),  # can't read it
        ("stranger", "public", "public"),  # not in the commission
    ],
)
def test_someone_who_may_not_quote_gets_404(client, place, who, quoting, audience):
    c, p, session, *_ = place
    story = _story(c, p["teller"], quoting=quoting, audience=audience)
    f.as_person(client, p[who])
    url = f"{_base(c)}/stories/{story.id}/quote"
    assert client.get(url).status_code == 404
    data = {"excerpt": EXCERPT, "place": f"session-{session.id}"}
    assert client.post(url, data=data).status_code == 404
    assert db.session.scalars(select(Quote)).all() == []
    if who != "stranger":
        page = client.get(f"{_base(c)}/stories/{story.id}")
        assert "Quote part of this story" not in f.page_text(page)


def test_quote_errors_come_back_as_the_form_alone_for_htmx(client, place):
    c, p, session, *_ = place
    story = _story(c, p["teller"])
    f.as_person(client, p["facilitator"])
    response = client.post(
        f"{_base(c)}/stories/{story.id}/quote",
        data={"excerpt": "", "place": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = f.page_text(response)
    assert html.lstrip().startswith('<form id="quote-form"')
    assert "Write or paste the words you want to quote." in html
    assert "Choose where the quote goes." in html


# --- themes ----------------------------------------------------------------------------------


def test_a_facilitator_makes_and_changes_a_theme(client, place):
    c, p, *_ = place
    f.as_person(client, p["facilitator"])
    listing = client.get(f"{_base(c)}/stories/themes")
    assert listing.status_code == 200 and "Make a theme" in f.page_text(listing)
    response = client.post(
        f"{_base(c)}/stories/themes",
        data={"name": "Money worries", "description": "Bills and debt"},
    )
    assert response.status_code == 303
    theme = db.session.scalars(select(Theme).where(Theme.name == "Money worries")).one()
    assert response.headers["Location"].endswith(f"/stories/themes/{theme.id}")
    (made,) = _audit("story.theme_created")
    assert made.visibility == "private" and made.object_id == theme.id

    duplicate = client.post(
        f"{_base(c)}/stories/themes", data={"name": "money worries", "description": "Again"}
    )
    assert duplicate.status_code == 422
    assert "There is already a theme with this name." in f.page_text(duplicate)
    assert "Again" in f.page_text(duplicate)

    edit = f"{_base(c)}/stories/themes/{theme.id}/edit"
    assert client.get(edit).status_code == 200
    assert client.post(edit, data={"name": "", "description": "x"}).status_code == 422
    response = client.post(edit, data={"name": "Money", "description": "Bills, debt, rent"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (theme.name, theme.description) == ("Money", "Bills, debt, rent")
    (changed,) = _audit("story.theme_changed")
    assert changed.detail == {"changed": ["name", "description"]}


def test_members_see_themes_but_only_facilitators_make_them(client, place):
    c, p, _session, _commitment, theme = place
    for role in ("teller", "community", "civic", "observer"):
        f.as_person(client, p[role])
        listing = client.get(f"{_base(c)}/stories/themes")
        assert listing.status_code == 200 and "Getting about" in f.page_text(listing)
        assert "Make a theme" not in f.page_text(listing)
        assert client.get(f"{_base(c)}/stories/themes/{theme.id}").status_code == 200
        assert (
            client.post(
                f"{_base(c)}/stories/themes", data={"name": "Mine", "description": ""}
            ).status_code
            == 404
        )
        edit = f"{_base(c)}/stories/themes/{theme.id}/edit"
        assert client.get(edit).status_code == 404
        assert client.post(edit, data={"name": "Mine"}).status_code == 404
        assert "Change this theme" not in f.page_text(client.get(f"{_base(c)}/stories/themes/{theme.id}"))
        # The list of stories leads to the themes.
        assert f"{_base(c)}/stories/themes" in f.page_text(client.get(f"{_base(c)}/stories"))
    assert db.session.scalars(select(Theme)).all() == [theme]


def test_people_outside_the_commission_get_404_everywhere(client, place):
    c, p, session, commitment, theme = place
    story = _story(c, p["teller"], audience="public", quoting="public")
    link = _link(story, "theme", theme)
    f.as_person(client, p["stranger"])
    for url in (
        f"{_base(c)}/stories/themes",
        f"{_base(c)}/stories/themes/{theme.id}",
        f"{_base(c)}/stories/themes/{theme.id}/edit",
        f"{_base(c)}/stories/{story.id}/quote",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"{_base(c)}/stories/themes",
        f"{_base(c)}/stories/{story.id}/links",
        f"{_base(c)}/stories/{story.id}/links/{link.id}/remove",
    ):
        assert (
            client.post(url, data={"name": "x", "target": f"session-{session.id}"}).status_code
            == 404
        ), url


# --- links -----------------------------------------------------------------------------------


def test_a_facilitator_links_a_story_and_removes_the_link(client, place):
    c, p, session, commitment, theme = place
    story = _story(c, p["teller"])
    f.as_person(client, p["facilitator"])
    page = f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))
    links = _section(page, "story-links")
    for value in (f"theme-{theme.id}", f"session-{session.id}", f"commitment-{commitment.id}"):
        assert f'value="{value}"' in links
    response = client.post(
        f"{_base(c)}/stories/{story.id}/links",
        data={"target": f"commitment-{commitment.id}", "note": "This is why we asked"},
    )
    assert response.status_code == 303
    link = db.session.scalars(select(StoryLink)).one()
    assert (link.target_kind, link.target_id, link.note, link.created_by_id) == (
        "commitment",
        commitment.id,
        "This is why we asked",
        p["facilitator"].id,
    )
    (entry,) = _audit("story.linked")
    assert entry.visibility == "private" and entry.detail["target_kind"] == "commitment"

    behind = _section(
        f.page_text(client.get(f"{_base(c)}/commitments/{commitment.id}")), "stories-behind"
    )
    assert story.title in behind and "This is why we asked" in behind

    # Already linked: no longer offered, and refused if sent anyway.
    links = _section(f.page_text(client.get(f"{_base(c)}/stories/{story.id}")), "story-links")
    assert f'value="commitment-{commitment.id}"' not in links
    again = client.post(
        f"{_base(c)}/stories/{story.id}/links",
        data={"target": f"commitment-{commitment.id}", "note": "Twice"},
    )
    assert again.status_code == 422 and "Choose one of the things in the list." in f.page_text(again)
    assert "Twice" in f.page_text(again)

    response = client.post(f"{_base(c)}/stories/{story.id}/links/{link.id}/remove")
    assert response.status_code == 303
    assert db.session.scalars(select(StoryLink)).all() == []
    (removed,) = _audit("story.unlinked")
    assert removed.detail["target_id"] == commitment.id
    assert "Stories behind this" not in f.page_text(client.get(f"{_base(c)}/commitments/{commitment.id}"))


def test_the_teller_links_their_own_story(client, place):
    c, p, _session, _commitment, theme = place
    story = _story(c, p["teller"], audience="only_me")
    f.as_person(client, p["teller"])
    response = client.post(
        f"{_base(c)}/stories/{story.id}/links", data={"target": f"theme-{theme.id}", "note": ""}
    )
    assert response.status_code == 303
    assert db.session.scalars(select(StoryLink)).one().note is None
    # Only the teller reads it, so only the teller sees it on the theme.
    assert story.title in f.page_text(client.get(f"{_base(c)}/stories/themes/{theme.id}"))
    f.as_person(client, p["facilitator"])
    assert story.title not in f.page_text(client.get(f"{_base(c)}/stories/themes/{theme.id}"))


@pytest.mark.parametrize(
    "who,audience",
    [
        ("community", "commission"),  # can read it, but neither its teller nor a facilitator
        ("facilitator", "only_me"),  # can't read it
        ("civic", "cohort"),  # can't read it
    ],
)
def test_people_who_may_not_link_a_story_get_404(client, place, who, audience):
    c, p, _session, _commitment, theme = place
    story = _story(c, p["teller"], audience=audience)
    link = _link(story, "theme", theme)
    f.as_person(client, p[who])
    assert (
        client.post(
            f"{_base(c)}/stories/{story.id}/links", data={"target": f"theme-{theme.id}"}
        ).status_code
        == 404
    )
    assert client.post(f"{_base(c)}/stories/{story.id}/links/{link.id}/remove").status_code == 404
    assert db.session.scalars(select(StoryLink)).all() == [link]
    if audience == "commission":
        assert 'id="story-links"' not in f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))


def test_a_link_without_a_choice_comes_back_with_the_note_kept(client, place):
    c, p, *_ = place
    story = _story(c, p["teller"])
    f.as_person(client, p["facilitator"])
    url = f"{_base(c)}/stories/{story.id}/links"
    response = client.post(url, data={"target": "", "note": "Because of the buses"})
    assert response.status_code == 422
    html = f.page_text(response)
    assert "Choose what to link it to." in html and 'value="Because of the buses"' in html
    assert "<h1" in html  # without JavaScript: the whole story page
    htmx = client.post(
        url, data={"target": "", "note": "Because of the buses"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422
    assert f.page_text(htmx).lstrip().startswith('<form id="story-link-form"')
    assert 'value="Because of the buses"' in f.page_text(htmx)


def test_a_link_to_something_of_another_commission_is_refused(client, place):
    c, p, *_ = place
    other = f.commission(name="Elsewhere")
    elsewhere = Theme(commission_id=other.id, name="Elsewhere's theme")
    db.session.add(elsewhere)
    db.session.commit()
    story = _story(c, p["teller"])
    f.as_person(client, p["facilitator"])
    response = client.post(
        f"{_base(c)}/stories/{story.id}/links", data={"target": f"theme-{elsewhere.id}"}
    )
    assert response.status_code == 422
    assert db.session.scalars(select(StoryLink)).all() == []


# --- the teller's view -----------------------------------------------------------------------


def test_the_teller_sees_where_their_story_was_used_and_what_happened(client, place):
    c, p, session, commitment, theme = place
    story = _story(c, p["teller"], quoting="public")
    _quote(story, session, created_by_id=p["facilitator"].id)
    book = Storybook(
        commission_id=c.id,
        title="Voices of Porthaven",
        audience="public",
        created_by_id=p["facilitator"].id,
    )
    db.session.add(book)
    db.session.flush()
    db.session.add(StorybookItem(storybook_id=book.id, position=1, story_id=story.id))
    db.session.commit()
    for kind, target in (("commitment", commitment), ("session", session), ("theme", theme)):
        _link(story, kind, target)

    f.as_person(client, p["teller"])
    page = f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))
    used = _section(page, "story-used")
    assert EXCERPT in used and "The notes of Stories and tea" in used
    assert "Sam Taylor" in used and "Shown now" in used
    # The whole story is in a public storybook, but it is only for the commission.
    assert "Voices of Porthaven" in used
    assert "Not shown: your story isn&#39;t shared with this storybook&#39;s readers now" in used
    happened = _section(page, "story-happened")
    assert "Put a named contact on every housing letter" in happened
    assert "In progress" in happened and "Letters are being rewritten" in happened
    assert "Stories and tea" in happened and "Getting about" in happened

    for role in ("facilitator", "community"):
        f.as_person(client, p[role])
        page = f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))
        assert 'id="story-used"' not in page and 'id="story-happened"' not in page


def test_a_teller_with_nothing_used_yet_is_told_so(client, place):
    c, p, *_ = place
    story = _story(c, p["teller"])
    f.as_person(client, p["teller"])
    page = f.page_text(client.get(f"{_base(c)}/stories/{story.id}"))
    assert "Nobody has quoted it." in page and "Nothing is linked to it yet." in page


def test_members_can_flag_a_quote_where_they_see_it_but_its_teller_cannot(client, place):
    c, p, session, _commitment, _theme = place
    story = _story(c, p["teller"])
    quote = _quote(story, session)
    page = f"{_base(c)}/sessions/{session.id}"
    flag = f"{_base(c)}/stories/quotes/{quote.id}/flag?next=/commissions/{c.space.slug}/sessions/{session.id}"
    f.as_person(client, p["civic"])
    html = f.page_text(client.get(page))
    assert "Worried about this quote?" in html and flag.replace("&", "&amp;") in html
    assert client.get(flag).status_code == 200
    f.as_person(client, p["teller"])
    assert "Worried about this quote?" not in f.page_text(client.get(page))


@pytest.mark.parametrize("audience,readers", [
    ("commission", {"teller", "community", "civic", "facilitator", "observer"}),
    ("cohort", {"teller", "community", "facilitator"}),
    ("facilitators", {"teller", "facilitator"}),
])
def test_a_proposal_shows_its_quotes_and_the_stories_behind_it(client, place, audience, readers):
    from participate.decisions.models import Proposal, ProposalVersion

    c, p, _session, _commitment, _theme = place
    c.proposals_opened_on = c.starts_on
    proposal = Proposal(space_id=c.space_id, proposer_id=p["teller"].id, title="Named contacts")
    db.session.add(proposal)
    db.session.flush()
    db.session.add(ProposalVersion(proposal_id=proposal.id, number=1, driver="Why",
                                   text="What", review_on=c.starts_on))
    story = _story(c, p["teller"], audience=audience, title="Passed from desk to desk")
    db.session.commit()
    page = f"/decide/{c.space.slug}/{proposal.id}"

    # The proposer quotes the story into their proposal and links it.
    f.as_person(client, p["facilitator"])
    form = f.page_text(client.get(f"{_base(c)}/stories/{story.id}/quote"))
    assert f'value="proposal-{proposal.id}"' in form
    assert client.post(f"{_base(c)}/stories/{story.id}/quote", data={
        "excerpt": EXCERPT, "place": f"proposal-{proposal.id}"}).status_code == 303
    assert client.post(f"{_base(c)}/stories/{story.id}/links", data={
        "target": f"proposal-{proposal.id}", "note": "Why we propose it"}).status_code == 303
    for who in ROLES:
        if who == "stranger":
            continue
        f.as_person(client, p[who])
        html = f.page_text(client.get(page))
        # Quoting "inside the commission": every member sees the quote on the proposal...
        assert EXCERPT in html, who
        # ...and the story behind it only if they may read the story.
        assert ("Passed from desk to desk" in html) is (who in readers), who
    f.as_person(client, p["teller"])
    client.post(f"{_base(c)}/stories/{story.id}/withdraw")
    for who in ("facilitator", "civic"):
        f.as_person(client, p[who])
        html = f.page_text(client.get(page))
        assert EXCERPT not in html and "Passed from desk to desk" not in html
