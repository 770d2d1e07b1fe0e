"""Story pages: telling, drafts, consent changes, withdrawal, recording for someone, and who
sees what. (Every audience x attribution x role x state is in tests/unit/test_story_rules.py;
these prove the pages ask that rule.)"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

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


def _checked(html, value) -> bool:
    return re.search(rf'<input checked[^>]*value="{value}"', html) is not None


def _base(c):
    return f"/commissions/{c.space.slug}/stories"


def _story(c, teller, **extra) -> Story:
    fields = {"title": "Why we walk", "body": "Some words.", "audience": "commission",
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
    listed = (title or story.title) in f.page_text(client.get(_base(c)))
    page = client.get(f"{_base(c)}/{story.id}").status_code
    assert listed == (page == 200), (listed, page)
    return listed


# --- telling ---------------------------------------------------------------------------------


def test_a_member_tells_a_story_and_others_read_it(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    form = client.get(f"{_base(c)}/new")
    assert form.status_code == 200
    html = f.page_text(form)
    assert "What keeps you well?" in html and "Save as a draft" in html and "Share it" in html
    assert _checked(html, "only_me")  # safe defaults
    assert _checked(html, "none")
    assert "Whose story is it?" not in html  # only facilitators record for others

    response = client.post(f"{_base(c)}/new", data=FORM)
    assert response.status_code == 303
    story = db.session.scalars(select(Story)).one()
    assert (story.teller_id, story.status, story.recorded_by_id) == (p["jade"].id, "shared", None)
    assert story.shared_at is not None and story.template == "self"

    f.as_person(client, p["kim"])
    listing = f.page_text(client.get(_base(c)))
    assert "Why I said yes" in listing and "By Jade" in listing and "Jade Morgan" not in listing
    assert listing.index("Talks about money worries") < listing.index("Nobody asked what it costs")
    page = f.page_text(client.get(f"{_base(c)}/{story.id}"))
    assert page.index("Talks about money worries") < page.index("<strong>asked</strong>")
    assert "Change your story" not in page and "Withdraw my story" not in page


def test_a_draft_is_for_the_teller_only_until_shared(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    response = client.post(f"{_base(c)}/new", data={**FORM, "action": "draft", "body": ""})
    assert response.status_code == 303  # a draft may be empty
    story = db.session.scalars(select(Story)).one()
    assert story.status == "draft" and story.shared_at is None
    assert "Draft: only you can see it" in f.page_text(client.get(_base(c)))

    for key in ("sam", "kim", "owen"):
        f.as_person(client, p[key])
        assert not _sees(client, c, story)

    f.as_person(client, p["jade"])
    edit = client.post(f"{_base(c)}/{story.id}/edit", data={**FORM, "action": "share", "body": ""})
    assert edit.status_code == 422
    assert "Write your story before you share it." in f.page_text(edit)
    client.post(f"{_base(c)}/{story.id}/edit", data={**FORM, "action": "share"})
    assert _fresh(story.id).status == "shared"
    f.as_person(client, p["kim"])
    assert _sees(client, c, story)


def test_errors_come_back_next_to_the_field_with_everything_kept(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    data = {**FORM, "title": "", "attribution": "pseudonym", "pseudonym": "",
            "expires_on": (date.today() - timedelta(days=1)).isoformat(),
            "body": "Keep these words", "content_note": "A note I typed"}
    response = client.post(f"{_base(c)}/new", data=data)
    assert response.status_code == 422
    html = f.page_text(response)
    assert 'id="title-error"' in html and 'id="pseudonym-error"' in html
    assert "Write the made-up name to use." in html and 'id="expires_on-error"' in html
    assert "Keep these words" in html and 'value="A note I typed"' in html
    assert _checked(html, "pseudonym") and _checked(html, "commission")
    assert db.session.scalar(select(Story)) is None

    htmx = client.post(f"{_base(c)}/new", data=data, headers={"HX-Request": "true"})
    assert htmx.status_code == 422
    assert f.page_text(htmx).lstrip().startswith('<form id="story-form"')


def test_people_who_may_not_take_part_cannot_tell(client, place):
    c, p = place
    f.as_person(client, p["rhys"])
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
        f.as_person(client, p[key])
        assert _sees(client, c, story) == (key in sees), key
    f.as_person(client, p["rhys"])
    assert client.get(f"{_base(c)}/{story.id}").status_code == 404


def test_a_story_of_another_commission_is_not_found_here(client, place):
    c, p = place
    other = f.commission("Another commission")
    f.member(p["jade"], other.space, "community_commissioner")
    story = _story(other, p["jade"], audience="commission")
    f.as_person(client, p["jade"])
    assert client.get(f"{_base(c)}/{story.id}").status_code == 404


def test_attribution_names_the_teller_as_they_chose(client, place):
    c, p = place
    full = _story(c, p["jade"], title="Full", attribution="full_name")
    made_up = _story(c, p["kim"], title="Made up", attribution="pseudonym", pseudonym="Robin")
    nameless = _story(c, p["dot"], title="Nameless", attribution="anonymous")
    f.as_person(client, p["owen"])
    assert "By Jade Morgan" in f.page_text(client.get(f"{_base(c)}/{full.id}"))
    page = f.page_text(client.get(f"{_base(c)}/{made_up.id}"))
    assert "By Robin" in page and "Kim" not in page
    page = f.page_text(client.get(f"{_base(c)}/{nameless.id}"))
    assert "Anonymous" in page and "Dot" not in page


# --- consent ---------------------------------------------------------------------------------


def test_a_consent_change_takes_effect_on_the_next_request(client, place):
    c, p = place
    story = _story(c, p["jade"], title="Getting to the hub", audience="commission")
    f.as_person(client, p["owen"])
    assert _sees(client, c, story)

    f.as_person(client, p["jade"])
    page = f.page_text(client.get(f"{_base(c)}/{story.id}"))
    assert "Everyone in the commission" in page and "Change your story or your choices" in page
    edit = client.get(f"{_base(c)}/{story.id}/edit")
    assert edit.status_code == 200 and _checked(f.page_text(edit), "commission")
    assert "Save changes" in f.page_text(edit) and "Whose story is it?" not in f.page_text(edit)
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

    f.as_person(client, p["owen"])
    assert not _sees(client, c, story)
    f.as_person(client, p["kim"])
    assert _sees(client, c, story, "Getting to the hub")
    assert "By Robin" in f.page_text(client.get(f"{_base(c)}/{story.id}"))


def test_an_expiry_date_in_the_past_removes_it_like_a_withdrawal(client, place):
    c, p = place
    story = _story(c, p["jade"], title="Past its date",
                   expires_on=date.today() - timedelta(days=1),
                   leave_withdrawn_line=True)
    f.as_person(client, p["kim"])
    listing = f.page_text(client.get(_base(c)))
    assert story.title not in listing and "A story was withdrawn by its teller." in listing
    assert client.get(f"{_base(c)}/{story.id}").status_code == 404


def test_only_the_teller_edits_or_withdraws(client, place):
    c, p = place
    story = _story(c, p["jade"], audience="commission")
    for key in ("sam", "kim"):
        f.as_person(client, p[key])
        assert client.get(f"{_base(c)}/{story.id}").status_code == 200
        assert client.get(f"{_base(c)}/{story.id}/edit").status_code == 404
        assert client.post(f"{_base(c)}/{story.id}/edit", data=FORM).status_code == 404
        assert client.post(f"{_base(c)}/{story.id}/withdraw").status_code == 404
    assert _fresh(story.id).status == "shared" and _fresh(story.id).title == "Why we walk"


# --- withdrawal ------------------------------------------------------------------------------


@pytest.mark.parametrize("leave_line", [True, False])
def test_withdrawal_removes_it_for_everyone_but_the_teller(client, place, leave_line):
    c, p = place
    story = _story(c, p["jade"], title="The winter before last", audience="commission")
    f.as_person(client, p["jade"])
    data = {"leave_withdrawn_line": "y"} if leave_line else {}
    response = client.post(f"{_base(c)}/{story.id}/withdraw", data=data)
    assert response.status_code == 303
    gone = _fresh(story.id)
    assert gone.status == "withdrawn" and gone.withdrawn_at is not None
    assert gone.leave_withdrawn_line is leave_line
    (entry,) = _audit("story.withdrawn")
    assert entry.visibility == "private" and entry.object_id == story.id

    assert "Withdrawn: only you can see it" in f.page_text(client.get(_base(c)))
    assert client.get(f"{_base(c)}/{story.id}").status_code == 200  # still theirs

    for key in ("sam", "kim", "owen", "olu"):
        f.as_person(client, p[key])
        listing = f.page_text(client.get(_base(c)))
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
    f.as_person(client, p["kim"])
    for url in (f"{_base(c)}/{story.id}", _base(c)):
        html = f.page_text(client.get(url))
        found = _Elements()
        found.feed(html)
        assert not any("alert" in text for text in found.script_text)
        assert "img" not in found.tags
        for tag, name, value in found.attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert name != "style", (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)
        assert "<b>Title</b>" not in html and "&lt;b&gt;Title&lt;/b&gt;" in html
    html = f.page_text(client.get(f"{_base(c)}/{story.id}"))
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
    f.as_person(client, p["sam"])
    form = f.page_text(client.get(f"{_base(c)}/new"))
    assert "Whose story is it?" in form and "Dot Evans" in form

    data = {**FORM, "teller_id": str(p["dot"].id), "attribution": "first_name"}
    refused = client.post(f"{_base(c)}/new", data=data)
    assert refused.status_code == 422
    assert "Check with them first" in f.page_text(refused)
    assert db.session.scalar(select(Story)) is None

    response = client.post(f"{_base(c)}/new", data={**data, "consent": "y"})
    assert response.status_code == 303
    story = db.session.scalars(select(Story)).one()
    assert (story.teller_id, story.recorded_by_id) == (p["dot"].id, p["sam"].id)
    (entry,) = _audit("story.recorded")
    assert (entry.actor_id, entry.on_behalf_of_id) == (p["sam"].id, p["dot"].id)

    f.as_person(client, p["kim"])
    page = f.page_text(client.get(f"{_base(c)}/{story.id}"))
    assert "Recorded by Sam Taylor with Dot" in page
    # It is Dot's, not the gatherer's: the gatherer cannot change or withdraw it.
    f.as_person(client, p["sam"])
    assert client.get(f"{_base(c)}/{story.id}/edit").status_code == 404
    assert client.post(f"{_base(c)}/{story.id}/withdraw").status_code == 404


def test_members_cannot_record_for_others(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    data = {**FORM, "teller_id": str(p["kim"].id), "consent": "y"}
    assert client.post(f"{_base(c)}/new", data=data).status_code == 422
    assert db.session.scalar(select(Story)) is None


def test_a_recorded_draft_is_seen_by_its_gatherer_and_teller_only(client, place):
    c, p = place
    story = _story(c, p["dot"], status="draft", recorded_by_id=p["sam"].id)
    f.as_person(client, p["sam"])
    listing = f.page_text(client.get(_base(c)))
    assert "Stories you are writing down with someone" in listing
    assert client.get(f"{_base(c)}/{story.id}").status_code == 200
    f.as_person(client, p["kim"])
    assert not _sees(client, c, story)


# --- support ---------------------------------------------------------------------------------


def test_only_facilitators_see_who_would_like_support(client, place):
    c, p = place
    f.as_person(client, p["kim"])
    client.post(f"{_base(c)}/new", data={**FORM, "wants_support": "y", "attribution": "anonymous"})
    assert db.session.scalars(select(Story)).one().wants_support
    flag = "Kim Lee would like support after sharing"
    f.as_person(client, p["sam"])
    listing = f.page_text(client.get(_base(c)))
    assert flag in listing
    # the flag names the teller, but never next to an anonymous story's title
    assert listing.index("Asked for support") < listing.index("Why I said yes")
    for key in ("jade", "owen", "kim"):
        f.as_person(client, p[key])
        assert flag not in f.page_text(client.get(_base(c)))


def test_the_stories_tab_is_in_the_commission_navigation(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    html = f.page_text(client.get(_base(c)))
    assert f'href="{_base(c)}" aria-current="page">Stories</a>' in html


# --- drafts that save themselves -------------------------------------------------------------


KEY = "0123456789abcdef0123456789abcdef"


def _autosave(client, c, **fields):
    data = {k: v for k, v in FORM.items() if k != "action"}
    data.update(fields)
    return client.post(f"{_base(c)}/autosave", data=data, headers={"HX-Request": "true"})


def _stories_of(person) -> list[Story]:
    db.session.expire_all()
    return db.session.scalars(select(Story).where(Story.teller_id == person.id)).all()


def test_a_new_story_saves_itself_as_a_draft_and_the_buttons_continue_it(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    form = f.page_text(client.get(f"{_base(c)}/new"))
    assert 'id="autosave-status"' in form
    assert re.search(r'name="form_key" value="[0-9a-f]{32}"', form)

    first = _autosave(client, c, form_key=KEY, body="The bus stopped", audience="public",
                      expires_on="nonsense")
    assert first.status_code == 200 and "Draft saved at" in f.page_text(first)
    [story] = _stories_of(p["jade"])
    assert (story.status, story.body, story.form_key) == ("draft", "The bus stopped", KEY)
    assert story.audience == "public" and story.expires_on is None  # the bad date is skipped
    assert story.shared_at is None

    _autosave(client, c, form_key=KEY, body="The bus stopped coming.")
    [story] = _stories_of(p["jade"])
    assert story.body == "The bus stopped coming."
    for key in ("sam", "kim"):  # a draft is still the teller's alone
        f.as_person(client, p[key])
        assert client.get(f"{_base(c)}/{story.id}").status_code == 404

    f.as_person(client, p["jade"])
    # An error first: the form comes back with the same key, so nothing is copied.
    again = client.post(f"{_base(c)}/new", data={**FORM, "form_key": KEY, "title": ""})
    assert again.status_code == 422 and f'value="{KEY}"' in f.page_text(again)
    shared = client.post(f"{_base(c)}/new", data={**FORM, "form_key": KEY})
    assert shared.status_code == 303
    [story] = _stories_of(p["jade"])  # no second copy
    assert story.status == "shared" and story.title == FORM["title"] and story.shared_at

    # Late saves from the same form (a slow autosave, a second click) change nothing.
    late = _autosave(client, c, form_key=KEY, body="typed after sharing")
    assert "Not saved automatically" in f.page_text(late)
    twice = client.post(f"{_base(c)}/new", data={**FORM, "form_key": KEY, "body": "other"})
    assert twice.status_code == 303 and twice.headers["Location"].endswith(f"/{story.id}")
    [story] = _stories_of(p["jade"])
    assert story.body == FORM["body"]


def test_a_drafts_own_page_saves_it_as_the_teller_types(client, place):
    c, p = place
    draft = _story(c, p["jade"], status="draft", body="First go.")
    f.as_person(client, p["jade"])
    page = f.page_text(client.get(f"{_base(c)}/{draft.id}/edit"))
    assert f'name="draft_id" value="{draft.id}"' in page and 'id="autosave-status"' in page
    assert "Draft saved at" in f.page_text(_autosave(client, c, draft_id=str(draft.id), body="Second."))
    assert _fresh(draft.id).body == "Second." and _fresh(draft.id).status == "draft"


def test_an_empty_form_saves_nothing_and_a_shared_story_never_autosaves(client, place):
    c, p = place
    f.as_person(client, p["jade"])
    empty = _autosave(client, c, form_key=KEY, title="", body="  ")
    assert empty.status_code == 200 and "Draft saved" not in f.page_text(empty)
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0

    story = _story(c, p["jade"], body="Shared words.")
    assert 'id="autosave-status"' not in f.page_text(client.get(f"{_base(c)}/{story.id}/edit"))
    response = _autosave(client, c, draft_id=str(story.id), body="Half-typed change")
    assert "Not saved automatically" in f.page_text(response)
    assert _fresh(story.id).body == "Shared words."  # changes to a shared story wait for Save


def test_nobody_continues_someone_elses_draft(client, place):
    c, p = place
    draft = _story(c, p["jade"], status="draft", body="Mine.", form_key=KEY)
    f.as_person(client, p["kim"])
    assert "Not saved automatically" in f.page_text(
        _autosave(client, c, draft_id=str(draft.id), body="Kim's words"))
    # Kim's form with Jade's key (a tampered form): Kim's words go to stories of her own.
    _autosave(client, c, form_key=KEY, body="Kim's words")
    sent = client.post(f"{_base(c)}/new", data={**FORM, "form_key": KEY})
    assert sent.status_code == 303
    assert _fresh(draft.id).body == "Mine." and _fresh(draft.id).teller_id == p["jade"].id
    kims = _stories_of(p["kim"])
    assert kims and all(s.form_key != KEY for s in kims)


def test_a_gatherer_autosaves_only_once_the_teller_has_agreed(client, place):
    c, p = place
    f.as_person(client, p["sam"])
    waiting = _autosave(client, c, form_key=KEY, teller_id=str(p["dot"].id), body="Dot's words")
    assert "Tick the box" in f.page_text(waiting)
    assert db.session.scalar(select(func.count()).select_from(Story)) == 0
    _autosave(client, c, form_key=KEY, teller_id=str(p["dot"].id), consent="y", body="Dot's")
    [story] = _stories_of(p["dot"])
    assert story.recorded_by_id == p["sam"].id and story.status == "draft"
    assert len(_audit("story.recorded")) == 1
    _autosave(client, c, form_key=KEY, teller_id=str(p["dot"].id), consent="y", body="Dot's!")
    assert len(_audit("story.recorded")) == 1  # recorded once, however often it saves
    client.post(f"{_base(c)}/new", data={**FORM, "form_key": KEY,
                                         "teller_id": str(p["dot"].id), "consent": "y"})
    [story] = _stories_of(p["dot"])
    assert story.status == "shared" and len(_audit("story.recorded")) == 1


def test_outsiders_cannot_autosave(client, place):
    c, p = place
    f.as_person(client, p["rhys"])
    assert _autosave(client, c, body="x").status_code == 404


# --- looking for words -----------------------------------------------------------------------


def test_search_finds_only_stories_the_person_may_read(client, place):
    c, p = place
    bus = _story(c, p["jade"], title="Buses", body="The *number 7* bus stopped.")
    _story(c, p["kim"], title="Private bus", body="My bus story.", audience="only_me")
    _story(c, p["dot"], title="Food", body="The food bank moved.")
    f.as_person(client, p["owen"])
    found = f.page_text(client.get(f"{_base(c)}?q=BUS+number"))
    assert "Buses" in found and "Private bus" not in found and "Food" not in found
    assert "1 story has these words." in found
    assert 'value="BUS number"' in found  # what was typed stays in the box

    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/{bus.id}/withdraw", data={"leave_withdrawn_line": "y"})
    f.as_person(client, p["owen"])
    after = f.page_text(client.get(f"{_base(c)}?q=bus"))
    assert "Buses" not in after and "0 stories have these words." in after
    assert "A story was withdrawn" not in after  # results list only what matches


# --- the download ----------------------------------------------------------------------------


def _csv_rows(response):
    import csv
    import io

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(f.page_text(response).lstrip("\ufeff"))))


@pytest.mark.parametrize("attribution,told_by", [
    ("full_name", "Jade Morgan"), ("first_name", "Jade"), ("pseudonym", "Robin"),
    ("anonymous", "Anonymous"),
])
def test_the_download_names_tellers_as_they_chose(client, place, attribution, told_by):
    c, p = place
    _story(c, p["jade"], title="Named", attribution=attribution, pseudonym="Robin",
           body="**Bold** words.")
    f.as_person(client, p["owen"])
    rows = _csv_rows(client.get(f"{_base(c)}.csv"))
    assert rows[0][:2] == ["Title", "Told by"]
    assert [r[:2] for r in rows[1:]] == [["Named", told_by]]
    assert rows[1][-1] == "Bold words."
    if attribution != "full_name":
        assert "Morgan" not in f.page_text(client.get(f"{_base(c)}.csv"))


@pytest.mark.parametrize("audience,in_download", [
    ("only_me", {"jade"}),
    ("facilitators", {"jade", "sam"}),
    ("cohort", {"jade", "kim", "dot", "sam"}),
    ("commission", {"jade", "kim", "dot", "sam", "owen", "olu"}),
    ("public", {"jade", "kim", "dot", "sam", "owen", "olu"}),
])
def test_the_download_holds_what_the_page_shows(client, place, audience, in_download):
    c, p = place
    story = _story(c, p["jade"], title="Counted", audience=audience)
    for key in ("jade", "kim", "sam", "owen", "olu"):
        f.as_person(client, p[key])
        titles = [r[0] for r in _csv_rows(client.get(f"{_base(c)}.csv"))[1:]]
        assert (titles == ["Counted"]) is (key in in_download), key
    f.as_person(client, p["rhys"])
    assert client.get(f"{_base(c)}.csv").status_code == 404
    story.expires_on = date.today() - timedelta(days=1)
    db.session.commit()
    f.as_person(client, p["sam"])
    assert _csv_rows(client.get(f"{_base(c)}.csv"))[1:] == []


def test_a_spreadsheet_formula_in_a_story_is_made_harmless(client, place):
    c, p = place
    _story(c, p["jade"], title="=HYPERLINK(\"http://evil.example\")", body="+1 and more")
    f.as_person(client, p["kim"])
    row = _csv_rows(client.get(f"{_base(c)}.csv"))[1]
    assert row[0] == "'=HYPERLINK(\"http://evil.example\")" and row[-1] == "'+1 and more"


def test_the_teller_deletes_a_draft_but_not_a_shared_story(client, place):
    c, p = place
    draft = _story(c, p["jade"], status="draft", shared_at=None)
    shared = _story(c, p["jade"])
    f.as_person(client, p["sam"])
    assert client.post(f"{_base(c)}/{draft.id}/delete").status_code == 404
    f.as_person(client, p["jade"])
    assert "Delete this draft" in f.page_text(client.get(f"{_base(c)}/{draft.id}"))
    assert "Delete this draft" not in f.page_text(client.get(f"{_base(c)}/{shared.id}"))
    assert client.post(f"{_base(c)}/{shared.id}/delete").status_code == 404
    draft_id, shared_id = draft.id, shared.id
    assert client.post(f"{_base(c)}/{draft_id}/delete").status_code == 303
    db.session.expire_all()
    assert db.session.get(Story, draft_id) is None and db.session.get(Story, shared_id)
