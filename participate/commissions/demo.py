"""Demo data for the commission: in the 'together' phase, with history to look at."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from participate.commissions.models import (
    AgendaItem,
    Attendance,
    CharterVersion,
    Commission,
    CommissionHost,
    CommissionSession,
    Commitment,
    CommitmentFlag,
    CommitmentUpdate,
    ContactLogEntry,
    Lifebuoy,
    PairDraw,
    PhaseChange,
    Recompense,
    RoundResponse,
    SummaryReply,
)
from participate.commissions.rules import DEFAULT_PLAN, add_months
from participate.extensions import db

LONDON = ZoneInfo("Europe/London")

NORTH_STAR = "Nobody in Porthaven has to choose between heating and eating."
PRINCIPLES = """Listen first, and listen twice.
Everyone is a person first: no titles in the room.
What is shared in the room stays in the room unless the teller says otherwise.
Under-promise and over-deliver."""


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def load(space, hosts, people: dict, today: date) -> Commission:
    """``people`` maps: facilitator, community, dot, kayleigh, bernie, civic, helen, business,
    finance (a host's finance approver)."""
    together_from = add_months(today, -3)
    starts_on = add_months(together_from, -18)
    commission = Commission(
        space=space,
        place="Porthaven",
        starts_on=starts_on,
        phase="together",
        phase_started_on=together_from,
        phase_plan=dict(DEFAULT_PLAN),
        north_star=NORTH_STAR,
        principles=PRINCIPLES,
        involvement_rate_pence=2500,
        reduced_rate_pence=1000,
    )
    commission.hosts = [CommissionHost(organisation=o) for o in hosts]
    db.session.add(commission)
    db.session.flush()
    sam = people["facilitator"]
    for before, after, months_ago, reason in [
        ("decide", "assemble", 15, None),
        ("assemble", "community_only", 9, None),
        ("community_only", "together", 3, "Six months together; the group felt ready."),
    ]:
        db.session.add(
            PhaseChange(
                commission_id=commission.id,
                from_phase=before,
                to_phase=after,
                reason=reason,
                by_id=sam.id,
                at=_at(add_months(today, -months_ago), 10),
            )
        )
    db.session.add(
        CharterVersion(
            commission_id=commission.id,
            north_star=NORTH_STAR,
            principles=PRINCIPLES,
            note="Agreed at the first session together",
            edited_by_id=people["community"].id,
            edited_at=_at(together_from, 12),
        )
    )

    room = [people[k] for k in ("community", "dot", "kayleigh", "civic", "helen", "business")]
    sessions = []
    for weeks_ago, title, prompt in [
        (6, "Getting to know each other", "What's been the highlight of your day?"),
        (2, "What keeps us well", "What's one thing that kept you going this week?"),
    ]:
        day = today - timedelta(weeks=weeks_ago)
        s = CommissionSession(
            commission_id=commission.id,
            title=title,
            starts_at=_at(day, 10),
            ends_at=_at(day, 13),
            place="Northside Community Hub, main hall",
            accessibility_notes="Step-free entrance at the side. Hearing loop. Lunch provided; "
            "tell Sam about any food needs.",
            checkin_prompt=prompt,
            checkout_prompt="One word or feeling to leave with.",
            status="closed",
            created_by_id=sam.id,
            notes="Tea and games first. Everyone shared something about their week.",
            summary="We met, had lunch, and talked about what keeps us well. Next time we will "
            "start on the stories the community commissioners want to tell.",
            summary_sent_at=_at(day, 16),
        )
        s.agenda = [
            AgendaItem(position=i, title=t, minutes=m)
            for i, (t, m) in enumerate(
                [
                    ("Check-in", 10),
                    ("Tea and a game", 30),
                    ("Talking in pairs", 40),
                    ("Lunch together", 45),
                    ("Check-out", 15),
                ]
            )
        ]
        db.session.add(s)
        sessions.append(s)
    db.session.flush()

    checkins = [
        [
            "Tired but here",
            "Sunshine on the walk in",
            "My grandson's first tooth",
            "Nervous",
            "Glad to be back",
            "Busy week, happy to stop",
        ],
        [
            "A good chat with my neighbour",
            "The bus was on time!",
            "Nothing much",
            "Listening more",
            "Walking the dog",
            "Coffee",
        ],
    ]
    checkouts = [
        ["Hopeful", "Warm", "Tired", "Humbled", "Connected", "Thoughtful"],
        ["Motivated", "Happy", "My brain is a mush", "Moved", "Hopeful", "Grateful"],
    ]
    for s, ins, outs in zip(sessions, checkins, checkouts, strict=True):
        for person in room:
            db.session.add(
                Attendance(
                    session_id=s.id, person_id=person.id, status="present", recorded_by_id=sam.id
                )
            )
        db.session.add(
            Attendance(
                session_id=s.id,
                person_id=people["bernie"].id,
                status="apologies",
                recorded_by_id=sam.id,
            )
        )
        for person, text_in, text_out in zip(room, ins, outs, strict=True):
            recorder = sam.id if person.email is None else None
            db.session.add(
                RoundResponse(
                    session_id=s.id,
                    person_id=person.id,
                    round="check_in",
                    response=text_in,
                    recorded_by_id=recorder,
                )
            )
            db.session.add(
                RoundResponse(
                    session_id=s.id,
                    person_id=person.id,
                    round="check_out",
                    response=text_out,
                    recorded_by_id=recorder,
                )
            )
        ids = [p.id for p in room]
        db.session.add(
            PairDraw(
                session_id=s.id,
                group_size=2,
                drawn_by_id=sam.id,
                drawn_at=s.starts_at + timedelta(minutes=55),
                groups=[ids[0:2], [ids[2], ids[3]], [ids[4], ids[5]]],
            )
        )
    db.session.add(
        Lifebuoy(
            commission_id=commission.id,
            session_id=sessions[1].id,
            person_id=people["kayleigh"].id,
            kind="moment",
            raised_at=sessions[1].starts_at + timedelta(minutes=70),
            acknowledged_by_id=sam.id,
            acknowledged_at=sessions[1].starts_at + timedelta(minutes=72),
        )
    )
    db.session.add(
        SummaryReply(
            session_id=sessions[1].id,
            person_id=people["bernie"].id,
            body="Sorry I missed it. I'd like to talk about the cost of the "
            "school uniform when I'm back.",
            recorded_by_id=sam.id,
        )
    )
    upcoming_day = today + timedelta(days=9)
    upcoming = CommissionSession(
        commission_id=commission.id,
        title="Starting on our stories",
        starts_at=_at(upcoming_day, 10),
        ends_at=_at(upcoming_day, 13),
        place="Northside Community Hub, main hall",
        accessibility_notes="Step-free entrance at the side. Hearing loop.",
        checkin_prompt="How are you arriving today, in a word or two?",
        checkout_prompt="One word or feeling to leave with.",
        created_by_id=sam.id,
    )
    upcoming.agenda = [
        AgendaItem(position=i, title=t, minutes=m)
        for i, (t, m) in enumerate(
            [
                ("Check-in", 10),
                ("Why stories matter", 20),
                ("Story of self, in pairs", 60),
                ("Lunch together", 45),
                ("Check-out", 15),
            ]
        )
    ]
    db.session.add(upcoming)

    for person, kind, days_ago, note in [
        (people["bernie"], "phone", 40, "Bernie is caring for his mum; he'll be in touch."),
        (people["dot"], "coffee", 5, "Coffee at the hub. Dot wants to bring her neighbour."),
        (people["kayleigh"], "one_to_one", 12, "Talked after the last session. Feeling better."),
    ]:
        db.session.add(
            ContactLogEntry(
                commission_id=commission.id,
                person_id=person.id,
                by_id=sam.id,
                kind=kind,
                on=today - timedelta(days=days_ago),
                note=note,
            )
        )

    council = hosts[-1]
    for what, role, holder, status, due_days, evidence, published in [
        (
            "Put the community commissioners' cost-of-school-uniform findings to the schools forum",
            "Head of education",
            people["civic"],
            "delivered",
            -20,
            "Presented at the schools forum on 3 October; minutes published.",
            True,
        ),
        (
            "Review how the council writes to people about council tax arrears",
            "Head of revenues",
            people["helen"],
            "in_progress",
            60,
            None,
            True,
        ),
        (
            "Offer paid work placements to two community commissioners",
            "Owner, Harbour Bakery",
            people["business"],
            "not_started",
            120,
            None,
            False,
        ),
        (
            "Keep the warm space at the library open on Sundays",
            "Library services manager",
            None,
            "not_delivered",
            -10,
            "Funding was not found for Sunday staff.",
            True,
        ),
    ]:
        c = Commitment(
            commission_id=commission.id,
            what=what,
            owner_role=role,
            owner_organisation_id=council.id if role.startswith("Head of") else None,
            owner_person_id=holder.id if holder else None,
            due_on=today + timedelta(days=due_days),
            status=status,
            evidence=evidence,
            published=published,
            created_by_id=sam.id,
        )
        c.updates = [CommitmentUpdate(status=status, note="Agreed in session", by_id=sam.id)]
        db.session.add(c)
        if status == "not_delivered":
            c.flags = [
                CommitmentFlag(
                    person_id=people["dot"].id, note="The library is still shut on Sundays."
                )
            ]

    finance = people["finance"]
    for person, session, choice, amount, status in [
        (people["community"], sessions[0], "cash", 2500, "approved"),
        (people["dot"], sessions[0], "voucher", 2500, "approved"),
        (people["kayleigh"], sessions[0], "decline", 0, "approved"),
        (people["community"], sessions[1], "cash", 2500, "approved"),
        (people["dot"], sessions[1], "voucher", 2500, "recorded"),
        (people["kayleigh"], sessions[1], "reduced", 1000, "recorded"),
    ]:
        db.session.add(
            Recompense(
                commission_id=commission.id,
                person_id=person.id,
                session_id=session.id,
                happened_on=session.starts_at.astimezone(LONDON).date(),
                kind="involvement",
                choice=choice,
                amount_pence=amount,
                recorded_by_id=sam.id,
                status=status,
                decided_by_id=finance.id if status == "approved" else None,
                decided_at=session.ends_at + timedelta(days=2) if status == "approved" else None,
            )
        )
    for person, session, expense, amount, status in [
        (people["community"], sessions[0], "childcare", 1800, "approved"),
        (people["dot"], sessions[0], "travel", 640, "approved"),
        (people["dot"], sessions[1], "travel", 640, "recorded"),
    ]:
        db.session.add(
            Recompense(
                commission_id=commission.id,
                person_id=person.id,
                session_id=session.id,
                happened_on=session.starts_at.astimezone(LONDON).date(),
                kind="expense",
                expense_type=expense,
                amount_pence=amount,
                recorded_by_id=sam.id,
                status=status,
                decided_by_id=finance.id if status == "approved" else None,
                decided_at=session.ends_at + timedelta(days=2) if status == "approved" else None,
            )
        )
    return commission
