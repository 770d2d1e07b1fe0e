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


@pytest.fixture
def database_url(template_database, tmp_path):
    if ON_POSTGRES:
        name = f"participate_test_{uuid.uuid4().hex[:10]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"'))
        yield _pg_url(name)
        _drop_database(admin, name)
        admin.dispose()
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
