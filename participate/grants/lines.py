"""A grant's budget lines as they stand now, and what has been spent: pure, no Flask, no
database. Views pass in the rows they loaded.

A budget line keeps the amount it was applied for (``BudgetLine.amount``); reallocations move
money between lines without touching the ledger, so a line's *current* amount is its original
amount, less what approved reallocations moved out of it, plus what they moved into it.
Requested and refused reallocations move nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def current_amounts(original: Mapping[int, int], reallocations: Iterable) -> dict[int, int]:
    """``{line id: amount now}`` from ``{line id: original amount}`` and the grant's
    reallocations (anything with ``status``, ``from_line_id``, ``to_line_id``, ``amount``).
    Only approved ones count; a reallocation naming a line not in ``original`` is ignored."""
    now = dict(original)
    for r in reallocations:
        if r.status != "approved":
            continue
        if r.from_line_id not in now or r.to_line_id not in now:
            continue
        now[r.from_line_id] -= r.amount
        now[r.to_line_id] += r.amount
    return now


def total(amounts: Mapping[int, int]) -> int:
    return sum(amounts.values())


def can_reallocate(line_count: int, limit: int) -> bool:
    """Moving money needs two lines to move it between, and a fund that allows some."""
    return line_count >= 2 and limit > 0


def spent(updates: Iterable) -> int:
    """Everything the spend updates say was spent (each says how much since the last)."""
    return sum(u.amount for u in updates)


def spend_state(spent_pence: int, paid: int) -> str:
    """How spending compares with what has been paid, to choose the words:
    ``nothing`` (nothing paid or spent), ``unpaid`` (spent with nothing paid yet),
    ``within`` (spent no more than paid), ``over`` (spent more than paid so far)."""
    if paid <= 0:
        return "nothing" if spent_pence <= 0 else "unpaid"
    return "within" if spent_pence <= paid else "over"
