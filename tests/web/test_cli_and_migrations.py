"""Command-line tools, and the migrations agreeing with the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from participate.accounts.models import Person
from participate.audit.models import AuditEntry
from participate.extensions import db


def test_migrations_build_exactly_the_schema_the_models_describe(app):
    """A model change without a migration fails here (the fresh database came from upgrade)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_create_admin_from_the_command_line(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["accounts", "create-admin", "alex@example.org", "Alex",
                               "--password", "short"])
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    result = runner.invoke(args=["accounts", "create-admin", "Alex@Example.org", "Alex",
                                 "--password", "a long enough phrase"])
    assert result.exit_code == 0, result.output
    alex = db.session.scalar(select(Person).where(Person.email == "alex@example.org"))
    assert alex.is_site_admin
    assert db.session.scalar(select(AuditEntry.action)) == "account.made_admin"


def test_demo_command_prints_the_sign_ins(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0
    assert "facilitator@porthaven.example" in result.output and "porthaven-demo" in result.output
    again = app.test_cli_runner().invoke(args=["demo"])
    assert "already loaded" in again.output


def test_the_tally_command_counts_a_pabulib_file(app, tmp_path):
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data" / "pabulib"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["budgeting", "tally", str(data / "Poland_Wroclaw_2017.pb")])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["rule"] == "greedy-no-skip" and out["selected"] == ["10", "18", "50", "260", "675"]
    assert out["cost"] == 3970000
    other = runner.invoke(args=["budgeting", "tally", str(data / "Poland_Wroclaw_2017.pb"),
                                "--rule", "greedy"])
    assert json.loads(other.output)["cost"] >= out["cost"]
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\n"
                   "project_id;cost\n1;x\nVOTES\nvoter_id;vote\n")
    failed = runner.invoke(args=["budgeting", "tally", str(bad)])
    assert failed.exit_code != 0 and "line 7" in failed.output
