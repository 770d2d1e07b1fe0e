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
