"""The grants ledger's core: double-entry bookkeeping as pure functions, no Flask, no database.

Money moves only as a transaction of postings that sum to zero (amounts in pence, never
floats). Nothing is edited or deleted: a mistake is corrected by a reversing transaction that
points at the one it corrects. Balances are always derived from the postings, never stored as
the truth; ``verify`` checks a whole ledger (and, if given, balances someone stored).

This is the groundwork for issue 8 (funds, awards, payments, returns, closure); the tables,
pages and the ``flask grants verify-ledger`` command build on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Posting:
    account: str
    amount: int  # pence; positive and negative sides of one movement


@dataclass(frozen=True)
class Transaction:
    id: int
    postings: tuple[Posting, ...]
    reverses: int | None = None  # the transaction this one corrects


def is_balanced(tx: Transaction) -> bool:
    """At least two postings, none of nothing, summing to zero."""
    return (
        len(tx.postings) >= 2
        and all(p.amount != 0 for p in tx.postings)
        and sum(p.amount for p in tx.postings) == 0
    )


def transaction(tx_id: int, moves: Mapping[str, int], reverses: int | None = None) -> Transaction:
    """A transaction from ``{account: amount}``; raises ValueError unless it balances."""
    tx = Transaction(tx_id, tuple(Posting(a, int(n)) for a, n in moves.items()), reverses)
    if not is_balanced(tx):
        raise ValueError(f"transaction {tx_id} does not balance: {dict(moves)}")
    return tx


def move(tx_id: int, source: str, target: str, amount: int) -> Transaction:
    """``amount`` pence from ``source`` to ``target``."""
    if amount <= 0:
        raise ValueError("a movement of money is more than nothing")
    return transaction(tx_id, {source: -amount, target: amount})


def reversal(tx: Transaction, tx_id: int) -> Transaction:
    """The transaction that undoes ``tx``: every posting the other way round."""
    return Transaction(
        tx_id, tuple(Posting(p.account, -p.amount) for p in tx.postings), reverses=tx.id
    )


def balances(transactions: Iterable[Transaction]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for tx in transactions:
        for p in tx.postings:
            totals[p.account] += p.amount
    return dict(totals)


def verify(
    transactions: Iterable[Transaction], stored: Mapping[str, int] | None = None
) -> list[str]:
    """Every problem with a ledger, in words: a transaction that does not balance, a reversal
    of nothing or of something reversed already, a repeated id, and (when ``stored`` balances
    are given) any balance that differs from what the postings add up to."""
    transactions = list(transactions)
    problems = []
    seen: set[int] = set()
    reversed_once: set[int] = set()
    for tx in transactions:
        if tx.id in seen:
            problems.append(f"transaction {tx.id} appears twice")
        seen.add(tx.id)
        if not is_balanced(tx):
            total = sum(p.amount for p in tx.postings)
            problems.append(f"transaction {tx.id} does not balance (its postings sum to {total})")
    for tx in transactions:
        if tx.reverses is None:
            continue
        if tx.reverses not in seen:
            problems.append(f"transaction {tx.id} reverses {tx.reverses}, which does not exist")
        elif tx.reverses in reversed_once:
            problems.append(f"transaction {tx.reverses} is reversed more than once")
        reversed_once.add(tx.reverses)
    if stored is not None:
        derived = balances(transactions)
        for account in sorted(set(derived) | set(stored)):
            if derived.get(account, 0) != stored.get(account, 0):
                problems.append(
                    f"account {account}: stored {stored.get(account, 0)}, "
                    f"postings give {derived.get(account, 0)}"
                )
    return problems


def overdrawn(totals: Mapping[str, int], never_below_zero: Iterable[str]) -> list[str]:
    """The accounts among ``never_below_zero`` whose balance is below zero."""
    return sorted(a for a in never_below_zero if totals.get(a, 0) < 0)
