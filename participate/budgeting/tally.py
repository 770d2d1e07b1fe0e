"""Counting participatory-budgeting ballots. Pure: no Flask, no database, no floats.

Rules (names as the command line and pabulib use them):

- ``greedy``: projects by score (approvals, or points for cumulative ballots), highest first;
  each is funded if it still fits, otherwise skipped.
- ``greedy-no-skip``: the same, but counting stops at the first project that does not fit.
- ``mes``: the Method of Equal Shares with the budget shared equally among the voters.
- ``mes-add1``: the Method of Equal Shares completed as pabulib does ("add1"): the per-voter
  budget starts at floor(budget / voters) and is raised by one currency unit while the outcome
  still fits the budget and is not yet exhaustive; the last outcome that fits is kept.
- ``mes-add1-comparison``: ``mes-add1``, replaced by the ``greedy`` outcome only if strictly
  more voters prefer it (a voter prefers the outcome with more of the projects they voted for).

Under the Method of Equal Shares a voter's utility for a project they approved is its cost (the
convention of equalshares.net and pabulib), and for a cumulative ballot the points they gave it.
Ties: lower cost, then more votes, then project id. Arithmetic is exact: integers, and
rationals (gmpy2's ``mpq``, the same arithmetic as ``Fraction`` done in C).

Voters whose ballots are the same are counted together, and voters with the same money left
are alike from then on, so the work grows with the number of different ballots and of
different amounts left, not with the number of voters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from gmpy2 import mpq as Q

APPROVAL = "approval"
CUMULATIVE = "cumulative"


# --- what is counted -------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    id: str
    cost: int


@dataclass(frozen=True)
class Election:
    """A pot: its budget, its projects and its ballots. A ballot maps project ids to weights:
    1 for each project approved, or the points given on a cumulative ballot."""

    budget: int
    projects: tuple[Project, ...]
    ballots: tuple[Mapping[str, int], ...]
    kind: str = APPROVAL

    @property
    def voters(self) -> int:
        return len(self.ballots)


def election(
    budget: int,
    costs: Mapping[str, int],
    ballots: Iterable[Mapping[str, int] | Iterable[str]],
    kind: str = APPROVAL,
) -> Election:
    """Build an election; an approval ballot may be given as a list of project ids."""
    normal = []
    for ballot in ballots:
        if isinstance(ballot, Mapping):
            normal.append({pid: int(w) for pid, w in ballot.items() if int(w) > 0})
        else:
            normal.append(dict.fromkeys(ballot, 1))
    projects = tuple(Project(pid, int(cost)) for pid, cost in costs.items())
    known = {p.id for p in projects}
    for ballot in normal:
        unknown = set(ballot) - known
        if unknown:
            raise ValueError(f"a ballot names projects that are not in the pot: {sorted(unknown)}")
    return Election(int(budget), projects, tuple(normal), kind)


def id_order(pid: str):
    """Project ids in a natural order: 2 before 10, numbers before names."""
    return (0, int(pid), "") if pid.isdigit() else (1, 0, pid)


def scores(e: Election) -> dict[str, int]:
    """Approvals, or points on cumulative ballots."""
    totals = dict.fromkeys((p.id for p in e.projects), 0)
    for ballot in e.ballots:
        for pid, weight in ballot.items():
            totals[pid] += weight
    return totals


def votes(e: Election) -> dict[str, int]:
    """How many voters chose each project (at all)."""
    totals = dict.fromkeys((p.id for p in e.projects), 0)
    for ballot in e.ballots:
        for pid in ballot:
            totals[pid] += 1
    return totals


# --- outcomes and their reasons --------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a project won or didn't, with the figures a results page shows.

    ``status``: "won"; "did_not_fit" (greedy: not enough money left when its turn came);
    "not_reached" (greedy-no-skip: counting stopped before it); "no_votes"; "too_few_shares"
    (equal shares: its supporters' shares, all together, could not pay for it)."""

    status: str
    money_left: int | Fraction | None = None  # greedy: the budget left when its turn came
    payers: int = 0  # equal shares: how many voters paid for it
    paid: Fraction | None = None  # equal shares: the most one voter paid
    supporters_money: Fraction | None = None  # equal shares: what its supporters had left


@dataclass(frozen=True)
class Outcome:
    rule: str
    selected: tuple[str, ...]  # in the order they were chosen
    cost: int
    reasons: dict[str, Reason] = field(default_factory=dict)
    per_voter: Fraction | None = None  # equal shares: each voter's starting share
    least_left: Fraction | None = None  # equal shares: the least money any voter has left

    @property
    def selected_sorted(self) -> list[str]:
        return sorted(self.selected, key=id_order)


def _tie_key(e: Election) -> Callable[[Project], tuple]:
    """For equal scores (or equal prices under equal shares): lower cost, then more votes,
    then project id."""
    counted = votes(e)
    return lambda p: (p.cost, -counted[p.id], id_order(p.id))


# --- greedy ----------------------------------------------------------------------------------


def greedy(e: Election, skip: bool = True) -> Outcome:
    score = scores(e)
    tie = _tie_key(e)
    order = sorted(e.projects, key=lambda p: (-score[p.id], *tie(p)))
    left, selected, reasons, stopped = e.budget, [], {}, False
    for p in order:
        if score[p.id] == 0:
            reasons[p.id] = Reason("no_votes", money_left=left)
        elif stopped:
            reasons[p.id] = Reason("not_reached", money_left=left)
        elif p.cost <= left:
            reasons[p.id] = Reason("won", money_left=left)
            selected.append(p.id)
            left -= p.cost
        else:
            reasons[p.id] = Reason("did_not_fit", money_left=left)
            stopped = not skip
    rule = "greedy" if skip else "greedy-no-skip"
    return Outcome(rule, tuple(selected), e.budget - left, reasons)


# --- the Method of Equal Shares --------------------------------------------------------------


def _distinct_ballots(e: Election) -> list[tuple[dict[str, int], int]]:
    """Identical ballots together, with how many voters cast each."""
    return [
        (dict(key), n) for key, n in Counter(tuple(sorted(b.items())) for b in e.ballots).items()
    ]


def mes(e: Election, per_voter: int | Fraction | None = None, rule: str = "mes") -> Outcome:
    """Equal shares with ``per_voter`` money each (default: the budget shared equally). The
    outcome may cost more than the budget when ``per_voter`` is raised (add1 checks it)."""
    if e.voters == 0:
        return Outcome(rule, (), 0, {p.id: Reason("no_votes") for p in e.projects}, None)
    share = Q(e.budget, e.voters) if per_voter is None else Q(per_voter)
    cost = {p.id: p.cost for p in e.projects}
    approval = e.kind == APPROVAL

    def utility(pid: str, weight: int) -> int:
        return cost[pid] if approval else weight

    # A class: voters who have paid for the same projects in the same way, so have the same
    # money left; its distinct ballots, and its money left per voter.
    ballots = _distinct_ballots(e)
    classes: list[dict] = [{"money": share, "ballots": list(range(len(ballots)))}]

    def supporters(klass: dict) -> dict[str, dict[int, int]]:
        """project -> {weight: voters} among this class."""
        found: dict[str, dict[int, int]] = {}
        for b in klass["ballots"]:
            ballot, count = ballots[b]
            for pid, weight in ballot.items():
                weights = found.get(pid)
                if weights is None:
                    found[pid] = {weight: count}
                else:
                    weights[weight] = weights.get(weight, 0) + count
        return found

    for klass in classes:
        klass["support"] = supporters(klass)

    remaining = {p.id for p in e.projects}
    tie = _tie_key(e)
    by_id = {p.id: p for p in e.projects}
    selected: list[str] = []
    reasons: dict[str, Reason] = {}

    while True:
        best = None  # (rho, tie key, pid)
        # Each project's supporters who still have money: (money each, utility each, voters).
        entries: dict[str, list] = {pid: [] for pid in remaining}
        for klass in classes:
            money = klass["money"]
            if money > 0:
                for pid, weights in klass["support"].items():
                    if pid in entries:
                        for weight, n in weights.items():
                            entries[pid].append((money, utility(pid, weight), n))
        for pid, rows in entries.items():
            if sum(m * n for m, _u, n in rows) < cost[pid]:
                continue
            rho = _price(rows, cost[pid])
            key = (rho, tie(by_id[pid]))
            if best is None or key < best[:2]:
                best = (rho, key[1], pid)
        if best is None:
            break
        rho, _key, pid = best
        remaining.discard(pid)
        selected.append(pid)
        most, payers = Q(0), 0
        by_money: dict = {}  # voters left with the same money are alike from now on
        for klass in classes:
            weights = klass["support"].get(pid)
            if not weights:
                _merge(by_money, klass["money"], klass["ballots"], klass["support"])
                continue
            split: dict[int, list[int]] = defaultdict(list)
            rest = []
            for b in klass["ballots"]:
                weight = ballots[b][0].get(pid)
                (split[weight].append(b) if weight else rest.append(b))
            rest_support = {p: dict(w) for p, w in klass["support"].items()}
            for weight, members in split.items():
                pay = min(klass["money"], rho * utility(pid, weight))
                paid = {"ballots": members}
                paid_support = supporters(paid)
                _subtract(rest_support, paid_support)
                _merge(by_money, klass["money"] - pay, members, paid_support)
                if pay > 0:
                    payers += sum(ballots[b][1] for b in members)
                    most = max(most, pay)
            if rest:
                _merge(by_money, klass["money"], rest, rest_support)
        classes = list(by_money.values())
        reasons[pid] = Reason("won", payers=payers, paid=most)

    counted = votes(e)
    for pid in remaining:
        money = sum(
            (k["money"] * n for k in classes for n in k["support"].get(pid, {}).values()),
            Q(0),
        )
        status = "no_votes" if counted[pid] == 0 else "too_few_shares"
        reasons[pid] = Reason(status, supporters_money=money)
    least = min(k["money"] for k in classes)
    return Outcome(rule, tuple(selected), sum(cost[p] for p in selected), reasons, share, least)


def _merge(by_money: dict, money, members: list[int], support: dict) -> None:
    """Add voters to the class of those with this much money left."""
    klass = by_money.get(money)
    if klass is None:
        by_money[money] = {"money": money, "ballots": list(members), "support": support}
        return
    klass["ballots"].extend(members)
    for pid, weights in support.items():
        mine = klass["support"].setdefault(pid, {})
        for weight, n in weights.items():
            mine[weight] = mine.get(weight, 0) + n


def _subtract(support: dict, part: dict) -> None:
    for pid, weights in part.items():
        mine = support[pid]
        for weight, n in weights.items():
            mine[weight] -= n
            if not mine[weight]:
                del mine[weight]
        if not mine:
            del support[pid]


def _price(entries: list[tuple[Fraction, int, int]], cost: int) -> Fraction:
    """The smallest rho with sum(voters * min(money, rho * utility)) == cost: voters who can't
    pay rho * utility pay all they have. (The caller checked they can pay it between them.)"""
    entries = sorted(entries, key=lambda e: e[0] / e[1])
    still_to_pay = Q(cost)
    utility_left = sum(u * n for _m, u, n in entries)
    for money, u, n in entries:
        rho = still_to_pay / utility_left
        if rho * u <= money:
            return rho
        still_to_pay -= money * n
        utility_left -= u * n
    raise ArithmeticError("the supporters cannot pay for it")  # pragma: no cover


def exhaustive(e: Election, selected: Iterable[str]) -> bool:
    """No project left out would fit in the money left."""
    chosen = set(selected)
    left = e.budget - sum(p.cost for p in e.projects if p.id in chosen)
    return all(p.cost > left for p in e.projects if p.id not in chosen)


def mes_add1(e: Election) -> Outcome:
    """Equal shares, completed by raising each voter's share one unit at a time (pabulib's
    "add1"): keep the last outcome that fits the budget; stop once it is exhaustive."""
    if e.voters == 0:
        return mes(e, rule="mes-add1")
    share = e.budget // e.voters
    best = None
    supported = {pid for pid, n in votes(e).items() if n}
    while True:
        outcome = mes(e, share, rule="mes-add1")
        if outcome.cost > e.budget:
            break
        best = outcome
        # Exhaustive, or every project anyone voted for is in: more money changes nothing.
        if exhaustive(e, outcome.selected) or supported <= set(outcome.selected):
            break
        share += 1
    if best is None:  # even floor(budget / voters) buys too much: cannot happen, but be safe
        best = mes(e, Fraction(e.budget, e.voters), rule="mes-add1")
    return best


def prefer(e: Election, a: Iterable[str], b: Iterable[str]) -> tuple[int, int]:
    """How many voters prefer outcome ``a``, and how many ``b``: each prefers the outcome with
    more of the projects they voted for."""
    a, b = set(a), set(b)
    for_a = for_b = 0
    for ballot in e.ballots:
        in_a = sum(1 for pid in ballot if pid in a)
        in_b = sum(1 for pid in ballot if pid in b)
        for_a += in_a > in_b
        for_b += in_b > in_a
    return for_a, for_b


def mes_add1_comparison(e: Election) -> Outcome:
    equal = mes_add1(e)
    plain = greedy(e)
    for_equal, for_greedy = prefer(e, equal.selected, plain.selected)
    chosen = plain if for_greedy > for_equal else equal
    return Outcome(
        "mes-add1-comparison", chosen.selected, chosen.cost, chosen.reasons, chosen.per_voter
    )


RULES: dict[str, Callable[[Election], Outcome]] = {
    "greedy": greedy,
    "greedy-no-skip": lambda e: greedy(e, skip=False),
    "mes": mes,
    "mes-add1": mes_add1,
    "mes-add1-comparison": mes_add1_comparison,
}
# pabulib's names for the rules in a file's META.
PABULIB_RULES = {
    "greedy": "greedy",
    "greedy-no-skip": "greedy-no-skip",
    "equalshares": "mes",
    "equalshares/add1": "mes-add1",
    "equalshares/add1/comparison": "mes-add1-comparison",
}


def count(e: Election, rule: str) -> Outcome:
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; one of {', '.join(RULES)}")
    return RULES[rule](e)
