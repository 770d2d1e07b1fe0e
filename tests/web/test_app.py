"""The app factory, configuration, health check and demo data."""

import re

import pytest
from sqlalchemy import func, select

from participate import create_app
from participate.accounts import rules
from participate.accounts.models import Membership, Person
from participate.config import ConfigError
from participate.demo import ACCOUNTS, DEMO_PASSWORD, load
from participate.extensions import db
from participate.grants import demo as grants_demo
from tests import factories as f
from tests.conftest import make_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_ENVIRONMENT", "production")
    with pytest.raises(ConfigError, match="FLASK_SECRET_KEY"):
        create_app()


def test_production_sends_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_ENVIRONMENT", "production")
    monkeypatch.setenv("FLASK_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.db")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/p.db"


def test_config_comes_from_flask_prefixed_environment(monkeypatch):
    monkeypatch.setenv("FLASK_PLACE_NAME", '"Aberhafren"')
    monkeypatch.setenv("FLASK_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/participate")
    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "t"})
    assert app.config["PLACE_NAME"] == "Aberhafren"
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/participate"


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError):
        create_app({"ENVIRONMENT": "staging"})


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_says_503_when_the_database_is_unreachable(tmp_path):
    app = make_app("sqlite:////nonexistent-dir/for/sure/x.db")
    with app.app_context():
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_demo_loads_once_with_a_sign_in_for_every_role(client):
    assert load() is True
    assert load() is False
    people = db.session.scalar(select(func.count()).select_from(Person))
    # Dot, Kayleigh, Bernie and Helen, and the grants demo's applicants and second approver.
    assert people == len(ACCOUNTS) + 4 + grants_demo.PEOPLE_ADDED
    roles = set(db.session.scalars(select(Membership.role)))
    assert roles == set(rules.ROLES) - {"observer"}
    for key, name, _pronouns, _label in ACCOUNTS:
        response = client.post("/sign-in", data={"email": f"{key}@porthaven.example",
                                                 "password": DEMO_PASSWORD})
        assert response.status_code == 303, key
        page = client.get("/").get_data(as_text=True)
        assert f"{name}</h1>" in page and 'id="todo-heading"' in page
        # Rhys chose Welsh on his profile.
        assert ('<html lang="cy">' in page) is (key == "resident")
        client.post("/sign-out")


def test_admin_adds_an_organisation_and_a_space(client):
    alex = f.person("Alex", admin=True)
    db.session.commit()
    f.sign_in(client, alex)
    bad = client.post("/admin/organisations", data={"organisation-name": "",
                                                    "organisation-kind": "council"})
    assert bad.status_code == 422 and "Enter a name." in bad.get_data(as_text=True)
    assert client.post("/admin/organisations", data={"organisation-name": "Porthaven Council",
                                                     "organisation-kind": "council"}
                       ).status_code == 303
    page = client.get("/admin/").get_data(as_text=True)
    assert "Porthaven Council" in page
    from participate.accounts.models import Organisation, Space

    council = db.session.scalar(select(Organisation))
    response = client.post("/admin/spaces", data={
        "space-name": "Northside Fund", "space-kind": "grant_round",
        "space-organisation_id": str(council.id), "space-visibility": "public"})
    assert response.status_code == 303
    space = db.session.scalar(select(Space))
    assert (space.slug, space.organisation_id) == ("northside-fund", council.id)


def test_non_admins_get_404_from_admin_pages(client):
    sam = f.person("Sam")
    db.session.commit()
    f.sign_in(client, sam)
    assert client.get("/admin/").status_code == 404
    assert client.post("/admin/organisations", data={"organisation-name": "X",
                                                     "organisation-kind": "council"}
                       ).status_code == 404


def test_profile_errors_keep_what_was_typed(client):
    sam = f.person("Sam")
    db.session.commit()
    f.sign_in(client, sam)
    response = client.post("/profile", data={"chosen_name": "", "pronouns": "she/her",
                                             "language": "cy", "access_needs": "Breaks",
                                             "notification_choice": "daily"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="she/her"' in page
    assert re.search(r'<textarea[^>]*name="access_needs"[^>]*>\s*Breaks</textarea>', page)
    assert re.search(r'<input checked[^>]*name="notification_choice"[^>]*value="daily"', page)
    db.session.expire_all()
    assert sam.pronouns is None

