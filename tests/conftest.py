"""Shared fixtures: a fresh, migrated database for every test, on SQLite or PostgreSQL.

Set ``TEST_DATABASE_URL`` (for example ``postgresql://app:app@127.0.0.1/postgres``) to run the
suite on PostgreSQL; without it the suite runs on SQLite files in a temporary folder.
The schema is built once per run by the real migrations, then copied for each test.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from participate import create_app
from participate.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_DATABASE_URL.startswith("postgres")

BASE_CONFIG = {
    "ENVIRONMENT": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "MAIL_BACKEND": "locmem",
    "ARGON2_PROFILE": "CHEAPEST",
    "RATELIMIT_ENABLED": False,
    "WTF_CSRF_ENABLED": False,
    "SERVER_NAME": None,
}


def _pg_url(name: str) -> str:
    url = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def _pg_admin():
    return create_engine(_pg_url(make_url(TEST_DATABASE_URL).database or "postgres"),
                         isolation_level="AUTOCOMMIT")


def _drop_database(admin, name: str, tries: int = 5) -> None:
    """Drop a test database, waiting out a moment when autovacuum is busy on it."""
    for attempt in range(tries):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == tries - 1:
                raise
            time.sleep(0.5 * (attempt + 1))


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """The migrated, empty schema every test starts from."""
    if ON_POSTGRES:
        name = f"participate_template_{uuid.uuid4().hex[:8]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        _migrate(_pg_url(name))
        yield name
        _drop_database(admin, name)
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        _migrate(f"sqlite:///{path}")
        yield path


class PostgresDatabase:
    """One database for a whole run on PostgreSQL, emptied after each test instead of made and
    dropped (a CREATE DATABASE from the template costs about 0.4 s; emptying, about 0.1 s).

    Emptying ends the connections the test left open (autovacuum may go on), switches off the append-only triggers (the
    audit log's, the ledger's) inside one transaction, deletes every row in an order the
    foreign keys allow, and starts every sequence again, so each test sees the fresh template:
    the same tables, no rows, ids from 1. A test that changed the schema itself (or anything
    else going wrong) gets the database made again from the template.
    """

    def __init__(self, template: str):
        self.template = template
        self.admin = _pg_admin()
        self.name = f"participate_test_{uuid.uuid4().hex[:10]}"
        self._create()
        engine = create_engine(_pg_url(self.name))
        with engine.connect() as conn:
            self.shape = self._shape(conn)
            names = set(conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'")).scalars())
            guarded = conn.execute(text(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal")).scalars().all()
            sequences = conn.execute(text(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = 'public'")).scalars().all()
        engine.dispose()
        ordered = [t.name for t in reversed(db.metadata.sorted_tables) if t.name in names]
        ordered = sorted(names - set(ordered)) + ordered  # any table the models do not know
        self.empty_sql = "; ".join([
            "SET LOCAL lock_timeout = '5s'",
            *(f'ALTER TABLE "{t}" DISABLE TRIGGER USER' for t in guarded),
            *(f'DELETE FROM "{t}"' for t in ordered),
            *(f'ALTER TABLE "{t}" ENABLE TRIGGER USER' for t in guarded),
            *(f'ALTER SEQUENCE "{s}" RESTART' for s in sequences),
        ])

    @staticmethod
    def _shape(conn) -> tuple:
        return tuple(conn.execute(text(
            "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version), "
            "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public'), "
            "(SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal)")).one())

    def _create(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"'))

    @property
    def url(self) -> str:
        return _pg_url(self.name)

    def empty(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend' AND usename = current_user"),
                {"name": self.name})
        engine = create_engine(self.url, poolclass=NullPool)
        try:
            with engine.begin() as conn:
                if self._shape(conn) != self.shape:
                    raise RuntimeError("the test changed the schema")
                conn.exec_driver_sql(self.empty_sql)
        except Exception:  # noqa: BLE001 - whatever it was, start again from the template
            engine.dispose()
            _drop_database(self.admin, self.name)
            self._create()
        finally:
            engine.dispose()

    def close(self) -> None:
        _drop_database(self.admin, self.name)
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_database(template_database):
    database = PostgresDatabase(template_database)
    yield database
    database.close()


@pytest.fixture
def database_url(template_database, tmp_path, request):
    if ON_POSTGRES:
        database = request.getfixturevalue("postgres_database")
        yield database.url
        database.empty()
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(template_database, path)
        yield f"sqlite:///{path}"


class FreshContextClient(FlaskClient):
    """Each request runs in an app context of its own, as it does in production.

    The ``app`` fixture keeps an app context open for the whole test (so tests can use
    ``db.session``); without this, requests would share its ``g`` and its database session,
    and the signed-in person, the chosen language or a CSP nonce could leak between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(database_url: str, **overrides):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url)
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Emails sent during the test (Flask-Mailman's locmem backend)."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


ROOT = Path(__file__).resolve().parent.parent
