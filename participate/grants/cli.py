"""``flask grants ...``: checking the ledger (and, in ``giving360.py``, the 360Giving export)
from a terminal, for scripts, cron and auditors."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from participate.extensions import db
from participate.grants import books
from participate.grants.models import Fund, LedgerTransaction

grants_cli = AppGroup("grants", help="Small-grant funds and their ledger.")


@grants_cli.command("verify-ledger")
def verify_ledger_command() -> None:
    """Check that every transaction balances, every correction points at one transaction,
    no account is below zero where it must not be, no grant has paid and returned more than
    it was awarded, no closed grant has moved since, and every stored balance matches its
    postings. Exits with status 1, naming each problem, when anything is wrong."""
    problems = books.verify_all()
    funds = db.session.scalar(select(func.count(Fund.id)))
    transactions = db.session.scalar(select(func.count(LedgerTransaction.id)))
    if problems:
        for problem in problems:
            click.echo(f"PROBLEM: {problem}", err=True)
        raise SystemExit(1)
    click.echo(
        f"The ledger is right: {funds} fund(s), {transactions} transaction(s), "
        "every one balanced, every balance matching its postings."
    )


@grants_cli.command("export-360giving")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="Where to write the 360Giving data package (JSON), e.g. grants.json.",
)
@click.option(
    "--csv",
    "with_csv",
    is_flag=True,
    help="Also write the flat CSV (360Giving column titles, one row per grant) beside the "
    "JSON, with the same name ending .csv: grants.json -> grants.csv.",
)
@click.option("--organisation", metavar="SLUG", help="Only this organisation's funds.")
@click.option("--fund", metavar="SLUG", help="Only this fund.")
def export_360giving_command(
    output: str, with_csv: bool, organisation: str | None, fund: str | None
) -> None:
    """Write the grants an organisation publishes as 360Giving open data: every grant that
    was awarded (awarded, active, closing, closed or cancelled; never applications or
    declined ones), with award and payment transactions, planned and actual dates, where it
    helps, the fund as grant programme, and our grant status as the additional field
    grantStatus. People who received grants are never named.

    Settings (app config): GIVING360_PREFIX, the publisher's 360Giving prefix (default: the
    organisation's slug; grant ids are 360G-<prefix>-<fund>-<number>); GIVING360_FUNDER_ID,
    the organisation's Org ID (default 360G-<prefix>-org-<slug>); GIVING360_BASE_URL, the
    site's address for links; GIVING360_LICENSE (default CC BY 4.0). Each may be a dict by
    organisation slug (prefix and funder id)."""
    from flask import current_app

    from participate.clock import place_zone
    from participate.grants import giving360

    options = giving360.options_from_config(current_app.config, place_zone())
    try:
        written = giving360.export(
            output, options, with_csv=with_csv, organisation=organisation, fund=fund
        )
    except giving360.ExportRefused as refused:
        raise click.ClickException(str(refused)) from refused
    click.echo(f"Wrote {written.grants} grant(s) to {' and '.join(written.paths)}.")
