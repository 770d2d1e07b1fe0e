"""Crawl the demo as each of its roles (and as a visitor who is not signed in), following every
link, ``hx-get`` and GET form on the site, and check that no page shows what that role may not
see, and that no page fails.

Before crawling, unique markers are written into the demo's private texts: every story's body,
every person's access needs, every grant payment's note, reference and refusal, every
commission payment's notes, and the memo and reference of new ledger transactions (the ledger
is append-only: one into each fund, one back from each grant paid something). Who may see each
marker is worked out with the features' own rules (``stories.rules.can_see_story``,
``accounts.rules.can(..., "see_access_needs", ...)``, ``grants.rules.can_view_grant`` and
``can_reverse``, ``commissions.rules.can_see_recompense_of``); a marker on a page for anyone
else is a leak. Ballots have no text to mark: Rhys votes too (Jade already has), and on every
ballot page the ticks and the "you chose" list must be the viewer's own choices and nobody
else's. For the visitor, nothing in ``test_public_facts_by_role.private_texts()`` may show.

Text downloads (CSV, plain text) are read like pages; binary ones (PDF, ZIP, pabulib, images)
are skipped. The crawl is bounded: at most ``MAX_PAGES`` pages a role, at most
``PER_PATTERN`` pages for one URL pattern (the path with its numbers taken out, and the names
of the query's fields).
"""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from sqlalchemy import select

from participate.accounts import rules as account_rules
from participate.accounts.models import Person
from participate.budgeting import ballots as ballot_store
from participate.budgeting import counting
from participate.budgeting.models import Ballot, GrantRound, Pot
from participate.clock import local_today
from participate.commissions import rules as commission_rules
from participate.commissions.models import Commission, Recompense
from participate.demo import ACCOUNTS, DEMO_PASSWORD, DOMAIN, load
from participate.extensions import db
from participate.grants import books
from participate.grants import rules as grant_rules
from participate.grants.models import Fund, Grant, Payment
from participate.stories import rules as story_rules
from participate.stories.models import Story
from tests.web.test_public_facts_by_role import private_texts

# What a page shows does not depend on the database: CI crawls once, on SQLite.
pytestmark = pytest.mark.ci_sqlite_only

VISITOR = "visitor"
ROLES = [key for key, *_ in ACCOUNTS] + [VISITOR]
MAX_PAGES = 120  # a role
PER_PATTERN = 5  # pages for one URL pattern
MIN_PAGES = 15  # a signed-in role must reach at least this many pages

SKIP_PREFIXES = ("/static/", "/sign-in", "/sign-out", "/password/", "/invitations/")
# Binary downloads: PDFs, ZIPs, pabulib files, images, uploaded reports. (The CSV and text
# downloads are read and checked like pages.)
SKIP_SUFFIXES = (".pdf", ".zip", ".pb", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg")
SKIP_PATTERNS = (re.compile(r"/images/\d+$"), re.compile(r"/report-file$"))
NUMBER = re.compile(r"(?<=/)\d+(?=/|$|\.)")
BALLOT_PAGE = re.compile(r"^/rounds/[^/]+/vote/(\d+)(/saved)?$")


# --- the markers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    text: str
    kind: str
    allowed: frozenset[str]  # the roles that may see it


def _marker(kind: str, n: int, what: str) -> str:
    return f"PRIVMARK-{kind.upper()}-{n}-{what.upper()}-END"


def _people() -> dict[str, Person | None]:
    people: dict[str, Person | None] = {
        key: db.session.scalar(select(Person).where(Person.email == f"{key}@{DOMAIN}"))
        for key in ROLES
        if key != VISITOR
    }
    people[VISITOR] = None
    assert all(p is not None for k, p in people.items() if k != VISITOR)
    return people


def _who(people: dict, may) -> frozenset[str]:
    return frozenset(role for role, person in people.items() if may(person))


def plant_markers() -> list[Marker]:
    """Write the markers into the demo (committed) and say who may see each."""
    planted: list[tuple[str, str, object]] = []  # (text, kind, rule taking a person)
    today = local_today()
    for story in db.session.scalars(select(Story).order_by(Story.id)):
        commission = db.session.get(Commission, story.commission_id)
        text = _marker("story", story.id, "body")
        story.body = f"{text} {story.body}"
        planted.append(
            (
                text,
                "story",
                lambda p, s=story, c=commission: story_rules.can_see_story(p, s, c, today),
            )
        )
    for person in db.session.scalars(select(Person).order_by(Person.id)):
        text = _marker("needs", person.id, "access")
        person.access_needs = text
        planted.append(
            (text, "access needs", lambda p, s=person: account_rules.can(p, "see_access_needs", s))
        )
    for payment in db.session.scalars(select(Payment).order_by(Payment.id)):
        grant = db.session.get(Grant, payment.grant_id)
        for attribute in ("note", "paid_reference", "refused_reason"):
            if attribute == "note" or getattr(payment, attribute):
                text = _marker("payment", payment.id, attribute)
                setattr(payment, attribute, text)
                planted.append(
                    (
                        text,
                        "grant payment",
                        lambda p, g=grant: p is not None and grant_rules.can_view_grant(p, g),
                    )
                )
    # The ledger is append-only: new transactions carry its markers, one into every fund and
    # one back from every grant that has been paid something.
    n = 0
    for fund in db.session.scalars(select(Fund).order_by(Fund.id)):
        n += 1
        memo, reference = _marker("ledger", n, "memo"), _marker("ledger", n, "ref")
        books.fund_in(fund, 1, memo=memo, reference=reference)
        rule = lambda p, f=fund: p is not None and grant_rules.can_reverse(p, f)  # noqa: E731
        planted += [(memo, "ledger", rule), (reference, "ledger", rule)]
    for grant in db.session.scalars(select(Grant).order_by(Grant.id)):
        if books.grant_money(grant).paid > 0 and grant_rules.accepts_money(grant.status, "return"):
            n += 1
            memo, reference = _marker("ledger", n, "memo"), _marker("ledger", n, "ref")
            books.give_back(grant, 1, memo=memo, reference=reference)
            rule = lambda p, g=grant: p is not None and grant_rules.can_view_grant(p, g)  # noqa: E731
            planted += [(memo, "ledger", rule), (reference, "ledger", rule)]
    for rec in db.session.scalars(select(Recompense).order_by(Recompense.id)):
        commission = db.session.get(Commission, rec.commission_id)
        for attribute in ("note", "decision_note"):
            text = _marker("recompense", rec.id, attribute)
            setattr(rec, attribute, text)
            planted.append(
                (
                    text,
                    "commission payment",
                    lambda p, r=rec, c=commission: commission_rules.can_see_recompense_of(
                        p, r.person, c
                    ),
                )
            )
    db.session.commit()
    people = _people()
    return [Marker(text, kind, _who(people, rule)) for text, kind, rule in planted]


def cast_more_ballots() -> None:
    """Jade (community) voted in the open round already; Rhys (resident) votes too, for other
    projects, so that each of them has a ballot of their own that no one else may see."""
    rnd = db.session.scalar(select(GrantRound).where(GrantRound.phase == "voting"))
    rhys = db.session.scalar(select(Person).where(Person.email == f"resident@{DOMAIN}"))
    pot = rnd.pots[0]
    jade = _people()["community"]
    theirs = ballot_store.chosen(ballot_store.find(pot.id, ballot_store.person_key(jade.id)))
    others = [p.id for p in counting.on_ballot(pot) if p.id not in theirs][:2]
    ballot_store.cast(
        pot,
        ballot_store.person_key(rhys.id),
        dict.fromkeys(others, 1),
        source="online",
        person_id=rhys.id,
    )
    db.session.commit()


def own_ballots(person: Person | None) -> dict[int, set[int]]:
    """pot id -> the project ids this person chose there."""
    if person is None:
        return {}
    return {
        b.pot_id: {c.project_id for c in b.choices}
        for b in db.session.scalars(
            select(Ballot).where(Ballot.voter_key == ballot_store.person_key(person.id))
        )
    }


# --- the crawler -----------------------------------------------------------------------------


class Links(HTMLParser):
    """Every ``<a href>`` and ``hx-get``, and every GET form as the URLs it would ask for: once
    with its fields as they are, and once more for each option of each of its lists."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.forms: list[str] = []
        self.checked_choices: set[str] = set()
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if a.get("hx-get"):  # the parts htmx asks for (a list refreshed, a round's progress)
            self.hrefs.append(a["hx-get"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "form":
            if a.get("method", "get").lower() == "get":
                self._form = {"action": a.get("action", ""), "fields": [], "lists": []}
        elif tag == "input":
            if a.get("name") == "choice" and "checked" in a:
                self.checked_choices.add(a.get("value", ""))
            if self._form is None or not a.get("name"):
                return
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append(
                (a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "textarea" and self._form is not None and a.get("name"):
            self._form["fields"].append((a["name"], ""))
        elif tag == "select" and self._form is not None and a.get("name"):
            self._select = {"name": a["name"], "options": [], "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a:
                self._select["chosen"] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            chosen = s["chosen"] if s["chosen"] is not None else (s["options"] or [""])[0]
            self._form["fields"].append((s["name"], chosen))
            self._form["lists"].append(s)
            self._select = None
        elif tag == "form" and self._form is not None:
            form, self._form = self._form, None
            base = dict(form["fields"])
            self.forms.append(_with_query(form["action"], base))
            for s in form["lists"]:
                for option in s["options"]:
                    self.forms.append(_with_query(form["action"], {**base, s["name"]: option}))


def _with_query(action: str, fields: dict) -> str:
    path = action.split("?", 1)[0]
    return f"{path}?{urlencode(fields)}" if fields else path


def _local(url: str, here: str) -> str | None:
    """The path and query of a link on this site worth following, or None."""
    if url.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
        return None
    parts = urlsplit(urljoin(f"http://localhost{here}", url))
    if parts.scheme not in ("http", "https") or parts.hostname != "localhost":
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(SKIP_SUFFIXES):
        return None
    if any(p.search(path) for p in SKIP_PATTERNS):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def _pattern(url: str) -> str:
    path, _, query = url.partition("?")
    keys = sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair})
    return NUMBER.sub("N", path) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Crawl:
    role: str
    pages: dict[str, str] = field(default_factory=dict)  # url -> text (status 200)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    ballot_pages: list[tuple[str, set[str], str]] = field(default_factory=list)


def crawl(client, role: str) -> Crawl:
    found = Crawl(role)
    queue: deque[str] = deque(["/"])
    seen = {"/"}
    per_pattern: Counter = Counter()
    while queue and len(found.pages) < MAX_PAGES:
        url = queue.popleft()
        pattern = _pattern(url)
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        try:
            response = client.get(url)
        except Exception as error:  # noqa: BLE001 - an error page: say where, carry on
            found.errors.append(f"{url}: {type(error).__name__}: {error}")
            continue
        found.statuses[response.status_code] += 1
        if response.status_code >= 500:
            found.errors.append(f"{url}: {response.status_code}")
            continue
        targets: list[str] = []
        if response.status_code in (301, 302, 303, 307, 308):
            targets.append(response.headers.get("Location", ""))
        elif response.status_code == 200:
            kind = response.mimetype or ""
            if not kind.startswith("text/") and kind != "application/json":
                continue
            text = response.get_data(as_text=True)
            found.pages[url] = html.unescape(text)
            if kind == "text/html":
                links = Links()
                links.feed(text)
                targets += links.hrefs + links.forms
                if BALLOT_PAGE.match(url.partition("?")[0]):
                    found.ballot_pages.append((url, links.checked_choices, text))
        for target in targets:
            local = _local(target, url.partition("?")[0])
            if local is not None and local not in seen:
                seen.add(local)
                queue.append(local)
    return found


# --- the test --------------------------------------------------------------------------------


@pytest.fixture
def demo(app):
    load()
    db.session.commit()
    cast_more_ballots()
    return plant_markers()


def sign_in_as(client, role: str) -> None:
    client.post("/sign-out")
    if role != VISITOR:
        response = client.post(
            "/sign-in", data={"email": f"{role}@{DOMAIN}", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 303, (role, response.status_code)


def _my_choices(page: str) -> set[str]:
    """The titles listed under "you chose" on a "your vote is saved" page."""
    found = re.search(r'<ul id="my-choices">(.*?)</ul>', page, re.S)
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    return {html.unescape(item).rsplit(" (", 1)[0].strip() for item in items}


def check_ballot_pages(crawled: Crawl, person: Person | None, problems: list[str]) -> int:
    """Ballot pages show no choices but the viewer's own; returns how many own choices were
    shown (ticked on a ballot, or listed on a "your vote is saved" page)."""
    mine = own_ballots(person)
    shown = 0
    for url, checked, page in crawled.ballot_pages:
        match = BALLOT_PAGE.match(url.partition("?")[0])
        pot = db.session.get(Pot, int(match.group(1)))
        own = mine.get(pot.id, set())
        if match.group(2):
            titles = {p.id: p.title for p in counting.on_ballot(pot)}
            listed = _my_choices(page)
            if not listed <= {titles[i] for i in own}:
                problems.append(
                    f"[{crawled.role}] {url} lists {sorted(listed)} as chosen, "
                    f"not (only) the viewer's own"
                )
            shown += len(listed)
        else:
            ticked = {int(v) for v in checked if v.isdigit()}
            if not ticked <= own:
                problems.append(
                    f"[{crawled.role}] {url} ticks {sorted(ticked)}, "
                    f"the viewer's own are {sorted(own)}"
                )
            shown += len(ticked)
    return shown


def test_no_role_sees_what_it_may_not_on_any_page_it_can_reach(demo, app):
    markers = demo
    people = _people()
    visitor_private = private_texts()
    client = app.test_client()
    problems: list[str] = []
    seen_by: dict[str, set[str]] = {m.text: set() for m in markers}
    ballots_seen = 0
    reached: dict[str, int] = {}
    for role in ROLES:
        sign_in_as(client, role)
        crawled = crawl(client, role)
        reached[role] = len(crawled.pages)
        problems += [f"[{role}] {e}" for e in crawled.errors]
        for url, text in crawled.pages.items():
            for marker in markers:
                if marker.text in text:
                    seen_by[marker.text].add(role)
                    if role not in marker.allowed:
                        problems.append(f"[{role}] {url} shows {marker.kind}: {marker.text}")
            if role == VISITOR:
                for private, why in visitor_private.items():
                    if private in text:
                        problems.append(f"[{role}] {url} shows {why}: {private[:60]!r}")
        ballots_seen += check_ballot_pages(crawled, people[role], problems)
    assert problems == []

    # The crawl went somewhere, and the markers are real: people who may see them do.
    for role, n in reached.items():
        assert n >= MIN_PAGES, (role, n)
    for kind in {m.kind for m in markers}:
        seen = [m for m in markers if m.kind == kind and seen_by[m.text]]
        assert seen, f"no role saw any {kind} marker: the crawl proves nothing about them"
    # Every story and every access need that some role may see, some role did see (the money
    # pages are too many to reach them all within the limits).
    unseen = [
        m.text
        for m in markers
        if m.kind in ("story", "access needs") and m.allowed and not seen_by[m.text]
    ]
    assert unseen == []
    assert ballots_seen > 0, "no ballot page showed anyone's own choices"
    # And every role saw something private that it may: not all hidden from everyone.
    assert {role for ms in seen_by.values() for role in ms} >= set(ROLES) - {VISITOR}
