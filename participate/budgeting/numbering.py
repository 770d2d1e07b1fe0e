"""The numbers printed on paper ballots: pure rules, no Flask, no database.

Each printed ballot carries a number; the paper-entry screen asks for exactly that number
(``forms.voting.PaperBallotForm.serial``) and takes each number once per pot. Numbers are
printed with at least four digits ("0042"), as the entry screen's example shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from participate.problems import Problem
from participate.text import N_

WIDTH = 4  # digits printed at least: 42 is printed 0042
MOST_AT_ONCE = 200  # ballots in one print (one page each)
HIGHEST = 999_999  # the biggest number printed
DEFAULT_COUNT = 50


def serial(number: int) -> str:
    """The number as it is printed and typed in: 42 -> "0042"."""
    return f"{number:0{WIDTH}d}"


def as_printed(typed: str) -> str:
    """A ballot number as typed, in its printed form: digits only are padded as printed
    ("42", "042" and "0042" are the same paper); anything else is kept as it is."""
    return serial(int(typed)) if typed.isdigit() and len(typed) <= 9 else typed


def serials(first: int, count: int) -> list[str]:
    return [serial(n) for n in range(first, first + count)]


def whole(text) -> int | None:
    """A whole number typed in a box ("  12 " -> 12); None for anything else."""
    text = str(text if text is not None else "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


def numbered(serials_: Iterable[str]) -> list[int]:
    """The numbers among entered ballot numbers (those typed as digits only)."""
    return [int(s) for s in serials_ if s and s.isdigit()]


@dataclass(frozen=True)
class Printed:
    """One print of ballots for a pot: from ``first`` to ``last``, by whom and when."""

    first: int
    last: int
    by: str
    on: object  # a date or datetime, formatted where shown


def next_first(printed: Iterable[Printed], entered: Iterable[str]) -> int:
    """Where the next print should start: after every number printed or entered so far, so
    that no two papers for a pot share a number."""
    highest = max(
        [p.last for p in printed] + numbered(entered),
        default=0,
    )
    return min(highest + 1, HIGHEST)


def print_problems(first_text, count_text, entered: Iterable[str]) -> list[Problem]:
    """What is wrong with a request to print ``count_text`` ballots from ``first_text``;
    ``entered`` are the ballot numbers already typed in for the pot."""
    problems = []
    first, count = whole(first_text), whole(count_text)
    if first is None or first < 1:
        problems.append(Problem("first", N_("Write the first number as a whole number, like 1.")))
    elif first > HIGHEST:
        problems.append(
            Problem("first", N_("Start at %(most)s or lower."), {"most": f"{HIGHEST:,}"})
        )
    if count is None or not 1 <= count <= MOST_AT_ONCE:
        problems.append(
            Problem(
                "count",
                N_("Print between 1 and %(most)s ballots at a time."),
                {"most": MOST_AT_ONCE},
            )
        )
    if problems:
        return problems
    last = first + count - 1
    if last > HIGHEST:
        return [
            Problem(
                "count",
                N_("That goes past %(most)s: print fewer ballots."),
                {"most": f"{HIGHEST:,}"},
            )
        ]
    taken = sorted(n for n in set(numbered(entered)) if first <= n <= last)
    if taken:
        after = max(numbered(entered)) + 1
        problems.append(
            Problem(
                "first",
                N_(
                    "Ballot %(serial)s is already entered for this pot. "
                    "Start at %(next)s or later, so that no two papers share a number."
                ),
                {"serial": serial(taken[0]), "next": after},
            )
        )
    return problems
