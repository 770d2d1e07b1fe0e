"""Demo grant rounds:

- **Northside Neighbourhood Fund 2026** (the demo's grant round space): voting is open. Two
  pots (£30,000 for the whole ward, £10,000 for young people), tick up to three projects,
  counted by equal shares. Ideas in every state: found feasible, one that cannot go ahead
  (with the officers' reason and the author's reply), one whose cost was adjusted, one merged
  into another after an accepted offer, an open offer to partner, comments. Ballots online,
  with help from a facilitator and on paper: one batch checked by a second person, one still
  waiting. Rhys (the demo resident) has not voted yet; Jade has.
- **Porthaven Small Grants 2025**: finished and counted by equal shares, results published,
  one result overridden with its published reason, now being delivered.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from participate.accounts.models import Membership, Organisation, Person, Space
from participate.budgeting import counting
from participate.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetProject,
    GrantRound,
    Override,
    PaperBatch,
    Pot,
    ProjectComment,
    ProjectOffer,
)
from participate.extensions import db

UNSPENT = (
    "Money not spent on winning projects goes into next year's Northside Neighbourhood Fund; "
    "none of it goes back to the council's general budget."
)

# Projects: (ref, title, what, where, who for, cost, author key, status, pot index)
NORTHSIDE = [
    (
        "N1",
        "Benches and shade on Harbour Walk",
        "Six benches with backs and arms, and two trees for shade, along the walk to the shops.",
        "Harbour Walk, between the health centre and the Co-op",
        "Older people and anyone who needs a rest on the way",
        9_000,
        "community",
        "feasible",
        0,
    ),
    (
        "N2",
        "Community fridge at the Hub",
        "A fridge and freezer where shops and neighbours leave food for anyone to take.",
        "Northside Community Hub",
        "Anyone who needs food, no questions asked",
        4_500,
        "dot",
        "feasible",
        0,
    ),
    (
        "N3",
        "Safe crossing by Northside Primary",
        "A zebra crossing and a build-out so children can cross where they actually cross.",
        "Cliff Road outside the school gate",
        "Children, parents and carers",
        18_000,
        "resident",
        "feasible",
        0,
    ),
    (
        "N4",
        "Repair café kit",
        "Tools, a sewing machine and a PAT tester so volunteers can run a monthly repair café.",
        "Northside Community Hub",
        "Anyone with something broken",
        2_500,
        "kayleigh",
        "feasible",
        0,
    ),
    (
        "N5",
        "Free wifi across the estate",
        "Wifi points on every block so people can get online without paying for data.",
        "The Northside estate",
        "Tenants on the estate",
        45_000,
        "bernie",
        "not_feasible",
        0,
    ),
    (
        "N6",
        "Fridge for food donations",
        "Somewhere to keep donated food cold.",
        "The Hub",
        "Families",
        3_000,
        "helen",
        "merged",
        0,
    ),
    (
        "Y1",
        "Skate ramps at Mill Field",
        "Two ramps and a rail, designed with the young people who will use them.",
        "Mill Field, by the old bowling green",
        "Young people 11 to 18",
        6_000,
        "resident",
        "feasible",
        1,
    ),
    (
        "Y2",
        "Youth club trips",
        "Six day trips a year for the Tuesday youth club: beach, climbing wall, city.",
        "From the Hub",
        "Young people who can't usually afford trips",
        3_500,
        "kayleigh",
        "feasible",
        1,
    ),
    (
        "Y3",
        "Music studio in a box",
        "A laptop, microphones and headphones so young people can record their own music.",
        "The Hub's back room",
        "Young people who make music",
        2_800,
        "community",
        "feasible",
        1,
    ),
    (
        "Y4",
        "Late-night football",
        "Floodlit five-a-side on Friday nights through the winter, with a coach.",
        "Northside school pitch",
        "Young people 14 to 18",
        4_200,
        "helen",
        "feasible",
        1,
    ),
]
# How often voters tick each project (out of 100), by ref: a believable spread.
APPEAL = {"N1": 55, "N2": 62, "N3": 48, "N4": 30, "Y1": 58, "Y2": 44, "Y3": 31, "Y4": 40}


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _ballots(
    rnd_pot: Pot, projects: dict[str, BudgetProject], n: int, rng: random.Random, max_picks: int
) -> list[list[BudgetProject]]:
    """``n`` ballots for a pot, each ticking 1 to ``max_picks`` of its projects."""
    here = [p for p in projects.values() if p.pot_id == rnd_pot.id and p.status == "feasible"]
    ballots = []
    for _ in range(n):
        picks = [p for p in here if rng.randrange(100) < APPEAL.get(p.ref, 30)]
        if not picks:
            picks = [rng.choice(here)]
        rng.shuffle(picks)
        ballots.append(sorted(picks[:max_picks], key=lambda p: p.id))
    return ballots


def _cast(pot: Pot, key: str, picks, source: str, when: datetime, **extra) -> Ballot:
    ballot = Ballot(
        pot_id=pot.id, voter_key=key, source=source, created_at=when, updated_at=when, **extra
    )
    ballot.choices = [BallotChoice(project_id=p.id, points=1) for p in picks]
    db.session.add(ballot)
    return ballot


def load(council: Organisation, fund: Space, people: dict[str, Person], today: date) -> None:
    """``people``: the demo's people by key (officer, facilitator, community, resident, dot,
    kayleigh, bernie, helen)."""
    rng = random.Random(2026)  # the same demo every time, not a secret  # nosec B311
    officer, sam = people["officer"], people["facilitator"]
    db.session.add(Membership(person=sam, space=fund, role="facilitator", focus="paper ballots"))
    rnd = GrantRound(
        space_id=fund.id,
        title="Northside Neighbourhood Fund 2026",
        summary="Residents of Northside decide together how to spend £40,000 on ideas for "
        "the area. Suggest an idea, help shape others, then vote for the ones you want.",
        area_kind="ward",
        area_name="Northside ward",
        who_proposes="residents",
        who_votes="residents",
        vote_age_from=11,
        ballot_type="approval",
        min_picks=1,
        max_picks=3,
        rule="mes-add1",
        phase="voting",
        ideas_from=today - timedelta(days=70),
        feasibility_from=today - timedelta(days=35),
        voting_from=today - timedelta(days=6),
        results_from=today + timedelta(days=15),
        delivery_from=today + timedelta(days=30),
        ends_on=today + timedelta(days=400),
        unspent=UNSPENT,
        created_by_id=officer.id,
        created_at=_at(today - timedelta(days=90)),
    )
    db.session.add(rnd)
    db.session.flush()
    pots = [
        Pot(
            round_id=rnd.id,
            position=1,
            name="The whole of Northside",
            amount=30_000,
            area_or_theme="Northside ward",
        ),
        Pot(
            round_id=rnd.id,
            position=2,
            name="Young people",
            amount=10_000,
            area_or_theme="Ideas by and for people aged 11 to 25",
        ),
    ]
    db.session.add_all(pots)
    db.session.flush()
    projects = _projects(NORTHSIDE, pots, people, officer, today)
    _conversation(projects, people, today)

    # Ballots: online, with help, and two paper batches (one checked, one waiting).
    jade, rhys = people["community"], people["resident"]
    for pot in pots:
        voted = _ballots(pot, projects, 96 if pot.position == 1 else 71, rng, 3)
        for i, picks in enumerate(voted):
            when = _at(rnd.voting_from + timedelta(days=i % 6), 9 + i % 10)
            if i < 6:  # a facilitator helped at the Hub's drop-in
                _cast(pot, f"demo-assisted:{i}", picks, "assisted", when, recorded_by_id=sam.id)
            else:
                _cast(pot, f"demo-online:{i}", picks, "online", when)
        first = [p for p in projects.values() if p.pot_id == pot.id and p.status == "feasible"]
        _cast(
            pot,
            f"person:{jade.id}",
            first[:2],
            "online",
            _at(rnd.voting_from + timedelta(days=1), 20),
            person_id=jade.id,
        )
        checked = PaperBatch(
            pot_id=pot.id,
            entered_by_id=sam.id,
            checked_by_id=officer.id,
            checked_at=_at(today - timedelta(days=2), 15),
            note="Ballot box from the Hub's coffee morning",
            created_at=_at(today - timedelta(days=3), 14),
        )
        waiting = PaperBatch(
            pot_id=pot.id,
            entered_by_id=sam.id,
            note="Ballot box from the library",
            created_at=_at(today - timedelta(days=1), 16),
        )
        db.session.add_all([checked, waiting])
        db.session.flush()
        for batch, n, start in ((checked, 14, 1), (waiting, 5, 101)):
            for j, picks in enumerate(_ballots(pot, projects, n, rng, 3)):
                _cast(
                    pot,
                    f"paper:{pot.position}-{start + j:04d}",
                    picks,
                    "paper",
                    batch.created_at,
                    batch_id=batch.id,
                    recorded_by_id=sam.id,
                )
    del rhys  # Rhys has not voted yet: the demo's resident can try it
    _finished_round(council, people, today, rng)


def _projects(rows, pots, people, officer, today) -> dict[str, BudgetProject]:
    projects = {}
    for ref, title, what, where, who, cost, author, status, pot_index in rows:
        project = BudgetProject(
            pot_id=pots[pot_index].id,
            ref=ref,
            title=title,
            what=what,
            where_text=where,
            who_for=who,
            cost=cost,
            author_id=people[author].id,
            status=status,
            created_at=_at(today - timedelta(days=60 - len(projects) * 3)),
        )
        if status in ("feasible", "not_feasible"):
            project.feasibility_by_id = officer.id
            project.feasibility_at = _at(today - timedelta(days=20))
            project.feasibility_reason = (
                "Highways have checked the site and can build it this year."
                if ref == "N3"
                else "The council can do this within the pot and the rules of the fund."
            )
        db.session.add(project)
        projects[ref] = project
    db.session.flush()
    projects["N1"].hope = "That people who struggle with the walk to the shops can still go."
    projects["Y1"].hope = "Somewhere that's ours, so we're not moved on from the car park."
    wifi = projects["N5"]
    wifi.feasibility_reason = (
        "It would cost more than the whole pot, and the landlord must agree to fit anything "
        "to the blocks. We've passed the idea to the council's digital inclusion team."
    )
    wifi.author_reply = (
        "Fair enough on the cost. Could the Hub's wifi reach further instead? I'll bring it to "
        "the tenants' group."
    )
    crossing = projects["N3"]
    crossing.proposed_cost = 12_000
    crossing.cost_note = (
        "Highways priced it at £18,000: the build-out needs new drainage. The higher cost is "
        "what voters see."
    )
    crossing.author_reply = "Thanks for explaining. Worth it if it means the kids are safe."
    projects["N6"].merged_into_id = projects["N2"].id
    return projects


def _conversation(projects, people, today) -> None:
    db.session.add_all(
        [
            ProjectComment(
                project_id=projects["N2"].id,
                author_id=people["resident"].id,
                body="The Co-op said they'd give their end-of-day bread.",
                created_at=_at(today - timedelta(days=50), 18),
            ),
            ProjectComment(
                project_id=projects["N2"].id,
                author_id=people["dot"].id,
                body="Brilliant. Helen's idea is the same, so we've joined up.",
                created_at=_at(today - timedelta(days=45), 10),
            ),
            ProjectComment(
                project_id=projects["Y1"].id,
                author_id=people["kayleigh"].id,
                body="My two would be down there every night. Can it have a light?",
                created_at=_at(today - timedelta(days=40), 19),
            ),
            ProjectOffer(
                from_project_id=projects["N6"].id,
                to_project_id=projects["N2"].id,
                kind="merge",
                status="accepted",
                by_id=people["helen"].id,
                answered_by_id=people["dot"].id,
                message="We both want a fridge at the Hub: shall we make it one idea?",
                answer_note="Yes, let's. I'll add your point about families.",
                created_at=_at(today - timedelta(days=47)),
                answered_at=_at(today - timedelta(days=46)),
            ),
            ProjectOffer(
                from_project_id=projects["Y2"].id,
                to_project_id=projects["Y4"].id,
                kind="partner",
                status="open",
                by_id=people["kayleigh"].id,
                message="The youth club could bring people to the Friday football.",
                created_at=_at(today - timedelta(days=38)),
            ),
        ]
    )


SMALL_GRANTS = [
    ("S1", "Allotment tools library", 1_200, 41),
    ("S2", "Warm space Tuesdays at St Mary's", 2_400, 57),
    ("S3", "Dementia-friendly cinema", 1_800, 33),
    ("S4", "Bike repair lessons", 900, 29),
    ("S5", "Harbour clean-up kit", 600, 38),
    ("S6", "Community choir sheet music", 700, 12),
]


def _finished_round(council: Organisation, people, today: date, rng: random.Random) -> None:
    space = Space(
        slug="porthaven-small-grants-2025",
        name="Porthaven Small Grants 2025",
        kind="grant_round",
        organisation=council,
        visibility="public",
        description="Last year's round: £6,000 across Porthaven, decided by residents.",
    )
    db.session.add(space)
    db.session.flush()
    start = today - timedelta(days=300)
    rnd = GrantRound(
        space_id=space.id,
        title="Porthaven Small Grants 2025",
        summary="Small grants for ideas anywhere in Porthaven, chosen by residents.",
        area_kind="whole",
        who_proposes="residents",
        who_votes="residents",
        ballot_type="approval",
        min_picks=1,
        max_picks=4,
        rule="mes-add1",
        phase="delivery",
        ideas_from=start,
        feasibility_from=start + timedelta(days=42),
        voting_from=start + timedelta(days=70),
        results_from=start + timedelta(days=91),
        delivery_from=start + timedelta(days=105),
        ends_on=today + timedelta(days=60),
        unspent="Money not spent is added to the next round of small grants.",
        created_by_id=people["officer"].id,
        created_at=_at(start - timedelta(days=20)),
    )
    db.session.add(rnd)
    db.session.flush()
    pot = Pot(
        round_id=rnd.id,
        position=1,
        name="Porthaven small grants",
        amount=6_000,
        area_or_theme="Anywhere in Porthaven",
    )
    db.session.add(pot)
    db.session.flush()
    projects = {}
    for ref, title, cost, appeal in SMALL_GRANTS:
        projects[ref] = BudgetProject(
            pot_id=pot.id,
            ref=ref,
            title=title,
            cost=cost,
            status="feasible",
            author_id=people["community"].id if ref == "S2" else None,
            group_name=None if ref == "S2" else "A Porthaven group",
            feasibility_reason="Within the fund's rules.",
            feasibility_by_id=people["officer"].id,
        )
        APPEAL[ref] = appeal
    db.session.add_all(projects.values())
    db.session.flush()
    for i, picks in enumerate(_ballots(pot, projects, 120, rng, 4)):
        source = "paper" if i % 5 == 0 else "assisted" if i % 17 == 0 else "online"
        _cast(pot, f"demo-2025:{i}", picks, source, _at(rnd.voting_from + timedelta(days=i % 20)))
    result = counting.count_pot(pot, rnd, people["officer"].id)
    result.published = True
    result.counted_at = _at(rnd.results_from)
    result.published_by_id = people["officer"].id
    result.published_at = _at(rnd.results_from, 15)
    losers = [ref for ref in projects if ref not in result.outcome["selected"]]
    if losers:
        db.session.add(
            Override(
                result_id=result.id,
                project_id=projects[losers[0]].id,
                funded=True,
                reason="The harbour trust offered to pay half, so the council funded this from "
                "its own small-grants budget as well; no winning project lost money.",
                by_id=people["officer"].id,
                at=_at(rnd.results_from + timedelta(days=3)),
            )
        )
