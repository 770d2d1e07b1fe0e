"""``flask budgeting ...``: counting a pabulib file, and bringing rounds in and out as pabulib
files, from a terminal (for scripts and checks)."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from participate.accounts.models import Organisation
from participate.budgeting import exchange, pabulib, tally
from participate.budgeting.models import GrantRound
from participate.extensions import db

budgeting_cli = AppGroup("budgeting", help="Participatory budgeting from the command line.")

RULE_CHOICES = [*tally.RULES, "file"]


@budgeting_cli.command("tally")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--rule",
    type=click.Choice(RULE_CHOICES),
    default="file",
    show_default=True,
    help="How to count; 'file' uses the rule named in the file's META.",
)
def tally_command(path: str, rule: str) -> None:
    """Count the ballots in a pabulib .pb file and print the outcome as one JSON object."""
    with open(path, encoding="utf-8") as fh:
        try:
            pb = pabulib.parse(fh.read())
        except pabulib.PabulibError as problem:
            raise click.ClickException(f"{path}: {problem}") from problem
    if rule == "file":
        named = pb.meta.get("rule", "")
        if named not in tally.PABULIB_RULES:
            raise click.ClickException(f"{path}: the file names no rule we know ({named!r})")
        rule = tally.PABULIB_RULES[named]
    outcome = tally.count(pb.election(), rule)
    click.echo(
        json.dumps(
            {
                "rule": rule,
                "selected": outcome.selected_sorted,
                "cost": outcome.cost,
                "budget": pb.election().budget,
                "voters": len(pb.votes),
            }
        )
    )


@budgeting_cli.command("import-pb")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--organisation",
    "organisation_slug",
    default="imported-elections",
    show_default=True,
    help="The organisation the round belongs to (made if it doesn't exist).",
)
def import_pb_command(path: str, organisation_slug: str) -> None:
    """Bring a pabulib .pb file in as a finished round (a bad file changes nothing)."""
    with open(path, encoding="utf-8") as fh:
        try:
            pb = pabulib.parse(fh.read())
        except pabulib.PabulibError as problem:
            raise click.ClickException(f"{path}: {problem}") from problem
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == organisation_slug)
    )
    if organisation is None:
        organisation = Organisation(
            slug=organisation_slug, name="Imported elections", kind="council"
        )
        db.session.add(organisation)
        db.session.flush()
    total = len(pb.votes)
    with click.progressbar(length=total, label="Ballots", file=sys.stderr) as bar:
        grant_round = exchange.import_pb(pb, organisation, progress=bar.update)
    db.session.commit()
    click.echo(
        json.dumps({"round_id": grant_round.id, "space": grant_round.space.slug, "ballots": total})
    )


@budgeting_cli.command("export-pb")
@click.argument("round_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def export_pb_command(round_id: int, output: str) -> None:
    """Write a round's (first) pot as a pabulib .pb file, with new random voter ids."""
    grant_round = db.session.get(GrantRound, round_id)
    if grant_round is None or not grant_round.pots:
        raise click.ClickException(f"There is no round {round_id} with a pot.")
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(exchange.export_pb(grant_round))
    click.echo(output)
