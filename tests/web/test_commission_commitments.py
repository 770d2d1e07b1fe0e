"""Commitments: adding, updating, handing over, "this hasn't happened", and the public
"you said, we did" page, which shows only what the commission agreed to publish."""

from datetime import date

from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.commissions.models import Commitment, CommitmentFlag, CommitmentUpdate
from participate.extensions import db
from tests import factories as f


def _setup(phase="together"):
    c = f.commission(phase=phase)
    council = f.organisation("Porthaven Council")
    people = {
        "sam": f.person("Sam"),
        "jade": f.person("Jade"),
        "dot": f.person("Dot"),
        "owen": f.person("Owen"),
        "helen": f.person("Helen"),
    }
    f.member(people["sam"], c.space, "facilitator")
    f.member(people["jade"], c.space, "community_commissioner")
    f.member(people["dot"], c.space, "community_commissioner")
    f.member(people["owen"], c.space, "civic_commissioner")
    f.member(people["helen"], c.space, "civic_commissioner")
    db.session.commit()
    return c, council, people


def _commitment(c, what="Answer every housing repair call within a week", **extra):
    values = dict(
        commission_id=c.id,
        what=what,
        owner_role="Head of housing",
        status="not_started",
        published=False,
    )
    values.update(extra)
    commitment = Commitment(**values)
    db.session.add(commitment)
    db.session.commit()
    return commitment


def _url(c, *parts):
    return "/".join([f"/commissions/{c.space.slug}/commitments", *map(str, parts)])


# --- adding and listing ----------------------------------------------------------------------


def test_facilitator_adds_a_commitment_with_a_role_and_a_holder(client):
    c, council, p = _setup()
    f.sign_in(client, p["sam"])
    form = client.get(_url(c, "new"))
    assert form.status_code == 200 and "The role that made the promise" in f.page_text(form)
    response = client.post(
        _url(c, "new"),
        data={
            "what": "Open a warm space at the library on Sundays",
            "owner_role": "Head of libraries",
            "owner_organisation_id": str(council.id),
            "owner_person_id": str(p["owen"].id),
            "due_on": "2026-12-01",
            "published": "yes",
        },
    )
    assert response.status_code == 303
    commitment = db.session.scalar(select(Commitment))
    assert (commitment.owner_role, commitment.owner_person_id, commitment.published) == (
        "Head of libraries",
        p["owen"].id,
        True,
    )
    assert commitment.due_on == date(2026, 12, 1) and commitment.status == "not_started"
    assert response.headers["Location"].endswith(_url(c, commitment.id))
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "commitment.added"))
    assert audit.visibility == "space" and audit.space_id == c.space_id

    page = f.page_text(client.get(_url(c)))
    assert "Open a warm space at the library on Sundays" in page
    assert "Head of libraries" in page and "Porthaven Council" in page
    assert "Owen" in page and "Promised: 1" in page and "Delivered: 0" in page


def test_a_commitment_with_missing_parts_comes_back_filled_in(client):
    c, _, p = _setup()
    f.sign_in(client, p["sam"])
    response = client.post(
        _url(c, "new"), data={"what": "Fix the lifts", "owner_role": "", "published": "no"}
    )
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Enter the role that made the promise." in page and "Fix the lifts" in page
    htmx = client.post(
        _url(c, "new"),
        data={"what": "", "owner_role": "Mayor", "published": "no"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422
    assert f.page_text(htmx).lstrip().startswith('<form id="commitment-form"')
    assert 'value="Mayor"' in f.page_text(htmx)
    assert db.session.scalar(select(Commitment)) is None


def test_only_facilitators_add_commitments(client):
    c, _, p = _setup()
    for who in ("jade", "owen"):
        f.sign_in(client, p[who])
        assert client.get(_url(c, "new")).status_code == 404
        assert (
            client.post(
                _url(c, "new"), data={"what": "x", "owner_role": "y", "published": "no"}
            ).status_code
            == 404
        )
        client.post("/sign-out")
    assert db.session.scalar(select(Commitment)) is None


def test_the_list_filters_by_status_and_shows_holders_by_chosen_name(client):
    c, _, p = _setup()
    _commitment(
        c, "Fix the lifts", status="delivered", evidence="Lifts work", owner_person_id=p["owen"].id
    )
    _commitment(c, "Open the library on Sundays", status="in_progress", due_on=date(2020, 1, 1))
    f.sign_in(client, p["jade"])
    page = f.page_text(client.get(_url(c)))
    assert "Fix the lifts" in page and "Open the library on Sundays" in page
    assert "Promised: 2" in page and "Delivered: 1" in page and "Overdue: 1" in page
    delivered = client.get(_url(c) + "?status=delivered", headers={"HX-Request": "true"})
    fragment = f.page_text(delivered)
    assert fragment.lstrip().startswith('<div id="commitment-list">')
    assert "Fix the lifts" in fragment and "Open the library" not in fragment
    assert "Owen" in fragment
    assert delivered.headers["Vary"] == "HX-Request" or "HX-Request" in delivered.headers["Vary"]
    overdue = f.page_text(client.get(_url(c) + "?status=overdue"))
    assert "Open the library on Sundays" in overdue.split('id="commitment-list"')[1]
    assert "Fix the lifts" not in overdue.split('id="commitment-list"')[1]


def test_people_outside_the_commission_get_404(client):
    c, _, p = _setup()
    commitment = _commitment(c)
    outsider = f.person("Olu")
    f.member(outsider, f.space("Tenants", kind="group"), "facilitator")
    f.sign_in(client, outsider)
    for url in (_url(c), _url(c, commitment.id), _url(c, "new")):
        assert client.get(url).status_code == 404, url
    assert client.post(_url(c, commitment.id, "flag"), data={}).status_code == 404


def test_civic_commissioners_see_no_commitments_while_community_only(client):
    c, _, p = _setup(phase="community_only")
    commitment = _commitment(c, published=True)
    f.sign_in(client, p["owen"])
    assert client.get(_url(c)).status_code == 404
    assert client.get(_url(c, commitment.id)).status_code == 404
    client.post("/sign-out")
    f.sign_in(client, p["jade"])
    assert client.get(_url(c)).status_code == 200


# --- one commitment: updates, hand-overs, flags ----------------------------------------------


def test_the_holder_updates_status_and_delivered_needs_evidence(client):
    c, _, p = _setup()
    commitment = _commitment(c, owner_person_id=p["owen"].id, published=True)
    f.sign_in(client, p["owen"])
    page = f.page_text(client.get(_url(c, commitment.id)))
    assert "Say where it has got to" in page
    bad = client.post(
        _url(c, commitment.id, "update"),
        data={"update-status": "delivered", "update-evidence": "", "update-note": "Done!"},
    )
    assert bad.status_code == 422
    assert "Say what shows it was delivered" in f.page_text(bad) and "Done!" in f.page_text(bad)
    good = client.post(
        _url(c, commitment.id, "update"),
        data={
            "update-status": "delivered",
            "update-evidence": "Cabinet minutes, 3 March: the policy is changed",
            "update-note": "",
        },
    )
    assert good.status_code == 303
    db.session.expire_all()
    assert commitment.status == "delivered"
    assert commitment.evidence.startswith("Cabinet minutes")
    update = db.session.scalars(
        select(CommitmentUpdate).where(CommitmentUpdate.status == "delivered")
    ).one()
    assert update.by_id == p["owen"].id and update.evidence.startswith("Cabinet minutes")
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "commitment.updated"))
    assert audit.visibility == "public"  # a published commitment's status changed
    history = f.page_text(client.get(_url(c, commitment.id)))
    assert "Where it has got to: Delivered" in history and "Owen" in history


def test_status_change_of_an_unpublished_commitment_stays_in_the_space(client):
    c, _, p = _setup()
    commitment = _commitment(c)
    f.sign_in(client, p["sam"])
    response = client.post(
        _url(c, commitment.id, "update"),
        data={"update-status": "in_progress", "update-evidence": "", "update-note": "Started"},
    )
    assert response.status_code == 303
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "commitment.updated"))
    assert audit.visibility == "space"


def test_other_commissioners_cannot_update_it(client):
    c, _, p = _setup()
    commitment = _commitment(c, owner_person_id=p["owen"].id)
    for who in ("helen", "jade"):
        f.sign_in(client, p[who])
        assert "Say where it has got to" not in f.page_text(client.get(_url(c, commitment.id)))
        response = client.post(
            _url(c, commitment.id, "update"),
            data={"update-status": "in_progress", "update-note": "Sneaky"},
        )
        assert response.status_code == 404
        client.post("/sign-out")
    db.session.expire_all()
    assert commitment.status == "not_started"


def test_facilitator_hands_it_over_when_someone_moves_on(client):
    c, _, p = _setup()
    commitment = _commitment(c, owner_person_id=p["owen"].id)
    f.sign_in(client, p["sam"])
    same = client.post(
        _url(c, commitment.id, "hand-over"), data={"handover-new_holder_id": str(p["owen"].id)}
    )
    assert same.status_code == 422 and "They already hold it" in f.page_text(same)
    response = client.post(
        _url(c, commitment.id, "hand-over"),
        data={"handover-new_holder_id": str(p["helen"].id), "handover-note": "Owen has retired"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert commitment.owner_person_id == p["helen"].id
    assert commitment.owner_role == "Head of housing"  # the role stays
    update = db.session.scalars(
        select(CommitmentUpdate).where(CommitmentUpdate.handed_from_id.is_not(None))
    ).one()
    assert (update.handed_from_id, update.handed_to_id) == (p["owen"].id, p["helen"].id)
    page = f.page_text(client.get(_url(c, commitment.id)))
    assert "Handed over from Owen to Helen" in page and "Owen has retired" in page
    assert (
        db.session.scalar(
            select(AuditEntry.visibility).where(AuditEntry.action == "commitment.handed_over")
        )
        == "space"
    )
    # Owen no longer holds it, so he can't update it; Helen can.
    client.post("/sign-out")
    f.sign_in(client, p["owen"])
    assert (
        client.post(
            _url(c, commitment.id, "update"), data={"update-status": "in_progress"}
        ).status_code
        == 404
    )


def test_only_facilitators_hand_over(client):
    c, _, p = _setup()
    commitment = _commitment(c, owner_person_id=p["owen"].id)
    f.sign_in(client, p["owen"])
    response = client.post(
        _url(c, commitment.id, "hand-over"), data={"handover-new_holder_id": str(p["helen"].id)}
    )
    assert response.status_code == 404


def test_community_commissioner_says_it_hasnt_happened_and_a_facilitator_answers(client):
    c, _, p = _setup()
    commitment = _commitment(c, status="delivered", evidence="Says so on the website")
    f.sign_in(client, p["jade"])
    page = f.page_text(client.get(_url(c, commitment.id)))
    assert "Say this hasn't happened" in page
    response = client.post(
        _url(c, commitment.id, "flag"), data={"flag-note": "My repair took six weeks"}
    )
    assert response.status_code == 303
    flag = db.session.scalar(select(CommitmentFlag))
    assert flag.person_id == p["jade"].id and flag.note == "My repair took six weeks"
    assert (
        db.session.scalar(
            select(AuditEntry.visibility).where(AuditEntry.action == "commitment.flagged")
        )
        == "space"
    )
    assert "You" in f.page_text(client.get(_url(c, commitment.id)))
    client.post("/sign-out")

    # Other commissioners see that it was said, not who said it.
    f.sign_in(client, p["helen"])
    page = f.page_text(client.get(_url(c, commitment.id)))
    assert "My repair took six weeks" in page and "A community commissioner" in page
    assert "Jade" not in page
    assert "Say this hasn't happened" not in page
    assert client.post(_url(c, commitment.id, "flag"), data={}).status_code == 404
    client.post("/sign-out")

    f.sign_in(client, p["sam"])
    page = f.page_text(client.get(_url(c, commitment.id)))
    assert "Jade" in page
    empty = client.post(
        _url(c, commitment.id, "flags", flag.id, "answer"), data={f"answer{flag.id}-answer": ""}
    )
    assert empty.status_code == 422 and "Write an answer." in f.page_text(empty)
    answered = client.post(
        _url(c, commitment.id, "flags", flag.id, "answer"),
        data={f"answer{flag.id}-answer": "We've asked the council for the repair figures."},
    )
    assert answered.status_code == 303
    db.session.expire_all()
    assert flag.answered_by_id == p["sam"].id and flag.answered_at is not None
    again = client.post(
        _url(c, commitment.id, "flags", flag.id, "answer"),
        data={f"answer{flag.id}-answer": "Again"},
    )
    assert again.status_code == 404


def test_flag_errors_come_back_as_the_flags_fragment_for_htmx(client):
    c, _, p = _setup()
    commitment = _commitment(c)
    db.session.add(CommitmentFlag(commitment_id=commitment.id, person_id=p["dot"].id))
    db.session.commit()
    flag = db.session.scalar(select(CommitmentFlag))
    f.sign_in(client, p["sam"])
    response = client.post(
        _url(c, commitment.id, "flags", flag.id, "answer"),
        data={f"answer{flag.id}-answer": " "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert f.page_text(response).lstrip().startswith('<section id="flags"')


def test_facilitator_publishes_and_unpublishes(client):
    c, _, p = _setup()
    commitment = _commitment(c)
    f.sign_in(client, p["sam"])
    assert (
        client.post(_url(c, commitment.id, "publish"), data={"published": "yes"}).status_code == 303
    )
    db.session.expire_all()
    assert commitment.published
    assert (
        db.session.scalar(
            select(AuditEntry.visibility).where(AuditEntry.action == "commitment.published")
        )
        == "public"
    )
    client.post(_url(c, commitment.id, "publish"), data={"published": "no"})
    db.session.expire_all()
    assert not commitment.published
    client.post("/sign-out")
    f.sign_in(client, p["owen"])
    assert (
        client.post(_url(c, commitment.id, "publish"), data={"published": "yes"}).status_code == 404
    )


def test_a_commitment_of_another_commission_is_404(client):
    c, _, p = _setup()
    other = f.commission("Another commission")
    theirs = _commitment(other)
    f.sign_in(client, p["sam"])
    assert client.get(_url(c, theirs.id)).status_code == 404
    assert (
        client.post(_url(c, theirs.id, "update"), data={"update-status": "in_progress"}).status_code
        == 404
    )


def test_in_assisted_mode_the_facilitator_flags_for_the_member(client):
    c, _, p = _setup()
    commitment = _commitment(c)
    f.sign_in(client, p["sam"])
    client.post(
        f"/spaces/{c.space.slug}/assist", data={"person_id": str(p["dot"].id), "consent": "y"}
    )
    page = f.page_text(client.get(_url(c, commitment.id)))
    assert "Say this hasn't happened" in page and "Hand it over" not in page
    response = client.post(_url(c, commitment.id, "flag"), data={"flag-note": "Not yet"})
    assert response.status_code == 303
    flag = db.session.scalar(select(CommitmentFlag))
    assert flag.person_id == p["dot"].id
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "commitment.flagged"))
    assert (audit.actor_id, audit.on_behalf_of_id) == (p["sam"].id, p["dot"].id)


# --- the public page -------------------------------------------------------------------------


def test_public_page_shows_only_published_commitments_without_names(client):
    c, council, p = _setup()
    shown = _commitment(
        c,
        "Answer every repair call within a week",
        status="in_progress",
        owner_organisation_id=council.id,
        owner_person_id=p["owen"].id,
        published=True,
    )
    _commitment(c, "A secret draft promise", published=False)
    db.session.add(
        CommitmentFlag(commitment_id=shown.id, person_id=p["jade"].id, note="Six weeks for me")
    )
    db.session.commit()
    response = client.get(f"/commissions/{c.space.slug}/you-said-we-did")
    assert response.status_code == 200
    page = f.page_text(response)
    assert "Answer every repair call within a week" in page
    assert "Head of housing" in page and "Porthaven Council" in page and "In progress" in page
    assert "A secret draft promise" not in page
    assert "Community commissioners say this hasn't happened yet." in page
    for name in ("Jade", "Owen", "Sam", "Six weeks for me"):
        assert name not in page
    assert "Promised: 1" in page


def test_public_page_is_404_with_nothing_published_or_while_community_only(client):
    c, _, _ = _setup()
    _commitment(c, "A secret draft promise", published=False)
    assert client.get(f"/commissions/{c.space.slug}/you-said-we-did").status_code == 404
    assert client.get("/commissions/no-such-thing/you-said-we-did").status_code == 404
    early, _, _ = _setup(phase="community_only")
    _commitment(early, "Too early", published=True)
    assert client.get(f"/commissions/{early.space.slug}/you-said-we-did").status_code == 404


def test_unpublishing_takes_it_off_the_public_page_at_once(client):
    c, _, p = _setup()
    one = _commitment(c, "First promise", published=True)
    _commitment(c, "Second promise", published=True)
    assert "First promise" in f.page_text(client.get(f"/commissions/{c.space.slug}/you-said-we-did"))
    f.sign_in(client, p["sam"])
    client.post(_url(c, one.id, "publish"), data={"published": "no"})
    client.post("/sign-out")
    page = f.page_text(client.get(f"/commissions/{c.space.slug}/you-said-we-did"))
    assert "First promise" not in page and "Second promise" in page
