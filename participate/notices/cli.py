"""``flask notices send``: email people the news they are due. Run it every quarter of an hour
from cron or a systemd timer (README, "Emails"); running it again sends nothing new."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from participate.notices import send

notices_cli = AppGroup("notices", help="Emails about what people need to know.")


@notices_cli.command("send")
@click.option(
    "--now",
    "now_text",
    metavar="WHEN",
    help="Act as if it were this time (ISO, e.g. 2026-03-02T09:00; the place's time zone "
    "unless one is given). For tests and trying things out.",
)
@click.option(
    "--dry-run", is_flag=True, help="Send nothing and keep nothing: say who would get what."
)
def send_command(now_text: str | None, dry_run: bool) -> None:
    """Notice deadlines coming up, then email each person what they are due: each notice on
    its own, or one digest a day or a week, as they chose on their profile."""
    try:
        now = send.parse_now(now_text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--now") from error
    summary = send.send_all(now, dry_run=dry_run)
    if dry_run:
        for plan in summary.plans:
            click.echo(plan)
        click.echo(f"Dry run, nothing sent. Would have: {summary.line()}")
    else:
        click.echo(summary.line())
