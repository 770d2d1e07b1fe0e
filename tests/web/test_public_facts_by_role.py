"""With the demo loaded: the open-data ZIP and the JSON API hold the same facts, the same for
every demo role (signed in or not), and nothing private that those roles see on their pages;
and every public figure in the API is on the public pages for a visitor who is not signed in."""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from participate.accounts.models import Organisation, Person
from participate.budgeting.models import Ballot
from participate.clock import local_today
from participate.commissions.models import Commission, Commitment
from participate.decisions.models import Proposal
from participate.demo import DEMO_PASSWORD, load
from participate.extensions import db
from participate.grants.models import Grant, LedgerTransaction, Payment
from participate.money import format_money, format_whole
from participate.public import facts, opendata
from participate.stories import rules as story_rules
from participate.stories.models import Story
from tests import factories as f

ROLES = [
    "admin",
    "officer",
    "finance",
    "mei",
    "facilitator",
    "community",
    "civic",
    "business",
    "panel",
    "resident",
]


@pytest.fixture
def demo(app):
    load()
    db.session.commit()
    return list(db.session.scalars(select(Organisation).order_by(Organisation.slug)))


def public_slugs() -> list[str]:
    return [o.slug for o in facts.public_places()]


def zip_csvs(client, slug: str) -> dict[str, str]:
    """The ZIP's CSV files and README (the 360Giving package has a time stamp and the pabulib
    files new random voter ids each time: they are checked for private text, not compared)."""
    response = client.get(f"/places/{slug}/open-data.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {
            n.split("/", 1)[1]: archive.read(n).decode()
            for n in archive.namelist()
            if n.endswith((".csv", ".md"))
        }


def api_answers(client, slug: str) -> dict[str, dict]:
    answers = {"places": client.get("/api/v1/places").get_json()}
    answers["place"] = client.get(f"/api/v1/places/{slug}").get_json()
    for table in facts.PLACE_TABLES:
        response = client.get(f"/api/v1/places/{slug}/{table}")
        assert response.status_code == 200
        answers[table] = response.get_json()
    return answers


def everything(client) -> tuple[dict, dict]:
    return (
        {slug: zip_csvs(client, slug) for slug in public_slugs()},
        {slug: api_answers(client, slug) for slug in public_slugs()},
    )


def private_texts() -> dict[str, str]:
    """Things some demo role may see on pages, which must never be public data."""
    today = local_today()
    found: dict[str, str] = {}
    for story in db.session.scalars(select(Story)):
        commission = db.session.get(Commission, story.commission_id)
        if not story_rules.can_see_story(None, story, commission, today):
            found[story.body] = "a story not shared in public"
    for proposal in db.session.scalars(select(Proposal)):
        if not (proposal.published and proposal.state == "adopted"):
            found[proposal.title] = "an unpublished proposal"
            for version in proposal.versions:
                found[version.text] = "an unpublished proposal's text"
    for commitment in db.session.scalars(select(Commitment)):
        if not commitment.published:
            found[commitment.what] = "an unpublished commitment"
    for grant in db.session.scalars(select(Grant)):
        if grant.status in ("applied", "declined"):
            found[grant.title] = f"a grant application ({grant.status})"
        if grant.recipient_kind == "individual" and not grant.name_public:
            found[grant.recipient_name] = "a person-grantee who chose not to be named"
        if grant.decision_note:
            found[grant.decision_note] = "a panel's decision note"
    for person in db.session.scalars(select(Person)):
        if person.access_needs:
            found[person.access_needs] = "an access need"
        if person.email:
            found[person.email] = "an email address"
    for tx in db.session.scalars(select(LedgerTransaction)):
        if tx.reference:
            found[tx.reference] = "a ledger reference"
        found[tx.memo] = "a ledger note"
    for payment in db.session.scalars(select(Payment)):
        if payment.paid_reference:
            found[payment.paid_reference] = "a payment reference"
    for ballot in db.session.scalars(select(Ballot)):
        found[ballot.voter_key] = "who cast a ballot"
    return {text: why for text, why in found.items() if text and len(text) >= 6}


def assert_nothing_private(zips: dict, answers: dict, private: dict[str, str]) -> None:
    blob = json.dumps(answers, ensure_ascii=False) + "".join(
        text for files in zips.values() for text in files.values()
    )
    leaked = {why: text for text, why in private.items() if text in blob}
    assert leaked == {}


def test_the_demo_has_private_things_to_keep_out(demo):
    private = private_texts()
    kinds = set(private.values())
    for kind in (
        "a story not shared in public",
        "an unpublished commitment",
        "an access need",
        "a payment reference",
        "a person-grantee who chose not to be named",
        "who cast a ballot",
    ):
        assert kind in kinds, kind
    assert any(k.startswith("a grant application") for k in kinds)


def test_zip_and_api_hold_the_same_facts(demo, client):
    zips, answers = everything(client)
    assert set(zips) >= {"porthaven-council"}
    for slug in zips:
        for table in facts.PLACE_TABLES:
            csv_rows = list(csv.DictReader(io.StringIO(zips[slug][f"{table}.csv"])))
            api_rows = [
                {k: opendata.cell(v) for k, v in row.items()}
                for row in answers[slug][table]["items"]
            ]
            assert csv_rows == api_rows, (slug, table)
            assert answers[slug]["place"]["counts"][table] == len(csv_rows)
    porthaven = answers["porthaven-council"]
    for table in (
        "rounds",
        "projects",
        "results",
        "decisions",
        "commitments",
        "funds",
        "grants",
        "transactions",
    ):
        assert porthaven[table]["items"], f"the demo has public {table}"


def test_every_role_gets_the_same_public_facts_and_nothing_private(demo, client):
    private = private_texts()
    anonymous = everything(client)
    assert_nothing_private(*anonymous, private)
    for role in ROLES:
        person = db.session.scalar(
            select(Person).where(Person.email == f"{role}@porthaven.example")
        )
        f.as_person(client, None)
        f.sign_in(client, person, DEMO_PASSWORD)
        seen = everything(client)
        for slug in anonymous[0]:
            for name, text in anonymous[0][slug].items():
                assert seen[0][slug][name] == text, (role, slug, name)
            for name, answer in anonymous[1][slug].items():
                assert seen[1][slug][name] == answer, (role, slug, name)
        # the parts not compared above: the 360Giving package and the pabulib files
        for slug in public_slugs():
            response = client.get(f"/places/{slug}/open-data.zip")
            with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
                blob = "".join(archive.read(n).decode() for n in archive.namelist())
            assert not [why for text, why in private.items() if text in blob], role


def test_roles_do_see_some_of_these_private_things_on_their_pages(demo, client):
    """The private texts above are real: the people running the fund see them on pages."""
    chest = db.session.scalar(
        select(Grant).where(Grant.recipient_kind == "individual", Grant.name_public.is_(False))
    )
    officer = db.session.scalar(select(Person).where(Person.email == "officer@porthaven.example"))
    f.sign_in(client, officer, DEMO_PASSWORD)
    page = html.unescape(
        client.get(f"/funds/{chest.fund.slug}/grants/{chest.number}").get_data(as_text=True)
    )
    assert chest.recipient_name in page
    f.as_person(client, None)
    response = client.get(f"/funds/{chest.fund.slug}/grants/{chest.number}")
    assert response.status_code in (302, 404)
    assert chest.recipient_name not in response.get_data(as_text=True)


def anonymous_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_every_public_figure_in_the_api_is_on_the_public_pages(demo, client):
    for slug in public_slugs():
        answers = api_answers(client, slug)
        for fund in answers["funds"]["items"]:
            page = anonymous_page(client, f"/funds/{fund['slug']}")
            for key in (
                "total_pence",
                "committed_pence",
                "paid_pence",
                "returned_pence",
                "available_pence",
            ):
                assert format_money(fund[key], fund["currency"]) in page, key
            for grant in answers["grants"]["items"]:
                if grant["fund_id"] == fund["id"]:
                    assert grant["title"] in page
                    assert format_money(grant["amount_awarded_pence"], grant["currency"]) in page
                    if grant["recipient"] != facts.PRIVATE_RECIPIENT_NAME:
                        assert grant["recipient"] in page
        if answers["decisions"]["items"]:
            page = anonymous_page(client, "/decisions/")
            for decision in answers["decisions"]["items"]:
                assert decision["title"] in page
                record = anonymous_page(client, f"/decisions/{decision['proposal_id']}")
                assert decision["text"] in record
        org = facts.place_by_slug(slug)
        registers = "".join(
            anonymous_page(client, f"/commissions/{c}/you-said-we-did")
            for c in facts.commission_slugs_with_register(org)
        )
        for commitment in answers["commitments"]["items"]:
            assert commitment["what"] in registers
        rounds = {r["id"]: r for r in answers["rounds"]["items"]}
        for rnd in rounds.values():
            projects = anonymous_page(client, f"/rounds/{rnd['slug']}/projects/")
            for project in answers["projects"]["items"]:
                if project["round_id"] == rnd["id"]:
                    assert project["title"] in projects
            assert rnd["title"] in anonymous_page(client, f"/rounds/{rnd['slug']}/")
        for row in answers["results"]["items"]:
            page = anonymous_page(client, f"/rounds/{rounds[row['round_id']]['slug']}/results/")
            assert row["title"] in page
            assert format_whole(row["budget"], rounds[row["round_id"]]["currency"]) in page
