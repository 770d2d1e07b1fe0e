"""Why every project won or did not, in plain words, and the geometry of the results chart.

Pure: no Flask, no database. It reads a stored outcome record (``exchange.outcome_record``:
the rule, what was chosen in order, and every project's ``tally.Reason`` with its exact
numbers as strings like "923/3"), plus what the results page adds at count time (``scores``,
``votes`` and ``ballots``), and the council's overrides. Exact numbers are rounded to pennies
only to be shown.

Messages are marked for translation here (``N_`` and ``ngettext`` below) and translated
where shown, with their parameters, as ``rules.Problem`` messages are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import floor

from participate.budgeting.rules import RULE_LABELS
from participate.budgeting.tally import id_order
from participate.money import format_money, format_whole
from participate.text import N_


@dataclass(frozen=True)
class Words:
    """A message to translate where shown: ``_(message, **params)``, or with a plural form
    ``ngettext(message, plural, num, **params)``."""

    message: str
    params: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None
    num: int | None = None


def ngettext(singular: str, plural: str, num: int, **params) -> Words:
    """Mark a message with a plural form (pybabel finds it by this name)."""
    return Words(singular, params, plural, num)


STATUS_LABELS = {
    "won": N_("Won"),
    "did_not_fit": N_("Did not fit"),
    "not_reached": N_("Not reached"),
    "no_votes": N_("No votes"),
    "too_few_shares": N_("Its supporters' shares were not enough"),
}


# --- money, exactly, shown to the penny ------------------------------------------------------


def exact(value) -> Fraction | None:
    """A stored exact number ("923/3", "45", 45) as a Fraction."""
    if value is None:
        return None
    return Fraction(str(value))


def money(value, currency: str, down: bool = False) -> str:
    """Whole amounts as £4,500; others to the penny (£30.77), half a penny up, or ``down``
    (so that an amount shown as less than a cost never rounds up to it)."""
    amount = exact(value)
    if amount.denominator == 1:
        return format_whole(int(amount), currency)
    pennies = floor(amount * 100) if down else floor(amount * 100 + Fraction(1, 2))
    return format_money(pennies, currency)


# --- what a results page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One project in a count: its figures, whether the count chose it, why, and whether it
    is funded after the council's changes."""

    ref: str
    title: str
    cost: int
    score: int  # votes, or points on a points ballot
    votes: int  # how many voters chose it
    status: str  # a tally.Reason status
    won: bool  # chosen by the count
    funded: bool  # after the council's changes
    changed: bool  # the council changed the count's answer for it
    label: str  # STATUS_LABELS, to translate
    because: Words


@dataclass(frozen=True)
class Explanation:
    rule: str
    rule_label: str
    budget: int
    rows: list[Row]  # most votes (or points) first, in the count's order for ties
    winners: list[Row]  # funded, in the order the count chose them, then the council's
    used: int  # money for the funded projects
    left: int
    changed: bool  # the council changed the count
    share: Words | None  # equal shares: each voter's share
    note: Words | None  # how the comparison with most-votes went
    points: bool  # scores are points, not votes
    ballots: Mapping[str, int] | None  # ballot figures recorded at count time

    @property
    def over_budget(self) -> bool:
        return self.left < 0


def _greedy_words(reason, row: dict, budget: int, currency: str, points: bool) -> Words:
    status, score = reason["status"], row["score"]
    left = money(reason.get("money_left") or 0, currency)
    if status == "won":
        if points:
            return ngettext(
                "Won: %(num)s point; %(left)s of %(budget)s was left when its turn came.",
                "Won: %(num)s points; %(left)s of %(budget)s was left when its turn came.",
                score,
                left=left,
                budget=format_whole(budget, currency),
            )
        return ngettext(
            "Won: %(num)s vote; %(left)s of %(budget)s was left when its turn came.",
            "Won: %(num)s votes; %(left)s of %(budget)s was left when its turn came.",
            score,
            left=left,
            budget=format_whole(budget, currency),
        )
    if status == "did_not_fit":
        return Words(
            N_("Did not fit: it costs %(cost)s and %(left)s was left when its turn came."),
            {"cost": format_whole(row["cost"], currency), "left": left},
        )
    if status == "not_reached":
        return Words(
            N_(
                "Not reached: counting stopped at the first project that did not fit, "
                "before its turn."
            )
        )
    return _no_votes(status)


def _no_votes(status: str) -> Words:
    if status == "no_votes":
        return Words(N_("Nobody voted for it."))
    return Words(N_("The count did not choose it."))


def _shares_words(reason, row: dict, share: Fraction | None, currency: str) -> Words:
    status = reason["status"]
    if status == "won":
        payers = int(reason.get("payers") or 0)
        paid = exact(reason.get("paid"))
        if not payers or not paid or share is None:
            return Words(N_("Won: it cost its supporters nothing."))
        return ngettext(
            "Won: %(num)s voter paid for it, %(paid)s of their %(share)s share.",
            "Won: %(num)s voters shared its cost; the most any one paid was %(paid)s of "
            "their %(share)s share.",
            payers,
            paid=money(paid, currency),
            share=money(share, currency),
        )
    if status == "too_few_shares":
        had = exact(reason.get("supporters_money")) or Fraction(0)
        if had >= row["cost"]:  # cannot happen: they could have paid
            return _no_votes(status)
        return ngettext(
            "Its %(num)s supporter had %(money)s of their share left, less than its %(cost)s cost.",
            "Its %(num)s supporters had %(money)s left between them, less than its %(cost)s cost.",
            row["votes"],
            money=money(had, currency, down=True),
            cost=format_whole(row["cost"], currency),
        )
    return _no_votes(status)


def final_winners(selected: Iterable[str], overrides: Mapping[str, bool]) -> list[str]:
    """The count's winners, in order, less those the council decided not to fund, then the
    projects it decided to fund."""
    chosen = [ref for ref in selected if overrides.get(ref, True)]
    added = sorted(
        (ref for ref, funded in overrides.items() if funded and ref not in chosen), key=id_order
    )
    return chosen + added


def explain(
    record: Mapping,
    projects: Iterable,
    budget: int,
    currency: str,
    *,
    scores: Mapping[str, int] | None = None,
    votes: Mapping[str, int] | None = None,
    points: bool = False,
    overrides: Mapping[str, bool] | None = None,
) -> Explanation:
    """Every project of a count and why, winners and money after the council's changes.

    ``projects`` have ``ref``, ``title`` and ``cost`` (the pot's projects; those the count did
    not see are left out). ``scores`` and ``votes`` (by ref) are used when the record has none
    of its own. ``overrides`` says, by ref, whether the council decided to fund each project
    it changed (the latest decision for each)."""
    overrides = dict(overrides or {})
    reasons: Mapping[str, Mapping] = record.get("reasons", {})
    scores = record.get("scores") or scores or {}
    votes = record.get("votes") or votes or scores
    selected = list(record.get("selected", []))
    share = exact(record.get("per_voter"))
    by_ref = {p.ref: p for p in projects}
    # The comparison rule keeps whichever outcome more voters prefer; greedy's reasons say
    # how much money was left, equal shares' do not.
    greedy_reasons = any(r.get("money_left") is not None for r in reasons.values())
    rule = record.get("rule", "")

    rows = []
    for ref, reason in reasons.items():
        project = by_ref.get(ref)
        if project is None:
            continue
        figures = {
            "cost": int(project.cost),
            "score": int(scores.get(ref, 0)),
            "votes": int(votes.get(ref, 0)),
        }
        if greedy_reasons or rule.startswith("greedy"):
            because = _greedy_words(reason, figures, budget, currency, points)
        else:
            because = _shares_words(reason, figures, share, currency)
        won = ref in selected
        funded = overrides.get(ref, won)
        rows.append(
            Row(
                ref=ref,
                title=project.title,
                cost=figures["cost"],
                score=figures["score"],
                votes=figures["votes"],
                status=reason["status"],
                won=won,
                funded=funded,
                changed=funded != won,
                label=STATUS_LABELS.get(reason["status"], N_("Not chosen")),
                because=because,
            )
        )
    order = {ref: i for i, ref in enumerate(selected)}
    rows.sort(key=lambda r: (-r.score, r.cost, -r.votes, id_order(r.ref)))
    by_row = {r.ref: r for r in rows}
    winners = [by_row[ref] for ref in final_winners(selected, overrides) if ref in by_row]
    winners.sort(key=lambda r: (r.ref not in order, order.get(r.ref, 0)))
    used = sum(r.cost for r in winners)

    share_words = None
    if share is not None:
        share_words = Words(
            N_("Each voter had an equal share of the money: %(share)s."),
            {"share": money(share, currency)},
        )
    note = None
    if rule == "mes-add1-comparison":
        note = (
            Words(N_("More voters preferred the most-votes result, so it was used."))
            if greedy_reasons
            else Words(
                N_("No more voters preferred the most-votes result, so equal shares was used.")
            )
        )
    return Explanation(
        rule=rule,
        rule_label=RULE_LABELS.get(rule, rule),
        budget=budget,
        rows=rows,
        winners=winners,
        used=used,
        left=budget - used,
        changed=any(r.changed for r in rows),
        share=share_words,
        note=note,
        points=points,
        ballots=record.get("ballots"),
    )


# --- the bar chart ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    ref: str
    label: str  # the project's title, shortened to fit
    value: int
    won: bool  # chosen by the count
    funded: bool  # after the council's changes (a striped bar)
    changed: bool  # the council changed the count's answer
    label_y: float  # baseline of the title
    bar_y: float  # top of the bar
    width: float  # of the bar (0 for no votes)
    value_x: float  # where the number starts
    value_y: float  # its baseline


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar_height: int
    bars: list[Bar]
    most: int


CHART_WIDTH = 640
ROW_HEIGHT = 48
BAR_HEIGHT = 18
VALUE_ROOM = 250  # room right of the longest bar for "312 · won, not funded by the council"
LABEL_CHARS = 70


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart(rows: Iterable[Row], width: int = CHART_WIDTH) -> Chart:
    """A horizontal bar per project, in the rows' order: its title above, the bar, and its
    votes (or points) after the bar. Bars are scaled so the most votes fill the room there is."""
    rows = list(rows)
    most = max((r.score for r in rows), default=0)
    room = width - VALUE_ROOM
    bars = []
    for i, row in enumerate(rows):
        top = i * ROW_HEIGHT
        length = 0.0 if not most else round(room * row.score / most, 1)
        if row.score and length < 2:
            length = 2.0  # a vote or two still shows
        bars.append(
            Bar(
                ref=row.ref,
                label=shorten(row.title),
                value=row.score,
                won=row.won,
                funded=row.funded,
                changed=row.changed,
                label_y=top + 16,
                bar_y=top + 22,
                width=length,
                value_x=round(length + 6, 1),
                value_y=top + 22 + BAR_HEIGHT - 4,
            )
        )
    return Chart(width, max(ROW_HEIGHT, len(rows) * ROW_HEIGHT), BAR_HEIGHT, bars, most)
