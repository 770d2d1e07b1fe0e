"""Sessions: planning, running one live (check-in, attendance, lifebuoy, pairs, check-out,
notes, summary and replies), who may do what, and the contact log between meetings."""

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from participate.audit.models import AuditEntry
from participate.commissions.models import (
    AgendaItem,
    Attendance,
    CommissionSession,
    ContactLogEntry,
    Lifebuoy,
    PairDraw,
    RoundResponse,
    SummaryReply,
)
from participate.extensions import db
from tests import factories as f

PLAN = {
    "title": "Stories and tea",
    "day": "2027-06-10",
    "starts": "18:00",
    "ends": "20:30",
    "place": "Northside Community Hub, back room",
    "online_link": "",
    "agenda": "20 Stories from the last month\nTea break - 15\n\nWhat we heard (25 minutes)",
    "accessibility_notes": "Step-free entrance. Hearing loop.",
    "checkin_minutes": "10",
    "introductions_minutes": "15",
    "reflection_minutes": "15",
    "checkin_prompt": "0",
    "checkin_own": "",
    "checkout_prompt": "own",
    "checkout_own": "What are you taking home?",
}


def _setup(phase="together"):
    c = f.commission(phase=phase)
    people = {
        "sam": f.person("Sam"),
        "jade": f.person("Jade"),
        "dot": f.person("Dot", email=None),
        "kim": f.person("Kim"),
        "bea": f.person("Bea", email=None),
        "owen": f.person("Owen"),
        "olu": f.person("Olu"),
    }
    f.member(people["sam"], c.space, "facilitator")
    f.member(people["jade"], c.space, "community_commissioner")
    f.member(people["dot"], c.space, "community_commissioner")
    f.member(people["kim"], c.space, "community_commissioner")
    f.member(people["bea"], c.space, "community_commissioner")
    f.member(people["owen"], c.space, "civic_commissioner")
    f.member(people["olu"], c.space, "observer")
    db.session.commit()
    return c, people


def _session(c, status="planned", **extra):
    start = datetime(2027, 6, 10, 17, 0, tzinfo=UTC)
    s = CommissionSession(
        commission_id=c.id,
        title=extra.pop("title", "Stories and tea"),
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        place="Northside Community Hub",
        status=status,
        **extra,
    )
    db.session.add(s)
    db.session.commit()
    return s


def _url(c, s=None, tail=""):
    base = f"/commissions/{c.space.slug}"
    return f"{base}/sessions/{s.id}{tail}" if s is not None else f"{base}{tail}"


def _get(model, id_):
    """A fresh copy from the database (requests changed it behind the test's session)."""
    db.session.expire_all()
    return db.session.get(model, id_)


def _audit(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


# --- the happy path --------------------------------------------------------------------------


def test_a_facilitator_plans_and_runs_a_session_end_to_end(client, outbox):
    c, p = _setup()
    sam, jade, dot, kim = p["sam"], p["jade"], p["dot"], p["kim"]
    f.sign_in(client, sam)

    listing = f.page_text(client.get(_url(c, tail="/sessions")))
    assert "Plan a session" in listing and "No sessions planned yet." in listing

    created = client.post(_url(c, tail="/sessions/new"), data=PLAN)
    assert created.status_code == 303, f.page_text(created)[:2000]
    s = db.session.scalar(select(CommissionSession))
    assert created.headers["Location"].endswith(f"/sessions/{s.id}")
    # 18:00 in June is British Summer Time: 17:00 UTC.
    assert s.starts_at == datetime(2027, 6, 10, 17, 0, tzinfo=UTC)
    assert s.ends_at == datetime(2027, 6, 10, 19, 30, tzinfo=UTC)
    assert [(a.title, a.minutes) for a in s.agenda] == [
        ("Stories from the last month", 20),
        ("Tea break", 15),
        ("What we heard", 25),
    ]
    assert s.checkin_prompt == "What's been the highlight of your day?"
    assert s.checkout_prompt == "What are you taking home?"
    assert len(_audit("session.planned")) == 1

    page = f.page_text(client.get(created.headers["Location"]))
    assert "Thursday 10 June 2027, 18:00" in page and "20:30" in page
    order = re.sub(r"\s+", " ", page.split('class="running-order"')[1].split("</ol>")[0])
    for clock, title in [("18:00", "Check-in"), ("18:10", "Introductions"),
                         ("18:25", "Stories from the last month"), ("18:45", "Tea break"),
                         ("19:00", "What we heard"), ("19:25", "Reflection and check-out")]:
        assert f"{clock}</time> {title}" in order, (clock, order)
    assert "Step-free entrance." in page
    assert "Planned: 100 of 150 minutes." in page

    # The plan comes back into the form as it was typed.
    edit = f.page_text(client.get(_url(c, s, "/edit")))
    assert 'value="18:00"' in edit and 'value="2027-06-10"' in edit
    assert "20 Stories from the last month\n15 Tea break\n25 What we heard" in edit

    assert client.post(_url(c, s, "/status"), data={"to": "live"}).status_code == 303
    assert _get(CommissionSession, s.id).status == "live"

    attendance = {
        f"attendance-{sam.id}": "present",
        f"attendance-{jade.id}": "present",
        f"attendance-{dot.id}": "present",
        f"attendance-{kim.id}": "apologies",
        f"attendance-{p['owen'].id}": "absent",
    }
    assert client.post(_url(c, s, "/attendance"), data=attendance).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 5
    assert len(_audit("session.attendance_recorded")) == 1

    # Jade checks in, then changes her answer: still one answer.
    f.as_person(client, jade)
    url = _url(c, s, "/rounds/check_in")
    assert client.post(url, data={"check_in-response": "Tired"}).status_code == 303
    assert client.post(url, data={"check_in-response": "Tired but here"}).status_code == 303
    rows = db.session.scalars(select(RoundResponse)).all()
    assert [(r.person_id, r.response, r.recorded_by_id) for r in rows] == [
        (jade.id, "Tired but here", None)]
    page = f.page_text(client.get(_url(c, s)))
    assert "Tired but here" in page and "Change my check-in" in page

    # Jade asks for a moment.
    assert client.post(_url(c, s, "/lifebuoy"), data={"kind": "moment"}).status_code == 303
    assert "Only the facilitators can see it" in f.page_text(client.get(_url(c, s)))

    # Sam writes down Dot's answer, sees the lifebuoy and goes to her.
    f.as_person(client, sam)
    response = client.post(_url(c, s, "/rounds/check_in/for"), data={
        "check_in-for-person_id": str(dot.id), "check_in-for-response": "Glad to be out",
        "check_in-for-consent": "y"})
    assert response.status_code == 303
    page = f.page_text(client.get(_url(c, s)))
    assert "recorded by Sam for Dot" in page and "Glad to be out" in page
    entry = _audit("session.answer_recorded_for")[0]
    assert (entry.actor_id, entry.on_behalf_of_id) == (sam.id, dot.id)
    assert "Jade</strong>: I need a moment" in page
    buoy = db.session.scalar(select(Lifebuoy))
    ack = client.post(_url(c, s, f"/lifebuoys/{buoy.id}/acknowledge"))
    assert ack.status_code == 303
    db.session.refresh(buoy)
    assert buoy.acknowledged_by_id == sam.id and buoy.acknowledged_at is not None
    assert "Sam is on it" in f.page_text(client.get(_url(c, s)))
    f.as_person(client, jade)
    assert "A facilitator has seen your call" in f.page_text(client.get(_url(c, s)))

    # Pairs from the people who are here.
    f.as_person(client, sam)
    assert client.post(_url(c, s, "/groups"), data={"size": "2"}).status_code == 303
    draw = db.session.scalar(select(PairDraw))
    assert sorted(pid for group in draw.groups for pid in group) == sorted(
        [sam.id, jade.id, dot.id])
    assert [len(g) for g in draw.groups] == [3]  # three people: nobody left alone
    page = f.page_text(client.get(_url(c, s)))
    groups = page.split('class="groups"')[1].split("</ol>")[0]
    assert all(name in groups for name in ("Sam", "Jade", "Dot"))

    # Check-out, notes, close.
    f.as_person(client, jade)
    out = client.post(_url(c, s, "/rounds/check_out"), data={"check_out-response": "Hopeful"})
    assert out.status_code == 303
    f.as_person(client, sam)
    assert client.post(_url(c, s, "/notes"), data={"notes": "Talked about the bus fares."}
                       ).status_code == 303
    assert client.post(_url(c, s, "/status"), data={"to": "closed"}).status_code == 303
    # Once it's finished the rounds are shut.
    f.as_person(client, jade)
    late = client.post(_url(c, s, "/rounds/check_out"), data={"check_out-response": "Late"})
    assert late.status_code == 303
    assert db.session.scalar(select(RoundResponse.response).where(
        RoundResponse.round == "check_out")) == "Hopeful"
    page = f.page_text(client.get(_url(c, s)))
    assert "Talked about the bus fares." in page

    # The summary goes to people who weren't here and have an email address.
    f.as_person(client, sam)
    page = f.page_text(client.get(_url(c, s)))
    assert "It goes by email to: Kim, Owen." in page
    assert "No email for Bea" in page
    sent = client.post(_url(c, s, "/summary"), data={
        "summary": "We heard about bus fares and agreed to meet the transport team.",
        "send": "1"})
    assert sent.status_code == 303
    assert sorted(m.to[0] for m in outbox) == sorted([kim.email, p["owen"].email])
    assert "What happened at Stories and tea" in outbox[0].subject
    assert "bus fares" in outbox[0].body and f"/sessions/{s.id}#replies" in outbox[0].body
    assert _get(CommissionSession, s.id).summary_sent_at is not None
    assert len(_audit("session.summary_sent")) == 1
    again = client.post(_url(c, s, "/summary"), data={"summary": "Again", "send": "1"})
    assert again.status_code == 422 and len(outbox) == 2

    # Kim replies; Sam adds Bea's view, who has no email.
    f.as_person(client, kim)
    assert "We heard about bus fares" in f.page_text(client.get(_url(c, s)))
    reply = client.post(_url(c, s, "/replies"), data={"body": "Sorry I missed it. Fares matter."})
    assert reply.status_code == 303
    f.as_person(client, sam)
    reply = client.post(_url(c, s, "/replies/for"), data={
        "for-person_id": str(p["bea"].id), "for-body": "Bea says: yes to the transport team.",
        "for-consent": "y"})
    assert reply.status_code == 303
    replies = db.session.scalars(select(SummaryReply).order_by(SummaryReply.id)).all()
    assert [(r.person_id, r.recorded_by_id) for r in replies] == [
        (kim.id, None), (p["bea"].id, sam.id)]
    page = f.page_text(client.get(_url(c, s)))
    assert "Sorry I missed it." in page and "recorded by Sam for Bea" in page

    for action in ("session.status_changed", "lifebuoy.raised", "lifebuoy.acknowledged",
                   "session.groups_drawn", "session.reply_added"):
        assert _audit(action), action
    assert {e.visibility for e in _audit("lifebuoy.raised")} == {"private"}

    listing = f.page_text(client.get(_url(c, tail="/sessions")))
    assert "Past sessions" in listing and "Stories and tea" in listing


def test_winter_times_are_uk_time_too(client):
    c, p = _setup()
    f.sign_in(client, p["sam"])
    data = {**PLAN, "day": "14/01/2027", "starts": "6:30pm", "ends": "20:00"}
    assert client.post(_url(c, tail="/sessions/new"), data=data).status_code == 303
    s = db.session.scalar(select(CommissionSession))
    assert s.starts_at == datetime(2027, 1, 14, 18, 30, tzinfo=UTC)
    assert s.ends_at == datetime(2027, 1, 14, 20, 0, tzinfo=UTC)


def test_editing_a_plan_replaces_its_agenda(client):
    c, p = _setup()
    s = _session(c)
    s.agenda = [AgendaItem(position=1, title="Old item", minutes=30)]
    db.session.commit()
    f.sign_in(client, p["sam"])
    response = client.post(_url(c, s, "/edit"), data={**PLAN, "agenda": "Games - 30"})
    assert response.status_code == 303
    db.session.expire_all()
    assert [(a.title, a.minutes) for a in _get(CommissionSession, s.id).agenda] == [
        ("Games", 30)]
    assert len(_audit("session.edited")) == 1


def test_checking_the_timings_saves_nothing_and_warns_when_over(client):
    c, p = _setup()
    f.sign_in(client, p["sam"])
    data = {**PLAN, "agenda": "120 Stories", "check": "1"}
    response = client.post(_url(c, tail="/sessions/new"), data=data)
    assert response.status_code == 200
    page = f.page_text(response)
    assert "The agenda adds up to 120 minutes" in page
    assert "the plan is 160 minutes, and the session is 150 minutes long" in page
    assert "That is 10 minutes too many." in page
    assert db.session.scalar(select(func.count()).select_from(CommissionSession)) == 0


# --- bad input -------------------------------------------------------------------------------


def test_bad_plans_come_back_with_the_problem_next_to_the_field_and_nothing_lost(client):
    c, p = _setup()
    f.sign_in(client, p["sam"])
    url = _url(c, tail="/sessions/new")

    bad_time = client.post(url, data={**PLAN, "title": "Stories night", "starts": "25:99"})
    assert bad_time.status_code == 422
    page = f.page_text(bad_time)
    assert "Enter a time like 18:30 or 6:30pm." in page
    assert 'value="Stories night"' in page and 'value="25:99"' in page
    assert "Step-free entrance. Hearing loop." in page

    backwards = client.post(url, data={**PLAN, "starts": "20:00", "ends": "19:00"})
    assert backwards.status_code == 422
    assert "The end time must be after the start time." in f.page_text(backwards)

    agenda = "20 Stories from the last month\nJust talking\n15 Tea"
    bad_line = client.post(url, data={**PLAN, "agenda": agenda})
    assert bad_line.status_code == 422
    page = f.page_text(bad_line)
    assert "Line 2 needs its minutes" in page
    assert agenda in page

    nowhere = client.post(url, data={**PLAN, "place": "", "online_link": ""})
    assert nowhere.status_code == 422
    assert "Give a place, an online link, or both." in f.page_text(nowhere)

    bad_link = client.post(url, data={**PLAN, "online_link": "zoom meeting"})
    assert bad_link.status_code == 422 and "starting https://" in f.page_text(bad_link)

    no_question = client.post(url, data={**PLAN, "checkin_prompt": "own", "checkin_own": ""})
    assert no_question.status_code == 422
    assert "Write your question, or choose one above." in f.page_text(no_question)

    bad_minutes = client.post(url, data={**PLAN, "checkin_minutes": "ten"})
    assert bad_minutes.status_code == 422
    page = f.page_text(bad_minutes)
    assert "Enter a number of minutes, like 10." in page and 'value="ten"' in page

    # The clocks go forward at 01:00 on 28 March 2027: 01:30 never happens.
    gap = client.post(url, data={**PLAN, "day": "2027-03-28", "starts": "01:30", "ends": "03:00"})
    assert gap.status_code == 422 and "the clocks go forward" in f.page_text(gap).lower()

    assert db.session.scalar(select(func.count()).select_from(CommissionSession)) == 0


def test_bad_answers_and_groups_get_422_in_place(client):
    c, p = _setup()
    s = _session(c, status="live")
    f.sign_in(client, p["jade"])
    long = client.post(_url(c, s, "/rounds/check_in"), data={"check_in-response": "x" * 281})
    assert long.status_code == 422
    assert "280 characters or fewer" in f.page_text(long)
    f.as_person(client, p["sam"])
    alone = client.post(_url(c, s, "/groups"), data={"size": "2"})
    assert alone.status_code == 422
    assert "Mark at least two people as here first." in f.page_text(alone)
    nobody = client.post(_url(c, s, "/rounds/check_in/for"), data={
        "check_in-for-person_id": str(p["dot"].id), "check_in-for-response": "Hi",
        "check_in-for-consent": "y"})
    assert nobody.status_code == 422  # Dot isn't marked as here
    no_consent = client.post(_url(c, s, "/attendance"),
                             data={f"attendance-{p['dot'].id}": "present"})
    assert no_consent.status_code == 303
    response = client.post(_url(c, s, "/rounds/check_in/for"), data={
        "check_in-for-person_id": str(p["dot"].id), "check_in-for-response": "Hi"})
    assert response.status_code == 422
    assert "Check with them first" in f.page_text(response)
    assert db.session.scalar(select(func.count()).select_from(RoundResponse)) == 0


# --- who may do what -------------------------------------------------------------------------


def test_strangers_get_404_everywhere(client):
    c, _p = _setup()
    s = _session(c, status="live")
    stranger = f.person("Stranger")
    f.sign_in(client, stranger)
    for url in (_url(c, tail="/sessions"), _url(c, tail="/sessions/new"), _url(c, s),
                _url(c, s, "/edit"), _url(c, tail="/contacts")):
        assert client.get(url).status_code == 404, url
    for tail, data in (("/lifebuoy", {"kind": "moment"}),
                       ("/rounds/check_in", {"check_in-response": "Hi"}),
                       ("/replies", {"body": "Hi"})):
        assert client.post(_url(c, s, tail), data=data).status_code == 404, tail


def test_signed_out_people_are_asked_to_sign_in(client):
    c, _p = _setup()
    s = _session(c)
    response = client.get(_url(c, s))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_civic_commissioners_see_no_sessions_while_it_is_community_only(client):
    c, p = _setup(phase="community_only")
    s = _session(c, status="live")
    f.sign_in(client, p["owen"])
    for url in (_url(c, tail="/sessions"), _url(c, s), _url(c, tail="/contacts")):
        assert client.get(url).status_code == 404, url
    fragment = client.get(_url(c, s), headers={"HX-Request": "true"})
    assert fragment.status_code == 404
    assert client.post(_url(c, s, "/lifebuoy"), data={"kind": "moment"}).status_code == 404
    f.as_person(client, p["jade"])
    assert client.get(_url(c, s)).status_code == 200


def test_only_facilitators_plan_record_draw_and_see_the_contact_log(client):
    c, p = _setup()
    s = _session(c, status="live")
    buoy = Lifebuoy(commission_id=c.id, session_id=s.id, person_id=p["kim"].id, kind="moment")
    db.session.add(buoy)
    db.session.commit()
    for who in ("jade", "owen", "olu"):
        f.as_person(client, p[who])
        assert client.get(_url(c, s)).status_code == 200
        page = f.page_text(client.get(_url(c, tail="/sessions")))
        assert "Plan a session" not in page and "asked for support" not in page
        assert "Keeping in touch" not in page
        for url in (_url(c, tail="/sessions/new"), _url(c, s, "/edit"),
                    _url(c, tail="/contacts")):
            assert client.get(url).status_code == 404, (who, url)
        for tail, data in (
            ("/status", {"to": "closed"}),
            ("/attendance", {f"attendance-{p['jade'].id}": "present"}),
            ("/groups", {"size": "2"}),
            ("/notes", {"notes": "Mine now"}),
            ("/summary", {"summary": "Mine"}),
            (f"/lifebuoys/{buoy.id}/acknowledge", {}),
            ("/rounds/check_in/for", {"check_in-for-person_id": str(p["dot"].id),
                                      "check_in-for-response": "x", "check_in-for-consent": "y"}),
            ("/replies/for", {"for-person_id": str(p["dot"].id), "for-body": "x",
                              "for-consent": "y"}),
        ):
            assert client.post(_url(c, s, tail), data=data).status_code == 404, (who, tail)
        assert client.post(_url(c, tail="/contacts"), data={
            "person_id": str(p["kim"].id), "kind": "phone", "on": "2027-06-01"}
        ).status_code == 404
    db.session.expire_all()
    assert _get(CommissionSession, s.id).status == "live"
    assert _get(Lifebuoy, buoy.id).acknowledged_at is None
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert db.session.scalar(select(func.count()).select_from(ContactLogEntry)) == 0


def test_observers_read_but_do_not_take_part(client):
    c, p = _setup()
    s = _session(c, status="live")
    f.sign_in(client, p["olu"])
    page = f.page_text(client.get(_url(c, s)))
    assert "Share my check-in" not in page and "I need a moment" not in page
    assert client.post(_url(c, s, "/rounds/check_in"),
                       data={"check_in-response": "Hi"}).status_code == 404
    assert client.post(_url(c, s, "/lifebuoy"), data={"kind": "moment"}).status_code == 404


# --- lifebuoys stay private ------------------------------------------------------------------


def test_a_lifebuoy_is_seen_by_facilitators_and_the_person_who_sent_it_only(client):
    c, p = _setup()
    s = _session(c, status="live")
    f.sign_in(client, p["jade"])
    assert client.post(_url(c, s, "/lifebuoy"), data={"kind": "check_in"}).status_code == 303
    # Pressing twice sends one call.
    client.post(_url(c, s, "/lifebuoy"), data={"kind": "check_in"})
    assert db.session.scalar(select(func.count()).select_from(Lifebuoy)) == 1
    mine = f.page_text(client.get(_url(c, s)))
    assert "Sent. Only the facilitators can see it" in mine
    assert "lifebuoy-list" not in mine  # she sees that hers was sent, not the list

    for who in ("kim", "owen", "olu"):
        f.as_person(client, p[who])
        for headers in ({}, {"HX-Request": "true"}):
            page = f.page_text(client.get(_url(c, s), headers=headers))
            assert "lifebuoy-list" not in page, who
            assert "Sent. Only the facilitators" not in page, who
            assert "Jade</strong>: I'd like" not in page, who
            assert "Calls for support" not in page, who
        assert "asked for support" not in f.page_text(client.get(_url(c, tail="/sessions")))
        assert "asked for support" not in f.page_text(client.get(_url(c)))

    f.as_person(client, p["sam"])
    for headers in ({}, {"HX-Request": "true"}):
        page = f.page_text(client.get(_url(c, s), headers=headers))
        assert "Jade</strong>: I'd like someone to check in on me" in page
    assert "1 person asked for support." in f.page_text(client.get(_url(c, tail="/sessions")))


# --- htmx ------------------------------------------------------------------------------------


def test_htmx_gets_only_the_live_section(client):
    c, p = _setup()
    s = _session(c, status="live")
    f.sign_in(client, p["jade"])
    whole = client.get(_url(c, s))
    assert "HX-Request" in whole.headers.get("Vary", "")
    page = f.page_text(whole)
    assert 'hx-trigger="every 10s"' in page and 'id="session-live"' in page
    assert "js/live.js" in page

    fragment = client.get(_url(c, s), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers.get("Vary", "")
    body = f.page_text(fragment).strip()
    assert body.startswith('<section id="session-live"') and body.endswith("</section>")
    assert "<html" not in body and "Running order" not in body and "subnav" not in body

    # A form inside it posts with htmx and gets the section back, updated.
    posted = client.post(_url(c, s, "/rounds/check_in"), data={"check_in-response": "Sunny"},
                         headers={"HX-Request": "true"})
    assert posted.status_code == 200
    body = f.page_text(posted).strip()
    assert body.startswith('<section id="session-live"') and "Sunny" in body
    assert 'value="Sunny"' in body  # the box shows the saved answer, ready to change

    bad = client.post(_url(c, s, "/rounds/check_in"), data={"check_in-response": ""},
                      headers={"HX-Request": "true"})
    assert bad.status_code == 422 and f.page_text(bad).strip().startswith('<section id="session-live"')


def test_a_finished_session_stops_polling(client):
    c, p = _setup()
    s = _session(c, status="closed")
    f.sign_in(client, p["jade"])
    page = f.page_text(client.get(_url(c, s)))
    assert 'id="session-live"' in page and "every 10s" not in page


# --- the contact log -------------------------------------------------------------------------


def test_facilitators_keep_a_contact_log_and_see_who_needs_a_gentle_hello(client):
    c, p = _setup()
    resting = f.person("Rae")
    f.member(resting, c.space, "community_commissioner", status="stepping_back")
    f.sign_in(client, p["sam"])
    url = _url(c, tail="/contacts")

    page = f.page_text(client.get(url))
    assert "time for a gentle hello" in page and "Rae" in page
    assert "no contact noted yet" in page

    missing = client.post(url, data={"person_id": str(p["kim"].id), "on": "2027-06-01",
                                     "note": "Long chat about the bus"})
    assert missing.status_code == 422
    page = f.page_text(missing)
    assert "Choose how you were in touch." in page and "Long chat about the bus" in page

    backwards = client.post(url, data={"person_id": str(p["kim"].id), "kind": "phone",
                                       "on": "2027-06-01", "follow_up_on": "2027-05-01"})
    assert backwards.status_code == 422
    assert "can&#39;t be before the contact" in f.page_text(backwards)

    today = date.today()
    for who, kind, on, note, follow in (
        ("kim", "phone", today - timedelta(days=10), "Asked about childcare", None),
        ("rae", "coffee", today - timedelta(days=2), "Coffee at the market", today),
        ("jade", "one_to_one", today - timedelta(days=5), "Getting ready to tell her story",
         None),
    ):
        person = resting if who == "rae" else p[who]
        response = client.post(url, data={
            "person_id": str(person.id), "kind": kind, "on": on.isoformat(), "note": note,
            "follow_up_on": follow.isoformat() if follow else ""})
        assert response.status_code == 303

    page = f.page_text(client.get(url))
    log = page.split('class="contact-log"')[1]
    assert log.index("Coffee at the market") < log.index("Getting ready") < log.index(
        "Asked about childcare")
    assert "time for a gentle hello" not in page  # Rae has heard from us
    assert "Follow-ups due" in page

    only_kim = f.page_text(client.get(url, query_string={"person": p["kim"].id}))
    log = only_kim.split('class="contact-log"')[1]
    assert "Asked about childcare" in log and "Coffee at the market" not in log
    assert "Contact with Kim" in only_kim

    rows = _audit("contact.logged")
    assert len(rows) == 3 and {r.visibility for r in rows} == {"private"}


def test_every_id_on_the_session_page_is_unique(client):
    """Labels, anchors and htmx targets rely on ids: one element each."""
    from collections import Counter
    from html.parser import HTMLParser

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids = Counter()

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name == "id":
                    self.ids[value] += 1

    c, p = _setup()
    f.sign_in(client, p["sam"])
    for status in ("live", "closed"):
        s = _session(c, status=status, summary_sent_at=datetime(2027, 6, 10, tzinfo=UTC))
        db.session.add(Attendance(session_id=s.id, person_id=p["jade"].id, status="present"))
        db.session.commit()
        parser = Ids()
        parser.feed(f.page_text(client.get(_url(c, s))))
        assert parser.ids["session-live"] == 1
        assert [i for i, n in parser.ids.items() if n > 1] == [], status


def test_a_facilitator_acting_for_someone_answers_as_them_and_it_says_so(client):
    c, p = _setup()
    s = _session(c, status="live")
    sam, dot = p["sam"], p["dot"]
    f.sign_in(client, sam)
    started = client.post(f"/spaces/{c.space.slug}/assist",
                          data={"person_id": str(dot.id), "consent": "y"})
    assert started.status_code == 303
    page = f.page_text(client.get(_url(c, s)))
    assert "Share my check-in" in page
    assert client.post(_url(c, s, "/rounds/check_in"),
                       data={"check_in-response": "Happy to be here"}).status_code == 303
    row = db.session.scalar(select(RoundResponse))
    assert (row.person_id, row.recorded_by_id) == (dot.id, sam.id)
    entry = _audit("session.answer_recorded_for")[0]
    assert (entry.actor_id, entry.on_behalf_of_id) == (sam.id, dot.id)
    assert "recorded by Sam for Dot" in f.page_text(client.get(_url(c, s)))
