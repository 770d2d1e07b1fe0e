"""Backups and restores of the app's database, for SQLite and PostgreSQL.

- SQLite (the embedded default): SQLite's online backup API copies the live database page by
  page under its own locks, so the app keeps running; a restore copies a backup back the same
  way, in one go.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction``, so a restore that fails part-way changes nothing. The password goes
  to them in the environment (``PGPASSWORD``), never on a command line others can see.

A backup is checked before a restore (a SQLite file that is not a database of this app, or a
dump ``pg_restore`` cannot list, is refused with the reason), and the restore says if the
backup's schema is older than the code: run ``flask db upgrade`` after it.

    flask --app app backup create [-o FILE]
    flask --app app backup restore FILE --yes
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, fixed arguments, no shell  # nosec B404
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import URL, make_url

from participate.extensions import db


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why, in plain words."""


def _kind(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def suffix(url: URL) -> str:
    return ".sqlite3" if _kind(url) == "sqlite" else ".dump"


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_copy(source: str, target: str) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _sqlite_revision(path: str) -> str | None:
    """The backup's migration revision; a BackupError if it is not this app's database."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError("The backup file is damaged (SQLite's quick check failed).")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"This is not a backup of this app's database: {error}.") from error
    return row[0] if row else None


def _sqlite_create(url: URL, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    _sqlite_copy(url.database, str(partial))
    os.replace(partial, target)


def _sqlite_restore(url: URL, source: Path) -> str | None:
    revision = _sqlite_revision(str(source))
    _sqlite_copy(str(source), url.database)
    return revision


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_env(url: URL) -> dict[str, str]:
    env = {**os.environ}
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value is not None:
            env[key] = str(value)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client).")
    return found


def _run(args: list[str], url: URL) -> subprocess.CompletedProcess:
    # Fixed arguments from this module (a tool found on PATH, our own file names), no shell.
    result = subprocess.run(  # noqa: S603  # nosec B603
        args, env=_pg_env(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")
    return result


def _pg_create(url: URL, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial)],
        url,
    )
    os.replace(partial, target)


def _pg_revision(url: URL, source: Path) -> str | None:
    """Checks the dump can be read, and reads its migration revision from the dump itself."""
    listing = _run([_tool("pg_restore"), "--list", str(source)], url).stdout
    if "TABLE DATA public alembic_version" not in listing:
        raise BackupError("This dump is not a backup of this app's database.")
    data = _run(
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "-f", "-", str(source)],
        url,
    ).stdout
    _, found, rows = data.partition("COPY public.alembic_version (version_num) FROM stdin;\n")
    first = rows.split("\n", 1)[0].strip() if found else ""
    return first if first and first != "\\." else None


def _pg_restore(url: URL, source: Path) -> str | None:
    revision = _pg_revision(url, source)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            url.database or "",
            str(source),
        ],
        url,
    )
    return revision


# --- both ------------------------------------------------------------------------------------


def database_url() -> URL:
    """The app's database, as the engine sees it (a SQLite path made absolute)."""
    return make_url(db.engine.url)


def create(target: Path, url: URL | None = None) -> Path:
    """Write a backup of the database to ``target``; returns it."""
    url = url or database_url()
    kind = _kind(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    db.session.remove()
    (_sqlite_create if kind == "sqlite" else _pg_create)(url, target)
    return target


def restore(source: Path, url: URL | None = None) -> str | None:
    """Put the database back as it was in the backup ``source``; returns the backup's
    migration revision. Every open connection of this process is closed first."""
    url = url or database_url()
    kind = _kind(url)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    db.session.remove()
    db.engine.dispose()
    revision = (_sqlite_restore if kind == "sqlite" else _pg_restore)(url, source)
    db.engine.dispose()
    return revision


def default_name(url: URL, now: datetime | None = None) -> Path:
    now = now or datetime.now(UTC)
    folder = current_app.config.get("BACKUP_FOLDER") or Path(current_app.instance_path) / "backups"
    folder = Path(folder)
    return folder / f"participate-{now:%Y%m%d-%H%M%S}{suffix(url)}"


backup_cli = AppGroup("backup", help="Back up the database, or restore it from a backup.")


@backup_cli.command("create")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: instance/backups/participate-<time>.sqlite3 or .dump).",
)
def create_command(output: Path | None) -> None:
    """Back up the database while the app runs."""
    try:
        path = create(output or default_name(database_url()))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {path} ({path.stat().st_size:,} bytes).")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do it without asking.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace everything in the database with the backup SOURCE."""
    if not yes:
        click.confirm(
            "This replaces everything in the database with the backup. Go on?", abort=True
        )
    try:
        revision = restore(source)
    except BackupError as error:
        raise click.ClickException(f"{error} Nothing was changed.") from error
    click.echo(f"Restored from {source}.")
    from participate.ops.health import migration_heads

    if revision not in migration_heads():
        click.echo("The backup is from an older version: run `flask --app app db upgrade` now.")
