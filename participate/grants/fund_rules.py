"""A fund's own rules, as pure functions: what its settings must be, and the steps it moves
through (being set up → open for applications ⇄ not taking applications → closed). No Flask,
no database: ``funds.py`` and ``steps.move_fund`` ask these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from participate.grants.rules import add_months
from participate.problems import Problem
from participate.text import N_

# --- checking a fund's settings --------------------------------------------------------------

MONEY_SETTINGS = ("total", "micro_limit", "max_grant", "two_approvals_above", "reallocation_limit")


def settings_problems(
    *,
    opens_on: date | None,
    ends_on: date | None,
    closure_window_months: int | None,
    today: date | None = None,
    **money: int | None,
) -> list[Problem]:
    """What is wrong with a fund's settings, each next to its field.

    ``today``: when given (setting up a fund, or changing its dates), the fund must end in the
    future and its closure window must start after today. ``money``: the amounts in pence
    (``MONEY_SETTINGS``), ``None`` where left empty.
    """
    problems: list[Problem] = []
    for name, amount in money.items():
        if amount is not None and amount < 0:
            problems.append(Problem(name, N_("Give an amount that is not below nothing.")))
    if ends_on is not None:
        if today is not None and ends_on <= today:
            problems.append(Problem("ends_on", N_("The fund must end after today.")))
        elif opens_on is not None and ends_on <= opens_on:
            problems.append(Problem("ends_on", N_("The fund must end after it opens.")))
        elif closure_window_months is not None:
            closure = add_months(ends_on, -closure_window_months)
            after = [d for d in (opens_on, today) if d is not None]
            if after and closure <= max(after):
                problems.append(
                    Problem(
                        "closure_window_months",
                        N_(
                            "With this many months, grants would have to start closing on "
                            "%(closure)s, before the fund is open: choose fewer months or a "
                            "later end date."
                        ),
                        {"closure": closure.isoformat()},
                    )
                )
    micro, most = money.get("micro_limit"), money.get("max_grant")
    if micro is not None and most is not None and micro >= most and micro >= 0 and most >= 0:
        problems.append(
            Problem(
                "micro_limit",
                N_("The micro-grant limit must be below the most one grant may get."),
            )
        )
    return problems


# --- the steps a fund moves through ----------------------------------------------------------

# What each move is called on the button, and what it means: draft → open → paused ↔ open →
# closed. A fund never goes back to being set up, and a closed fund stays closed.
FUND_MOVES = {
    "draft": ("open",),
    "open": ("paused", "closed"),
    "paused": ("open", "closed"),
    "closed": (),
}
MOVE_LABELS = {
    ("draft", "open"): N_("Open the fund for applications"),
    ("open", "paused"): N_("Stop taking applications for now"),
    ("paused", "open"): N_("Take applications again"),
    ("open", "closed"): N_("Close the fund"),
    ("paused", "closed"): N_("Close the fund"),
}
MOVE_ABOUT = {
    ("draft", "open"): N_("Anyone can then see the fund's page, and people can apply."),
    ("open", "paused"): N_(
        "The fund's page stays up; nobody can apply until you take applications again."
    ),
    ("paused", "open"): N_("People can apply again."),
    ("open", "closed"): N_(
        "For when every grant is closed or cancelled. It cannot be opened again."
    ),
    ("paused", "closed"): N_(
        "For when every grant is closed or cancelled. It cannot be opened again."
    ),
}
STILL_RUNNING = ("applied", "awarded", "active", "closing")


def can_move_fund(current: str, to: str) -> bool:
    return to in FUND_MOVES.get(current, ())


def move_problems(
    current: str,
    to: str,
    *,
    money_in: int,
    ends_on: date,
    today: date,
    grant_statuses: Iterable[str] = (),
) -> list[Problem]:
    """Why a fund cannot move from ``current`` to ``to`` now (empty when it can)."""
    if not can_move_fund(current, to):
        return [Problem("", N_("A fund cannot move to that step from where it is."))]
    if to == "open":
        if money_in <= 0:
            return [Problem("", N_("Add money to the fund before opening it."))]
        if ends_on <= today:
            return [Problem("", N_("The fund's end date has passed: change it before opening."))]
    if to == "closed":
        waiting = sum(1 for s in grant_statuses if s in STILL_RUNNING)
        if waiting:
            return [
                Problem(
                    "",
                    N_(
                        "Close the fund once every application is decided and every grant is "
                        "closed or cancelled (%(num)s still going)."
                    ),
                    {"num": waiting},
                )
            ]
    return []
