"""Story pages: telling, drafts, consent changes, withdrawal, recording for someone, and who
sees what. (Every audience x attribution x role x state is in tests/unit/test_story_rules.py;
these prove the pages ask that rule.)"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.columns import utcnow
from participate.extensions import db
from participate.stories.models import Story
from tests import factories as f

FORM = {
    "template": "self",
    "title": "Why I said yes",
    "body": "Nobody **asked** what it costs.\n\nThat's why.",
    "content_note": "Talks about money worries",
    "audience": "commission",
    "attribution": "first_name",
    "pseudonym": "",
    "quoting": "none",
    "expires_on": "",
    "action": "share",
}


@pytest.fixture
def place():
    c = f.commission(phase="together")
    p = {
        "sam": f.person("Sam Taylor"),
        "jade": f.person("Jade Morgan"),
        "kim": f.person("Kim Lee"),
        "dot": f.person("Dot Evans", email=None),
        "owen": f.person("Owen Price"),
        "olu": f.person("Olu Ade"),
        "rhys": f.person("Rhys Jones"),  # not in the commission
    }
    f.member(p["sam"], c.space, "facilitator")
    for key in ("jade", "kim", "dot"):
        f.member(p[key], c.space, "community_commissioner")
    f.member(p["owen"], c.space, "civic_commissioner")
    f.member(p["olu"], c.space, "observer")
    db.session.commit()
    return c, p


def _as(client, person):
    client.post("/sign-out")
    f.sign_in(client, person)


def _text(response):
    return response.get_data(as_text=True)


def _checked(html, value) -> bool:
    return re.search(rf'<input checked[^>]*value="{value}"', html) is not None


def _base(c):
    return f"/commissions/{c.space.slug}/stories"


def _story(c, teller, **extra) -> Story:
    fields = {"title": "A story", "body": "Some words.", "audience": "commission",
              "attribution": "first_name", "status": "shared", **extra}
    if fields["status"] == "shared":
        fields.setdefault("shared_at", utcnow())
    s = Story(commission_id=c.id, teller_id=teller.id, **fields)
    db.session.add(s)
    db.session.commit()
    return s


def _fresh(story_id) -> Story:
    db.session.expire_all()
    return db.session.get(Story, story_id)


def _audit(action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _sees(client, c, story, title=None) -> bool:
    """True when ``story`` is on the list and its page opens."""
    listed = (title or story.title) in _text(client.get(_base(c)))
    page = client.get(f"{_base(c)}/{story.id}").status_code
    assert listed == (page == 200), (listed, page)
    return listed


# --- telling ---------------------------------------------------------------------------------


def test_a_member_tells_a_story_and_others_read_it(client, place):
    c, p = place
    _as(client, p["jade"])
    form = client.get(f"{_base(c)}/new")
    assert form.status_code == 200
    html = _text(form)
    assert "What keeps you well?" in html and "Save as a draft" in html and "Share it" in html
    assert _checked(html, "only_me")  # safe defaults
    assert _checked(html, "none")
    assert "Whose story is it?" not in html  # only facilitators record for others

    response = client.post(f"{_base(c)}/new", data=FORM)
    assert response.status_code == 303
    story = db.session.scalars(select(Story)).one()
    assert (story.teller_id, story.status, story.recorded_by_id) == (p["jade"].id, "shared", None)
    assert story.shared_at is not None and story.template == "self"

    _as(client, p["kim"])
    listing = _text(client.get(_base(c)))
    assert "Why I said yes" in listing and "By Jade" in listing and "Jade Morgan" not in listing
    assert listing.index("Talks about money worries") < listing.index("Nobody asked what it costs")
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert page.index("Talks about money worries") < page.index("<strong>asked</strong>")
    assert "Change your story" not in page and "Withdraw my story" not in page


def test_a_draft_is_for_the_teller_only_until_shared(client, place):
    c, p = place
    _as(client, p["jade"])
    response = client.post(f"{_base(c)}/new", data={**FORM, "action": "draft", "body": ""})
    assert response.status_code == 303  # a draft may be empty
    story = db.session.scalars(select(Story)).one()
    assert story.status == "draft" and story.shared_at is None
    assert "Draft: only you can see it" in _text(client.get(_base(c)))

    for key in ("sam", "kim", "owen"):
        _as(client, p[key])
        assert not _sees(client, c, story)

    _as(client, p["jade"])
    edit = client.post(f"{_base(c)}/{story.id}/edit", data={**FORM, "action": "share", "body": ""})
    assert edit.status_code == 422
    assert "Write your story before you share it." in _text(edit)
    client.post(f"{_base(c)}/{story.id}/edit", data={**FORM, "action": "share"})
    assert _fresh(story.id).status == "shared"
    _as(client, p["kim"])
    assert _sees(client, c, story)


def test_errors_come_back_next_to_the_field_with_everything_kept(client, place):
    c, p = place
    _as(client, p["jade"])
    data = {**FORM, "title": "", "attribution": "pseudonym", "pseudonym": "",
            "expires_on": (date.today() - timedelta(days=1)).isoformat(),
            "body": "Keep these words", "content_note": "A note I typed"}
    response = client.post(f"{_base(c)}/new", data=data)
    assert response.status_code == 422
    html = _text(response)
    assert 'id="title-error"' in html and 'id="pseudonym-error"' in html
    assert "Write the made-up name to use." in html and 'id="expires_on-error"' in html
    assert "Keep these words" in html and 'value="A note I typed"' in html
    assert _checked(html, "pseudonym") and _checked(html, "commission")
    assert db.session.scalar(select(Story)) is None

    htmx = client.post(f"{_base(c)}/new", data=data, headers={"HX-Request": "true"})
    assert htmx.status_code == 422
    assert _text(htmx).lstrip().startswith('<form id="story-form"')


def test_people_who_may_not_take_part_cannot_tell(client, place):
    c, p = place
    _as(client, p["rhys"])
    assert client.get(f"{_base(c)}/new").status_code == 404
    assert client.get(_base(c)).status_code == 404


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "sees"),
    [
        ("only_me", {"jade"}),
        ("facilitators", {"jade", "sam"}),
        ("cohort", {"jade", "sam", "kim"}),
        ("commission", {"jade", "sam", "kim", "owen", "olu"}),
    ],
)
def test_only_the_audience_finds_the_story(client, place, audience, sees):
    c, p = place
    story = _story(c, p["jade"], title=f"Story for {audience}", audience=audience)
    for key in ("jade", "sam", "kim", "owen", "olu"):
        _as(client, p[key])
        assert _sees(client, c, story) == (key in sees), key
    _as(client, p["rhys"])
    assert client.get(f"{_base(c)}/{story.id}").status_code == 404


def test_a_story_of_another_commission_is_not_found_here(client, place):
    c, p = place
    other = f.commission("Another commission")
    f.member(p["jade"], other.space, "community_commissioner")
    story = _story(other, p["jade"], audience="commission")
    _as(client, p["jade"])
    assert client.get(f"{_base(c)}/{story.id}").status_code == 404


def test_attribution_names_the_teller_as_they_chose(client, place):
    c, p = place
    full = _story(c, p["jade"], title="Full", attribution="full_name")
    made_up = _story(c, p["kim"], title="Made up", attribution="pseudonym", pseudonym="Robin")
    nameless = _story(c, p["dot"], title="Nameless", attribution="anonymous")
    _as(client, p["owen"])
    assert "By Jade Morgan" in _text(client.get(f"{_base(c)}/{full.id}"))
    page = _text(client.get(f"{_base(c)}/{made_up.id}"))
    assert "By Robin" in page and "Kim" not in page
    page = _text(client.get(f"{_base(c)}/{nameless.id}"))
    assert "Anonymous" in page and "Dot" not in page


# --- consent ---------------------------------------------------------------------------------


def test_a_consent_change_takes_effect_on_the_next_request(client, place):
    c, p = place
    story = _story(c, p["jade"], title="Getting to the hub", audience="commission")
    _as(client, p["owen"])
    assert _sees(client, c, story)

    _as(client, p["jade"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "Everyone in the commission" in page and "Change your story or your choices" in page
    edit = client.get(f"{_base(c)}/{story.id}/edit")
    assert edit.status_code == 200 and _checked(_text(edit), "commission")
    assert "Save changes" in _text(edit) and "Whose story is it?" not in _text(edit)
    response = client.post(
        f"{_base(c)}/{story.id}/edit",
        data={**FORM, "title": "Getting to the hub", "audience": "cohort",
              "attribution": "pseudonym", "pseudonym": "Robin", "action": "save"},
    )
    assert response.status_code == 303
    changed = _fresh(story.id)
    assert (changed.audience, changed.pseudonym, changed.status) == ("cohort", "Robin", "shared")
    (entry,) = _audit("story.consent_changed")
    assert entry.visibility == "private" and entry.actor_id == p["jade"].id
    assert entry.detail["changed"]["audience"] == ["commission", "cohort"]
    assert entry.detail["changed"]["attribution"] == ["first_name", "pseudonym"]
    assert "body" in entry.detail["text_changed"]
    assert "Nobody" not in str(entry.detail)  # the words stay out of the log

    _as(client, p["owen"])
    assert not _sees(client, c, story)
    _as(client, p["kim"])
    assert _sees(client, c, story, "Getting to the hub")
    assert "By Robin" in _text(client.get(f"{_base(c)}/{story.id}"))


def test_an_expiry_date_in_the_past_removes_it_like_a_withdrawal(client, place):
    c, p = place
    story = _story(c, p["jade"], title="Past its date",
                   expires_on=date.today() - timedelta(days=1),
                   leave_withdrawn_line=True)
    _as(client, p["kim"])
    listing = _text(client.get(_base(c)))
    assert story.title not in listing and "A story was withdrawn by its teller." in listing
    assert client.get(f"{_base(c)}/{story.id}").status_code == 404


def test_only_the_teller_edits_or_withdraws(client, place):
    c, p = place
    story = _story(c, p["jade"], audience="commission")
    for key in ("sam", "kim"):
        _as(client, p[key])
        assert client.get(f"{_base(c)}/{story.id}").status_code == 200
        assert client.get(f"{_base(c)}/{story.id}/edit").status_code == 404
        assert client.post(f"{_base(c)}/{story.id}/edit", data=FORM).status_code == 404
        assert client.post(f"{_base(c)}/{story.id}/withdraw").status_code == 404
    assert _fresh(story.id).status == "shared" and _fresh(story.id).title == "A story"


# --- withdrawal ------------------------------------------------------------------------------


@pytest.mark.parametrize("leave_line", [True, False])
def test_withdrawal_removes_it_for_everyone_but_the_teller(client, place, leave_line):
    c, p = place
    story = _story(c, p["jade"], title="The winter before last", audience="commission")
    _as(client, p["jade"])
    data = {"leave_withdrawn_line": "y"} if leave_line else {}
    response = client.post(f"{_base(c)}/{story.id}/withdraw", data=data)
    assert response.status_code == 303
    gone = _fresh(story.id)
    assert gone.status == "withdrawn" and gone.withdrawn_at is not None
    assert gone.leave_withdrawn_line is leave_line
    (entry,) = _audit("story.withdrawn")
    assert entry.visibility == "private" and entry.object_id == story.id

    assert "Withdrawn: only you can see it" in _text(client.get(_base(c)))
    assert client.get(f"{_base(c)}/{story.id}").status_code == 200  # still theirs

    for key in ("sam", "kim", "owen", "olu"):
        _as(client, p[key])
        listing = _text(client.get(_base(c)))
        assert "The winter before last" not in listing
        assert ("A story was withdrawn by its teller." in listing) is leave_line
        assert client.get(f"{_base(c)}/{story.id}").status_code == 404


# --- safety ----------------------------------------------------------------------------------


def test_a_hostile_body_renders_inert(client, place):
    c, p = place
    body = (
        "<script>alert('x')</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n'
        "[click me](javascript:alert(2))\n\n"
        '<a href="javascript:alert(3)">raw</a>\n\n'
        '<p style="background:url(javascript:alert(4))">styled</p>'
    )
    story = _story(c, p["jade"], body=body, title="<b>Title</b>")
    _as(client, p["kim"])
    for url in (f"{_base(c)}/{story.id}", _base(c)):
        html = _text(client.get(url))
        found = _Elements()
        found.feed(html)
        assert not any("alert" in text for text in found.script_text)
        assert "img" not in found.tags
        for tag, name, value in found.attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert name != "style", (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)
        assert "<b>Title</b>" not in html and "&lt;b&gt;Title&lt;/b&gt;" in html
    html = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "&lt;script&gt;" in html  # shown as the words typed, not run
    assert "click me" in html


class _Elements(HTMLParser):
    """The real elements and attributes of a page (escaped text is not an element)."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.script_text, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


# --- recording for someone -------------------------------------------------------------------


def test_a_facilitator_records_a_story_with_a_member_who_agrees(client, place):
    c, p = place
    _as(client, p["sam"])
    form = _text(client.get(f"{_base(c)}/new"))
    assert "Whose story is it?" in form and "Dot Evans" in form

    data = {**FORM, "teller_id": str(p["dot"].id), "attribution": "first_name"}
    refused = client.post(f"{_base(c)}/new", data=data)
    assert refused.status_code == 422
    assert "Check with them first" in _text(refused)
    assert db.session.scalar(select(Story)) is None

    response = client.post(f"{_base(c)}/new", data={**data, "consent": "y"})
    assert response.status_code == 303
    story = db.session.scalars(select(Story)).one()
    assert (story.teller_id, story.recorded_by_id) == (p["dot"].id, p["sam"].id)
    (entry,) = _audit("story.recorded")
    assert (entry.actor_id, entry.on_behalf_of_id) == (p["sam"].id, p["dot"].id)

    _as(client, p["kim"])
    page = _text(client.get(f"{_base(c)}/{story.id}"))
    assert "Recorded by Sam Taylor with Dot" in page
    # It is Dot's, not the gatherer's: the gatherer cannot change or withdraw it.
    _as(client, p["sam"])
    assert client.get(f"{_base(c)}/{story.id}/edit").status_code == 404
    assert client.post(f"{_base(c)}/{story.id}/withdraw").status_code == 404


def test_members_cannot_record_for_others(client, place):
    c, p = place
    _as(client, p["jade"])
    data = {**FORM, "teller_id": str(p["kim"].id), "consent": "y"}
    assert client.post(f"{_base(c)}/new", data=data).status_code == 422
    assert db.session.scalar(select(Story)) is None


def test_a_recorded_draft_is_seen_by_its_gatherer_and_teller_only(client, place):
    c, p = place
    story = _story(c, p["dot"], status="draft", recorded_by_id=p["sam"].id)
    _as(client, p["sam"])
    listing = _text(client.get(_base(c)))
    assert "Stories you are writing down with someone" in listing
    assert client.get(f"{_base(c)}/{story.id}").status_code == 200
    _as(client, p["kim"])
    assert not _sees(client, c, story)


# --- support ---------------------------------------------------------------------------------


def test_only_facilitators_see_who_would_like_support(client, place):
    c, p = place
    _as(client, p["kim"])
    client.post(f"{_base(c)}/new", data={**FORM, "wants_support": "y", "attribution": "anonymous"})
    assert db.session.scalars(select(Story)).one().wants_support
    flag = "Kim Lee would like support after sharing"
    _as(client, p["sam"])
    listing = _text(client.get(_base(c)))
    assert flag in listing
    # the flag names the teller, but never next to an anonymous story's title
    assert listing.index("Asked for support") < listing.index("Why I said yes")
    for key in ("jade", "owen", "kim"):
        _as(client, p[key])
        assert flag not in _text(client.get(_base(c)))


def test_the_stories_tab_is_in_the_commission_navigation(client, place):
    c, p = place
    _as(client, p["jade"])
    html = _text(client.get(_base(c)))
    assert f'href="{_base(c)}" aria-current="page">Stories</a>' in html
