"""The 360Giving export (grants/giving360.py, ``flask grants export-360giving``): grants made
through the real steps, exported, and validated against the standard's own schemas
(tests/data/360giving/, draft 2020-12, format checking on, the grant schema resolved locally).
"""

from __future__ import annotations

import copy
import csv
import json
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from participate.clock import place_zone
from participate.columns import utcnow
from participate.extensions import db
from participate.grants import books, giving360, steps
from participate.grants.models import Grant, LedgerTransaction
from tests import factories as f

DATA = Path(__file__).resolve().parent.parent / "data" / "360giving"
PACKAGE_SCHEMA = json.loads((DATA / "360-giving-package-schema.json").read_text())
GRANT_SCHEMA = json.loads((DATA / "360-giving-schema.json").read_text())


def validator() -> Draft202012Validator:
    """The package schema's validator, with the grant schema it points at (by an absolute
    URL, …/1.4.2/…, while the file's own $id says …/1.4.3/…) served from the local file."""
    grant_schema = Resource.from_contents(GRANT_SCHEMA, default_specification=DRAFT202012)

    def no_network(uri):  # anything not registered is an error, never a download
        raise LookupError(f"not available offline: {uri}")

    registry = Registry(retrieve=no_network).with_resources(
        [
            (PACKAGE_SCHEMA["properties"]["grants"]["items"]["$ref"], grant_schema),
            (GRANT_SCHEMA["$id"], grant_schema),
        ]
    )
    return Draft202012Validator(PACKAGE_SCHEMA, registry=registry, format_checker=FormatChecker())


def errors(data) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data)
    ]


def titles(schema=GRANT_SCHEMA) -> set[str]:
    """Every column title the standard defines: titles joined with ':' down the schema (as
    360Giving's spreadsheet templates do), following $refs into $defs."""
    found: set[str] = set()

    def walk(node, prefix, depth=0):
        if depth > 4:
            return
        if "$ref" in node:
            node = {**GRANT_SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[1]], **node}
        if node.get("type") == "array" and "items" in node:
            walk({**node["items"], "title": node.get("title")}, prefix, depth)
            return
        for key, child in node.get("properties", {}).items():
            if "$ref" in child:
                child = {**GRANT_SCHEMA["$defs"][child["$ref"].rsplit("/", 1)[1]], **child}
            title = child.get("title") or key
            path = f"{prefix}:{title}" if prefix else title
            if "properties" in child or ("items" in child and "$ref" in child["items"]):
                walk(child, path, depth + 1)
            else:
                found.add(path)

    walk(schema, "")
    return found


# --- building grants through the steps ---------------------------------------------------------


def pay(grant, amount, *, officer, finance, on):
    payment = steps.request_payment(grant, amount, by=officer)
    steps.approve_payment(payment, by=finance)
    steps.mark_paid(payment, by=finance, paid_on=on, reference=f"BACS {amount}")
    return payment


def award_and_accept(grant, amount, officer, **kw):
    steps.award(grant, amount, by=officer, decided_by=kw.pop("decided_by", "panel"), **kw)
    steps.accept(grant, by=grant.applicant)
    return grant


def close(grant, officer):
    """Run the closure to both signatures (the closing pages are another part: the closure
    record's fields are filled in directly here, the signing goes through the steps)."""
    closure = steps.start_closure(grant, by=officer)
    now = utcnow()
    closure.report_kind, closure.report_text, closure.report_at = "form", "It went well.", now
    closure.reviewed_at, closure.conversation_on = now, date(2026, 9, 1)
    closure.letter, closure.letter_version = {"legal": "All settled."}, 1
    db.session.flush()
    steps.sign(grant, "funder", by=officer)
    steps.sign(grant, "grantee", by=grant.applicant)
    assert grant.status == "closed"


@pytest.fixture
def world(app):
    org = f.organisation()
    officer, finance = f.person("Priya"), f.person("Tom")
    f.member(officer, org, "council_officer")
    f.member(finance, org, "finance_approver")
    fund = f.fund(
        5_000_000,
        organisation_=org,
        officer=officer,
        name="Community Chest",
        summary="Small grants for groups and people in Porthaven.",
    )

    club = f.application(
        fund,
        amount=300_000,
        recipient_name="Northside Families Group",
        recipient_number="1164883",
        where_text="Northside ward",
        planned_start=date(2026, 4, 1),
        planned_end=date(2027, 3, 31),
    )
    award_and_accept(club, 300_000, officer)
    pay(club, 200_000, officer=officer, finance=finance, on=date(2026, 5, 1))
    pay(club, 100_000, officer=officer, finance=finance, on=date(2026, 7, 1))
    steps.record_return(
        club, 25_050, by=officer, occurred_on=date(2026, 8, 1), reference="Cheque 12"
    )
    close(club, officer)

    hosted = f.application(
        fund,
        amount=50_000,
        title="Allotment tools",
        what="Spades, forks and a shed lock.",
        recipient_kind="hosted",
        recipient_name="Harbour Street Growers",
        host_name="Porthaven CVS",
        host_number="08123456",
    )
    award_and_accept(hosted, 40_000, officer, decided_by="residents")
    payment = pay(hosted, 10_000, officer=officer, finance=finance, on=date(2026, 6, 2))
    books.reverse(
        db.session.get(LedgerTransaction, payment.transaction_id),
        memo="Paid to the wrong account",
        by=finance,
    )
    pay(hosted, 15_000, officer=officer, finance=finance, on=date(2026, 6, 9))

    person_grant = f.application(
        fund,
        amount=30_000,
        title="Laptop for Dot Evans",
        what="Dot Evans of 4 Quay Lane needs a laptop for college.",
        where_text="4 Quay Lane, PH1 2AB",
        recipient_kind="individual",
        recipient_name="Dot Evans",
        name_public=True,
    )
    award_and_accept(person_grant, 30_000, officer)
    pay(person_grant, 10_000, officer=officer, finance=finance, on=date(2026, 6, 15))
    steps.cancel(person_grant, by=officer, reason="Moved away")

    offered = f.application(
        fund, amount=20_000, title="Bus trips", recipient_name="Older People's Forum"
    )
    steps.award(offered, 20_000, by=officer, decided_by="consent")

    waiting = f.application(fund, amount=10_000, title="Still deciding")
    declined = f.application(fund, amount=10_000, title="Said no to")
    steps.decline(declined, by=officer, note="Outside what the fund is for")

    other_org = f.organisation("Seaview Trust", kind="funder")
    other_fund = f.fund(1_000_000, organisation_=other_org, name="Seaview Fund")
    elsewhere = f.application(other_fund, amount=10_000, title="Beach clean")
    steps.award(
        elsewhere,
        10_000,
        by=db.session.get(type(officer), other_fund.created_by_id),
        decided_by="panel",
    )
    db.session.commit()
    assert books.verify_all() == []
    return {
        "org": org,
        "fund": fund,
        "club": club,
        "hosted": hosted,
        "person": person_grant,
        "offered": offered,
        "waiting": waiting,
        "declined": declined,
        "other_fund": other_fund,
    }


def export(app, **kw):
    return giving360.build(giving360.options_from_config(app.config, place_zone()), **kw)


def local(moment) -> str:
    return moment.astimezone(place_zone()).date().isoformat()


def the(data, world, key):
    grant = world[key]
    found = [g for g in data["grants"] if g["id"].endswith(f"-{grant.fund.slug}-{grant.number}")]
    assert len(found) == 1, [g["id"] for g in data["grants"]]
    return found[0]


# --- the tests ---------------------------------------------------------------------------------


def test_the_export_validates_against_the_360giving_schemas(app, world):
    data = export(app)
    assert errors(data) == []
    assert data["version"] == "1.4"
    assert data["publisher"] == {"name": "Participate"}  # two organisations' grants
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_the_validator_really_checks(app, world):
    data = export(app)
    broken = copy.deepcopy(data)
    broken["grants"][0]["amountAwarded"] = "3000"
    assert any("amountAwarded" in e for e in errors(broken))
    for bad_date in ("01/05/2026", "2026-13-01"):
        broken = copy.deepcopy(data)
        broken["grants"][0]["awardDate"] = bad_date
        assert errors(broken), bad_date
    broken = copy.deepcopy(data)
    broken["grants"][0]["dateModified"] = "2026-05-01"  # must be a full date-time
    assert errors(broken)
    broken = copy.deepcopy(data)
    broken["grants"][0]["dataSource"] = "not a web address"  # format uri
    assert errors(broken)
    broken = copy.deepcopy(data)
    del broken["grants"][0]["fundingOrganization"]
    assert errors(broken)
    broken = copy.deepcopy(data)
    broken["grants"][0]["recipientIndividual"] = {"id": "360G-x-IND-1", "name": "Someone"}
    assert errors(broken)  # an organisation AND an individual: oneOf fails
    assert errors({**data, "grants": []})  # a package needs at least one grant


def test_only_grants_that_were_awarded_are_published(app, world):
    data = export(app)
    statuses = {g["grantStatus"] for g in data["grants"]}
    assert statuses == {"closed", "active", "cancelled", "awarded"}
    ids = {g["id"] for g in data["grants"]}
    for key in ("waiting", "declined"):
        grant = world[key]
        assert not any(i.endswith(f"-{grant.fund.slug}-{grant.number}") for i in ids)
    titles_out = json.dumps(data)
    assert "Still deciding" not in titles_out and "Said no to" not in titles_out
    assert len(data["grants"]) == 5  # four in the Community Chest, one in the Seaview Fund


def test_identifiers_dates_money_and_transactions(app, world):
    org = world["org"].slug
    data = export(app, organisation=org)
    fund = world["fund"]
    for grant in data["grants"]:
        assert grant["id"].startswith(f"360G-{org}-{fund.slug}-")
        assert grant["fundingOrganization"] == [
            {"id": f"360G-{org}-org-{org}", "name": "Porthaven Council"}
        ]
        assert grant["grantProgramme"][0]["code"] == fund.slug
        assert grant["grantProgramme"][0]["title"] == "Community Chest"
    club = the(data, world, "club")
    assert club["id"] == f"360G-{org}-{fund.slug}-{world['club'].number}"
    assert club["amountAwarded"] == 3000 and club["amountAppliedFor"] == 3000
    assert club["currency"] == "GBP"
    assert club["awardDate"] == local(world["club"].decided_at)
    assert club["recipientOrganization"] == [
        {"id": "GB-CHC-1164883", "name": "Northside Families Group", "charityNumber": "1164883"}
    ]
    assert club["beneficiaryLocation"] == [{"name": "Northside ward"}]
    assert club["plannedDates"] == [{"startDate": "2026-04-01", "endDate": "2027-03-31"}]
    assert club["actualDates"][0]["endDate"] == local(world["club"].closed_at)
    assert club["actualDates"][0]["startDate"] == local(world["club"].accepted_at)
    # Two tranches paid, then unspent money came back (an additional field, not a minus).
    assert [(t["transactionDate"], t["value"]) for t in club["disbursementTransaction"]] == [
        ("2026-05-01", 2000),
        ("2026-07-01", 1000),
    ]
    assert club["amountDisbursed"] == 3000
    assert [(t["transactionDate"], t["value"]) for t in club["returnTransaction"]] == [
        ("2026-08-01", 250.5)
    ]
    assert club["returnTransaction"][0]["provider"] == "GB-CHC-1164883"
    assert club["amountReturned"] == 250.5
    assert [t["value"] for t in club["commitmentTransaction"]] == [3000]
    assert club["disbursementTransaction"][0]["recipient"] == "GB-CHC-1164883"
    assert club["classifications"][0]["code"] == "panel"
    assert club["dateModified"].endswith("Z")
    ids = [
        t["id"]
        for g in data["grants"]
        for kind in (
            "commitmentTransaction",
            "disbursementTransaction",
            "returnTransaction",
            "releaseTransaction",
        )
        for t in g[kind]
    ]
    assert len(ids) == len(set(ids))


def test_disbursements_are_the_paid_payments_and_not_a_reversed_one(app, world):
    data = export(app)
    hosted = the(data, world, "hosted")
    assert [(t["transactionDate"], t["value"]) for t in hosted["disbursementTransaction"]] == [
        ("2026-06-09", 150)
    ]
    assert hosted["amountDisbursed"] == 150
    assert hosted["grantStatus"] == "active"
    offered = the(data, world, "offered")
    assert offered["grantStatus"] == "awarded"
    assert offered["disbursementTransaction"] == [] and offered["amountDisbursed"] == 0
    for grant in data["grants"]:
        paid = sum(t["value"] for t in grant["disbursementTransaction"])
        assert round(paid * 100) == round(grant["amountDisbursed"] * 100)


def test_a_hosted_group_is_paid_through_its_host(app, world):
    hosted = the(export(app), world, "hosted")
    assert hosted["recipientOrganization"] == [
        {"id": "GB-COH-08123456", "name": "Porthaven CVS", "companyNumber": "08123456"}
    ]
    assert hosted["regrantType"] == "FRG050"
    with (DATA / "codelists" / "regrantType.csv").open(encoding="utf-8") as fh:
        codes = {row["Code"]: row["Title"] for row in csv.DictReader(fh)}
    assert codes["FRG050"] == "Fiscal sponsor"
    assert hosted["hostedGroup"] == {"name": "Harbour Street Growers"}
    assert "held for Harbour Street Growers by Porthaven CVS" in hosted["description"]
    assert hosted["classifications"][0]["code"] == "residents"
    assert hosted["amountAwarded"] == 400 and hosted["amountAppliedFor"] == 500


def test_a_person_is_never_named(app, world):
    data = export(app)
    record = the(data, world, "person")
    grant = world["person"]
    assert record["recipientIndividual"] == {
        "id": f"360G-{world['org'].slug}-IND-{grant.fund.slug}-{grant.number}",
        "name": "Individual Recipient",
    }
    assert "recipientOrganization" not in record
    assert "beneficiaryLocation" not in record  # free text that could point at a home
    assert record["title"] == "Grant to an individual from Community Chest"
    assert record["description"] == "Small grants for groups and people in Porthaven."
    for tx in record["disbursementTransaction"] + record["returnTransaction"]:
        assert "recipient" not in tx or tx["recipient"] != "Dot Evans"
    assert record["grantStatus"] == "cancelled"
    assert record["actualDates"][0]["endDate"] == local(grant.cancelled_at)
    # Cancelled: 100 paid, the 200 never paid was released.
    assert record["amountDisbursed"] == 100 and record["amountReleased"] == 200
    text = json.dumps(data) + giving360.csv_text(data["grants"])
    for private in ("Dot", "Evans", "Quay Lane", "PH1", "laptop", "Laptop"):
        assert private not in text, private


def test_filters_by_organisation_and_fund(app, world):
    org, other = world["org"].slug, world["other_fund"].organisation.slug
    mine = export(app, organisation=org)
    assert len(mine["grants"]) == 4 and errors(mine) == []
    assert mine["publisher"] == {"name": "Porthaven Council", "identifier": f"360G-{org}-org-{org}"}
    theirs = export(app, organisation=other)
    assert [g["title"] for g in theirs["grants"]] == ["Beach clean"]
    assert theirs["grants"][0]["id"].startswith(f"360G-{other}-{world['other_fund'].slug}-")
    only = export(app, fund=world["other_fund"].slug)
    assert [g["title"] for g in only["grants"]] == ["Beach clean"]
    with pytest.raises(giving360.ExportRefused):
        export(app, organisation="nobody")
    with pytest.raises(giving360.ExportRefused):
        export(app, organisation=other, fund=world["fund"].slug)


def test_the_prefix_and_funder_id_come_from_config(app, world):
    org, other = world["org"].slug, world["other_fund"].organisation.slug
    app.config.update(
        GIVING360_PREFIX={org: "360G-porthaven"},
        GIVING360_FUNDER_ID={org: "GB-LAE-PHV"},
        GIVING360_BASE_URL="https://participate.example.org",
    )
    data = export(app, organisation=org)
    assert errors(data) == []
    club = the(data, world, "club")
    assert club["id"] == f"360G-porthaven-{world['fund'].slug}-{world['club'].number}"
    assert club["fundingOrganization"][0]["id"] == "GB-LAE-PHV"
    assert club["dataSource"] == f"https://participate.example.org/funds/{world['fund'].slug}"
    assert data["publisher"]["website"] == "https://participate.example.org"
    theirs = export(app, organisation=other)["grants"][0]
    assert theirs["id"].startswith(f"360G-{other}-")  # not in the dict: the default


def test_the_csv_has_the_standard_titles_and_a_row_per_grant(app, world):
    data = export(app)
    rows = list(csv.DictReader(giving360.csv_text(data["grants"]).splitlines()))
    standard = titles()
    assert {
        "Identifier",
        "Amount Awarded",
        "Recipient Org:Identifier",
        "Recipient Ind:Name",
        "Planned Dates:Start Date",
        "Beneficiary Location:Name",
    } <= standard
    for column in giving360.CSV_COLUMNS:
        assert column in standard or column in giving360.EXTENSION_COLUMNS, column
    assert list(rows[0]) == list(giving360.CSV_COLUMNS)
    assert [r["Identifier"] for r in rows] == [g["id"] for g in data["grants"]]
    club = next(r for r in rows if r["Recipient Org:Name"] == "Northside Families Group")
    assert club["Amount Awarded"] == "3000" and club["Amount Returned"] == "250.5"
    assert club["Grant Status"] == "closed" and club["Award Date"]
    person = next(r for r in rows if r["Recipient Ind:Name"])
    assert person["Recipient Ind:Name"] == "Individual Recipient"
    assert person["Recipient Org:Identifier"] == ""


def test_the_command_writes_json_and_csv(app, world, tmp_path):
    out = tmp_path / "grants.json"
    result = app.test_cli_runner().invoke(
        args=[
            "grants",
            "export-360giving",
            "-o",
            str(out),
            "--csv",
            "--organisation",
            world["org"].slug,
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote 4 grant(s) to {out} and {tmp_path / 'grants.csv'}."
    data = json.loads(out.read_text())
    assert errors(data) == [] and len(data["grants"]) == 4
    rows = list(csv.DictReader((tmp_path / "grants.csv").read_text().splitlines()))
    assert len(rows) == 4


def test_the_command_refuses_clearly(app, world, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "grants",
            "export-360giving",
            "-o",
            str(tmp_path / "x.json"),
            "--organisation",
            "nobody",
        ]
    )
    assert result.exit_code != 0 and "no organisation 'nobody'" in result.output
    assert not (tmp_path / "x.json").exists()
    result = runner.invoke(
        args=["grants", "export-360giving", "-o", str(tmp_path / "x.csv"), "--csv"]
    )
    assert result.exit_code != 0 and "JSON" in result.output
    help_text = runner.invoke(args=["grants", "export-360giving", "--help"]).output
    assert "--csv" in help_text and "GIVING360_PREFIX" in help_text


def test_nothing_to_export_is_said_plainly(app, tmp_path):
    f.fund(100_000, organisation_=f.organisation("Quiet Council"))
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["grants", "export-360giving", "-o", str(tmp_path / "x.json")]
    )
    assert result.exit_code != 0 and "No awarded grants" in result.output
    assert not (tmp_path / "x.json").exists()


def test_the_demo_export_validates(app):
    from participate import demo

    demo.load()
    db.session.commit()
    try:
        data = export(app)
    except giving360.ExportRefused:
        pytest.skip("the grants demo has no awarded grants yet (participate/grants/demo.py)")
    assert errors(data) == []
    assert all(g["id"].startswith("360G-") for g in data["grants"])
    published = {g["id"]: g for g in data["grants"]}
    text = json.dumps(data) + giving360.csv_text(data["grants"])
    for grant in db.session.scalars(select(Grant)):
        org = grant.fund.organisation.slug
        record = published.get(f"360G-{org}-{grant.fund.slug}-{grant.number}")
        assert (record is not None) == (grant.status in giving360.PUBLISHED_STATUSES)
        if record is None:
            continue
        assert record["grantStatus"] == grant.status
        if grant.recipient_kind == "individual":
            assert record["recipientIndividual"]["name"] == "Individual Recipient"
            assert grant.recipient_name not in text
        elif grant.recipient_kind == "hosted":
            assert record["regrantType"] == "FRG050"
            assert record["recipientOrganization"][0]["name"] == grant.host_name
