"""The 360Giving export: the grants an organisation has awarded, as a 360Giving data package
(JSON, standard 1.4) and, if asked, as a flat CSV with the standard's column titles.

``flask --app app grants export-360giving -o grants.json [--csv] [--organisation SLUG]
[--fund SLUG]`` (``cli.py``) calls ``export``. Nothing here needs ``jsonschema``: the test suite
validates the output against the standard's schemas (``tests/data/360giving/``).

What goes in
- Every grant that was awarded at some point: awarded, active, closing, closed and cancelled
  (never applied or declined ones).
- Grant ``id``: ``360G-<prefix>-<fund slug>-<number>``. The prefix is ``GIVING360_PREFIX``
  from the app's config: one string for every organisation, or a dict from organisation slug
  to prefix; by default the organisation's slug (``porthaven-council``). A leading ``360G-``
  in the setting is allowed and not doubled. Register a real prefix with 360Giving before
  publishing.
- Funding organisation: the fund's organisation, with the id from ``GIVING360_FUNDER_ID``
  (string, or dict by organisation slug; an Org ID such as ``GB-LAE-XXX``), by default
  ``360G-<prefix>-org-<organisation slug>``.
- Recipient organisation: ``GB-CHC-<n>`` for a charity number (6 or 7 digits), ``GB-COH-<n>``
  for a company number (8 characters: 8 digits, or 2 letters and 6 digits), otherwise
  ``360G-<prefix>-org-<slug of the name>``. A Scottish ``SC`` number can be either a charity
  or a company, so it gets the internal identifier.
- A group without its own bank account: the recipient organisation is its HOST (which holds
  the money), with ``regrantType`` FRG050 ("Fiscal sponsor": the recipient hosts the money
  for the end recipient), the description saying whom it is held for, and the group's name
  in the additional field ``hostedGroup``.
- A person: ``recipientIndividual`` with the id ``360G-<prefix>-IND-<fund slug>-<number>``
  and the name "Individual Recipient", always, whatever they chose for the public pages. The
  title and description are generic (the fund's summary), the beneficiary location is left
  out (it is free text and could point at a home), and so are transaction recipients, as the
  standard's guidance for grants to individuals asks.
- Dates: ``awardDate`` is the local date of the decision; planned dates from the application
  (start) and the grant's end; actual dates when a grant closed or was cancelled;
  ``dateModified`` in UTC.
- Money: pounds (pence / 100). ``commitmentTransaction`` is the award,
  ``disbursementTransaction`` each payment marked paid (unless its ledger entry was
  reversed), and ``amountDisbursed`` their sum.
- Additional fields (360Giving allows fields of one's own; it has no status and no returns):
  ``grantStatus`` (our status), ``returnTransaction`` / ``amountReturned`` (unspent money the
  grantee paid back), ``releaseTransaction`` / ``amountReleased`` (promised money released
  unpaid, e.g. on cancelling), ``hostedGroup``. In the CSV: "Grant Status", "Amount
  Returned", "Amount Released", "Hosted Group:Name".
- ``GIVING360_BASE_URL`` (e.g. ``https://participate.example.org``): when set, ``dataSource``,
  the grant programme's ``url`` and the publisher's website point at the fund pages.
  ``GIVING360_LICENSE``: the data's licence (default CC BY 4.0; empty: none stated).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from sqlalchemy import select

from participate.grants.rules import DECIDED_BY
from participate.slugs import plain_slug

SCHEMA_VERSION = "1.4"
PUBLISHED_STATUSES = ("awarded", "active", "closing", "closed", "cancelled")
INDIVIDUAL_NAME = "Individual Recipient"
FISCAL_SPONSOR = "FRG050"
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# How a grant was decided, in the fund pages' words (English: open data is not translated).
DECIDED_BY_TITLES = {key: str(label) for key, label in DECIDED_BY.items()}

# The CSV: 360Giving column titles (from the schema's titles), then our additional fields.
CSV_COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Actual Dates:Start Date",
    "Actual Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Ind:Identifier",
    "Recipient Ind:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Beneficiary Location:Name",
    "For Regrant Type",
    "Last Modified",
    "Data Source",
    "Grant Status",
    "Amount Returned",
    "Amount Released",
    "Hosted Group:Name",
)
EXTENSION_COLUMNS = ("Grant Status", "Amount Returned", "Amount Released", "Hosted Group:Name")


class ExportRefused(ValueError):
    """Nothing to export, or an unknown organisation or fund."""


# --- settings ----------------------------------------------------------------------------------


def _strip_360g(value: str) -> str:
    value = value.strip()
    return value[5:] if value.upper().startswith("360G-") else value


def _by_organisation(setting, organisation_slug: str):
    if isinstance(setting, dict):
        return setting.get(organisation_slug)
    return setting or None


@dataclass(frozen=True)
class Options:
    """The export's settings (``options_from_config`` reads them from the app's config)."""

    prefix_setting: str | dict | None = None
    funder_id_setting: str | dict | None = None
    base_url: str | None = None
    license: str | None = DEFAULT_LICENSE
    zone: tzinfo = UTC
    place_name: str = "Participate"

    def prefix(self, organisation) -> str:
        chosen = _by_organisation(self.prefix_setting, organisation.slug)
        return identifier_part(_strip_360g(chosen) if chosen else organisation.slug)

    def funder_id(self, organisation) -> str:
        chosen = _by_organisation(self.funder_id_setting, organisation.slug)
        if chosen:
            return chosen.strip()
        return f"360G-{self.prefix(organisation)}-org-{plain_slug(organisation.slug, 'org')}"

    def link(self, path: str) -> str | None:
        return f"{self.base_url.rstrip('/')}{path}" if self.base_url else None


def options_from_config(config, zone: tzinfo) -> Options:
    license_ = config.get("GIVING360_LICENSE", DEFAULT_LICENSE)
    return Options(
        prefix_setting=config.get("GIVING360_PREFIX"),
        funder_id_setting=config.get("GIVING360_FUNDER_ID"),
        base_url=config.get("GIVING360_BASE_URL") or None,
        license=license_ or None,
        zone=zone,
        place_name=config.get("PLACE_NAME", "Participate"),
    )


# --- pure pieces -------------------------------------------------------------------------------


def identifier_part(text: str) -> str:
    """Safe inside an identifier: spaces and special characters become ``_`` (360Giving's
    advice), never a slash."""
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text.strip()) or "_"


def pounds(pence: int | None):
    """Pence as a number of pounds: whole pounds as an int, otherwise two decimals."""
    pence = int(pence or 0)
    return pence // 100 if pence % 100 == 0 else round(pence / 100, 2)


def registered_number(number: str | None) -> tuple[str | None, str | None]:
    """``("charity" | "company" | None, the number cleaned)``: 6 or 7 digits is a charity in
    England and Wales; 8 digits, or two letters and six digits, a UK company. Anything else
    (including Scottish ``SC`` numbers, which charities and companies share) is unknown."""
    if not number:
        return None, None
    clean = re.sub(r"[\s.]+", "", number).upper()
    if re.fullmatch(r"\d{6,7}", clean):
        return "charity", clean
    if re.fullmatch(r"\d{8}", clean) or (
        re.fullmatch(r"[A-Z]{2}\d{6}", clean) and not clean.startswith("SC")
    ):
        return "company", clean
    return None, clean


def organisation_record(name: str, number: str | None, prefix: str) -> dict:
    kind, clean = registered_number(number)
    if kind == "charity":
        return {"id": f"GB-CHC-{clean}", "name": name, "charityNumber": clean}
    if kind == "company":
        return {"id": f"GB-COH-{clean}", "name": name, "companyNumber": clean}
    return {"id": f"360G-{prefix}-org-{plain_slug(name, 'unnamed')}", "name": name}


def local_date(moment: datetime | None, zone: tzinfo) -> str | None:
    return moment.astimezone(zone).date().isoformat() if moment is not None else None


def stamp(moment: datetime) -> str:
    """A full date-time in UTC, as 360Giving's Last Modified fields want."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Movement:
    """One money movement of a grant, as exported: its own key, the day, the pence."""

    key: str
    on: date
    pence: int


@dataclass
class GrantFacts:
    """What the export needs besides the grant's own columns (read by ``gather``)."""

    award: list[Movement] = field(default_factory=list)
    paid: list[Movement] = field(default_factory=list)
    returned: list[Movement] = field(default_factory=list)
    released: list[Movement] = field(default_factory=list)
    modified: datetime | None = None


def grant_id(prefix: str, fund_slug: str, number: int) -> str:
    return f"360G-{prefix}-{identifier_part(fund_slug)}-{number}"


def _transactions(gid, kind, moves, currency, provider, recipient) -> list[dict]:
    out = []
    for move in sorted(moves, key=lambda m: (m.on, m.key)):
        tx = {
            "id": f"{gid}-{kind}-{move.key}",
            "transactionDate": move.on.isoformat(),
            "currency": currency,
            "value": pounds(move.pence),
        }
        if provider:
            tx["provider"] = provider
        if recipient:
            tx["recipient"] = recipient
        out.append(tx)
    return out


def grant_record(grant, facts: GrantFacts, options: Options) -> dict:
    """One grant as a 360Giving grant record (a dict ready for JSON)."""
    fund = grant.fund
    organisation = fund.organisation
    prefix = options.prefix(organisation)
    funder_id = options.funder_id(organisation)
    gid = grant_id(prefix, fund.slug, grant.number)
    currency = fund.currency or "GBP"
    zone = options.zone
    individual = grant.recipient_kind == "individual"
    hosted = grant.recipient_kind == "hosted" and bool(grant.host_name)

    if individual:
        title = f"Grant to an individual from {fund.name}"
        description = (fund.summary or "").strip() or f"A grant to an individual from {fund.name}."
    else:
        title = grant.title
        description = (grant.what or "").strip() or grant.title
        if hosted:
            description += (
                f" The money is held for {grant.recipient_name} by {grant.host_name}, "
                "its host organisation."
            )
    award_date = local_date(grant.decided_at, zone)
    if award_date is None and facts.award:
        award_date = min(m.on for m in facts.award).isoformat()
    if award_date is None:
        award_date = local_date(grant.created_at, zone)
    record: dict = {
        "id": gid,
        "title": title[:140],
        "description": description,
        "currency": currency,
        "amountAppliedFor": pounds(grant.amount_requested),
        "amountAwarded": pounds(grant.amount_awarded),
        "amountDisbursed": pounds(sum(m.pence for m in facts.paid)),
        "awardDate": award_date,
    }

    recipient_id = None
    if individual:
        record["recipientIndividual"] = {
            "id": f"360G-{prefix}-IND-{identifier_part(fund.slug)}-{grant.number}",
            "name": INDIVIDUAL_NAME,
        }
    else:
        if hosted:
            org = organisation_record(grant.host_name, grant.host_number, prefix)
        else:
            org = organisation_record(grant.recipient_name, grant.recipient_number, prefix)
        record["recipientOrganization"] = [org]
        recipient_id = org["id"]
        if hosted:
            record["regrantType"] = FISCAL_SPONSOR
    record["fundingOrganization"] = [{"id": funder_id, "name": organisation.name}]

    programme = {"code": fund.slug, "title": fund.name}
    if fund.summary:
        programme["description"] = fund.summary
    if options.link(f"/funds/{fund.slug}"):
        programme["url"] = options.link(f"/funds/{fund.slug}")
    record["grantProgramme"] = [programme]

    planned_end = grant.ends_on or grant.planned_end
    if grant.planned_start or planned_end:
        event = {}
        if grant.planned_start:
            event["startDate"] = grant.planned_start.isoformat()
        if planned_end:
            event["endDate"] = planned_end.isoformat()
        record["plannedDates"] = [event]
    ended = None
    if grant.status == "closed":
        ended = (grant.closed_at, "Closed: both sides signed the closure letter.")
    elif grant.status == "cancelled":
        ended = (grant.cancelled_at, "Cancelled before its planned end.")
    if ended and ended[0] is not None:
        event = {"endDate": local_date(ended[0], zone), "description": ended[1]}
        if grant.accepted_at is not None:
            event = {"startDate": local_date(grant.accepted_at, zone), **event}
        record["actualDates"] = [event]

    if grant.where_text and not individual:
        record["beneficiaryLocation"] = [{"name": grant.where_text}]
    if grant.decided_by in DECIDED_BY_TITLES:
        record["classifications"] = [
            {
                "vocabulary": f"360G-{prefix}-decided-by",
                "code": grant.decided_by,
                "title": DECIDED_BY_TITLES[grant.decided_by],
            }
        ]

    # The award is the commitment, on the day it was decided (the ledger's award entry is
    # written that day; the date is the decision's so the two never disagree).
    commitments = [Movement(m.key, date.fromisoformat(award_date), m.pence) for m in facts.award]
    record["commitmentTransaction"] = _transactions(
        gid, "award", commitments, currency, funder_id, recipient_id
    )
    record["disbursementTransaction"] = _transactions(
        gid, "payment", facts.paid, currency, funder_id, recipient_id
    )
    if facts.modified is not None:
        record["dateModified"] = stamp(facts.modified)
    if options.link(f"/funds/{fund.slug}"):
        record["dataSource"] = options.link(f"/funds/{fund.slug}")

    # Our additional fields: the standard has no status and no returns.
    record["grantStatus"] = grant.status
    record["amountReturned"] = pounds(sum(m.pence for m in facts.returned))
    record["returnTransaction"] = _transactions(
        gid, "return", facts.returned, currency, recipient_id, funder_id
    )
    record["amountReleased"] = pounds(sum(m.pence for m in facts.released))
    record["releaseTransaction"] = _transactions(
        gid, "release", facts.released, currency, None, None
    )
    if hosted:
        record["hostedGroup"] = {"name": grant.recipient_name}
    return record


def package(
    records: list[dict],
    *,
    publisher: dict,
    options: Options,
    now: datetime,
    identifier: str,
    title: str,
) -> dict:
    """The data package around the grant records (``version``, publisher, licence...)."""
    data: dict = {
        "version": SCHEMA_VERSION,
        "title": title,
        "description": (
            "Grants awarded through small-grant funds: every grant awarded, active, closing, "
            "closed or cancelled. Besides the 360Giving fields each grant has these additional "
            "fields: grantStatus (awarded, active, closing, closed or cancelled), "
            "returnTransaction and amountReturned (unspent money the grantee gave back), "
            "releaseTransaction and amountReleased (money promised and released unpaid), and "
            "hostedGroup (for a group whose host organisation holds the money, the group)."
        ),
        "identifier": identifier,
        "modified": stamp(now),
        "publisher": publisher,
    }
    if options.license:
        data["license"] = options.license
    data["grants"] = records
    return data


def _cell(value) -> str:
    return "" if value is None else str(value)


def csv_row(record: dict) -> dict[str, str]:
    """A grant record flattened to one CSV row, keyed by ``CSV_COLUMNS``."""
    org = (record.get("recipientOrganization") or [{}])[0]
    ind = record.get("recipientIndividual") or {}
    funder = record["fundingOrganization"][0]
    programme = (record.get("grantProgramme") or [{}])[0]
    planned = (record.get("plannedDates") or [{}])[0]
    actual = (record.get("actualDates") or [{}])[0]
    location = (record.get("beneficiaryLocation") or [{}])[0]
    values = {
        "Identifier": record["id"],
        "Title": record["title"],
        "Description": record["description"],
        "Currency": record["currency"],
        "Amount Applied For": record.get("amountAppliedFor"),
        "Amount Awarded": record["amountAwarded"],
        "Amount Disbursed": record.get("amountDisbursed"),
        "Award Date": record["awardDate"],
        "Planned Dates:Start Date": planned.get("startDate"),
        "Planned Dates:End Date": planned.get("endDate"),
        "Actual Dates:Start Date": actual.get("startDate"),
        "Actual Dates:End Date": actual.get("endDate"),
        "Recipient Org:Identifier": org.get("id"),
        "Recipient Org:Name": org.get("name"),
        "Recipient Org:Charity Number": org.get("charityNumber"),
        "Recipient Org:Company Number": org.get("companyNumber"),
        "Recipient Ind:Identifier": ind.get("id"),
        "Recipient Ind:Name": ind.get("name"),
        "Funding Org:Identifier": funder["id"],
        "Funding Org:Name": funder["name"],
        "Grant Programme:Code": programme.get("code"),
        "Grant Programme:Title": programme.get("title"),
        "Beneficiary Location:Name": location.get("name"),
        "For Regrant Type": record.get("regrantType"),
        "Last Modified": record.get("dateModified"),
        "Data Source": record.get("dataSource"),
        "Grant Status": record.get("grantStatus"),
        "Amount Returned": record.get("amountReturned"),
        "Amount Released": record.get("amountReleased"),
        "Hosted Group:Name": (record.get("hostedGroup") or {}).get("name"),
    }
    return {column: _cell(values[column]) for column in CSV_COLUMNS}


def csv_text(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(csv_row(record))
    return out.getvalue()


# --- from the database -------------------------------------------------------------------------


def published_grants(organisation: str | None = None, fund: str | None = None) -> list:
    """The grants to publish (awarded at some point), by fund then number."""
    from participate.accounts.models import Organisation, Space
    from participate.extensions import db
    from participate.grants.models import Fund, Grant

    if (
        organisation is not None
        and db.session.scalar(select(Organisation.id).where(Organisation.slug == organisation))
        is None
    ):
        raise ExportRefused(f"There is no organisation {organisation!r}.")
    if (
        fund is not None
        and db.session.scalar(
            select(Fund.id).join(Space, Fund.space_id == Space.id).where(Space.slug == fund)
        )
        is None
    ):
        raise ExportRefused(f"There is no fund {fund!r}.")
    query = (
        select(Grant)
        .join(Fund, Grant.fund_id == Fund.id)
        .join(Space, Fund.space_id == Space.id)
        .join(Organisation, Space.organisation_id == Organisation.id)
        .where(Grant.status.in_(PUBLISHED_STATUSES))
        .order_by(Organisation.slug, Space.slug, Grant.number)
    )
    if organisation is not None:
        query = query.where(Organisation.slug == organisation)
    if fund is not None:
        query = query.where(Space.slug == fund)
    return list(db.session.scalars(query).unique())


def gather(grants: list) -> dict[int, GrantFacts]:
    """The money movements and last change of each grant, from payments and the ledger.
    Reversed ledger entries (and the reversals) are left out."""
    from participate.extensions import db
    from participate.grants.models import LedgerTransaction, Payment

    facts = {g.id: GrantFacts(modified=g.updated_at) for g in grants}
    if not grants:
        return facts
    ids = list(facts)
    txs = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.grant_id.in_(ids))
        .order_by(LedgerTransaction.id)
    ).all()
    reversed_ids = {tx.reverses_id for tx in txs if tx.reverses_id is not None}
    moves = defaultdict(list)
    for tx in txs:
        found = facts[tx.grant_id]
        if found.modified is None or tx.created_at > found.modified:
            found.modified = tx.created_at
        if tx.id in reversed_ids or tx.kind not in ("award", "return", "release"):
            continue
        amount = sum(p.amount for p in tx.postings if p.amount > 0)
        moves[tx.grant_id, tx.kind].append(Movement(str(tx.id), tx.occurred_on, amount))
    for grant_id_, found in facts.items():
        found.award = moves[grant_id_, "award"]
        found.returned = moves[grant_id_, "return"]
        found.released = moves[grant_id_, "release"]
    for payment in db.session.scalars(
        select(Payment)
        .where(Payment.grant_id.in_(ids), Payment.status == "paid")
        .order_by(Payment.paid_on, Payment.id)
    ):
        if payment.transaction_id in reversed_ids or payment.paid_on is None:
            continue
        facts[payment.grant_id].paid.append(
            Movement(str(payment.id), payment.paid_on, payment.amount)
        )
    return facts


@dataclass(frozen=True)
class Written:
    grants: int
    paths: tuple[str, ...]


def build(
    options: Options,
    *,
    organisation: str | None = None,
    fund: str | None = None,
    now: datetime | None = None,
) -> dict:
    """The data package as a dict (``ExportRefused`` when there is nothing to publish: the
    standard needs at least one grant)."""
    grants = published_grants(organisation, fund)
    if not grants:
        where = " ".join(
            part
            for part in (
                f"for organisation {organisation!r}" if organisation else "",
                f"in fund {fund!r}" if fund else "",
            )
            if part
        )
        raise ExportRefused(f"No awarded grants to export{' ' + where if where else ''}.")
    facts = gather(grants)
    records = [grant_record(g, facts[g.id], options) for g in grants]
    organisations = {g.fund.organisation.id: g.fund.organisation for g in grants}
    now = now or datetime.now(UTC)
    if len(organisations) == 1:
        (org,) = organisations.values()
        prefix = options.prefix(org)
        publisher = {"name": org.name, "identifier": options.funder_id(org)}
        title = f"{org.name}: grants awarded"
    else:
        setting = options.prefix_setting
        prefix = (
            identifier_part(_strip_360g(setting))
            if isinstance(setting, str) and setting.strip()
            else plain_slug(options.place_name, "participate")
        )
        publisher = {"name": options.place_name}
        title = f"{options.place_name}: grants awarded"
    if options.base_url:
        publisher["website"] = options.base_url
    suffix = f"-{identifier_part(fund)}" if fund else ""
    if fund:
        title += f" from {grants[0].fund.name}"
    return package(
        records,
        publisher=publisher,
        options=options,
        now=now,
        identifier=f"360G-{prefix}-grants{suffix}-{now.date().isoformat()}",
        title=title,
    )


def csv_path_for(output: str) -> str:
    path = Path(output)
    return str(path.with_suffix(".csv") if path.suffix else path.with_name(path.name + ".csv"))


def export(
    output: str,
    options: Options,
    *,
    with_csv: bool = False,
    organisation: str | None = None,
    fund: str | None = None,
) -> Written:
    """Write the JSON package to ``output`` and, with ``with_csv``, the CSV beside it."""
    import json

    if with_csv and Path(output).suffix.lower() == ".csv":
        raise ExportRefused("Give the JSON file's name (the CSV is written beside it).")
    data = build(options, organisation=organisation, fund=fund)
    with open(output, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    paths = [output]
    if with_csv:
        csv_path = csv_path_for(output)
        with open(csv_path, "w", encoding="utf-8", newline="") as fh:
            fh.write(csv_text(data["grants"]))
        paths.append(csv_path)
    return Written(len(data["grants"]), tuple(paths))
