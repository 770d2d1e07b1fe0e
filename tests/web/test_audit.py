"""The audit log is append-only, in the ORM and in the database, and only admins read it."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from participate.audit import record
from participate.audit.models import AuditEntry, AuditIsAppendOnly
from participate.extensions import db
from tests import factories as f


def _entry():
    sam = f.person("Sam")
    entry = record("test.happened", "Something happened", sam, actor=sam)
    db.session.commit()
    return entry


def test_changing_an_audit_row_through_the_orm_raises(app):
    entry = _entry()
    entry.summary = "Rewritten history"
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).summary == "Something happened"


def test_deleting_an_audit_row_through_the_orm_raises(app):
    entry = _entry()
    db.session.delete(entry)
    with pytest.raises(AuditIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id) is not None


@pytest.mark.parametrize("statement", [
    lambda i: update(AuditEntry).where(AuditEntry.id == i).values(summary="x"),
    lambda i: delete(AuditEntry).where(AuditEntry.id == i),
    lambda i: text(f"UPDATE audit_entry SET action = 'x' WHERE id = {int(i)}"),
    lambda i: text(f"DELETE FROM audit_entry WHERE id = {int(i)}"),
])
def test_the_database_itself_refuses_updates_and_deletes(app, statement):
    entry = _entry()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(statement(entry.id))
        db.session.commit()
    db.session.rollback()
    db.session.expire_all()
    kept = db.session.get(AuditEntry, entry.id)
    assert kept.summary == "Something happened" and kept.action == "test.happened"


def test_new_rows_can_still_be_added(app):
    _entry()
    record("test.again", "Again")
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == 2


def test_only_site_admins_see_the_audit_log(client):
    sam = f.person("Sam")
    db.session.commit()
    f.sign_in(client, sam)
    assert client.get("/admin/audit/").status_code == 404
    client.post("/sign-out")
    assert client.get("/admin/audit/").status_code == 302  # sign in first


def test_admin_filters_the_log(client):
    alex = f.person("Alex", admin=True)
    sam = f.person("Sam")
    commission = f.space("Porthaven PTC")
    record("space.thing", "A thing in the commission", commission, space=commission,
           visibility="space", actor=sam)
    record("other.thing", "Something else", sam, actor=alex)
    db.session.commit()
    f.sign_in(client, alex)
    page = client.get("/admin/audit/").get_data(as_text=True)
    assert "A thing in the commission" in page and "Something else" in page
    page = client.get(f"/admin/audit/?space={commission.id}").get_data(as_text=True)
    assert "A thing in the commission" in page and "Something else" not in page
    page = client.get("/admin/audit/?action=other.").get_data(as_text=True)
    assert "A thing in the commission" not in page and "Something else" in page
    page = client.get(f"/admin/audit/?visibility=space&person={sam.id}").get_data(as_text=True)
    assert "A thing in the commission" in page and "Something else" not in page
    page = client.get("/admin/audit/?since=2000-01-01&until=2000-01-02").get_data(as_text=True)
    assert "Nothing matches these filters." in page
    page = client.get("/admin/audit/?since=yesterday").get_data(as_text=True)
    assert "We ignored the one that did not" in page


def test_audit_filter_is_a_fragment_for_htmx(client):
    alex = f.person("Alex", admin=True)
    db.session.commit()
    f.sign_in(client, alex)
    response = client.get("/admin/audit/?action=account.", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="audit-results">') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert "Signed in with a password" in body


def test_assisted_rows_show_who_did_it_for_whom(client):
    alex = f.person("Alex", admin=True)
    sam, jade = f.person("Sam"), f.person("Jade")
    record("profile.updated", "Updated profile", jade, actor=sam, on_behalf_of=jade)
    db.session.commit()
    f.sign_in(client, alex)
    assert "Sam for Jade" in client.get("/admin/audit/").get_data(as_text=True)
