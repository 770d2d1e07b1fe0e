"""Notices: each event tells the right people (and nobody else), once; ``flask notices send``
emails them at each person's chosen pace, in their language, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from participate.budgeting.models import Ballot
from participate.clock import local_today
from participate.decisions import steps as decision_steps
from participate.decisions.models import DecisionRound
from participate.extensions import db
from participate.grants import closure as closure_ops
from participate.grants import steps as grant_steps
from participate.notices import news, send
from participate.notices.models import Notice
from tests import factories as f

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def _notices(person=None, kind=None) -> list[Notice]:
    db.session.expire_all()
    query = select(Notice).order_by(Notice.id)
    if person is not None:
        query = query.where(Notice.person_id == person.id)
    if kind is not None:
        query = query.where(Notice.kind == kind)
    return list(db.session.scalars(query))


def _told(kind: str) -> set[int]:
    return {n.person_id for n in _notices(kind=kind)}


def _send(app, when: datetime | None = None, *extra: str):
    db.session.commit()
    args = ["notices", "send", *extra]
    if when is not None:
        args += ["--now", when.isoformat()]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


# --- tell ------------------------------------------------------------------------------------


def test_the_same_news_twice_is_kept_once_and_the_callers_work_goes_on(app):
    rhys = f.person("Rhys")
    assert news.tell(rhys, "objection", "objection:1", {"proposal": "A"}, "/decide/x/1")
    assert not news.tell(rhys, "objection", "objection:1", {"proposal": "B"}, "/decide/x/1")
    # The caller's transaction is unharmed: it can go on and commit.
    jade = f.person("Jade")
    assert news.tell(jade, "objection", "objection:1", {"proposal": "A"}, None)
    db.session.commit()
    assert [(n.person_id, n.params["proposal"]) for n in _notices()] == [
        (rhys.id, "A"),
        (jade.id, "A"),
    ]
    with pytest.raises(ValueError):
        news.tell(rhys, "gossip", "gossip:1")


# --- events ----------------------------------------------------------------------------------


def test_voting_opening_tells_the_rounds_members_and_not_others(client):
    council = f.organisation()
    officer, member, stranger = f.person("Priya"), f.person("Gwen"), f.person("Someone else")
    f.member(officer, council, "council_officer")
    rnd = f.grant_round(
        "feasibility", organisation_=council, results_from=local_today() + timedelta(days=20)
    )
    f.member(member, rnd.space, "resident")
    left = f.person("Moved away")
    f.member(left, rnd.space, "resident", status="left")
    f.budget_project(rnd.pots[0], status="feasible")
    db.session.commit()
    f.sign_in(client, officer)
    assert client.post(f"/rounds/{rnd.space.slug}/phase", data={"to": "voting"}).status_code == 303
    [notice] = _notices(kind="round_opening")
    assert notice.person_id == member.id
    assert notice.path == f"/rounds/{rnd.space.slug}/vote/"
    assert notice.params["round"] == "Neighbourhood Fund" and notice.params["step"] == "until"
    assert stranger.id not in _told("round_opening") and left.id not in _told("round_opening")


def test_a_members_round_tells_the_members_of_its_group(app):
    council = f.organisation()
    group = f.space("Tenants", kind="group", organisation_=council)
    tenant, round_member = f.person("Tenant"), f.person("Round member")
    f.member(tenant, group, "resident")
    rnd = f.grant_round(
        "voting", organisation_=council, who_votes="members", members_space_id=group.id
    )
    f.member(round_member, rnd.space, "resident")
    news.round_moved(rnd, "voting")
    news.round_moved(rnd, "results")  # only voting opening is news
    assert _told("round_opening") == {tenant.id}


def _consent_round(c, proposer, closes_at=None):
    circle = decision_steps.circle_for(c.space)
    proposal = decision_steps.propose(
        circle,
        proposer,
        proposer,
        "A named contact",
        driver="Passed from desk to desk.",
        text="One named person.",
    )
    proposal.state = "consent"
    rnd = DecisionRound(
        proposal_id=proposal.id, number=1, kind="consent", version_number=1, closes_at=closes_at
    )
    db.session.add(rnd)
    db.session.flush()
    db.session.refresh(proposal)
    return proposal, rnd


@pytest.fixture
def circle(app):
    c = f.commission(phase="action")
    people = SimpleNamespace(jade=f.person("Jade"), kim=f.person("Kim"), owen=f.person("Owen"))
    for p in (people.jade, people.kim):
        f.member(p, c.space, "community_commissioner")
    f.member(people.owen, c.space, "civic_commissioner")
    return c, people


def test_an_objection_tells_the_proposer_only(circle):
    c, p = circle
    proposal, rnd = _consent_round(c, p.jade)
    decision_steps.respond(proposal, rnd, p.kim, "consent", "")
    assert _notices() == []
    decision_steps.respond(proposal, rnd, p.owen, "object", "It would cost the hub its grant.")
    db.session.commit()
    [notice] = _notices()
    objection = proposal.objections[0]
    assert (notice.person_id, notice.kind, notice.key) == (
        p.jade.id,
        "objection",
        f"objection:{objection.id}",
    )
    assert notice.path == f"/decide/{c.space.slug}/{proposal.id}"
    assert "It would cost" not in str(notice.params)  # the reasons are read on the page


def test_a_proposer_objecting_to_their_own_proposal_is_not_told(circle):
    c, p = circle
    proposal, rnd = _consent_round(c, p.jade)
    decision_steps.respond(proposal, rnd, p.jade, "object", "I got it wrong.")
    assert _notices() == []


@pytest.fixture
def grant_world(app):
    org = f.organisation()
    officer, officer2 = f.person("Priya"), f.person("Sam")
    finance, finance2 = f.person("Tom"), f.person("Mei")
    f.member(officer, org, "council_officer")
    f.member(officer2, org, "council_officer")
    f.member(finance, org, "finance_approver")
    f.member(finance2, org, "finance_approver")
    fund = f.fund(1_000_000, organisation_=org, officer=officer, two_approvals_above=50_000)
    resident = f.person("Rhys")
    f.member(resident, fund.space, "resident")
    grantee = f.person("Jade")
    grant = f.application(fund, applicant=grantee, amount=100_000)
    grant_steps.award(grant, 100_000, by=officer, decided_by="panel")
    grant_steps.accept(grant, by=grantee)
    return SimpleNamespace(
        fund=fund,
        grant=grant,
        officer=officer,
        officer2=officer2,
        finance=finance,
        finance2=finance2,
        resident=resident,
        grantee=grantee,
    )


def test_a_payment_approved_in_full_tells_the_grantee_and_the_asker(grant_world):
    w = grant_world
    payment = grant_steps.request_payment(w.grant, 100_000, by=w.officer2)
    grant_steps.approve_payment(payment, by=w.finance)
    assert _notices() == []  # one of two approvals: it cannot be paid yet
    grant_steps.approve_payment(payment, by=w.finance2)
    db.session.commit()
    assert _told("payment_approved") == {w.grantee.id, w.officer2.id}
    notice = _notices(w.grantee)[0]
    assert notice.key == f"payment_approved:{payment.id}"
    assert notice.params["amount_pence"] == 100_000
    assert notice.path == f"/funds/{w.fund.slug}/grants/{w.grant.number}/money"


def test_closing_steps_tell_the_grantee_and_the_funds_officers(grant_world):
    w = grant_world
    payment = grant_steps.request_payment(w.grant, 100_000, by=w.officer)
    grant_steps.approve_payment(payment, by=w.finance)
    grant_steps.approve_payment(payment, by=w.finance2)
    grant_steps.mark_paid(payment, by=w.finance, paid_on=local_today(), reference="BACS 1")
    db.session.query(Notice).delete()

    grant_steps.start_closure(w.grant, by=w.officer)
    assert _told("grant_closing") == {w.grantee.id, w.officer2.id}  # not the one who started it
    assert w.resident.id not in _told("grant_closing")

    closure_ops.send_report(w.grant, by=w.grantee, kind="form", text="A mural.")
    closure_ops.review_report(w.grant, by=w.officer, note="Lovely.")
    closure_ops.record_conversation(
        w.grant, by=w.officer, on=local_today(), notes="A call.", today=local_today()
    )
    closure_ops.draft_letter(w.grant, by=w.officer, drafted_on=local_today())
    db.session.query(Notice).delete()
    grant_steps.sign(w.grant, "funder", by=w.officer)
    [signed] = _notices()
    assert (signed.person_id, signed.params["step"]) == (w.grantee.id, "signed_funder")
    grant_steps.sign(w.grant, "grantee", by=w.grantee)
    closed = [n for n in _notices() if n.params["step"] == "closed"]
    assert {n.person_id for n in closed} == {w.officer.id, w.officer2.id}
    assert closed[0].key == f"grant_closing:{w.grant.id}:closed"


# --- sending ---------------------------------------------------------------------------------


def _news(person, n: int, at: datetime, kind: str = "objection", **params):
    defaults = {
        "objection": {"proposal": f"Proposal {n}", "space": "The circle"},
        "payment_approved": {"grant": f"Grant {n}", "amount_pence": 5_000, "currency": "GBP"},
        "round_opening": {"round": f"Round {n}", "space": "Northside"},
        "grant_closing": {"grant": f"Grant {n}", "step": "started"},
        "deadline": {
            "step": "vote",
            "round": f"Round {n}",
            "space": "Northside",
            "last_day": "2026-03-20",
        },
    }
    news.tell(
        person, kind, f"{kind}:{n}", {**defaults[kind], **params}, f"/somewhere/{n}", happened_at=at
    )


def test_the_digest_a_weekly_reader_gets_one_message_a_week_with_everything(app, outbox):
    gwen = f.person("Gwen", notification_choice="weekly")
    # Last week's digest went at T0.
    _news(gwen, 0, T0 - timedelta(hours=1))
    assert "1 email (1 digest) to 1 person" in _send(app, T0)
    assert len(outbox) == 1
    kinds = ["objection", "payment_approved", "round_opening", "grant_closing", "deadline"]
    for n, (day, kind) in enumerate(zip((1, 2, 3, 5, 6), kinds, strict=True), start=1):
        _news(gwen, n, T0 + timedelta(days=day), kind)
        _send(app, T0 + timedelta(days=day, minutes=15))  # cron runs all week
    assert len(outbox) == 1  # nothing during the week

    output = _send(app, T0 + timedelta(days=7))
    assert "Sent 1 email (1 digest) to 1 person; 0 skipped." in output
    assert len(outbox) == 2
    digest = outbox[1]
    body = digest.body
    assert digest.subject == "Your news from Participate"
    for text in ("Proposal 1", "Grant 2", "Round 3", "Grant 4", "Round 5"):
        assert body.count(text) == 1, text
    # Grouped by kind, soonest needs first: the deadline before the objection.
    assert body.index("Coming up soon") < body.index("Objections to your proposals")
    assert body.index("Round 5") < body.index("Proposal 1")
    assert "http://localhost:5000/somewhere/4" in body
    assert "Change this on your profile: http://localhost:5000/profile" in body
    assert "one email a week at most" in body
    assert all(n.sent_how == "digest" for n in _notices(gwen))

    # Again the same week: nothing new goes, even with new news.
    _send(app, T0 + timedelta(days=7, minutes=15))
    _news(gwen, 6, T0 + timedelta(days=8))
    assert "Sent 0 emails" in _send(app, T0 + timedelta(days=13, hours=23))
    assert len(outbox) == 2
    _send(app, T0 + timedelta(days=14))
    assert len(outbox) == 3 and "Proposal 6" in outbox[2].body and "Grant 2" not in outbox[2].body


def test_each_sends_one_email_per_notice_and_none_sends_nothing(app, outbox):
    owen = f.person("Owen", notification_choice="each")
    dot = f.person("Dot", notification_choice="none")
    paper = f.person("Bernie", email=None, notification_choice="each")
    for who in (owen, dot, paper):
        _news(who, 1, T0, "objection")
        _news(who, 2, T0, "payment_approved")
    output = _send(app, T0 + timedelta(minutes=1))
    assert "Sent 2 emails (0 digests) to 1 person; 4 skipped." in output
    assert sorted(m.subject for m in outbox) == [
        "An objection to your proposal: Proposal 1",
        "Payment approved: Grant 2",
    ]
    assert all(m.to == [owen.email] for m in outbox)
    payment = next(m for m in outbox if m.subject.startswith("Payment"))
    assert "A payment of £50.00 for Grant 2 has been approved" in payment.body
    assert "You are getting this because you are part of this grant." in payment.body
    assert {n.sent_how for n in _notices(dot)} == {"skipped"}
    assert {n.sent_how for n in _notices(paper)} == {"skipped"}
    # Nothing is sent twice; a skipped notice is not sent later on a change of mind.
    dot.notification_choice = "each"
    assert "Sent 0 emails" in _send(app, T0 + timedelta(minutes=16))
    assert len(outbox) == 2


def test_emails_are_written_in_the_readers_language(app, outbox):
    rhys = f.person("Rhys", notification_choice="each", language="cy")
    _news(rhys, 1, T0, "deadline", last_day="2026-03-20")
    _send(app, T0)
    [email] = outbox
    assert email.extra_headers["Content-Language"] == "cy"
    assert "Mawrth" in email.body  # the date in Welsh (the words follow once translated)
    english = f.person("Jade", notification_choice="each")
    _news(english, 2, T0, "deadline", last_day="2026-03-20")
    _send(app, T0)
    assert "March" in outbox[1].body and outbox[1].extra_headers["Content-Language"] == "en"


def test_a_dry_run_says_who_would_get_what_and_keeps_nothing(app, outbox):
    gwen = f.person("Gwen", notification_choice="weekly")
    _news(gwen, 1, T0, "objection")
    output = _send(app, T0, "--dry-run")
    assert "Gwen <" in output and "a digest of 1" in output and "Proposal 1" in output
    assert "Dry run, nothing sent." in output
    assert outbox == [] and _notices(gwen)[0].sent_at is None


# --- deadlines the command finds -------------------------------------------------------------


def test_voting_closing_soon_tells_members_who_have_not_voted_once(app, outbox):
    today = local_today()
    rnd = f.grant_round("voting", results_from=today + timedelta(days=2))
    voted, not_yet = f.person("Voted"), f.person("Not yet", notification_choice="each")
    for p in (voted, not_yet):
        f.member(p, rnd.space, "resident")
    db.session.add(
        Ballot(pot_id=rnd.pots[0].id, voter_key=f"person:{voted.id}", person_id=voted.id)
    )
    far = f.grant_round("voting", results_from=today + timedelta(days=10))
    f.member(not_yet, far.space, "resident")
    _send(app)
    _send(app)
    [notice] = _notices(kind="deadline")
    assert notice.person_id == not_yet.id
    last_day = today + timedelta(days=1)
    assert notice.key == f"deadline:round:{rnd.id}:{last_day.isoformat()}"
    assert len(outbox) == 1 and outbox[0].subject == "Last days to vote: Neighbourhood Fund"


def test_a_consent_round_closing_soon_tells_those_who_have_not_answered(circle):
    c, p = circle
    now = datetime.now(UTC)
    proposal, rnd = _consent_round(c, p.jade, closes_at=now + timedelta(days=2))
    decision_steps.respond(proposal, rnd, p.kim, "consent", "")
    later, _later_round = _consent_round(c, p.jade, closes_at=now + timedelta(days=9))

    assert send.find_deadlines(now) == 2
    assert send.find_deadlines(now + timedelta(hours=1)) == 0
    assert _told("deadline") == {p.jade.id, p.owen.id}
    assert {n.params["proposal"] for n in _notices(kind="deadline")} == {"A named contact"}


def test_a_grant_ending_soon_reminds_the_grantee_and_officers_once(grant_world):

    w = grant_world
    w.grant.ends_on = local_today() + timedelta(days=30)  # reminders start 3 months before
    other = f.application(w.fund, amount=10_000)
    other.ends_on = local_today() + timedelta(days=300)
    grant_steps.award(other, 10_000, by=w.officer, decided_by="panel")
    grant_steps.accept(other, by=other.applicant)
    now = datetime.now(UTC)
    assert send.find_deadlines(now) == 3
    assert send.find_deadlines(now) == 0
    assert _told("deadline") == {w.grantee.id, w.officer.id, w.officer2.id}
    assert {n.params["step"] for n in _notices(kind="deadline")} == {"report"}
