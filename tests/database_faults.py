"""The database failing in the ways a live site meets, for tests: every new connection
read-only, the disk full on the next write, or the server gone. Each is a context manager
on the app's engine and puts things back when it ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

# The drivers' own words for a full disk.
DISK_FULL = {
    "sqlite": "database or disk is full",
    "postgresql": "could not extend file: No space left on device",
}


@contextmanager
def _listening(engine, name: str, listener, *, new_connections: bool) -> Iterator[None]:
    """``listener`` on the engine's ``name`` event for the duration; ``new_connections``:
    the pool's connections are dropped before and after, so that it meets every one."""
    event.listen(engine, name, listener)
    if new_connections:
        engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, name, listener)
        if new_connections:
            engine.dispose()


@contextmanager
def read_only(engine) -> Iterator[None]:
    """Every new connection is read-only, as on a replica or a database put in read-only
    mode."""

    def refuse_writes(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
        cursor.close()
        dbapi_connection.commit()  # a SET rolled back with its transaction would not last

    with _listening(engine, "connect", refuse_writes, new_connections=True):
        yield


@contextmanager
def disk_full(engine) -> Iterator[None]:
    """The driver's own error for a full disk, raised on every insert or update."""
    words = DISK_FULL[engine.dialect.name]

    def full(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise engine.dialect.dbapi.OperationalError(words)

    with _listening(engine, "before_cursor_execute", full, new_connections=False):
        yield


@contextmanager
def gone(engine) -> Iterator[None]:
    """No connection can be made: the server is down or restarting."""

    def refuse(*_args):
        raise engine.dialect.dbapi.OperationalError("connection refused")

    with _listening(engine, "do_connect", refuse, new_connections=True):
        yield
