"""The open-data download of a place: ``GET /places/<slug>/open-data.zip``, and
``flask public open-data <slug> -o file.zip``.

The ZIP holds one CSV file per public table (``facts.TABLES``: rounds, projects, results,
decisions, commitments, grants and transactions, and funds), a README.md describing every
file and every column and the licence, the 360Giving data package of the place's public grants
(``grants/giving360.py``) and the pabulib file of each published pot
(``budgeting.exchange.export_pb``). Everything comes from ``public/facts.py``, the same facts
the public pages and the JSON API show; a signed-in person gets the same file as anyone.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime

import click
from flask import Blueprint, Response, current_app
from flask.cli import AppGroup

from participate.clock import local_today, place_zone
from participate.public import facts
from participate.public.places import load_place

bp = Blueprint("opendata", __name__)

GIVING360_FILE = "360giving.json"
PABULIB_FOLDER = "pabulib"


def licence(config) -> str:
    """The data's licence: ``OPEN_DATA_LICENSE``, else the 360Giving export's licence."""
    from participate.grants.giving360 import DEFAULT_LICENSE

    chosen = config.get("OPEN_DATA_LICENSE")
    if chosen is None:
        chosen = config.get("GIVING360_LICENSE", DEFAULT_LICENSE)
    return chosen or ""


def cell(value) -> str:
    """A value as CSV text: empty for nothing, true/false, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def csv_text(table: str, rows: list[dict]) -> str:
    """A table as CSV, its header the columns of ``facts.TABLES``."""
    names = facts.columns(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([cell(row[name]) for name in names])
    return out.getvalue()


def pabulib_name(rnd, pot) -> str:
    return f"{PABULIB_FOLDER}/{rnd.space.slug}-{pot.position}.pb"


def readme(org, today: date, licence_: str, extra_files: list[str], giving360: bool) -> str:
    """README.md: what each file is and what each column means, from ``facts.TABLES``."""
    lines = [
        f"# Open data: {org.name}",
        "",
        f"Everything {org.name} has made public here, as of {today.isoformat()}. The same "
        "facts are on the public pages and in the JSON API (`/api/v1/places/"
        f"{org.slug}`). Nothing private is in these files: no names of people who did not "
        "choose to be named, no unpublished decisions or promises, no applications that were "
        "not awarded, no payment references and no ballots that say who voted.",
        "",
        "## Licence",
        "",
        f"The data is published under {licence_}." if licence_ else "No licence is stated.",
        "",
        "## Conventions",
        "",
        "- CSV files are UTF-8 with a header row; empty cells mean nothing is recorded.",
        "- Dates are ISO 8601 (YYYY-MM-DD), in the place's time zone.",
        "- true/false columns say true or false.",
        "- Money in the grants files (funds, grants, transactions) is in pence; PB budgets and "
        "costs (rounds, projects, results) are whole currency units, as on ballots.",
        "- `as_of` is the day a row's figures were true.",
        "",
        "## Files",
        "",
    ]
    for table in facts.PLACE_TABLES:
        about, cols = facts.TABLES[table]
        lines += [f"### {table}.csv", "", about, "", "| Column | Type | Meaning |", "|---|---|---|"]
        for col in cols:
            kind = col.type + (", may be empty" if col.nullable else "")
            lines.append(f"| {col.name} | {kind} | {col.about} |")
        lines.append("")
    lines += [f"### {GIVING360_FILE}", ""]
    if giving360:
        lines.append(
            "The place's public grants as a 360Giving data package (standard 1.4, "
            "https://standard.threesixtygiving.org/). A person who received a grant is always "
            "'Individual Recipient'. Extra fields are described in the package's description."
        )
    else:
        lines.append("Not included: the place has no public grants yet.")
    lines += ["", f"### {PABULIB_FOLDER}/", ""]
    if extra_files:
        lines.append(
            "One pabulib file (https://pabulib.org/format) per pot with a published result: "
            "its projects and the anonymous ballots, each with a new random voter id. Files:"
        )
        lines += [""] + [f"- {name}" for name in extra_files]
    else:
        lines.append("Not included: no pot has a published result yet.")
    lines.append("")
    return "\n".join(lines)


def giving360_package(org, now: datetime) -> dict | None:
    """The 360Giving package of the place's public grants (``None`` when it has none)."""
    from participate.grants import giving360

    grants = facts.public_grant_objects(org)
    if not grants:
        return None
    options = giving360.options_from_config(current_app.config, place_zone())
    found = giving360.gather(grants)
    records = [giving360.grant_record(g, found[g.id], options) for g in grants]
    prefix = options.prefix(org)
    return giving360.package(
        records,
        publisher={"name": org.name, "identifier": options.funder_id(org)},
        options=options,
        now=now,
        identifier=f"360G-{prefix}-grants-{now.date().isoformat()}",
        title=f"{org.name}: grants awarded",
    )


def build_zip(org, today: date | None = None, now: datetime | None = None) -> bytes:
    """The place's open-data ZIP, as bytes."""
    from participate.budgeting.exchange import export_pb

    today = today or local_today()
    now = now or datetime.now(UTC)
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    tables = facts.place_tables(org, today)
    pabulib = {
        pabulib_name(rnd, pot): export_pb(rnd, pot) for rnd, pot, _ in facts.published_pots(org)
    }
    package = giving360_package(org, now)
    files: dict[str, str] = {
        "README.md": readme(
            org, today, licence(current_app.config), sorted(pabulib), package is not None
        )
    }
    for table in facts.PLACE_TABLES:
        files[f"{table}.csv"] = csv_text(table, tables[table])
    if package is not None:
        files[GIVING360_FILE] = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    files.update(pabulib)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"{org.slug}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


@bp.get("/places/<slug>/open-data.zip")
def download(slug: str):
    org = load_place(slug)
    today = local_today()
    name = f"{org.slug}-open-data-{today.isoformat()}.zip"
    return Response(
        build_zip(org, today),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- flask public open-data ------------------------------------------------------------------

public_cli = AppGroup("public", help="What is public about each place.")


@public_cli.command("open-data")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The ZIP file to write.",
)
def open_data_command(slug: str, output: str) -> None:
    """Write the open-data ZIP of the place SLUG (an organisation's slug)."""
    org = facts.place_by_slug(slug)
    if org is None:
        raise click.ClickException(f"There is no place {slug!r}.")
    data = build_zip(org)
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(f"Wrote the open data of {org.name} to {output} ({len(data)} bytes).")


def init_app(app) -> None:
    """Register the open-data download, the JSON API and ``flask public``."""
    from participate.public import api

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(public_cli)
