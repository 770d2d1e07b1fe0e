"""Counting: greedy, greedy without skipping, and the Method of Equal Shares (with pabulib's
add1 completion and its comparison with greedy), by hand on small elections and against the
official outcomes of real ones (tests/data/pabulib)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participate.budgeting import pabulib, tally
from participate.budgeting.tally import election

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"


# --- by hand ---------------------------------------------------------------------------------


def test_greedy_skips_what_no_longer_fits_and_no_skip_stops_there():
    e = election(10, {"a": 6, "b": 5, "c": 4}, [["a"], ["a"], ["a", "b"], ["b"], ["c"]])
    # votes: a 3, b 2, c 1. a (6) fits; b (5) doesn't (4 left); c (4) does.
    assert tally.greedy(e).selected == ("a", "c")
    assert tally.greedy(e).reasons["b"] == tally.Reason("did_not_fit", money_left=4)
    stop = tally.greedy(e, skip=False)
    assert stop.selected == ("a",) and stop.reasons["c"].status == "not_reached"


def test_greedy_ties_go_to_the_cheaper_then_the_more_voted_then_the_lower_id():
    e = election(100, {"b": 30, "a": 30, "c": 20}, [["a"], ["b"], ["c"]])
    assert tally.greedy(e).selected == ("c", "a", "b")
    points = election(
        100, {"x": 10, "y": 10}, [{"x": 2}, {"y": 1}, {"y": 1}], kind=tally.CUMULATIVE
    )
    # both have 2 points; y has more voters.
    assert tally.greedy(points).selected == ("y", "x")


def test_equal_shares_funds_what_a_minority_can_pay_for_with_its_share():
    # Budget 100, 4 voters with 25 each. Three back "big" (75), one backs "small" (25).
    # Greedy by votes: big, then small fits too. Equal shares: the same, each paying a share.
    e = election(100, {"big": 75, "small": 25}, [["big"], ["big"], ["big"], ["small"]])
    out = tally.mes(e)
    assert set(out.selected) == {"big", "small"} and out.cost == 100
    assert out.reasons["big"].payers == 3 and out.reasons["big"].paid == 25


def test_equal_shares_prefers_the_project_that_costs_its_supporters_least():
    # Budget 30, 3 voters with 10 each. "p" (20) backed by all three costs each 20/3 (rho =
    # 1/3 per unit of utility); "q" (10) backed by one costs them all 10 (rho = 1).
    e = election(30, {"p": 20, "q": 10}, [["p", "q"], ["p"], ["p"]])
    out = tally.mes(e)
    assert out.selected[0] == "p"
    # After p each has 10/3 left: q's one supporter can't pay 10.
    assert out.selected == ("p",)
    assert out.reasons["q"] == tally.Reason("too_few_shares", supporters_money=Fraction(10, 3))


def test_cumulative_equal_shares_uses_the_points_given():
    # 2 voters, budget 20. A gives 3 points to x, 1 to y; B gives 1 to x, 3 to y. Both cost 10.
    e = election(
        20, {"x": 10, "y": 10}, [{"x": 3, "y": 1}, {"x": 1, "y": 3}], kind=tally.CUMULATIVE
    )
    out = tally.mes(e)
    assert set(out.selected) == {"x", "y"} and out.cost == 20


def test_add1_raises_the_share_until_the_outcome_is_exhaustive():
    # Plain equal shares leaves money: 3 voters, budget 9 (3 each); a (4) backed by voters 1
    # and 2 needs 2 each, then c (5) backed by voter 3 alone can't be paid with 3.
    e = election(9, {"a": 4, "c": 5}, [["a"], ["a"], ["c"]])
    assert tally.mes(e).selected == ("a",)
    out = tally.mes_add1(e)
    # With 5 each, voter 3 pays for c: a + c = 9 fits, and the outcome is exhaustive.
    assert set(out.selected) == {"a", "c"} and out.per_voter == 5


def test_add1_keeps_the_last_outcome_that_fits():
    e = election(10, {"a": 6, "b": 6}, [["a"], ["b"]])
    out = tally.mes_add1(e)
    # With 5 each, neither voter alone can pay 6; with 6 each both are bought (12 > 10), so
    # the last outcome that fits is the one with 5 each: nothing.
    assert out.selected == () and out.cost == 0 and out.per_voter == 5


def test_comparison_takes_greedy_only_if_strictly_more_voters_prefer_it():
    e = election(10, {"big": 10, "s1": 5, "s2": 5}, [["big"], ["big"], ["big"], ["s1"], ["s2"]])
    equal = tally.mes_add1(e)
    plain = tally.greedy(e)
    assert plain.selected == ("big",)
    for_equal, for_greedy = tally.prefer(e, equal.selected, plain.selected)
    chosen = tally.mes_add1_comparison(e)
    expected = plain.selected if for_greedy > for_equal else equal.selected
    assert chosen.selected == expected


def test_unknown_projects_on_a_ballot_are_refused():
    with pytest.raises(ValueError, match="not in the pot"):
        election(10, {"a": 5}, [["a", "zzz"]])


# --- against real elections ------------------------------------------------------------------


def _load(name: str) -> pabulib.PbFile:
    return pabulib.parse((DATA / f"{name}.pb").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name",
    [
        "Netherlands_Assen_2024",
        "Poland_Swiecie_2023",
        "Poland_Warszawa_2021_Mokotow",
        "Poland_Wroclaw_2017",
    ],
)
def test_the_rule_named_in_the_file_reproduces_the_official_outcome(name):
    pb = _load(name)
    rule = tally.PABULIB_RULES[pb.meta["rule"]]
    outcome = tally.count(pb.election(), rule)
    assert outcome.selected_sorted == sorted(pb.selected, key=tally.id_order)
    assert outcome.cost <= int(pb.meta["budget"])


def test_a_cumulative_election_is_counted_by_points():
    pb = _load("Poland_Gdansk_2020_Stogi")
    e = pb.election()
    assert e.kind == tally.CUMULATIVE
    out = tally.greedy(e)
    score = tally.scores(e)
    top = max(score, key=score.get)
    assert out.selected[0] == top and out.cost <= e.budget


# --- properties ------------------------------------------------------------------------------


@st.composite
def elections(draw):
    n_projects = draw(st.integers(1, 5))
    costs = {f"p{i}": draw(st.integers(1, 60)) for i in range(n_projects)}
    ballots = draw(
        st.lists(
            st.lists(st.sampled_from(sorted(costs)), min_size=1, max_size=n_projects, unique=True),
            min_size=1,
            max_size=8,
        )
    )
    budget = draw(st.integers(1, 150))
    return election(budget, costs, ballots)


@settings(max_examples=150, deadline=None)
@given(elections())
def test_equal_shares_invariants(e):
    out = tally.mes(e)
    assert out.cost <= e.budget  # with the budget shared equally, it always fits
    # Nobody pays more than their share: every funded project is paid exactly, by voters who
    # each paid at most their share.
    share = Fraction(e.budget, e.voters)
    assert out.least_left >= 0
    for pid in out.selected:
        assert out.reasons[pid].paid <= share

    add1 = tally.mes_add1(e)
    assert add1.cost <= e.budget
    assert add1.per_voter >= e.budget // e.voters
    # Exhaustive (as pabulib defines it: nothing left out fits in the money left), or one
    # more unit each would buy more than the budget, or every project with a vote is in.
    supported = {pid for pid, n in tally.votes(e).items() if n}
    if not tally.exhaustive(e, add1.selected) and not supported <= set(add1.selected):
        assert tally.mes(e, add1.per_voter + 1).cost > e.budget


# --- add1 skips shares only where the outcome provably stays the same ------------------------


def _reference_mes(e, share):
    """Equal shares voter by voter, the plain way: the projects chosen, in order."""
    cost = {p.id: p.cost for p in e.projects}
    voted = tally.votes(e)
    money = [Fraction(int(share.numerator), int(share.denominator))] * e.voters
    chosen = []
    while True:
        best = None
        for pid in cost:
            if pid in chosen:
                continue
            backers = [
                (i, b[pid] if e.kind == tally.CUMULATIVE else cost[pid])
                for i, b in enumerate(e.ballots)
                if pid in b and money[i] > 0
            ]
            if sum(money[i] for i, _u in backers) < cost[pid]:
                continue
            # f(rho) = sum min(money, rho * utility) grows piecewise linearly; find f = cost.
            for rho in sorted({money[i] / u for i, u in backers}):
                if sum(min(money[i], rho * u) for i, u in backers) >= cost[pid]:
                    break
            capped = [i for i, u in backers if money[i] < rho * u]
            rho = Fraction(cost[pid] - sum(money[i] for i in capped)) / sum(
                u for i, u in backers if i not in capped
            )
            key = (rho, cost[pid], -voted[pid], tally.id_order(pid))
            if best is None or key < best[0]:
                best = (key, pid, backers)
        if best is None:
            return tuple(chosen)
        (rho, *_tie), pid, backers = best
        for i, u in backers:
            money[i] -= min(money[i], rho * u)
        chosen.append(pid)


def _add1_one_unit_at_a_time(e):
    share, best = e.budget // e.voters, None
    supported = {pid for pid, n in tally.votes(e).items() if n}
    while True:
        out = tally.mes(e, share, rule="mes-add1")
        if out.cost > e.budget:
            return best
        best = out
        if tally.exhaustive(e, out.selected) or supported <= set(out.selected):
            return best
        share += 1


@st.composite
def varied_elections(draw):
    kind = draw(st.sampled_from([tally.APPROVAL, tally.CUMULATIVE]))
    n_projects = draw(st.integers(1, 6))
    costs = {f"p{i}": draw(st.integers(1, 400)) for i in range(n_projects)}
    ballot = st.dictionaries(
        st.sampled_from(sorted(costs)),
        st.integers(1, 5 if kind == tally.CUMULATIVE else 1),
        min_size=1,
        max_size=n_projects,
    )
    ballots = draw(st.lists(ballot, min_size=1, max_size=12))
    budget = draw(st.integers(1, 1200))
    return election(budget, costs, ballots, kind=kind)


@settings(max_examples=300, deadline=None)
@given(varied_elections())
def test_add1_gives_what_raising_the_share_one_unit_at_a_time_gives(e):
    fast = tally.mes_add1(e)
    slow = _add1_one_unit_at_a_time(e)
    assert (fast.selected, fast.per_voter, fast.cost) == (slow.selected, slow.per_voter, slow.cost)
    assert fast.reasons == slow.reasons and fast.least_left == slow.least_left
    assert fast.selected == _reference_mes(e, fast.per_voter)
