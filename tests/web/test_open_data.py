"""The open-data ZIP of a place: every file, a README naming every column of every CSV and the
licence, a valid 360Giving package, CSV rows equal to the public facts, 404s, and the
``flask public open-data`` command."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from participate.accounts.models import Organisation
from participate.demo import load
from participate.extensions import db
from participate.grants import books
from participate.grants.models import Fund, Grant
from participate.public import facts, opendata
from tests import factories as f
from tests.web.test_grants_360giving import errors as giving360_errors

PLACE = "porthaven-council"
CSVS = [f"{t}.csv" for t in facts.PLACE_TABLES]


@pytest.fixture
def porthaven(app) -> Organisation:
    load()
    db.session.commit()
    return db.session.scalar(select(Organisation).where(Organisation.slug == PLACE))


def unzip(response) -> dict[str, str]:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {
            name.split("/", 1)[1]: archive.read(name).decode("utf-8") for name in archive.namelist()
        }


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def readme_section(readme: str, name: str) -> str:
    start = readme.index(f"### {name}")
    end = readme.find("\n### ", start + 1)
    return readme[start : end if end != -1 else None]


def test_the_zip_has_every_file(porthaven, client):
    files = unzip(client.get(f"/places/{PLACE}/open-data.zip"))
    for name in ("README.md", *CSVS, "360giving.json"):
        assert name in files, name
    assert {
        "rounds.csv",
        "projects.csv",
        "results.csv",
        "decisions.csv",
        "commitments.csv",
        "grants.csv",
        "transactions.csv",
    } <= set(files)
    pabulib = [n for n in files if n.startswith("pabulib/")]
    published = facts.published_pots(porthaven)
    assert len(pabulib) == len(published) >= 1
    for rnd, pot, _ in published:
        text = files[opendata.pabulib_name(rnd, pot)]
        assert text.startswith("META") and "PROJECTS" in text and "VOTES" in text


def test_the_readme_describes_every_column_of_every_csv_and_the_licence(porthaven, client):
    files = unzip(client.get(f"/places/{PLACE}/open-data.zip"))
    readme = files["README.md"]
    assert "https://creativecommons.org/licenses/by/4.0/" in readme
    for table in facts.PLACE_TABLES:
        header = next(csv.reader(io.StringIO(files[f"{table}.csv"])))
        assert header == facts.columns(table)
        section = readme_section(readme, f"{table}.csv")
        for column in facts.TABLES[table][1]:
            assert f"| {column.name} | {column.type}" in section, (table, column.name)
            assert column.about in section
    for name in ("360giving.json", "pabulib/"):
        assert f"### {name}" in readme


def test_the_licence_follows_the_config(porthaven, app, client):
    app.config["OPEN_DATA_LICENSE"] = "https://opendatacommons.org/licenses/odbl/"
    readme = unzip(client.get(f"/places/{PLACE}/open-data.zip"))["README.md"]
    assert "published under https://opendatacommons.org/licenses/odbl/." in readme
    del app.config["OPEN_DATA_LICENSE"]
    app.config["GIVING360_LICENSE"] = "https://example.org/our-licence"
    readme = unzip(client.get(f"/places/{PLACE}/open-data.zip"))["README.md"]
    assert "published under https://example.org/our-licence." in readme


def test_the_360giving_package_validates_and_matches_grants_csv(porthaven, client):
    files = unzip(client.get(f"/places/{PLACE}/open-data.zip"))
    package = json.loads(files["360giving.json"])
    assert giving360_errors(package) == []
    grants = rows(files["grants.csv"])
    assert len(package["grants"]) == len(grants) >= 1
    ids = {g["id"] for g in package["grants"]}
    for row in grants:
        assert f"360G-{PLACE}-{row['fund']}-{row['number']}" in ids
    for grant in db.session.scalars(select(Grant).where(Grant.recipient_kind == "individual")):
        if not grant.name_public:
            assert grant.recipient_name not in files["360giving.json"]
            assert grant.recipient_name not in files["grants.csv"]


def test_the_csv_rows_are_the_public_facts(porthaven, client):
    files = unzip(client.get(f"/places/{PLACE}/open-data.zip"))
    tables = facts.place_tables(porthaven)
    for table in facts.PLACE_TABLES:
        expected = [{k: opendata.cell(v) for k, v in row.items()} for row in tables[table]]
        assert rows(files[f"{table}.csv"]) == expected, table
    # figures match the books, with the day they were true
    fund = db.session.scalar(select(Fund).where(Fund.name == "Porthaven Community Chest"))
    money = books.fund_money(fund)
    (row,) = [r for r in rows(files["funds.csv"]) if r["slug"] == fund.slug]
    assert int(row["total_pence"]) == money.total and int(row["paid_pence"]) == money.paid
    assert row["as_of"]
    # only awarded grants, never applications still waiting or declined
    statuses = {r["status"] for r in rows(files["grants.csv"])}
    assert statuses <= set(facts.PUBLIC_GRANT_STATUSES)
    assert {"applied", "declined"}.isdisjoint(statuses)
    assert "reference" not in files["transactions.csv"].splitlines()[0]


def test_unknown_places_and_places_with_nothing_public_are_404(app, client):
    quiet = f.organisation("Quiet Council")
    f.grant_round("draft", organisation_=quiet)  # being set up: not public
    f.grant_round("voting", organisation_=quiet, visibility="members")  # members only
    f.fund(100_000, organisation_=quiet, status="draft")
    db.session.commit()
    assert client.get("/places/nowhere/open-data.zip").status_code == 404
    assert client.get(f"/places/{quiet.slug}/open-data.zip").status_code == 404
    assert client.get(f"/api/v1/places/{quiet.slug}").status_code == 404


def test_a_public_round_makes_a_place_public_but_not_its_hidden_ones(app, client):
    council = f.organisation("Seaside Council")
    shown = f.grant_round("ideas", organisation_=council, title="Open round")
    f.grant_round("draft", organisation_=council, title="Round being set up")
    f.grant_round("ideas", organisation_=council, visibility="members", title="Members' round")
    f.budget_project(shown.pots[0], "Benches by the sea")
    db.session.commit()
    files = unzip(client.get(f"/places/{council.slug}/open-data.zip"))
    assert [r["title"] for r in rows(files["rounds.csv"])] == ["Open round"]
    assert [r["title"] for r in rows(files["projects.csv"])] == ["Benches by the sea"]
    assert rows(files["results.csv"]) == []
    assert "360giving.json" not in files
    assert "Not included: the place has no public grants yet." in files["README.md"]


def test_the_command_writes_the_same_zip(porthaven, app, tmp_path):
    out = tmp_path / "porthaven.zip"
    result = app.test_cli_runner().invoke(args=["public", "open-data", PLACE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert {"README.md", *CSVS} <= names
    result = app.test_cli_runner().invoke(
        args=["public", "open-data", "nowhere", "-o", str(tmp_path / "x.zip")]
    )
    assert result.exit_code != 0 and "no place" in result.output
