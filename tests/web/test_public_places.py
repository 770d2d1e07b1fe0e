"""The public place pages (/places/ and /places/<slug>): no sign-in, only what
``participate.public.facts`` says is public, every figure with its "as of" date."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from participate.accounts.models import Organisation, Person
from participate.clock import local_today
from participate.commissions.models import Commitment
from participate.demo import load
from participate.extensions import db
from participate.grants import steps
from participate.grants.models import Fund, Grant
from participate.public import facts
from tests import factories as f
from tests.web.test_public_facts_by_role import private_texts


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def main_of(response) -> str:
    """The page's main content (the footer and header are the same on every page)."""
    page = text_of(response)
    return page[page.index('<main id="main"') : page.index("</main>")]


def long_day(day: date) -> str:
    return format_date(day, "d MMMM yyyy", locale="en")


@pytest.fixture
def demo(app):
    load()
    db.session.commit()
    return db.session.scalar(select(Organisation).where(Organisation.slug == "porthaven-council"))


# --- with the demo ---------------------------------------------------------------------------


def test_a_visitor_sees_the_places_with_anything_public(demo, client):
    response = client.get("/places/")
    assert response.status_code == 200
    page = main_of(response)
    public = facts.public_places()
    assert [o.slug for o in public] == ["northside-community-hub", "porthaven-council"]
    for org in public:
        assert f'href="/places/{org.slug}"' in page
        assert org.name in page
    porthaven = page[page.index("Porthaven Council") :]
    assert "2 grant rounds" in porthaven
    assert "1 fund" in porthaven
    assert "9 grants" in porthaven
    assert f"Counted on {long_day(local_today())}." in page


def test_a_place_page_shows_its_public_facts_with_links_and_as_of_dates(demo, client):
    response = client.get("/places/porthaven-council")
    assert response.status_code == 200
    page = main_of(response)
    today = local_today()
    assert f"as of {long_day(today)}" in page

    # The round open for votes: what people can do now, and until when.
    voting = next(r for r in facts.place_rounds(demo) if r["phase"] == "voting")
    assert voting["title"] in page
    last_day = voting["results_from"] - timedelta(days=1)
    assert f"You can vote until the end of {long_day(last_day)}." in page
    assert f'href="/rounds/{voting["slug"]}/vote/"' in page

    # Published results: the winners and the money.
    finished = next(r for r in facts.place_rounds(demo) if r["phase"] == "delivery")
    assert f'href="/rounds/{finished["slug"]}/results/"' in page
    for row in facts.place_results(demo):
        if row["funded"]:
            assert row["title"] in page
    assert "Money to share: £6,000. Given to the projects funded: £6,900." in page

    # Decisions, latest first, with their dates and links to the public record.
    for decision in facts.place_decisions(demo):
        assert decision["title"] in page
        assert f'href="/decisions/{decision["proposal_id"]}"' in page
        assert f"Review on {long_day(decision['review_on'])}." in page

    # You said, we did.
    for commitment in facts.place_commitments(demo):
        assert commitment["what"] in page
    for slug in facts.commission_slugs_with_register(demo):
        assert f'href="/commissions/{slug}/you-said-we-did"' in page

    # Funds and grants, with the money the fund page shows.
    fund = facts.place_funds(demo)[0]
    assert f'href="/funds/{fund["slug"]}"' in page
    assert "Money in the fund</dt>\n          <dd>£60,000.00" in page
    for grant in facts.place_grants(demo):
        assert grant["title"] in page
    assert "A person living in the area" in page

    # Open data and the API.
    assert 'href="/places/porthaven-council/open-data.zip"' in page
    assert 'href="/api/v1/places/porthaven-council"' in page


def test_nothing_private_is_on_the_place_pages(demo, client):
    private = private_texts()
    kinds = set(private.values())
    assert "an unpublished commitment" in kinds
    assert "a story not shared in public" in kinds
    assert "a person-grantee who chose not to be named" in kinds
    pages = main_of(client.get("/places/"))
    for org in facts.public_places():
        pages += main_of(client.get(f"/places/{org.slug}"))
    leaked = {why: text for text, why in private.items() if text in pages}
    assert leaked == {}
    # Nobody's own name is on these pages: roles, groups and organisations only.
    for p in db.session.scalars(select(Person)):
        assert not re.search(rf"\b{re.escape(p.chosen_name)}\b", pages), p.chosen_name


def test_signed_in_people_see_the_same_public_page(demo, client):
    anonymous = main_of(client.get("/places/porthaven-council"))
    officer = db.session.scalar(select(Person).where(Person.email == "officer@porthaven.example"))
    client.post("/sign-in", data={"email": officer.email, "password": "porthaven-demo"})
    assert main_of(client.get("/places/porthaven-council")) == anonymous


def test_visitors_find_the_place_pages(demo, client):
    assert 'href="/places/"' in text_of(client.get("/"))  # the welcome page and footer
    decision = facts.place_decisions(demo)[0]
    record = text_of(client.get(f"/decisions/{decision['proposal_id']}"))
    assert "More from" in record
    fund = text_of(client.get(f"/funds/{facts.place_funds(demo)[0]['slug']}"))
    assert 'href="/places/porthaven-council"' in fund


# --- built for the test ----------------------------------------------------------------------


def test_unknown_places_and_places_with_nothing_public_are_404(app, client):
    quiet = f.organisation("Quiet Council")
    f.grant_round("draft", organisation_=quiet, title="Round being set up")
    f.grant_round("voting", organisation_=quiet, visibility="members", title="Members' round")
    f.fund(100_000, organisation_=quiet, status="draft", name="Fund being set up")
    db.session.commit()
    assert client.get("/places/nowhere").status_code == 404
    assert client.get(f"/places/{quiet.slug}").status_code == 404
    listing = main_of(client.get("/places/"))
    assert "Quiet Council" not in listing
    assert "Nothing has been made public yet." in listing


def test_only_public_rounds_show_with_what_people_can_do_now(app, client):
    council = f.organisation("Seaside Council")
    today = local_today()
    f.grant_round(
        "ideas",
        organisation_=council,
        title="Seaside ideas round",
        feasibility_from=today + timedelta(days=10),
        pots=((25_000, "Whole town"),),
    )
    f.grant_round(
        "feasibility",
        organisation_=council,
        title="Seaside checking round",
        voting_from=today + timedelta(days=30),
    )
    f.grant_round("draft", organisation_=council, title="Round being set up")
    f.grant_round("ideas", organisation_=council, visibility="members", title="Members' round")
    db.session.commit()
    response = client.get(f"/places/{council.slug}")
    assert response.status_code == 200
    page = main_of(response)
    assert "Seaside ideas round" in page
    ideas_close = long_day(today + timedelta(days=9))
    assert f"You can suggest a project until the end of {ideas_close}." in page
    assert f'£25,000 <span class="hint as-of">as of {long_day(today)}</span>' in page
    assert "Seaside checking round" in page
    assert f"Voting is planned to open on {long_day(today + timedelta(days=30))}." in page
    assert "Round being set up" not in page
    assert "Members' round" not in page


def test_commitments_show_only_when_published_and_without_names(app, client):
    council = f.organisation("Harbour Council")
    owner = f.person("Brenda Quillfeather")
    commission = f.commission(hosts=[council])
    db.session.add_all(
        [
            Commitment(
                commission_id=commission.id,
                what="Open the library on Sundays",
                owner_role="Library manager",
                owner_person_id=owner.id,
                status="in_progress",
                due_on=date(2030, 1, 31),
                published=True,
            ),
            Commitment(
                commission_id=commission.id,
                what="A promise still being worded",
                owner_role="Chief executive",
                published=False,
            ),
        ]
    )
    story = f.story(
        commission,
        f.person("Teller Person"),
        title="My private walk",
        body="Only the commission may read this story.",
        audience="commission",
    )
    db.session.commit()
    page = main_of(client.get(f"/places/{council.slug}"))
    assert "Open the library on Sundays" in page
    assert "Library manager" in page
    assert "31 January 2030" in page
    assert f'href="/commissions/{commission.space.slug}/you-said-we-did"' in page
    assert "A promise still being worded" not in page
    assert "Brenda Quillfeather" not in page
    assert story.title not in page
    assert story.body not in page
    assert "Teller Person" not in page


def test_grants_show_awarded_ones_only_and_unnamed_people_unnamed(app, client):
    council = f.organisation("Riverside Council")
    fund = f.fund(1_000_000, organisation_=council, name="Riverside Chest")
    officer = db.session.get(Person, fund.created_by_id)
    named = f.application(fund, title="Riverside litter pick", recipient_name="Riverside Friends")
    steps.award(named, 50_000, by=officer, decided_by="panel")
    person_grant = f.application(
        fund,
        title="Sewing for neighbours",
        recipient_name="Gwendolyn Hartwell-Price",
        recipient_kind="individual",
        name_public=False,
    )
    steps.award(person_grant, 30_000, by=officer, decided_by="panel")
    declined = f.application(
        fund, title="An application not chosen", recipient_name="Unchosen Group"
    )
    steps.decline(declined, by=officer, note="The panel's private note on this one")
    waiting = f.application(fund, title="An application still waiting")
    db.session.commit()
    assert {g.status for g in db.session.scalars(select(Grant))} == {
        "awarded",
        "declined",
        "applied",
    }
    page = main_of(client.get(f"/places/{council.slug}"))
    assert "Riverside Chest" in page
    assert "Riverside litter pick" in page
    assert "Riverside Friends" in page
    assert "£500.00" in page
    assert "Sewing for neighbours" in page
    assert "Gwendolyn Hartwell-Price" not in page
    assert "A person living in the area" in page
    for hidden in (declined.title, declined.recipient_name, declined.decision_note, waiting.title):
        assert hidden not in page
    assert (
        f'Money in the fund</dt>\n          <dd>£10,000.00 <span class="hint as-of">as of {long_day(local_today())}</span>'
        in page
    )
    assert db.session.scalar(select(Fund.id)) == fund.id
