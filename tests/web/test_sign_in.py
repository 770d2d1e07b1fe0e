"""Signing in every way, and out, without telling strangers who has an account."""

import re

from sqlalchemy import select

from participate.accounts.models import OneTimeToken, Person
from participate.audit.models import AuditEntry
from participate.extensions import db
from tests import factories as f


def _signed_in_as(client):
    page = client.get("/").get_data(as_text=True)
    match = re.search(r"<h1>Hello, ([^<]+)</h1>", page)
    return match.group(1) if match else None


def test_sign_in_with_password_and_out_again(client):
    sam = f.person("Sam")
    f.sign_in(client, sam)
    assert _signed_in_as(client) == "Sam"
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "account.signed_in" in actions
    response = client.post("/sign-out")
    assert response.status_code == 303
    assert _signed_in_as(client) is None


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    f.person("Sam", email="sam@example.org")
    db.session.commit()
    wrong = client.post("/sign-in", data={"email": "sam@example.org", "password": "nope nope nope"})
    unknown = client.post("/sign-in", data={"email": "nobody@example.org",
                                            "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 422
    strip = lambda r: r.get_data(as_text=True).replace("nobody@example.org", "X").replace(  # noqa: E731
        "sam@example.org", "X")
    assert strip(wrong).split("<main")[1] == strip(unknown).split("<main")[1]
    assert "don&#39;t match" in wrong.get_data(as_text=True)


def test_bad_sign_in_keeps_the_email_and_puts_the_error_by_the_field(client):
    response = client.post("/sign-in", data={"email": "not-an-email", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="not-an-email"' in page
    assert 'id="email-error"' in page and 'aria-invalid="true"' in page
    assert "Enter your password." in page


def test_htmx_form_error_is_a_422_fragment_retargeted_at_the_form(client):
    response = client.post("/sign-in", data={"email": "", "password": ""},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#sign-in-form"
    assert response.headers["HX-Reswap"] == "outerHTML"
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="sign-in-form"') and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_success_asks_for_a_full_page_load(client):
    sam = f.person("Sam")
    db.session.commit()
    response = client.post("/sign-in", data={"email": sam.email, "password": f.PASSWORD},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/"


def test_next_only_goes_to_pages_on_this_site(client):
    sam = f.person("Sam")
    db.session.commit()
    response = client.post("/sign-in?next=https://evil.example/x",
                           data={"email": sam.email, "password": f.PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    response = client.post("/sign-in?next=/profile",
                           data={"email": sam.email, "password": f.PASSWORD})
    assert response.headers["Location"] == "/profile"


def test_deactivated_people_cannot_sign_in(client):
    sam = f.person("Sam", active=False)
    db.session.commit()
    response = client.post("/sign-in", data={"email": sam.email, "password": f.PASSWORD})
    assert response.status_code == 422


def _link_from(outbox, path):
    body = outbox[-1].body
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"[^\s]+)", body)
    assert match, body
    return match.group(1)


def test_emailed_link_signs_in_once(client, outbox):
    f.person("Jade", email="jade@example.org", password=None)
    db.session.commit()
    response = client.post("/sign-in/email", data={"email": "JADE@example.org "})
    assert response.status_code == 200
    assert "If jade@example.org has an account" in response.get_data(as_text=True)
    link = _link_from(outbox, "/sign-in/link/")
    assert outbox[-1].to == ["jade@example.org"]
    # Opening the link only asks to confirm: a mail scanner can't use it up.
    assert client.get(link).status_code == 200
    assert _signed_in_as(client) is None
    assert client.post(link).status_code == 303
    assert _signed_in_as(client) == "Jade"
    client.post("/sign-out")
    assert client.post(link).status_code == 404


def test_emailed_link_for_unknown_address_sends_nothing_and_says_the_same(client, outbox):
    response = client.post("/sign-in/email", data={"email": "ghost@example.org"})
    assert response.status_code == 200
    assert "If ghost@example.org has an account" in response.get_data(as_text=True)
    assert outbox == []


def test_only_the_newest_link_works(client, outbox):
    f.person("Jade", email="jade@example.org")
    db.session.commit()
    client.post("/sign-in/email", data={"email": "jade@example.org"})
    first = _link_from(outbox, "/sign-in/link/")
    client.post("/sign-in/email", data={"email": "jade@example.org"})
    second = _link_from(outbox, "/sign-in/link/")
    assert client.post(first).status_code == 404
    assert client.post(second).status_code == 303


def test_expired_link_does_not_work(client, outbox, app):
    f.person("Jade", email="jade@example.org")
    db.session.commit()
    client.post("/sign-in/email", data={"email": "jade@example.org"})
    link = _link_from(outbox, "/sign-in/link/")
    token = db.session.scalar(select(OneTimeToken))
    from datetime import timedelta

    token.expires_at = token.created_at - timedelta(seconds=1)
    db.session.commit()
    response = client.post(link)
    assert response.status_code == 404
    assert "This link no longer works" in response.get_data(as_text=True)


def test_password_reset(client, outbox):
    sam = f.person("Sam", email="sam@example.org")
    db.session.commit()
    client.post("/password/forgot", data={"email": "sam@example.org"})
    link = _link_from(outbox, "/password/reset/")
    short = client.post(link, data={"password": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    assert client.post(link, data={"password": "a brand new kettle"}).status_code == 303
    assert _signed_in_as(client) == "Sam"
    client.post("/sign-out")
    assert client.post("/sign-in", data={"email": sam.email, "password": f.PASSWORD}).status_code == 422
    assert client.post("/sign-in", data={"email": sam.email,
                                         "password": "a brand new kettle"}).status_code == 303
    assert client.post(link, data={"password": "another new kettle"}).status_code == 404


def test_invitation_creates_an_account_and_membership(client, outbox):
    sam = f.person("Sam")
    commission = f.space("Porthaven PTC")
    f.member(sam, commission, "facilitator")
    f.sign_in(client, sam)
    response = client.post(f"/spaces/{commission.slug}/invite",
                           data={"email": "new@example.org", "role": "civic_commissioner"})
    assert response.status_code == 303
    link = _link_from(outbox, "/invitations/")
    assert "Sam has invited you to join Porthaven PTC" in outbox[-1].body
    assert outbox[-1].subject == "You're invited to join Porthaven PTC"
    client.post("/sign-out")
    bad = client.post(link, data={"chosen_name": "", "password": "short"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Enter the name you" in page and "at least 10 characters" in page
    assert client.post(link, data={"chosen_name": "Owen", "pronouns": "he/him"}).status_code == 303
    owen = db.session.scalar(select(Person).where(Person.email == "new@example.org"))
    assert owen.password_hash is None  # he chose to sign in with emailed links
    assert [(m.space_id, m.role) for m in owen.memberships] == [(commission.id, "civic_commissioner")]
    assert _signed_in_as(client) == "Owen"
    assert client.get(link).status_code == 404


def test_invitation_to_someone_with_an_account_joins_after_sign_in(client, outbox):
    sam, jade = f.person("Sam"), f.person("Jade")
    fund = f.space("Northside Fund", kind="grant_round")
    f.member(sam, fund, "facilitator")
    f.sign_in(client, sam)
    client.post(f"/spaces/{fund.slug}/invite", data={"email": jade.email, "role": "resident"})
    link = _link_from(outbox, "/invitations/")
    client.post("/sign-out")
    assert client.get(link).headers["Location"].startswith("/sign-in")
    f.sign_in(client, jade)
    assert "Join Northside Fund" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 303
    db.session.expire_all()
    assert [m.role for m in jade.memberships] == ["resident"]


def test_inviting_someone_already_there_says_so_by_the_field(client):
    sam, jade = f.person("Sam"), f.person("Jade")
    commission = f.space()
    f.member(sam, commission, "facilitator")
    f.member(jade, commission, "community_commissioner")
    f.sign_in(client, sam)
    response = client.post(f"/spaces/{commission.slug}/invite",
                           data={"email": jade.email, "role": "observer"})
    assert response.status_code == 422
    assert "Jade is already here." in response.get_data(as_text=True)
