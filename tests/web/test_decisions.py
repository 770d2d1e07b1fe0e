"""Consent decisions through the pages: a proposal taken through every round, an objection
integrated by an amendment and resolved, the decision record, paper cards, review, the public
record, and who may see or do what (404 for what someone may not know exists)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from participate.clock import local_today
from participate.decisions.models import (
    ConsentResponse,
    Decision,
    Objection,
    Proposal,
)
from participate.extensions import db
from tests import factories as f

REVIEW = (date.today() + timedelta(days=180)).isoformat()
PROPOSAL = {
    "title": "A named contact at the council",
    "driver": "People get passed from desk to desk when they ring about arrears.",
    "text": "Each commissioner who rings gets one named person who calls them back.",
    "red_lines": "No one is asked to prove they are poor.",
    "review_on": REVIEW,
    "quorum_percent": "67",
    "hide_results": "y",
}


@pytest.fixture
def circle():
    c = f.commission(phase="action")
    p = {
        "sam": f.person("Sam Taylor"),
        "jade": f.person("Jade Morgan"),
        "kim": f.person("Kim Lee"),
        "owen": f.person("Owen Price"),
        "fatima": f.person("Fatima Khan"),
        "olu": f.person("Olu Ade"),
        "rhys": f.person("Rhys Jones"),
        "tess": f.person("Tess Hall"),
    }
    f.member(p["sam"], c.space, "facilitator")
    f.member(p["tess"], c.space, "facilitator")
    for key in ("jade", "kim"):
        f.member(p[key], c.space, "community_commissioner")
    f.member(p["owen"], c.space, "civic_commissioner")
    f.member(p["fatima"], c.space, "business_commissioner")
    f.member(p["olu"], c.space, "observer")
    db.session.commit()
    return c, p


def _base(c) -> str:
    return f"/decide/{c.space.slug}"


def _proposal() -> Proposal:
    db.session.expire_all()
    return db.session.scalars(select(Proposal)).one()


def _step(client, c, proposal_id, action, follow_redirects=False, **extra):
    return client.post(f"{_base(c)}/{proposal_id}/step", data={"action": action, **extra},
                       follow_redirects=follow_redirects)


def test_a_proposal_goes_through_every_round_and_an_objection_changes_it(client, circle):
    c, p = circle
    f.as_person(client, p["jade"])
    assert client.get(f"{_base(c)}/").status_code == 200
    assert client.post(f"{_base(c)}/new", data=PROPOSAL).status_code == 303
    pid = _proposal().id
    assert _proposal().state == "draft" and _proposal().version.number == 1
    assert _step(client, c, pid, "open_clarifying").status_code == 404  # facilitators only

    f.as_person(client, p["sam"])
    assert _step(client, c, pid, "open_clarifying").status_code == 303
    assert _proposal().state == "clarifying"

    f.as_person(client, p["owen"])
    assert client.post(f"{_base(c)}/{pid}/questions",
                       data={"text": "Who would the named person be?"}).status_code == 303
    question = _proposal().current_round.questions[0]
    assert client.post(f"{_base(c)}/{pid}/questions/{question.id}",
                       data={"answer": "Me"}).status_code == 404  # only the proposer answers
    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/{pid}/questions/{question.id}",
                data={"answer": "Someone in the revenues team, by name."})
    assert "Someone in the revenues team" in f.page_text(client.get(f"{_base(c)}/{pid}"))

    f.as_person(client, p["sam"])
    _step(client, c, pid, "open_reaction")
    assert _proposal().state == "reaction"
    order = _proposal().current_round.speaking_order
    assert sorted(order) == sorted(p[k].id for k in ("jade", "kim", "owen", "fatima"))
    for key in ("kim", "owen"):
        f.as_person(client, p[key])
        assert client.post(f"{_base(c)}/{pid}/reactions",
                           data={"text": f"{key} likes it"}).status_code == 303
    # Heard once: a second reaction is refused with a message.
    again = client.post(f"{_base(c)}/{pid}/reactions", data={"text": "more"}, follow_redirects=True)
    assert "has already been heard" in f.page_text(again)
    f.as_person(client, p["olu"])  # observers follow, they don't decide
    assert client.post(f"{_base(c)}/{pid}/reactions", data={"text": "x"}).status_code == 404
    page = f.page_text(client.get(f"{_base(c)}/{pid}"))
    assert "2 of 4 heard." in page

    f.as_person(client, p["sam"])
    _step(client, c, pid, "open_consent")
    assert _proposal().state == "consent"
    f.as_person(client, p["owen"])
    blank = client.post(f"{_base(c)}/{pid}/answers", data={"answer": "object", "reason": ""})
    assert blank.status_code == 422 and "Say what your objection is" in f.page_text(blank)
    client.post(f"{_base(c)}/{pid}/answers", data={
        "answer": "object", "reason": "Without a review after six months we won't know.",
        "paramount": "y"})
    twice = client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"},
                        follow_redirects=True)
    assert "has already answered" in f.page_text(twice)
    for key, answer in (("jade", "consent"), ("kim", "consent"), ("fatima", "stand_aside")):
        f.as_person(client, p[key])
        client.post(f"{_base(c)}/{pid}/answers", data={"answer": answer, "reason": ""})
    objection = db.session.scalars(select(Objection)).one()
    assert objection.status == "open" and objection.paramount

    f.as_person(client, p["sam"])
    blocked = _step(client, c, pid, "adopt", follow_redirects=True)
    assert "An objection is still open" in f.page_text(blocked)
    assert _proposal().state == "consent"
    _step(client, c, pid, "integrate")
    assert _proposal().state == "integrating"
    assert db.session.get(Objection, objection.id).status == "integrating"
    retest = _step(client, c, pid, "retest", follow_redirects=True)
    assert "Amend the proposal first" in f.page_text(retest)

    f.as_person(client, p["jade"])
    amended = {k: PROPOSAL[k] for k in ("driver", "text", "red_lines", "review_on")}
    amended["text"] += " We review it after six months."
    amended["change_note"] = "Added a six-month review, to meet Owen's objection."
    assert client.post(f"{_base(c)}/{pid}/amend", data=amended).status_code == 303
    assert _proposal().version.number == 2
    f.as_person(client, p["owen"])
    client.post(f"{_base(c)}/{pid}/objections/{objection.id}",
                data={"outcome": "resolved", "note": "The review meets it."})
    db.session.expire_all()
    resolved = db.session.get(Objection, objection.id)
    assert (resolved.status, resolved.resolved_version_number) == ("resolved", 2)

    f.as_person(client, p["sam"])
    _step(client, c, pid, "retest")
    assert _proposal().state == "consent" and _proposal().current_round.version_number == 2
    for key in ("jade", "kim", "owen"):
        f.as_person(client, p[key])
        client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent", "reason": ""})
    f.as_person(client, p["sam"])
    assert _step(client, c, pid, "adopt").status_code == 303
    assert _proposal().state == "adopted"
    decision = db.session.scalars(select(Decision)).one()
    assert decision.version_number == 2 and "six months" in decision.text
    record = f.page_text(client.get(f"{_base(c)}/{pid}/decision"))
    assert "Without a review after six months" in record and "The review meets it." in record
    assert "met by version 2" in record and "Owen Price" in record


def _to_consent(client, c, p) -> int:
    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/new", data=PROPOSAL)
    pid = _proposal().id
    f.as_person(client, p["sam"])
    for action in ("open_clarifying", "open_reaction", "open_consent"):
        assert _step(client, c, pid, action).status_code == 303
    return pid


def test_quorum_and_hidden_results(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    for key in ("jade", "kim"):
        f.as_person(client, p[key])
        client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"})
    page = f.page_text(client.get(f"{_base(c)}/{pid}"))
    assert "How people answered shows once everyone has answered." in page
    assert "<strong>I consent</strong>" not in page and "You answered: I consent." in page
    f.as_person(client, p["sam"])
    assert "<strong>I consent</strong>" in f.page_text(client.get(f"{_base(c)}/{pid}"))
    too_few = _step(client, c, pid, "adopt", follow_redirects=True)  # 2 of 4 is under 67%
    assert "Not enough of the circle has answered yet." in f.page_text(too_few)
    f.as_person(client, p["owen"])
    client.post(f"{_base(c)}/{pid}/answers", data={"answer": "stand_aside", "reason": "Busy"})
    f.as_person(client, p["sam"])
    assert _step(client, c, pid, "adopt").status_code == 303


def test_a_response_after_the_round_closes_is_refused(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    rnd = _proposal().current_round
    rnd.closes_at = rnd.opened_at  # the deadline has passed
    db.session.commit()
    f.as_person(client, p["kim"])
    late = client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"},
                       follow_redirects=True)
    assert "This round has closed" in f.page_text(late)
    assert db.session.scalar(select(func.count()).select_from(ConsentResponse)) == 0


def test_facilitators_record_answers_in_the_room_and_paper_cards_need_a_second_person(
    client, circle
):
    c, p = circle
    pid = _to_consent(client, c, p)
    f.as_person(client, p["sam"])
    client.post(f"{_base(c)}/{pid}/answers",
                data={"for_person": str(p["kim"].id), "answer": "consent"})
    kim = db.session.scalars(select(ConsentResponse)).one()
    assert (kim.person_id, kim.source, kim.recorded_by_id) == (p["kim"].id, "assisted",
                                                               p["sam"].id)
    # Paper: a red card needs a reason; nothing typed is lost.
    bad = client.post(f"{_base(c)}/{pid}/cards", data={
        f"card-{p['jade'].id}": "green", f"card-{p['owen'].id}": "red",
        f"reason-{p['owen'].id}": ""})
    assert bad.status_code == 422 and "Say what your objection is" in f.page_text(bad)
    assert 'value="green" checked' in f.page_text(bad)
    assert db.session.scalar(select(func.count()).select_from(ConsentResponse)) == 1
    client.post(f"{_base(c)}/{pid}/cards", data={
        f"card-{p['jade'].id}": "green", f"card-{p['owen'].id}": "amber",
        f"card-{p['fatima'].id}": "green"})
    db.session.expire_all()
    paper = db.session.scalars(select(ConsentResponse).where(
        ConsentResponse.source == "paper")).all()
    assert len(paper) == 3 and not any(r.counts for r in paper)
    held = _step(client, c, pid, "adopt", follow_redirects=True)
    assert "waiting for a second person" in f.page_text(held)
    client.post(f"{_base(c)}/{pid}/cards/check", follow_redirects=True)
    db.session.expire_all()
    assert not any(r.counts for r in db.session.scalars(select(ConsentResponse).where(
        ConsentResponse.source == "paper")))  # Sam entered them, so Sam can't check them
    f.as_person(client, p["kim"])  # someone else in the circle checks them against the cards
    assert client.post(f"{_base(c)}/{pid}/cards/check").status_code == 303
    f.as_person(client, p["sam"])
    assert _step(client, c, pid, "adopt").status_code == 303


def test_review_keep_amend_or_end(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    for key in ("jade", "kim", "owen"):
        f.as_person(client, p[key])
        client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"})
    f.as_person(client, p["sam"])
    _step(client, c, pid, "adopt")
    early = _step(client, c, pid, "keep", next_review_on=REVIEW, follow_redirects=True)
    assert "not due for review yet" in f.page_text(early)
    decision = db.session.scalars(select(Decision)).one()
    decision.review_on = local_today()
    db.session.commit()
    assert "Due for review" in f.page_text(client.get(f"{_base(c)}/"))
    later = (local_today() + timedelta(days=365)).isoformat()
    assert _step(client, c, pid, "keep", next_review_on=later).status_code == 303
    assert _proposal().state == "adopted"
    assert "kept, to be reviewed again" in f.page_text(client.get(f"{_base(c)}/{pid}/decision"))
    assert _step(client, c, pid, "end", reason="").status_code == 303  # not due any more
    assert _proposal().state == "adopted"


def test_withdrawal_needs_a_reason_and_is_for_the_proposer_or_a_facilitator(client, circle):
    c, p = circle
    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/new", data=PROPOSAL)
    pid = _proposal().id
    f.as_person(client, p["kim"])
    assert _step(client, c, pid, "withdraw", reason="no").status_code == 404
    f.as_person(client, p["jade"])
    assert "Say why" in f.page_text(_step(client, c, pid, "withdraw", reason=" ",
                                    follow_redirects=True))
    _step(client, c, pid, "withdraw", reason="We found a better way.")
    assert _proposal().state == "withdrawn"
    assert "We found a better way." in f.page_text(client.get(f"{_base(c)}/{pid}"))


def test_commission_proposals_wait_for_the_action_phase_unless_opened_early(client):
    c = f.commission(phase="together")
    sam, jade = f.person("Sam Taylor"), f.person("Jade Morgan")
    f.member(sam, c.space, "facilitator")
    f.member(jade, c.space, "community_commissioner")
    db.session.commit()
    f.as_person(client, jade)
    assert "Proposals open in the action phase" in f.page_text(client.get(f"{_base(c)}/"))
    assert client.get(f"{_base(c)}/new").status_code == 404
    assert client.post(f"/decide/{c.space.slug}/open-early",
                       data={"note": "x"}).status_code == 404
    f.as_person(client, sam)
    blank = client.post(f"/decide/{c.space.slug}/open-early", data={"note": ""},
                        follow_redirects=True)
    assert "Say when and how they agreed." in f.page_text(blank)
    client.post(f"/decide/{c.space.slug}/open-early",
                data={"note": "All eight agreed at the March session."})
    f.as_person(client, jade)
    assert client.get(f"{_base(c)}/new").status_code == 200


def test_bad_input_comes_back_next_to_the_field_with_everything_kept(client, circle):
    c, p = circle
    f.as_person(client, p["jade"])
    sent = {**PROPOSAL, "title": "", "review_on": (date.today() - timedelta(days=1)).isoformat()}
    response = client.post(f"{_base(c)}/new", data=sent)
    html = f.page_text(response)
    assert response.status_code == 422
    assert "Give the proposal a title." in html and "Choose a date after today." in html
    assert PROPOSAL["driver"] in html and PROPOSAL["red_lines"] in html
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_people_outside_the_circle_find_nothing(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    other = f.commission(name="Another commission", phase="action")
    f.member(p["rhys"], other.space, "facilitator")
    db.session.commit()
    f.as_person(client, p["rhys"])
    for url in (f"{_base(c)}/", f"{_base(c)}/{pid}", f"{_base(c)}/{pid}/decision",
                f"{_base(c)}/{pid}/versions", f"{_base(c)}/{pid}/cards",
                f"{_base(c)}/{pid}/progress"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"}).status_code == 404
    assert _step(client, c, pid, "withdraw", reason="x").status_code == 404
    # A proposal of this circle looked up through another circle's address: 404.
    assert client.get(f"/decide/{other.space.slug}/{pid}").status_code == 404
    f.as_person(client, None)
    assert client.get(f"{_base(c)}/{pid}").status_code == 302


def test_published_decisions_are_public_and_objectors_unnamed_unless_they_agree(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    f.as_person(client, p["owen"])
    client.post(f"{_base(c)}/{pid}/answers", data={"answer": "object", "reason": "Too slow."})
    f.as_person(client, p["kim"])
    client.post(f"{_base(c)}/{pid}/answers", data={"answer": "object", "reason": "Too vague.",
                                                  "name_in_public": "y"})
    for o in db.session.scalars(select(Objection)):
        o.status = "withdrawn"
    for key in ("jade", "fatima"):
        f.as_person(client, p[key])
        client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"})
    f.as_person(client, p["sam"])
    _step(client, c, pid, "adopt")
    f.as_person(client, None)
    assert client.get(f"/decisions/{pid}").status_code == 404  # not published yet
    f.as_person(client, p["jade"])
    assert client.post(f"{_base(c)}/{pid}/publish", data={"published": "y"}).status_code == 404
    f.as_person(client, p["sam"])
    client.post(f"{_base(c)}/{pid}/publish", data={"published": "y"})
    f.as_person(client, None)
    listing = f.page_text(client.get("/decisions/"))
    assert PROPOSAL["title"] in listing
    public = f.page_text(client.get(f"/decisions/{pid}"))
    assert "Too slow." in public and "Too vague." in public
    assert "Kim Lee" in public and "Owen Price" not in public
    assert "Jade Morgan" not in public and "Fatima Khan" not in public  # counts, not names


def test_the_demo_shows_each_kind_of_decision(client):
    from participate.accounts.models import Person
    from participate.demo import DEMO_PASSWORD, load

    load()
    proposals = {p.title: p for p in db.session.scalars(select(Proposal))}
    named = proposals["A named contact for council tax arrears"]
    assert named.state == "adopted" and named.published
    [objection] = named.objections
    assert (objection.status, objection.resolved_version_number) == ("resolved", 2)
    record = db.session.scalars(select(Decision).where(Decision.proposal_id == named.id)).one()
    assert len(record.record["answers"]) == 6 and record.record["versions"] == 2
    evening = proposals["Evening sessions at the library"]
    assert evening.state == "consent"
    assert [o.status for o in evening.objections] == ["open"]
    travel = proposals["Travel costs paid upfront"]
    assert travel.state == "adopted"
    decision = db.session.scalars(select(Decision).where(Decision.proposal_id == travel.id)).one()
    assert decision.review_on < local_today()

    sam = db.session.scalar(select(Person).where(Person.email == "facilitator@porthaven.example"))
    f.sign_in(client, sam, DEMO_PASSWORD)
    slug = named.space.slug
    listing = f.page_text(client.get(f"/decide/{slug}/"))
    assert "Due for review" in listing and "Evening sessions at the library" in listing
    page = f.page_text(client.get(f"/decide/{slug}/{evening.id}"))
    assert "3 of 6 have answered." in page and "The library shuts at seven" in page
    assert "Getting to the hub" in page  # the story behind it, which Sam may read
    assert "anything after four o&#39;clock" in page  # and the quote from it
    adopt = f.page_text(client.post(f"/decide/{slug}/{evening.id}/step", data={"action": "adopt"},
                              follow_redirects=True))
    assert "An objection is still open" in adopt
    f.as_person(client, None)
    public = f.page_text(client.get(f"/decisions/{named.id}"))
    assert "<strong>Owen</strong>" in public  # he agreed to be named
    assert "three in January" in public


def test_home_reminds_people_of_rounds_objections_and_reviews(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    home = "/"
    f.as_person(client, p["owen"])
    assert "Answer the consent round in" in f.page_text(client.get(home))
    client.post(f"{_base(c)}/{pid}/answers", data={"answer": "object", "reason": "Too soon."})
    assert "Answer the consent round in" not in f.page_text(client.get(home))
    f.as_person(client, p["olu"])  # observers don't answer
    assert "Answer the consent round in" not in f.page_text(client.get(home))

    f.as_person(client, p["sam"])
    _step(client, c, pid, "integrate")
    f.as_person(client, p["jade"])
    amended = {k: PROPOSAL[k] for k in ("driver", "text", "red_lines", "review_on")}
    client.post(f"{_base(c)}/{pid}/amend", data={**amended, "change_note": "Later start."})
    f.as_person(client, p["owen"])
    assert "meets your objection" in f.page_text(client.get(home))
    objection = db.session.scalars(select(Objection)).one()
    client.post(f"{_base(c)}/{pid}/objections/{objection.id}", data={"outcome": "resolved"})
    assert "meets your objection" not in f.page_text(client.get(home))

    f.as_person(client, p["sam"])
    _step(client, c, pid, "retest")
    for key in ("jade", "kim", "owen", "fatima"):
        f.as_person(client, p[key])
        client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"})
    f.as_person(client, p["sam"])
    _step(client, c, pid, "adopt")
    assert "is due for review" not in f.page_text(client.get(home))
    decision = db.session.scalars(select(Decision)).one()
    decision.review_on = local_today()
    db.session.commit()
    for key in ("sam", "kim", "olu"):  # the whole circle is reminded
        f.as_person(client, p[key])
        assert "is due for review" in f.page_text(client.get(home)), key
    f.as_person(client, p["rhys"])
    assert "is due for review" not in f.page_text(client.get(home))


def test_a_group_decides_whenever_it_likes(client):
    group = f.space("Northside Tenants", kind="group")
    sam, rhys, ann = f.person("Sam Taylor"), f.person("Rhys Jones"), f.person("Ann Bell")
    f.member(sam, group, "facilitator")
    f.member(rhys, group, "resident")
    f.member(ann, group, "observer")
    db.session.commit()
    f.as_person(client, rhys)
    assert "Proposals and decisions" in f.page_text(client.get(f"/spaces/{group.slug}"))
    assert client.post(f"/decide/{group.slug}/new", data=PROPOSAL).status_code == 303
    f.as_person(client, ann)
    assert PROPOSAL["title"] in f.page_text(client.get(f"/decide/{group.slug}/"))
    assert client.get(f"/decide/{group.slug}/new").status_code == 404  # observers don't propose


def test_polling_after_signing_out_stops_quietly(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    f.as_person(client, None)
    response = client.get(f"{_base(c)}/{pid}/progress", headers={"HX-Request": "true"})
    assert response.status_code == 286 and response.data == b""


def test_the_facilitator_sets_the_speaking_order_or_leaves_it_random(client, circle):
    c, p = circle
    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/new", data=PROPOSAL)
    pid = _proposal().id
    f.as_person(client, p["sam"])
    _step(client, c, pid, "open_clarifying")
    page = f.page_text(client.get(f"{_base(c)}/{pid}"))
    assert f'name="order-{p["owen"].id}"' in page
    _step(client, c, pid, "open_reaction", **{f"order-{p['owen'].id}": "1",
                                              f"order-{p['fatima'].id}": "2",
                                              f"order-{p['kim'].id}": "x"})
    order = _proposal().current_round.speaking_order
    assert order[:2] == [p["owen"].id, p["fatima"].id]
    assert sorted(order[2:]) == sorted([p["jade"].id, p["kim"].id])
    listing = f.page_text(client.get(f"{_base(c)}/{pid}"))
    assert listing.index("Owen Price") < listing.index("Fatima Khan") < listing.index(
        "Kim Lee", listing.index("Fatima Khan"))
