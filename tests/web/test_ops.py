"""Running for real (issue 10): health and readiness, structured logs with nothing private in
them, and backups that restore what was there."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from sqlalchemy import func, select, text

from participate.accounts.models import Person
from participate.extensions import db
from participate.ops import backup, logs
from participate.ops.health import migration_heads
from tests import database_faults as faults
from tests import factories as f
from tests.conftest import ON_POSTGRES, make_app

# --- health and readiness --------------------------------------------------------------------


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        # The test suite switches rate limits off (tests/conftest.py).
        "checks": {"database": "ok", "migrations": "ok", "rate_limits": "switched off"},
    }


def test_readyz_is_not_ready_when_the_schema_is_behind(client):
    (head,) = migration_heads()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001_foundation'"))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == "behind"
    db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    db.session.commit()
    assert client.get("/readyz").status_code == 200


def test_readyz_and_healthz_say_503_without_a_database(tmp_path):
    app = make_app("sqlite:////nonexistent-dir/for/sure/x.db")
    with app.app_context():
        ready = app.test_client().get("/readyz")
        health = app.test_client().get("/healthz")
    assert ready.status_code == 503 and health.status_code == 503
    assert ready.get_json()["checks"]["database"] == "unreachable"
    assert ready.get_json()["checks"]["migrations"] == "unknown"


def test_readyz_names_an_unreachable_rate_limit_store(database_url):
    app = make_app(
        database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0"
    )
    with app.app_context():
        response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["rate_limits"] == "unreachable"


def test_readyz_counts_rate_limits_in_the_process_without_redis(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["rate_limits"] == "in this process"


# --- logs --------------------------------------------------------------------------------------


def test_scrub_hides_emails_secrets_and_password_pairs():
    secret = "Zq3x9V_k2LmN8pQr7sT1uW4yA6"
    line = logs.scrub(f"jade@example.org used /sign-in/link/{secret} password=hunter2 ok")
    assert "jade@example.org" not in line and secret not in line and "hunter2" not in line
    assert "[email]" in line and "password=[hidden]" in line and "ok" in line
    # Ordinary words, ids and routes are left alone.
    assert logs.scrub("GET /rounds/<slug>/vote 200 in 12.5 ms") == (
        "GET /rounds/<slug>/vote 200 in 12.5 ms"
    )
    assert logs.scrub("supercalifragilisticexpialidocious") == "supercalifragilisticexpialidocious"


@pytest.fixture
def json_logs(database_url, tmp_path):
    """An app logging JSON lines into a buffer, as it does in production."""
    app = make_app(database_url, LOG_FORMAT="json")
    app.instance_path = str(tmp_path / "instance")
    buffer = io.StringIO()
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]
    handler.setStream(buffer)
    with app.app_context():
        yield app, buffer
        db.session.remove()
        db.engine.dispose()
    logging.getLogger().removeHandler(handler)


def _lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_each_request_is_one_json_line_with_its_route_not_its_values(json_logs):
    app, buffer = json_logs
    jade = f.person("Jade", email="jade@example.org")
    c = f.commission()
    f.member(jade, c.space, "community")
    story = f.story(c, jade, title="Getting to the hub", body="The bus never came UNIQUE-STORY")
    db.session.commit()
    client = app.test_client()
    f.sign_in(client, jade)
    page = client.get(
        f"/commissions/{c.space.slug}/stories/{story.id}?secret=Q9wE7rT5yU3iO1pA2sD4fG6h"
    )
    assert "UNIQUE-STORY" in page.get_data(as_text=True)
    client.post("/sign-out")
    client.post("/sign-in", data={"email": "jade@example.org", "password": "wrong password 77"})
    link = "/sign-in/link/Zq3x9V_k2LmN8pQr7sT1uW4yA6bC"
    client.get(link, headers={"X-Request-ID": "trace-12345678"})

    lines = _lines(buffer)
    requests = [entry for entry in lines if entry.get("event") == "request"]
    assert len(requests) >= 5
    story_line = next(r for r in requests if r["endpoint"] == "commissions.story")
    assert story_line["route"] == "/commissions/<slug>/stories/<int:story_id>"
    assert story_line["method"] == "GET" and story_line["status"] == 200
    assert story_line["person"] == str(jade.id) and story_line["ms"] >= 0
    assert re.fullmatch(r"[0-9a-f]{32}", story_line["request_id"])
    traced = next(r for r in requests if r["request_id"] == "trace-12345678")
    assert traced["route"] == "/sign-in/link/<secret>"
    everything = buffer.getvalue()
    for private in (
        "UNIQUE-STORY",
        "Getting to the hub",
        "wrong password 77",
        "Zq3x9V_k2LmN8pQr7sT1uW4yA6bC",
        "Q9wE7rT5yU3iO1pA2sD4fG6h",
        "jade@example.org",
        "session=",
    ):
        assert private not in everything, private


def test_an_error_logs_its_type_not_the_values_it_was_given(json_logs):
    app, buffer = json_logs
    db.session.add(Person(chosen_name="A", email="same@example.org"))
    db.session.commit()
    db.session.add(Person(chosen_name="UNIQUE-NAME", email="same@example.org"))
    try:
        db.session.commit()
    except Exception:
        app.logger.exception("Could not save token=abc123secret for same@example.org")
        db.session.rollback()
    (entry,) = [e for e in _lines(buffer) if e["level"] == "error"]
    assert entry["error"] == "IntegrityError"
    assert "INSERT INTO person" in entry["traceback"]
    for private in ("UNIQUE-NAME", "same@example.org", "abc123secret"):
        assert private not in json.dumps(entry), private


# --- backups -----------------------------------------------------------------------------------


def _names():
    return sorted(db.session.scalars(select(Person.chosen_name)))


def test_a_backup_restores_what_was_there_and_nothing_since(app, tmp_path):
    f.person("Jade")
    f.person("Owen")
    db.session.commit()
    url = backup.database_url()
    path = backup.create(tmp_path / f"before{backup.suffix(url)}")
    assert path.stat().st_size > 0

    db.session.execute(select(func.count()).select_from(Person))
    db.session.delete(db.session.scalar(select(Person).where(Person.chosen_name == "Owen")))
    f.person("Rhys")
    db.session.commit()
    assert _names() == ["Jade", "Rhys"]

    revision = backup.restore(path)
    assert revision in migration_heads()
    assert _names() == ["Jade", "Owen"]
    # The database still works as before: new rows, new ids.
    f.person("Gwen")
    db.session.commit()
    assert _names() == ["Gwen", "Jade", "Owen"]


def test_a_file_that_is_not_a_backup_changes_nothing(app, tmp_path):
    f.person("Jade")
    db.session.commit()
    bad = tmp_path / f"bad{backup.suffix(backup.database_url())}"
    bad.write_bytes(b"this is not a backup\n" * 100)
    with pytest.raises(backup.BackupError):
        backup.restore(bad)
    assert _names() == ["Jade"]
    with pytest.raises(backup.BackupError, match="no backup file"):
        backup.restore(tmp_path / "missing.dump")


def test_the_commands_back_up_and_restore(app, tmp_path):
    f.person("Jade")
    db.session.commit()
    runner = app.test_cli_runner()
    target = tmp_path / "nightly" / f"one{backup.suffix(backup.database_url())}"
    result = runner.invoke(args=["backup", "create", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Backed up to {target}" in result.output
    f.person("Owen")
    db.session.commit()
    refused = runner.invoke(args=["backup", "restore", str(target)], input="n\n")
    assert refused.exit_code == 1 and _names() == ["Jade", "Owen"]
    result = runner.invoke(args=["backup", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored from" in result.output and "older version" not in result.output
    assert _names() == ["Jade"]


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite backup file itself")
def test_a_sqlite_backup_is_a_whole_database_file(app, tmp_path):
    import sqlite3

    f.person("Jade")
    db.session.commit()
    path = backup.create(tmp_path / "copy.sqlite3")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT chosen_name FROM person").fetchall() == [("Jade",)]
    conn.close()


# --- when the database refuses -----------------------------------------------------------------


@pytest.fixture
def jade(app, client):
    """Jade, signed in: her pages need the database, to know who she is."""
    person = f.person("Jade", email="jade@example.org")
    db.session.commit()
    f.sign_in(client, person)
    return person


def test_a_read_only_database_gives_a_clear_page_not_a_stack_trace(client, jade):
    db.session.remove()
    with faults.read_only(db.engine):
        response = client.post("/language", data={"language": "cy", "next": "/"})
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "We can&#39;t save or show that right now" in page
        assert "nothing was changed" in page
        assert "Traceback" not in page and "sqlalchemy" not in page.lower()
        # Reading still works: the home page answers.
        assert client.get("/").status_code == 200
    assert db.session.get(Person, jade.id).language != "cy"


def test_a_full_disk_gives_a_clear_page(client, jade):
    """The driver's own error for a full disk (SQLite's and PostgreSQL's words), raised on
    the first write."""
    with faults.disk_full(db.engine):
        response = client.post("/language", data={"language": "cy", "next": "/"})
        assert response.status_code == 503
        assert "We can&#39;t save or show that right now" in response.get_data(as_text=True)
    assert db.session.get(Person, jade.id).language != "cy"


def test_when_the_database_is_gone_even_the_error_page_needs_no_database(client, jade):
    db.session.remove()
    with faults.gone(db.engine):
        response = client.get("/")
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert page.startswith('<!doctype html>\n<html lang="en">') and "<h1>We can" in page
        # A browser asking for Welsh gets the page in Welsh, marked as Welsh.
        welsh = client.get("/", headers={"Accept-Language": "cy"}).get_data(as_text=True)
        assert '<html lang="cy">' in welsh and "We can" not in welsh
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200  # and back by itself
