"""``flask budgeting ...``: counting a pabulib file from a terminal (for scripts and checks).

Importing and exporting rounds in the database come with the round pages (issue 7).
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from participate.budgeting import pabulib, tally

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
