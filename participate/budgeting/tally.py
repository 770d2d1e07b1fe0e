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

Voters whose ballots are the same are counted together, and so are voters with the same money
left and the same utility for a project when its price is worked out, so the work grows with
the number of different ballots and of different amounts left, not with the number of voters.
``mes-add1`` does not count again at every share: it skips the shares at which it can prove
that the outcome stays the same (see ``mes_add1``), with the same result as counting at each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil

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


@dataclass
class _Run:
    """One count of equal shares at one share per voter.

    ``keys`` and ``totals`` are, for every round (and once more after the last), each
    project's key (rho, tie order), None if its supporters can't pay for it, and its
    supporters' money: add1 uses them to guess how far the outcome stays the same."""

    share: object  # mpq
    selected: list[int] = field(default_factory=list)
    won: list[Reason] = field(default_factory=list)
    keys: list[list] = field(default_factory=list)
    totals: list[list] = field(default_factory=list)
    money: list = field(default_factory=list)  # money left, per distinct ballot
    proved: bool = True  # a run that follows another: whether it proved the shares between
    agree: int | None = None  # if not: the round where the proof failed

    def win_key(self, r: int) -> tuple:
        return self.keys[r][self.selected[r]]


class _EqualShares:
    """An election made ready for counting equal shares, many times and at any share.

    Voters with the same ballot always have the same money, so money is kept per distinct
    ballot. For each project, its supporters who still have money are kept together by
    (money, utility), with their total: a price depends only on those groups, so only
    projects whose supporters just paid are priced again."""

    def __init__(self, e: Election):
        self.e = e
        ballots = _distinct_ballots(e)
        index = {p.id: j for j, p in enumerate(e.projects)}
        self.cost = [p.cost for p in e.projects]
        tie = _tie_key(e)
        self.tie = [tie(p) for p in e.projects]
        self.approval = e.kind == APPROVAL
        self.voters = [n for _b, n in ballots]
        # Per distinct ballot: (project, utility) for each project on it.
        self.ballots = [
            [(index[pid], self.cost[index[pid]] if self.approval else w) for pid, w in b.items()]
            for b, _n in ballots
        ]
        # The same, as numbers ("slots") standing for (project, utility) pairs.
        self.slots = sorted({item for items in self.ballots for item in items})
        slot = {item: s for s, item in enumerate(self.slots)}
        self.slots_of = [[slot[item] for item in items] for items in self.ballots]
        self.supporters: list[list[tuple[int, int]]] = [[] for _p in e.projects]
        # Per project: {utility: voters}, the groups before anyone has paid.
        self.start: list[dict[int, int]] = [{} for _p in e.projects]
        for b, items in enumerate(self.ballots):
            for j, u in items:
                self.supporters[j].append((b, u))
                self.start[j][u] = self.start[j].get(u, 0) + self.voters[b]
        # Per project: its price if all its supporters paid in proportion to their utility,
        # the lowest it can ever be (a guide for add1's guesses).
        self.floor = [
            Q(c, sum(u * n for u, n in s.items())) if s else None
            for c, s in zip(self.cost, self.start, strict=True)
        ]

    def _key(self, j: int, group: dict, total, weight: int):
        """(rho, tie order) of project j, or None if its supporters can't pay for it."""
        if total < self.cost[j]:
            return None
        entries = [(m, u, n) for (m, u), n in group.items()]
        # Approval: every supporter's utility is the cost, so order by money alone.
        entries.sort(key=None if self.approval else (lambda e: e[0] / e[1]))
        return (_price(entries, self.cost[j], weight), self.tie[j])

    def run(self, share, follow: _Run | None = None, finish: bool = True) -> _Run:
        """Count at ``share`` each. With ``follow`` (a run at a smaller share), choose the
        projects ``follow`` chose, in its order, while that proves that every share from
        ``follow.share`` to this one gives the same outcome (see mes_add1). Where the proof
        fails, ``proved`` becomes False and the count stops, or with ``finish`` goes on as
        at any share: the rounds before were proved to be this share's rounds. So a run
        that proved it, or finished, is the count at this share."""
        run = _Run(Q(share))
        share = run.share
        projects = range(len(self.cost))
        money = run.money = [share] * len(self.ballots)
        if share > 0:
            groups = [{(share, u): n for u, n in s.items()} for s in self.start]
            totals = [share * sum(s.values()) for s in self.start]
            weights = [sum(u * n for u, n in s.items()) for s in self.start]
        else:
            groups, totals = [{} for _j in projects], [Q(0) for _j in projects]
            weights = [0 for _j in projects]
        keys = [self._key(j, groups[j], totals[j], weights[j]) for j in projects]
        remaining = set(projects)
        while True:
            r = len(run.selected)
            run.keys.append(list(keys))
            run.totals.append(list(totals))
            candidates = [(keys[j], j) for j in remaining if keys[j] is not None]
            if follow is not None:
                if r < len(follow.selected):
                    w = follow.selected[r]
                    key = keys[w]
                    others = [c[0] for c in candidates if c[1] != w]
                    bar = follow.win_key(r)
                    proof = key is not None and key <= bar and (not others or bar < min(others))
                else:
                    proof = not candidates  # nothing more is affordable at this share
                if not proof:
                    run.proved, run.agree = False, r
                    if not finish:
                        break
                    follow = None  # count on, as at any share
                elif r == len(follow.selected):
                    break
            if follow is None:
                if not candidates:
                    break
                key, w = min(candidates)
            rho = key[0]
            remaining.discard(w)
            run.selected.append(w)
            # Supporters with the same money and utility pay the same: find each payment once,
            # and move voters between the other projects' groups in bulk.
            paying: dict[tuple, list[int]] = {}  # (money, utility) -> ballots
            for b, u in self.supporters[w]:
                if money[b]:
                    paying.setdefault((money[b], u), []).append(b)
            most, payers, dirty = Q(0), 0, set()
            for (m, u), members in paying.items():
                pay = min(m, rho * u)
                left = m - pay
                moved: dict[int, int] = {}  # slot -> voters
                voters = 0
                for b in members:
                    money[b] = left
                    n = self.voters[b]
                    voters += n
                    for s in self.slots_of[b]:
                        moved[s] = moved.get(s, 0) + n
                if pay:
                    payers += voters
                    most = max(most, pay)
                for s, n in moved.items():
                    j, uj = self.slots[s]
                    if j in remaining:
                        group = groups[j]
                        old = (m, uj)
                        group[old] -= n
                        if not group[old]:
                            del group[old]
                        if left:
                            new = (left, uj)
                            group[new] = group.get(new, 0) + n
                        else:
                            weights[j] -= uj * n
                        totals[j] -= pay * n
                        dirty.add(j)
            for j in dirty:
                keys[j] = self._key(j, groups[j], totals[j], weights[j])
            run.won.append(Reason("won", payers=payers, paid=most))
        return run

    def cost_of(self, run: _Run) -> int:
        return sum(self.cost[j] for j in run.selected)

    def outcome(self, run: _Run, rule: str) -> Outcome:
        ids = [p.id for p in self.e.projects]
        reasons = {ids[j]: reason for j, reason in zip(run.selected, run.won, strict=True)}
        for j, money in enumerate(run.totals[-1]):
            if j not in run.selected:
                status = "too_few_shares" if self.supporters[j] else "no_votes"
                reasons[ids[j]] = Reason(status, supporters_money=money)
        selected = tuple(ids[j] for j in run.selected)
        least = min(run.money)
        return Outcome(rule, selected, self.cost_of(run), reasons, run.share, least)


def mes(e: Election, per_voter: int | Fraction | None = None, rule: str = "mes") -> Outcome:
    """Equal shares with ``per_voter`` money each (default: the budget shared equally). The
    outcome may cost more than the budget when ``per_voter`` is raised (add1 checks it)."""
    if e.voters == 0:
        return Outcome(rule, (), 0, {p.id: Reason("no_votes") for p in e.projects}, None)
    share = Q(e.budget, e.voters) if per_voter is None else Q(per_voter)
    count = _EqualShares(e)
    return count.outcome(count.run(share), rule)


def _price(entries: list[tuple[Fraction, int, int]], cost: int, utility: int) -> Fraction:
    """The smallest rho with sum(voters * min(money, rho * utility)) == cost: voters who can't
    pay rho * utility pay all they have. ``entries`` (money, utility, voters) come in order of
    money / utility, with ``utility`` their total; the caller checked that they can pay
    between them."""
    still_to_pay = Q(cost)
    utility_left = utility
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
    "add1"): keep the last outcome that fits the budget; stop once it is exhaustive.

    The outcome changes at only a few shares, so most shares are skipped, but only where it is
    proved that they give the same outcome. Take the count at share x, and a share y > x. As
    long as the same projects are chosen in the same order, more money for each voter never
    makes a project dearer: every voter's money left is a non-decreasing function of the
    share (they pay min(money, rho * utility)), so every price rho is a non-increasing one,
    and what x's voters can pay for, y's can too. So if in every round the winner's key (rho,
    tie order) at x is below every other project's key at y (those y's voters can pay for),
    then at any share s in between, winner's key at s <= winner's key at x < other's key at y
    <= other's key at s: the winner wins at s too. And if after the last round y's voters can
    pay for nothing more, neither can s's. Then every share from x to y gives x's outcome
    (and the count following x's choices at y is y's count), so counting them one by one
    would change nothing. Which y to try is only a guess (see ``_guess``); at y = x + 1, if
    the proof fails, x + 1 is counted in full."""
    if e.voters == 0:
        return mes(e, rule="mes-add1")
    count = _EqualShares(e)
    supported = {j for j, s in enumerate(count.supporters) if s}
    run = count.run(e.budget // e.voters)
    if count.cost_of(run) > e.budget:  # cannot happen, but be safe
        return mes(e, Fraction(e.budget, e.voters), rule="mes-add1")
    earlier = None  # a count at a smaller share that chose the same projects
    step, failed = 1, None
    while True:
        chosen = set(run.selected)
        left = e.budget - count.cost_of(run)
        if supported <= chosen or all(
            c > left for j, c in enumerate(count.cost) if j not in chosen
        ):
            break  # exhaustive, or every project anyone voted for is in
        probe = count.run(run.share + step, follow=run, finish=step == 1)
        if probe.proved:
            earlier, run = run, probe
            guess = _guess(count, run, earlier, run)
            step = 2 * step if guess is None else max(1, guess)
            if failed is not None and failed > run.share + 1:
                step = min(step, failed - run.share - 1)  # short of where a proof failed
            continue
        if step > 1:
            failed = probe.share
            guess = _guess(count, run, run, probe)
            step = step // 2 if guess is None or guess >= step else max(1, guess)
            continue
        failed = None
        if count.cost_of(probe) > e.budget:  # the count at run.share + 1
            break
        earlier = run if probe.selected == run.selected else None
        run = probe
    return count.outcome(run, "mes-add1")


def _guess(count: _EqualShares, base: _Run, a: _Run, b: _Run) -> int | None:
    """How far above ``base`` a proof (see mes_add1) may hold, found by extending in a
    straight line every price and every supporters' money from the counts ``a`` and ``b``
    (at two shares, choosing the same projects). Only a guess: the proof decides."""
    limit = None
    span = b.share - a.share

    def reach(at_a, at_b, level):
        nonlocal limit
        if at_a != at_b:
            x = a.share + span * (level - at_a) / (at_b - at_a)
            if x > base.share and (limit is None or x < limit):
                limit = x

    # The rounds in which a and b chose the same projects (a proof that failed stopped there).
    rounds = min(len(run.keys) if run.agree is None else run.agree + 1 for run in (a, b))
    for r in range(rounds):
        done = set(base.selected[:r])
        bar = base.win_key(r)[0] if r < len(base.selected) else None
        for k, key_b in enumerate(b.keys[r]):
            if k in done or (bar is not None and k == base.selected[r]):
                continue
            if bar is not None and (count.floor[k] is None or count.floor[k] > bar):
                continue  # it never costs less than the winner did
            key_a = a.keys[r][k]
            if key_a is not None and key_b is not None and bar is not None:
                reach(key_a[0], key_b[0], bar)  # its price falls to the winner's
            elif key_b is not None and bar is not None and key_b[0] > bar:
                continue  # it became affordable but still costs more
            else:
                reach(a.totals[r][k], b.totals[r][k], count.cost[k])  # it becomes affordable
    if limit is None:
        return None
    return int(ceil(limit)) - 1 - int(base.share)


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
