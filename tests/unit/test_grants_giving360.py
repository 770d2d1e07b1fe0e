"""The 360Giving export's pure parts (grants/giving360.py) without a database: identifiers,
money, recipients, people kept anonymous, and the CSV. Expectations are written by hand."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from types import SimpleNamespace as NS
from zoneinfo import ZoneInfo

import pytest

from participate.grants import giving360 as g

LONDON = ZoneInfo("Europe/London")
ORG = NS(id=1, slug="porthaven-council", name="Porthaven Council")


def grant(**overrides):
    fund = NS(
        slug="community-chest",
        name="Community Chest",
        currency="GBP",
        summary="Small grants for Porthaven.",
        organisation=ORG,
    )
    values = dict(
        fund=fund,
        number=7,
        title="Breakfast club",
        what="Breakfast on Saturdays.",
        status="active",
        amount_requested=50_000,
        amount_awarded=45_050,
        decided_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        decided_by="panel",
        planned_start=date(2026, 4, 1),
        planned_end=date(2026, 9, 30),
        ends_on=None,
        accepted_at=datetime(2026, 4, 2, 9, 0, tzinfo=UTC),
        closed_at=None,
        cancelled_at=None,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
        recipient_kind="organisation",
        recipient_name="Northside Families",
        recipient_number=None,
        host_name=None,
        host_number=None,
        where_text="Northside ward",
    )
    values.update(overrides)
    return NS(**values)


OPTIONS = g.Options(zone=LONDON)


@pytest.mark.parametrize(
    ("pence", "pounds"), [(0, 0), (100, 1), (45_050, 450.5), (12_345, 123.45), (None, 0)]
)
def test_pence_become_pounds(pence, pounds):
    assert g.pounds(pence) == pounds
    assert isinstance(g.pounds(100_000), int)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("1164883", ("charity", "1164883")),
        (" 216 401 ", ("charity", "216401")),
        ("08123456", ("company", "08123456")),
        ("oc301234", ("company", "OC301234")),
        ("SC012345", (None, "SC012345")),  # a Scottish charity or a Scottish company
        ("12345", (None, "12345")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_registered_numbers(number, expected):
    assert g.registered_number(number) == expected


def test_organisation_identifiers():
    assert g.organisation_record("Hub", "1164883", "p") == {
        "id": "GB-CHC-1164883",
        "name": "Hub",
        "charityNumber": "1164883",
    }
    assert g.organisation_record("Hub Ltd", "08123456", "p") == {
        "id": "GB-COH-08123456",
        "name": "Hub Ltd",
        "companyNumber": "08123456",
    }
    assert g.organisation_record("Côr Merched y Harbwr", None, "p") == {
        "id": "360G-p-org-cor-merched-y-harbwr",
        "name": "Côr Merched y Harbwr",
    }


def test_prefix_and_funder_id_settings():
    assert g.Options().prefix(ORG) == "porthaven-council"
    assert g.Options(prefix_setting="360G-phv").prefix(ORG) == "phv"
    assert g.Options(prefix_setting="my funder").prefix(ORG) == "my_funder"
    assert g.Options(prefix_setting={"other": "x"}).prefix(ORG) == "porthaven-council"
    assert g.Options().funder_id(ORG) == "360G-porthaven-council-org-porthaven-council"
    assert g.Options(funder_id_setting={"porthaven-council": "GB-LAE-PHV"}).funder_id(ORG) == (
        "GB-LAE-PHV"
    )
    assert g.options_from_config({"GIVING360_LICENSE": ""}, UTC).license is None
    assert g.options_from_config({}, UTC).license == g.DEFAULT_LICENSE


def test_an_organisation_grant_record():
    facts = g.GrantFacts(
        award=[g.Movement("1", date(2026, 4, 1), 45_050)],
        paid=[g.Movement("9", date(2026, 5, 1), 20_000), g.Movement("4", date(2026, 4, 20), 5_000)],
        returned=[g.Movement("12", date(2026, 6, 1), 1_000)],
        modified=datetime(2026, 6, 1, 12, 0, tzinfo=UTC),
    )
    record = g.grant_record(grant(), facts, OPTIONS)
    assert record["id"] == "360G-porthaven-council-community-chest-7"
    assert record["awardDate"] == "2026-04-01"  # 23:30 UTC on 31 March is 1 April in London
    assert record["amountAwarded"] == 450.5 and record["amountDisbursed"] == 250
    assert [t["id"] for t in record["disbursementTransaction"]] == [
        "360G-porthaven-council-community-chest-7-payment-4",
        "360G-porthaven-council-community-chest-7-payment-9",
    ]
    assert record["commitmentTransaction"][0]["transactionDate"] == "2026-04-01"
    assert record["returnTransaction"][0]["provider"] == record["recipientOrganization"][0]["id"]
    assert record["amountReturned"] == 10
    assert record["plannedDates"] == [{"startDate": "2026-04-01", "endDate": "2026-09-30"}]
    assert "actualDates" not in record
    assert record["dateModified"] == "2026-06-01T12:00:00Z"
    assert record["grantStatus"] == "active"
    assert "dataSource" not in record  # no base URL: no made-up links


def test_a_person_stays_anonymous_whatever_they_chose():
    person = grant(
        recipient_kind="individual",
        recipient_name="Lowri Pritchard",
        name_public=True,
        title="Lowri's driving lessons",
        what="Lowri needs driving lessons.",
        where_text="12 Quay Lane",
    )
    record = g.grant_record(
        person, g.GrantFacts(paid=[g.Movement("1", date(2026, 5, 1), 10_000)]), OPTIONS
    )
    assert record["recipientIndividual"] == {
        "id": "360G-porthaven-council-IND-community-chest-7",
        "name": "Individual Recipient",
    }
    assert "Lowri" not in str(record) and "Quay" not in str(record)
    assert record["description"] == "Small grants for Porthaven."
    assert "recipient" not in record["disbursementTransaction"][0]


def test_a_hosted_group_names_its_host_as_recipient():
    hosted = grant(
        recipient_kind="hosted",
        recipient_name="Cliff Road Neighbours",
        host_name="Northside Community Hub",
        host_number="1099999",
    )
    record = g.grant_record(hosted, g.GrantFacts(), OPTIONS)
    assert record["recipientOrganization"] == [
        {"id": "GB-CHC-1099999", "name": "Northside Community Hub", "charityNumber": "1099999"}
    ]
    assert record["regrantType"] == "FRG050"
    assert record["hostedGroup"] == {"name": "Cliff Road Neighbours"}
    assert record["description"].endswith(
        "held for Cliff Road Neighbours by Northside Community Hub, its host organisation."
    )


def test_closed_and_cancelled_grants_have_actual_dates():
    closed = g.grant_record(
        grant(status="closed", closed_at=datetime(2026, 10, 1, 10, tzinfo=UTC)),
        g.GrantFacts(),
        OPTIONS,
    )
    assert closed["actualDates"][0]["startDate"] == "2026-04-02"
    assert closed["actualDates"][0]["endDate"] == "2026-10-01"
    cancelled = g.grant_record(
        grant(status="cancelled", accepted_at=None, cancelled_at=datetime(2026, 6, 1, tzinfo=UTC)),
        g.GrantFacts(),
        OPTIONS,
    )
    assert cancelled["actualDates"] == [
        {"endDate": "2026-06-01", "description": "Cancelled before its planned end."}
    ]


def test_csv_rows_follow_the_columns():
    record = g.grant_record(grant(), g.GrantFacts(), OPTIONS)
    rows = list(csv.DictReader(g.csv_text([record, record]).splitlines()))
    assert len(rows) == 2 and tuple(rows[0]) == g.CSV_COLUMNS
    assert rows[0]["Identifier"] == "360G-porthaven-council-community-chest-7"
    assert rows[0]["Amount Awarded"] == "450.5"
    assert rows[0]["Recipient Ind:Name"] == "" and rows[0]["Grant Status"] == "active"
    assert g.csv_path_for("out/grants.json") == "out/grants.csv"
    assert g.csv_path_for("grants") == "grants.csv"
