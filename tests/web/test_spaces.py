"""Spaces: who may see them, adding people without email, paper codes, assisted mode."""

import re

from sqlalchemy import select

from participate.accounts.models import Person
from participate.audit.models import AuditEntry
from participate.extensions import db
from tests import factories as f


def _setup():
    sam = f.person("Sam")
    jade = f.person("Jade", access_needs="Large print please")
    commission = f.space("Porthaven PTC")
    f.member(sam, commission, "facilitator")
    f.member(jade, commission, "community_commissioner")
    return sam, jade, commission


def test_member_of_another_space_gets_404_for_a_private_space(client):
    _, _, commission = _setup()
    outsider = f.person("Olu")
    other = f.space("Tenants group", kind="group")
    f.member(outsider, other, "facilitator")
    f.sign_in(client, outsider)
    for url in (f"/spaces/{commission.slug}", f"/spaces/{commission.slug}/people/new",
                f"/spaces/{commission.slug}/invite"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/spaces/{commission.slug}/people/new",
                       data={"chosen_name": "X", "role": "observer", "consent": "y"}
                       ).status_code == 404
    assert client.get(f"/spaces/{other.slug}").status_code == 200


def test_a_stranger_cannot_tell_a_private_space_from_a_missing_one(client):
    _, _, commission = _setup()
    db.session.commit()
    private = client.get(f"/spaces/{commission.slug}")
    missing = client.get("/spaces/no-such-space")
    assert private.status_code == missing.status_code == 404
    main = lambda r: r.get_data(as_text=True).split("<main")[1]  # noqa: E731
    assert main(private) == main(missing)


def test_public_space_shows_itself_but_not_its_people_to_strangers(client):
    fund = f.space("Northside Fund", kind="grant_round", visibility="public")
    f.member(f.person("Rhys"), fund, "resident")
    db.session.commit()
    page = client.get(f"/spaces/{fund.slug}").get_data(as_text=True)
    assert "Northside Fund" in page and "Rhys" not in page


def test_commissioners_see_names_not_access_needs_facilitators_see_both(client):
    sam, jade, commission = _setup()
    owen = f.person("Owen")
    f.member(owen, commission, "civic_commissioner")
    f.sign_in(client, owen)
    page = client.get(f"/spaces/{commission.slug}").get_data(as_text=True)
    assert "Jade" in page and "Large print please" not in page
    client.post("/sign-out")
    f.sign_in(client, sam)
    page = client.get(f"/spaces/{commission.slug}").get_data(as_text=True)
    assert "Large print please" in page


def test_commissioner_cannot_add_people(client):
    _, jade, commission = _setup()
    f.sign_in(client, jade)
    assert client.get(f"/spaces/{commission.slug}/people/new").status_code == 404


def test_facilitator_adds_someone_without_email_who_signs_in_with_the_code(client):
    sam, _, commission = _setup()
    f.sign_in(client, sam)
    url = f"/spaces/{commission.slug}/people/new"
    missing = client.post(url, data={"chosen_name": "Dot", "role": "community_commissioner"})
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    assert "Check with them first" in page and 'value="Dot"' in page
    response = client.post(url, data={"chosen_name": "Dot", "role": "community_commissioner",
                                      "consent": "y", "access_needs": "Step-free access"})
    assert response.status_code == 200
    code = re.search(r'class="paper-code__code"[^>]*>([A-Z0-9-]+)<', response.get_data(as_text=True))
    assert code
    dot = db.session.scalar(select(Person).where(Person.chosen_name == "Dot"))
    assert dot.email is None and dot.password_hash is None
    client.post("/sign-out")
    typed = code.group(1).replace("-", "").lower()
    assert client.post("/sign-in/code", data={"code": typed}).status_code == 303
    assert "Hello, Dot" in client.get("/").get_data(as_text=True)
    client.post("/sign-out")
    again = client.post("/sign-in/code", data={"code": typed})
    assert again.status_code == 422 and "used already" in again.get_data(as_text=True)


def test_a_new_code_cancels_the_old_one(client):
    sam, _, commission = _setup()
    dot = f.person("Dot", email=None)
    f.member(dot, commission, "community_commissioner")
    f.sign_in(client, sam)

    def new_code():
        page = client.post(f"/spaces/{commission.slug}/people/{dot.id}/code").get_data(as_text=True)
        return re.search(r'class="paper-code__code"[^>]*>([A-Z0-9-]+)<', page).group(1)

    first, second = new_code(), new_code()
    client.post("/sign-out")
    assert client.post("/sign-in/code", data={"code": first}).status_code == 422
    assert client.post("/sign-in/code", data={"code": second}).status_code == 303


def test_no_code_for_someone_outside_the_space_or_with_an_email(client):
    sam, jade, commission = _setup()
    stranger = f.person("Kim", email=None)
    f.sign_in(client, sam)
    assert client.post(f"/spaces/{commission.slug}/people/{stranger.id}/code").status_code == 404
    assert client.post(f"/spaces/{commission.slug}/people/{jade.id}/code").status_code == 404


def test_assisted_action_is_recorded_as_by_the_facilitator_for_the_member(client):
    sam, jade, commission = _setup()
    f.sign_in(client, sam)
    no_consent = client.post(f"/spaces/{commission.slug}/assist", data={"person_id": jade.id})
    assert no_consent.status_code == 303
    assert "You are acting for" not in client.get("/profile").get_data(as_text=True)
    started = client.post(f"/spaces/{commission.slug}/assist",
                          data={"person_id": jade.id, "consent": "y"})
    assert started.headers["Location"] == "/profile"
    page = client.get("/profile").get_data(as_text=True)
    assert "You are acting for Jade in Porthaven PTC" in page
    assert 'value="Jade"' in page  # the form is Jade's profile, not Sam's
    response = client.post("/profile", data={"chosen_name": "Jade", "language": "en",
                                             "notification_choice": "none",
                                             "access_needs": "Large print and a quiet room"})
    assert response.status_code == 303
    db.session.expire_all()
    assert jade.access_needs == "Large print and a quiet room"
    assert jade.notification_choice == "none"
    assert sam.access_needs is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "profile.updated"))
    assert (entry.actor_id, entry.on_behalf_of_id) == (sam.id, jade.id)
    client.post("/assist/stop")
    assert "You are acting for" not in client.get("/profile").get_data(as_text=True)


def test_only_facilitators_of_that_space_can_act_for_someone(client):
    sam, jade, commission = _setup()
    owen = f.person("Owen")
    f.member(owen, commission, "civic_commissioner")
    f.sign_in(client, owen)
    response = client.post(f"/spaces/{commission.slug}/assist",
                           data={"person_id": jade.id, "consent": "y"})
    assert response.status_code == 404


def test_assisted_mode_ends_when_the_member_leaves_the_space(client):
    sam, jade, commission = _setup()
    f.sign_in(client, sam)
    client.post(f"/spaces/{commission.slug}/assist", data={"person_id": jade.id, "consent": "y"})
    jade.memberships[0].status = "left"
    db.session.commit()
    page = client.get("/profile").get_data(as_text=True)
    assert "You are acting for" not in page and 'value="Sam"' in page


def test_officer_sees_the_organisation_page_and_its_people(client):
    council = f.organisation("Porthaven Council")
    priya = f.person("Priya")
    f.member(priya, council, "council_officer")
    fund = f.space("Northside Fund", kind="grant_round", organisation_=council)
    f.sign_in(client, priya)
    page = client.get(f"/organisations/{council.slug}").get_data(as_text=True)
    assert "Northside Fund" in page and "Priya" in page
    assert client.get(f"/spaces/{fund.slug}").status_code == 200


def test_officer_invites_a_finance_approver_to_the_council(client, outbox):
    council = f.organisation("Porthaven Council")
    priya = f.person("Priya")
    f.member(priya, council, "council_officer")
    f.sign_in(client, priya)
    page = client.get(f"/organisations/{council.slug}/invite").get_data(as_text=True)
    assert "Finance approver" in page and "Community commissioner" not in page
    response = client.post(f"/organisations/{council.slug}/invite",
                           data={"email": "tom@example.org", "role": "finance_approver"})
    assert response.status_code == 303
    assert outbox[-1].subject == "You're invited to join Porthaven Council"
    link = re.search(r"https?://[^/\s]+(/invitations/\S+)", outbox[-1].body).group(1)
    client.post("/sign-out")
    client.post(link, data={"chosen_name": "Tom"})
    tom = db.session.scalar(select(Person).where(Person.email == "tom@example.org"))
    assert [(m.organisation_id, m.role) for m in tom.memberships] == [
        (council.id, "finance_approver")]


def test_people_outside_the_council_cannot_invite_to_it(client):
    council = f.organisation("Porthaven Council")
    tom = f.person("Tom")
    f.member(tom, council, "finance_approver")
    f.sign_in(client, tom)
    assert client.get(f"/organisations/{council.slug}/invite").status_code == 404
    assert client.post(f"/organisations/{council.slug}/invite",
                       data={"email": "x@example.org", "role": "council_officer"}
                       ).status_code == 404
    assert "Invite a colleague" not in client.get(f"/organisations/{council.slug}").get_data(
        as_text=True)


def test_acting_for_someone_in_one_space_is_not_claimed_in_another(client):
    from participate.audit import record as audit_record

    sam, jade, commission = _setup()
    tenants = f.space("Tenants", kind="group")
    f.member(sam, tenants, "facilitator")
    f.sign_in(client, sam)
    client.post(f"/spaces/{commission.slug}/assist", data={"person_id": jade.id, "consent": "y"})
    app = client.application

    with app.test_request_context("/"):
        from flask import g, session
        from flask_login import login_user

        from participate.accounts import auth

        login_user(db.session.get(Person, sam.id))
        session["assisting"] = {"space_id": commission.id, "person_id": jade.id}
        auth._load_assisting()
        assert g.acting_for.id == jade.id
        here = audit_record("test.here", "In the commission", space=commission)
        elsewhere = audit_record("test.elsewhere", "In the tenants' group", space=tenants)
        assert here.on_behalf_of_id == jade.id
        assert elsewhere.on_behalf_of_id is None and elsewhere.actor_id == sam.id
