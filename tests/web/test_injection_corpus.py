"""Every string of tests/data/injection_corpus.txt typed into the main text fields people fill
in, through the real forms: a profile's name and pronouns, a story's title and body, a project
idea's name and description, a comment on it, a proposal's title and text, a small grant
application's name and description, and a commitment's promise and role.

For each string and field: either the form refuses it (only when it is longer than the field
allows: 422, the message next to the field, nothing saved) or it is saved exactly as typed
(after the stripping of spaces the form or view does), and the page showing it shows it as
text: escaped where it is text, and the page's markup no different from the same page with
plain words (no new script, img, svg, iframe, style... elements, no new event-handler, htmx or
style attributes, no ``javascript:`` link). A story's body is Markdown: it is shown exactly as
``stories.markdown.render`` makes it, which keeps only its safe tags, attributes and links.
``{{7*7}}`` stays ``{{7*7}}``; no answer carries a header the string made (a line break, a
cookie, a redirect elsewhere); SQL strings are only text (no error, no delay).

The same strings also go into the stories search box (words to look for, shown back) and into
the ``next`` of the language switch and of signing in (always a page on this site).
"""

from __future__ import annotations

import codecs
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from participate.budgeting.models import BudgetProject, ProjectComment
from participate.commissions.models import Commitment
from participate.decisions.models import Proposal
from participate.extensions import db
from participate.grants.models import Grant
from participate.stories import markdown
from participate.stories.models import Story
from tests import factories as f

CORPUS_FILE = Path(__file__).resolve().parent.parent / "data" / "injection_corpus.txt"
PLAIN = "Plain words"


def load_corpus(path: Path = CORPUS_FILE) -> list[str]:
    """The corpus, as the file's header describes it."""
    strings = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("esc:"):
            line = codecs.decode(line[4:].encode("ascii"), "unicode_escape")
        elif line.startswith("long:"):
            _, n, text = line.split(":", 2)
            line = (text * (int(n) // len(text) + 1))[: int(n)]
        strings.append(line)
    return strings


CORPUS = load_corpus()


def test_the_corpus_has_what_it_promises():
    assert len(CORPUS) >= 50
    assert len(set(CORPUS)) == len(CORPUS)
    for needed in (
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "<svg/onload=alert(1)>",
        "{{7*7}}",
        "{{config}}",
        "${7*7}",
        "<%= 7*7 %>",
        "' OR '1'='1",
        "'; DROP TABLE person; --",
        "1; SELECT pg_sleep(5)",
        "\r\nSet-Cookie: x=1",
        "%0d%0aLocation: http://evil",
        "../../etc/passwd",
        "..%2f..%2fetc%2fpasswd",
        "/etc/passwd%00",
        "[x](javascript:alert(1))",
        "\u202egnp.exe",
    ):
        assert needed in CORPUS, needed
    assert max(map(len, CORPUS)) > 20_000
    assert not any("\x00" in s for s in CORPUS)
    assert all(s.strip() for s in CORPUS)


# --- what a page's markup is made of ---------------------------------------------------------

# Elements and attributes that text must never add to a page.
ELEMENTS = {
    "script",
    "style",
    "img",
    "svg",
    "math",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "base",
    "meta",
    "link",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "details",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "video",
    "audio",
    "source",
    "body",
    "head",
    "title",
    "html",
    "table",
    "mglyph",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "srcdoc",
    "data",
    "xlink:href",
    "hx-get",
    "hx-post",
    "hx-put",
    "hx-patch",
    "hx-delete",
    "poster",
    "background",
}


def _risky(name: str) -> bool:
    return name.startswith(("on", "hx-", "data-hx")) or name in (
        "style",
        "srcdoc",
        "formaction",
        "autofocus",
        "http-equiv",
    )


class Shape(HTMLParser):
    """Counts of the elements and attributes above, every URL, and the text of scripts."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.elements: Counter = Counter()
        self.attributes: Counter = Counter()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in ELEMENTS:
            self.elements[tag] += 1
        for name, value in attrs:
            if _risky(name):
                self.attributes[name] += 1
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def counts(self) -> Counter:
        return self.elements + Counter({f"@{k}": v for k, v in self.attributes.items()})


def _bad_url(url: str) -> bool:
    """A script URL, or one that leaves for the corpus's evil.example."""
    squeezed = "".join(ch for ch in url if ch.isprintable() and not ch.isspace()).lower()
    parts = urlsplit(squeezed)
    return parts.scheme in ("javascript", "vbscript", "data") or "evil" in parts.netloc


def assert_inert(page: str, baseline: Counter, what: str) -> Shape:
    """The page's markup has exactly the baseline's elements and attributes of concern, no
    dangerous URL, and no script that says alert."""
    shape = Shape(page)
    assert shape.counts() == baseline, (what, shape.counts() - baseline, baseline - shape.counts())
    assert not [u for u in shape.urls if _bad_url(u)], what
    assert not [s for s in shape.scripts if "alert" in s], what
    return shape


def assert_clean_headers(response, app, what: str) -> None:
    for name, value in response.headers.items():
        assert "\r" not in value and "\n" not in value, (what, name)
    allowed = {
        app.config["SESSION_COOKIE_NAME"],
        app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
    }
    for cookie in response.headers.getlist("Set-Cookie"):
        assert cookie.split("=", 1)[0].strip() in allowed, (what, cookie)
    location = response.headers.get("Location")
    if location:  # a path on this site (the test client's host is localhost)
        parts = urlsplit(location)
        assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), (what, location)
        assert location.startswith(("/", "http://localhost/")), (what, location)
        assert not location.startswith(("//", "/\\")), (what, location)


def assert_markdown_is_safe(rendered: str, what: str) -> None:
    """What ``markdown.render`` makes: its own tags and attributes only, links that go
    nowhere dangerous, no event handlers."""

    class Check(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag in markdown.ALLOWED_TAGS, (what, tag)
            for name, value in attrs:
                assert name in markdown.ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (what, name)
                if name == "href":
                    assert not _bad_url(value or ""), (what, value)
                    scheme = urlsplit(value or "").scheme.lower()
                    assert scheme in ("", *markdown.URL_SCHEMES), (what, value)

    Check().feed(rendered)


# --- the forms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    max: int  # its Length(max=...)
    strip_first: bool  # a strip filter: spaces go before the length is checked
    stored_stripped: bool  # the view strips what it saves
    markdown: bool = False
    empty_is_none: bool = False  # an optional field saved as None when empty

    def refuses(self, s: str) -> bool:
        return len(s.strip() if self.strip_first else s) > self.max

    def stored(self, s: str):
        value = s.strip() if (self.strip_first or self.stored_stripped) else s
        return (value or None) if self.empty_is_none else value


@dataclass
class Target:
    fields: list[Field]
    post_url: str
    defaults: dict  # the other fields of the form, filled in well
    saved: Callable[[], dict | None]  # the newest record's fields, or None
    state: Callable[[], object]  # changes exactly when something is saved
    page: Callable[[], str]  # where the newest record is shown
    post_status: int = 303
    grows: bool = False  # the page gets longer with every record (comments)


def _newest(model):
    db.session.expire_all()
    return db.session.scalar(select(model).order_by(model.id.desc()).limit(1))


def _count(model) -> Callable[[], int]:
    return lambda: db.session.scalar(select(func.count()).select_from(model))


def profile_target(client) -> Target:
    person = f.person("Ada Lovelace")
    f.sign_in(client, person)

    def saved():
        db.session.expire_all()
        p = db.session.get(type(person), person.id)
        return {"chosen_name": p.chosen_name, "pronouns": p.pronouns}

    return Target(
        fields=[
            Field("chosen_name", 80, False, True),
            Field("pronouns", 40, False, True, empty_is_none=True),
        ],
        post_url="/profile",
        defaults={"language": "en", "notification_choice": "each", "access_needs": ""},
        saved=saved,
        state=saved,
        page=lambda: "/profile",
    )


def story_target(client) -> Target:
    c = f.commission(phase="together")
    teller = f.person("Jade Morgan")
    f.member(teller, c.space, "community_commissioner")
    f.sign_in(client, teller)
    base = f"/commissions/{c.space.slug}/stories"

    def saved():
        s = _newest(Story)
        return s and {"title": s.title, "body": s.body}

    return Target(
        fields=[Field("title", 200, True, True), Field("body", 20000, False, False, True)],
        post_url=f"{base}/new",
        defaults={
            "template": "free",
            "content_note": "",
            "audience": "commission",
            "attribution": "first_name",
            "pseudonym": "",
            "quoting": "none",
            "expires_on": "",
            "action": "share",
        },
        saved=saved,
        state=_count(Story),
        page=lambda: f"{base}/{_newest(Story).id}",
    )


def _round(client):
    rnd = f.grant_round(
        "ideas",
        pots=((10_000, "Whole area"),),
        who_proposes="residents",
        area_kind="ward",
        area_name="Northside ward",
    )
    author = f.person("Ann Author")
    f.sign_in(client, author)
    return rnd, f"/rounds/{rnd.space.slug}/projects"


def project_target(client) -> Target:
    _rnd, base = _round(client)

    def saved():
        p = _newest(BudgetProject)
        return p and {"title": p.title, "what": p.what}

    return Target(
        fields=[Field("title", 300, True, True), Field("what", 5000, False, False)],
        post_url=f"{base}/new",
        defaults={
            "where_text": "By the library",
            "who_for": "Everyone",
            "cost": "500",
            "hope": "",
            "group_name": "",
            "image_alt": "",
            "declaration": "y",
        },
        saved=saved,
        state=_count(BudgetProject),
        page=lambda: f"{base}/{_newest(BudgetProject).id}",
    )


def comment_target(client) -> Target:
    rnd, base = _round(client)
    project = f.budget_project(rnd.pots[0], "Benches on the prom", 2_000, status="proposed")
    db.session.commit()

    def saved():
        c = _newest(ProjectComment)
        return c and {"body": c.body}

    return Target(
        fields=[Field("body", 2000, False, True)],
        post_url=f"{base}/{project.id}/comments",
        defaults={},
        saved=saved,
        state=_count(ProjectComment),
        page=lambda: f"{base}/{project.id}",
        grows=True,
    )


def proposal_target(client) -> Target:
    c = f.commission(phase="action")
    jade = f.person("Jade Morgan")
    f.member(jade, c.space, "community_commissioner")
    f.sign_in(client, jade)
    base = f"/decide/{c.space.slug}"

    def saved():
        p = _newest(Proposal)
        return p and {"title": p.title, "text": p.version.text}

    return Target(
        fields=[Field("title", 200, True, True), Field("text", 10000, False, True)],
        post_url=f"{base}/new",
        defaults={
            "driver": "People get passed from desk to desk.",
            "red_lines": "",
            "review_on": (date.today() + timedelta(days=180)).isoformat(),
            "quorum_percent": "67",
            "hide_results": "y",
        },
        saved=saved,
        state=_count(Proposal),
        page=lambda: f"{base}/{_newest(Proposal).id}",
    )


def grant_target(client) -> Target:
    fund = f.fund(100_000_000, name="Community Chest", micro_limit=50_000, max_grant=300_000)
    applicant = f.person("Rhys Resident")
    f.sign_in(client, applicant)

    def saved():
        g = _newest(Grant)
        return g and {"title": g.title, "what": g.what}

    return Target(
        fields=[Field("title", 200, True, True), Field("what", 5000, False, True)],
        post_url=f"/funds/{fund.slug}/apply?size=small",
        defaults={
            "who_for": "Families on the estate",
            "amount_requested": "450",
            "recipient_kind": "organisation",
            "recipient_name": "Northside Families",
            "recipient_number": "",
            "host_name": "",
            "host_number": "",
        },
        saved=saved,
        state=_count(Grant),
        page=lambda: f"/funds/{fund.slug}/grants/{_newest(Grant).number}",
    )


def commitment_target(client) -> Target:
    c = f.commission(phase="together")
    sam = f.person("Sam Taylor")
    f.member(sam, c.space, "facilitator")
    f.sign_in(client, sam)
    base = f"/commissions/{c.space.slug}/commitments"

    def saved():
        m = _newest(Commitment)
        return m and {"what": m.what, "owner_role": m.owner_role}

    return Target(
        fields=[Field("what", 2000, False, True), Field("owner_role", 160, False, True)],
        post_url=f"{base}/new",
        defaults={
            "owner_organisation_id": "",
            "owner_person_id": "",
            "due_on": "",
            "published": "no",
        },
        saved=saved,
        state=_count(Commitment),
        page=lambda: f"{base}/{_newest(Commitment).id}",
    )


TARGETS = {
    "profile": profile_target,
    "story": story_target,
    "project": project_target,
    "comment": comment_target,
    "proposal": proposal_target,
    "grant application": grant_target,
    "commitment": commitment_target,
}


# --- the test --------------------------------------------------------------------------------


def _post(client, app, target: Target, values: dict, what: str):
    started = time.monotonic()
    response = client.post(target.post_url, data={**target.defaults, **values})
    took = time.monotonic() - started
    assert response.status_code < 500, what
    assert took < 4.5 or "sleep" not in what.lower(), (what, took)  # pg_sleep(5) never runs
    assert_clean_headers(response, app, what)
    return response


def _get(client, app, url: str, what: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (what, url, response.status_code)
    assert_clean_headers(response, app, what)
    return response.get_data(as_text=True)


def _errors_next_to(page: str, field: Field) -> bool:
    return f'id="{field.name}-error"' in page


@pytest.mark.parametrize("kind", list(TARGETS))
def test_every_string_is_kept_as_typed_and_shown_as_text(kind, app, client):
    target = TARGETS[kind](client)
    db.session.commit()

    # The page with plain words: the markup every other version of it must match. (Twice:
    # a project's page offers to join up with the others once there are others.)
    for _ in range(2):
        response = _post(client, app, target, {fl.name: PLAIN for fl in target.fields}, "plain")
        assert response.status_code == target.post_status, response.get_data(as_text=True)[:2000]
    before_plain = Shape(_get(client, app, target.page(), "plain")).counts()
    if target.grows:
        _post(client, app, target, {fl.name: PLAIN for fl in target.fields}, "plain")
        one_more = Shape(_get(client, app, target.page(), "plain")).counts() - before_plain
    baseline = before_plain

    refused = stored = 0
    for n, s in enumerate(CORPUS):
        what = f"{kind} #{n}: {s[:60]!r}"
        refusing = [fl for fl in target.fields if fl.refuses(s)]
        if refusing:
            state = target.state()
            response = _post(client, app, target, {fl.name: s for fl in target.fields}, what)
            page = response.get_data(as_text=True)
            assert response.status_code == 422, (what, response.status_code)
            for fl in target.fields:
                assert _errors_next_to(page, fl) == (fl in refusing), (what, fl.name)
            assert target.state() == state, f"{what}: saved although refused"
            refused += len(refusing)
        taking = [fl for fl in target.fields if fl not in refusing]
        if not taking:
            continue
        values = {fl.name: (s if fl in taking else PLAIN) for fl in target.fields}
        if target.grows:
            baseline = Shape(_get(client, app, target.page(), what)).counts() + one_more
        response = _post(client, app, target, values, what)
        assert response.status_code == target.post_status, (
            what,
            response.status_code,
            response.get_data(as_text=True)[:3000],
        )
        saved = target.saved()
        for fl in taking:
            assert saved[fl.name] == fl.stored(s), (what, fl.name)
        page = _get(client, app, target.page(), what)
        assert_inert(page, baseline, what)
        for fl in taking:
            value = fl.stored(s)
            if fl.markdown:
                rendered = str(markdown.render(value))
                assert rendered in page, (what, fl.name)
                assert_markdown_is_safe(rendered, what)
                if "{{7*7}}" in s:
                    assert "{{7*7}}" in rendered, what
            else:
                assert str(escape(value)) in page, (what, fl.name)
            if "<" in value:
                assert value not in page, (what, fl.name)
            stored += 1
    # Every string went through every field: kept, or refused for its length only.
    assert stored + refused == len(CORPUS) * len(target.fields)
    assert stored > refused


def test_every_string_is_only_text_in_a_search(app, client):
    """The stories search box takes every string as words to look for, and shows it back."""
    c = f.commission(phase="together")
    jade, kim = f.person("Jade Morgan"), f.person("Kim Lee")
    for p in (jade, kim):
        f.member(p, c.space, "community_commissioner")
    f.story(c, kim, title="Zzzz", body="Qqqq")
    f.sign_in(client, jade)
    base = f"/commissions/{c.space.slug}/stories"
    plain = _get(client, app, f"{base}?{urlencode({'q': 'qqqq'})}", "plain")
    assert "Zzzz" in plain
    baseline = Shape(plain).counts()
    for n, s in enumerate(CORPUS):
        what = f"search #{n}: {s[:60]!r}"
        page = _get(client, app, f"{base}?{urlencode({'q': s})}", what)
        assert_inert(page, baseline, what)
        assert "Zzzz" not in page, what  # no wildcard, no "OR 1=1": nothing matches
        assert f'value="{escape(s.strip()[:200])}"' in page, what


def test_no_string_sends_a_redirect_elsewhere_or_adds_a_header(app, client):
    """Where a form says where to go next (the language switch; signing in), every string,
    as it is and as a path, leads to a page on this site, with no header of its own."""
    person = f.person("Ada Lovelace")
    db.session.commit()
    for n, s in enumerate(CORPUS):
        for nxt in (s, "/" + s):
            what = f"next #{n}: {nxt[:60]!r}"
            response = client.post("/language", data={"language": "en", "next": nxt})
            assert response.status_code == 303, (what, response.status_code)
            assert_clean_headers(response, app, what)
    # Signing in is slower: the strings about headers, paths and URLs.
    about_places = [s for s in CORPUS if any(c in s for c in ("\r", "\n", "%0", "/", "\\", ":"))]
    assert len(about_places) >= 20
    for n, s in enumerate(about_places):
        for nxt in (s, "/" + s):
            what = f"sign-in next #{n}: {nxt[:60]!r}"
            client.post("/sign-out")
            response = client.post(
                f"/sign-in?{urlencode({'next': nxt})}",
                data={"email": person.email, "password": f.PASSWORD},
            )
            assert response.status_code == 303, (what, response.status_code)
            assert_clean_headers(response, app, what)
