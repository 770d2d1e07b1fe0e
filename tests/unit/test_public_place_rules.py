"""How the public place page arranges a place's public facts (pure rules)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from participate.public import place_rules as r

TODAY = date(2026, 5, 10)


def rnd(phase, **dates):
    fields = {"feasibility_from": None, "voting_from": None, "results_from": None}
    return SimpleNamespace(phase=phase, **{**fields, **dates})


def test_summary_keeps_the_kinds_with_something_in_order():
    counts = {"grants": 3, "rounds": 2, "decisions": 0, "projects": 9, "funds": 1}
    assert r.summary(counts) == [("rounds", 2), ("funds", 1), ("grants", 3)]
    assert r.summary({}) == []


def test_round_now_says_what_people_can_do_and_until_when():
    ideas = rnd("ideas", feasibility_from=date(2026, 5, 20), voting_from=date(2026, 6, 1))
    assert r.round_now(ideas, TODAY) == r.RoundNow("propose", until=date(2026, 5, 19))
    closed_ideas = rnd("ideas", feasibility_from=date(2026, 5, 10), voting_from=date(2026, 6, 1))
    assert r.round_now(closed_ideas, TODAY) == r.RoundNow("checking", next_on=date(2026, 6, 1))
    assert r.round_now(rnd("ideas"), TODAY) == r.RoundNow("propose")
    checking = rnd("feasibility", voting_from=date(2026, 6, 1))
    assert r.round_now(checking, TODAY) == r.RoundNow("checking", next_on=date(2026, 6, 1))
    voting = rnd("voting", results_from=date(2026, 5, 11))
    assert r.round_now(voting, TODAY) == r.RoundNow("vote", until=date(2026, 5, 10))
    counted = rnd("voting", results_from=date(2026, 5, 10))
    assert r.round_now(counted, TODAY) == r.RoundNow("counting", next_on=date(2026, 5, 10))
    for phase in ("results", "delivery", "closed"):
        assert r.round_now(rnd(phase), TODAY) is None


def test_open_and_earlier_rounds():
    rounds = [
        {"id": i, "phase": p}
        for i, p in enumerate(
            ["ideas", "feasibility", "voting", "results", "delivery", "closed"], start=1
        )
    ]
    assert [x["id"] for x in r.open_rounds(rounds)] == [1, 2, 3]
    assert [x["id"] for x in r.earlier_rounds(rounds, with_results=[5])] == [4, 6]


def result(round_id, pot_id, title, cost, score, funded, budget=1000):
    return {
        "round_id": round_id,
        "pot_id": pot_id,
        "pot": f"Pot {pot_id}",
        "budget": budget,
        "title": title,
        "cost": cost,
        "score": score,
        "votes": score,
        "funded": funded,
        "published_on": date(2026, 4, 1),
        "as_of": TODAY,
    }


def test_results_group_by_round_and_pot_with_the_money_given():
    rounds = [{"id": 1}, {"id": 2}, {"id": 3}]
    rows = [
        result(2, 20, "Benches", 300, 10, True),
        result(2, 20, "Choir", 500, 40, True),
        result(2, 20, "Kiosk", 400, 5, False),
        result(2, 21, "Bins", 200, 7, True, budget=500),
        result(1, 10, "Mural", 900, 3, False),
        result(9, 90, "Not a public round", 1, 1, True),
    ]
    shown = r.results_by_round(rounds, rows)
    assert [s.round["id"] for s in shown] == [1, 2]
    first, second = shown
    assert first.pots[0].winners == [] and first.pots[0].others == 1 and first.spent == 0
    assert [p.pot_id for p in second.pots] == [20, 21]
    assert [w["title"] for w in second.pots[0].winners] == ["Choir", "Benches"]
    assert second.pots[0].others == 1
    assert (second.spent, second.budget) == (1000, 1500)
    assert second.as_of == TODAY
    assert second.pots[0].published_on == date(2026, 4, 1)


def test_decisions_latest_first():
    rows = [
        {"id": 1, "adopted_on": date(2026, 1, 5)},
        {"id": 2, "adopted_on": date(2026, 3, 1)},
        {"id": 3, "adopted_on": date(2026, 1, 5)},
    ]
    assert [d["id"] for d in r.latest_first(rows)] == [2, 3, 1]


def test_commitments_tally_and_group_by_commission():
    rows = [
        {"id": 1, "commission": "North", "status": "delivered", "overdue": False},
        {"id": 2, "commission": "South", "status": "in_progress", "overdue": True},
        {"id": 3, "commission": "North", "status": "not_started", "overdue": True},
    ]
    assert r.commitment_tally(rows) == {
        "promised": 3,
        "not_started": 1,
        "in_progress": 1,
        "delivered": 1,
        "not_delivered": 0,
        "overdue": 2,
    }
    groups = r.by_commission(rows, {1: "north", 2: "south", 3: "north"})
    assert [(g["name"], g["slug"], [c["id"] for c in g["commitments"]]) for g in groups] == [
        ("North", "north", [1, 3]),
        ("South", "south", [2]),
    ]


def test_grants_by_fund_split_closed_from_the_rest():
    funds = [{"id": 1}, {"id": 2}]
    grants = [
        {"fund_id": 1, "number": 2, "status": "closed", "amount_awarded_pence": 500},
        {"fund_id": 1, "number": 1, "status": "active", "amount_awarded_pence": 700},
        {"fund_id": 1, "number": 3, "status": "cancelled", "amount_awarded_pence": 100},
        {"fund_id": 7, "number": 1, "status": "active", "amount_awarded_pence": 1},
    ]
    shown = r.grants_by_fund(funds, grants)
    assert [g["number"] for g in shown[1].awarded] == [1, 3]
    assert [g["number"] for g in shown[1].closed] == [2]
    assert (shown[1].awarded_total, shown[1].closed_total) == (800, 500)
    assert shown[2].awarded == [] and shown[2].closed == []
    assert 7 not in shown
