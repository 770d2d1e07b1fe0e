"""How a place's public page arranges its public facts: pure rules, no Flask, no database.

The facts themselves (what is public at all) come from ``participate.public.facts``; these
functions only sort, group and sum its rows (plain dicts, see ``facts.TABLES``) for the page,
and say what a visitor can do now in a round (asking ``budgeting.rules``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from participate.budgeting import rules as pb_rules

# Rounds still running before their results: a visitor can take part, or soon will.
OPEN_PHASES = ("ideas", "feasibility", "voting")
# The counts shown on the list of places, in this order.
SUMMARY_KINDS = ("rounds", "decisions", "commitments", "funds", "grants")
# Grants listed as finished rather than awarded.
FINISHED_GRANT_STATUSES = ("closed",)


# --- the list of places ----------------------------------------------------------------------


def summary(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """``(kind, how many)`` for each kind of public fact the place has, in a fixed order;
    kinds with none are left out."""
    return [(kind, int(counts.get(kind, 0))) for kind in SUMMARY_KINDS if counts.get(kind)]


# --- rounds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundNow:
    """What a visitor can do in a round today.

    ``action``: ``propose`` (suggestions are open), ``vote`` (voting is open), ``checking``
    (ideas are being checked, or suggestions have closed: voting comes next) or ``counting``
    (voting has closed: results come next). ``until`` is the last day to act (``None`` when
    no closing date is set); ``next_on`` the day the next step is planned."""

    action: str
    until: date | None = None
    next_on: date | None = None


def _day_before(day: date | None) -> date | None:
    return day - timedelta(days=1) if day is not None else None


def round_now(rnd, today: date) -> RoundNow | None:
    """What people can do now in a round that is open (``OPEN_PHASES``); ``None`` for a
    round in any other phase. ``rnd`` has ``phase`` and the phase dates."""
    if rnd.phase == "ideas":
        if pb_rules.ideas_open(rnd, today):
            return RoundNow("propose", until=_day_before(rnd.feasibility_from))
        return RoundNow("checking", next_on=rnd.voting_from)
    if rnd.phase == "feasibility":
        return RoundNow("checking", next_on=rnd.voting_from)
    if rnd.phase == "voting":
        if pb_rules.voting_open(rnd, today):
            return RoundNow("vote", until=_day_before(rnd.results_from))
        return RoundNow("counting", next_on=rnd.results_from)
    return None


def open_rounds(rounds: Iterable[dict]) -> list[dict]:
    """The rounds people can take part in now or soon, in the order given."""
    return [r for r in rounds if r["phase"] in OPEN_PHASES]


def earlier_rounds(rounds: Iterable[dict], with_results: Iterable[int]) -> list[dict]:
    """Rounds past voting whose results are not published (yet): listed so nothing public
    is hidden, without figures."""
    shown = set(with_results)
    return [r for r in rounds if r["phase"] not in OPEN_PHASES and r["id"] not in shown]


@dataclass
class PotResult:
    pot_id: int
    pot: str
    budget: int  # whole currency units
    winners: list[dict] = field(default_factory=list)
    others: int = 0  # projects counted but not funded
    spent: int = 0  # the funded projects' costs, in whole currency units
    published_on: date | None = None
    as_of: date | None = None


@dataclass
class RoundResult:
    round: dict
    pots: list[PotResult] = field(default_factory=list)

    @property
    def budget(self) -> int:
        return sum(p.budget for p in self.pots)

    @property
    def spent(self) -> int:
        return sum(p.spent for p in self.pots)

    @property
    def as_of(self) -> date | None:
        return max((p.as_of for p in self.pots if p.as_of), default=None)


def results_by_round(rounds: Iterable[dict], results: Iterable[dict]) -> list[RoundResult]:
    """The published results grouped by round (in the rounds' order) and pot: the funded
    projects (most votes first), how many were not funded, and the money they share."""
    by_round: dict[int, RoundResult] = {r["id"]: RoundResult(r) for r in rounds}
    pots: dict[tuple[int, int], PotResult] = {}
    for row in results:
        shown = by_round.get(row["round_id"])
        if shown is None:
            continue
        key = (row["round_id"], row["pot_id"])
        pot = pots.get(key)
        if pot is None:
            pot = pots[key] = PotResult(row["pot_id"], row["pot"], int(row["budget"]))
            shown.pots.append(pot)
        pot.published_on = row.get("published_on") or pot.published_on
        pot.as_of = row.get("as_of") or pot.as_of
        if row["funded"]:
            pot.winners.append(row)
            pot.spent += int(row["cost"])
        else:
            pot.others += 1
    for pot in pots.values():
        pot.winners.sort(key=lambda r: (-int(r["score"]), r["title"]))
    return [r for r in by_round.values() if r.pots]


# --- decisions and commitments ---------------------------------------------------------------


def latest_first(decisions: Iterable[dict]) -> list[dict]:
    """Decisions, the most recently agreed first."""
    return sorted(decisions, key=lambda d: (d["adopted_on"] or date.min, d["id"]), reverse=True)


def commitment_tally(commitments: Iterable[dict]) -> dict[str, int]:
    """Promised against delivered, as the "you said, we did" page counts them."""
    rows = list(commitments)
    tally = {
        "promised": len(rows),
        "not_started": 0,
        "in_progress": 0,
        "delivered": 0,
        "not_delivered": 0,
        "overdue": 0,
    }
    for row in rows:
        tally[row["status"]] = tally.get(row["status"], 0) + 1
        tally["overdue"] += bool(row["overdue"])
    return tally


def by_commission(commitments: Iterable[dict], slugs: Mapping[int, str]) -> list[dict]:
    """Commitments grouped by commission (first seen first): ``{"name", "slug",
    "commitments"}``; ``slugs`` gives each commitment's commission slug by its id."""
    groups: dict[str, dict] = {}
    for row in commitments:
        slug = slugs.get(row["id"])
        key = slug or row["commission"]
        group = groups.setdefault(key, {"name": row["commission"], "slug": slug, "commitments": []})
        group["commitments"].append(row)
    return list(groups.values())


# --- funds and grants ------------------------------------------------------------------------


@dataclass
class FundGrants:
    awarded: list[dict] = field(default_factory=list)
    closed: list[dict] = field(default_factory=list)

    @property
    def awarded_total(self) -> int:
        return sum(int(g["amount_awarded_pence"]) for g in self.awarded)

    @property
    def closed_total(self) -> int:
        return sum(int(g["amount_awarded_pence"]) for g in self.closed)


def grants_by_fund(funds: Iterable[dict], grants: Iterable[dict]) -> dict[int, FundGrants]:
    """Each fund's public grants: those awarded (still running, or cancelled) and those
    closed, by grant number."""
    found = {f["id"]: FundGrants() for f in funds}
    for grant in sorted(grants, key=lambda g: (g["fund_id"], g["number"])):
        shown = found.get(grant["fund_id"])
        if shown is None:
            continue
        if grant["status"] in FINISHED_GRANT_STATUSES:
            shown.closed.append(grant)
        else:
            shown.awarded.append(grant)
    return found
