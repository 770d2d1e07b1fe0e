"""Every audience x attribution x role on every story page this package has: the list, the
story's page, a search, and the CSV download. The expectations are written out by hand.

(Storybooks, session notes, themes and commitments have their own matrices in
test_storybooks.py and test_story_uses.py; the rule itself in tests/unit/test_story_rules.py.)
"""

from __future__ import annotations

import csv
import io
from itertools import product

import pytest

from participate.extensions import db
from tests import factories as f

ROLES = ("teller", "community", "civic", "facilitator", "observer", "officer", "admin",
         "outsider", "signed_out")

# Who reads a live, shared story on the commission's pages, by its audience. Site admins and
# the hosts' officers see the commission's pages, but they are not "everyone in the
# commission"; an outsider and someone signed out never see the commission's pages at all
# (public stories reach them through public storybooks and, later, the place's public pages).
READERS = {
    "only_me": {"teller"},
    "facilitators": {"teller", "facilitator"},
    "cohort": {"teller", "community", "facilitator"},
    "commission": {"teller", "community", "civic", "facilitator", "observer"},
    "public": {"teller", "community", "civic", "facilitator", "observer", "officer", "admin"},
}
BYLINES = {
    "full_name": "By Jade Morgan",
    "first_name": "By Jade",
    "pseudonym": "By Robin",
    "anonymous": "Anonymous",
}
TITLE = "The winter the boiler broke"
WORDS = "We kept the oven door open for heat."


@pytest.fixture
def people():
    c = f.commission(phase="together")
    host = c.hosts[0].organisation
    p = {
        "teller": f.person("Jade Morgan"),
        "community": f.person("Kim Lee"),
        "civic": f.person("Owen Price"),
        "facilitator": f.person("Sam Taylor"),
        "observer": f.person("Olu Ade"),
        "officer": f.person("Priya Shah"),
        "admin": f.person("Ada Admin", admin=True),
        "outsider": f.person("Rhys Jones"),
    }
    for key, role in [("teller", "community_commissioner"), ("community", "community_commissioner"),
                      ("civic", "civic_commissioner"), ("facilitator", "facilitator"),
                      ("observer", "observer")]:
        f.member(p[key], c.space, role)
    f.member(p["officer"], host, "council_officer")
    f.member(p["outsider"], f.space("Another place"), "facilitator")
    db.session.commit()
    return c, p


def _what_they_see(client, c, story, person) -> dict:
    client.post("/sign-out")
    if person is not None:
        f.sign_in(client, person)
    base = f"/commissions/{c.space.slug}/stories"
    listing = client.get(base)
    page = client.get(f"{base}/{story.id}")
    found = client.get(f"{base}?q=oven+door")
    download = client.get(f"{base}.csv")
    rows = []
    if download.status_code == 200:
        rows = list(csv.reader(io.StringIO(f.page_text(download).lstrip("\ufeff"))))[1:]
    return {
        "codes": (listing.status_code, download.status_code),
        "listed": TITLE in f.page_text(listing),
        "page": page.status_code,
        "found": TITLE in f.page_text(found),
        "rows": [r[:2] for r in rows],
        "listing": f.page_text(listing),
        "story_page": f.page_text(page),
    }


@pytest.mark.parametrize("audience,attribution", list(product(READERS, BYLINES)))
def test_each_role_sees_exactly_its_stories_everywhere(client, people, audience, attribution):
    c, p = people
    story = f.story(c, p["teller"], title=TITLE, body=WORDS, audience=audience,
                    attribution=attribution, pseudonym="Robin")
    db.session.commit()
    byline = BYLINES[attribution]
    for role in ROLES:
        seen = _what_they_see(client, c, story, p.get(role))
        if role == "signed_out":
            assert seen["codes"] == (302, 302) and seen["page"] == 302
            continue
        if role == "outsider":
            assert seen["codes"] == (404, 404) and seen["page"] == 404
            continue
        assert seen["codes"] == (200, 200), role
        reads = role in READERS[audience]
        assert seen["listed"] is reads, (role, "list")
        assert seen["page"] == (200 if reads else 404), (role, "page")
        assert seen["found"] is reads, (role, "search")
        # The teller's own story is under "Your stories", and in their download with the rest.
        assert seen["rows"] == ([[TITLE, byline.removeprefix("By ")]] if reads else []), role
        if reads:
            assert byline in seen["story_page"], role
            if role != "teller":
                assert byline in seen["listing"], role
            if attribution != "full_name":
                assert "Morgan" not in seen["story_page"] and "Morgan" not in seen["listing"]
