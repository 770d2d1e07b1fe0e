"""The ledger core: balanced transactions, reversals, derived balances and the verifier,
including properties over random sequences of movements (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participate.grants import ledger

ACCOUNTS = ["fund:available", "fund:committed", "fund:paid", "fund:returned", "grantee:1"]


def test_a_movement_balances_and_moves_the_money():
    tx = ledger.move(1, "fund:available", "fund:committed", 50_000)
    assert ledger.is_balanced(tx)
    assert ledger.balances([tx]) == {"fund:available": -50_000, "fund:committed": 50_000}


@pytest.mark.parametrize(
    "moves",
    [{"a": 100, "b": -99}, {"a": 100}, {"a": 0, "b": 0}, {}],
)
def test_a_transaction_that_does_not_balance_is_refused(moves):
    with pytest.raises(ValueError):
        ledger.transaction(1, moves)


def test_nothing_and_less_than_nothing_are_not_movements():
    for amount in (0, -5):
        with pytest.raises(ValueError):
            ledger.move(1, "a", "b", amount)


def test_a_reversal_points_at_what_it_corrects_and_undoes_it():
    award = ledger.move(1, "fund:available", "fund:committed", 12_000)
    undo = ledger.reversal(award, 2)
    assert undo.reverses == 1 and ledger.is_balanced(undo)
    assert all(v == 0 for v in ledger.balances([award, undo]).values())


def test_the_verifier_names_every_problem():
    good = ledger.move(1, "a", "b", 100)
    lopsided = ledger.Transaction(2, (ledger.Posting("a", 100), ledger.Posting("b", -90)))
    orphan = ledger.Transaction(3, good.postings, reverses=99)
    twice = [ledger.reversal(good, 4), ledger.reversal(good, 5)]
    problems = ledger.verify([good, lopsided, orphan, *twice, good])
    assert "transaction 2 does not balance (its postings sum to 10)" in problems
    assert "transaction 3 reverses 99, which does not exist" in problems
    assert "transaction 1 is reversed more than once" in problems
    assert "transaction 1 appears twice" in problems
    assert ledger.verify([good]) == []


def test_the_verifier_compares_stored_balances_with_the_postings():
    txs = [ledger.move(1, "a", "b", 100)]
    assert ledger.verify(txs, {"a": -100, "b": 100}) == []
    assert ledger.verify(txs, {"a": -100, "b": 90}) == ["account b: stored 90, postings give 100"]


def test_overdrawn_lists_only_accounts_that_must_not_go_below_zero():
    totals = {"fund:available": -1, "funder": -100, "fund:paid": 5}
    assert ledger.overdrawn(totals, ["fund:available", "fund:paid"]) == ["fund:available"]


movements = st.lists(
    st.tuples(
        st.sampled_from(ACCOUNTS),
        st.sampled_from(ACCOUNTS),
        st.integers(min_value=1, max_value=10**9),
        st.booleans(),
    ).filter(lambda m: m[0] != m[1]),
    max_size=40,
)


@given(movements)
def test_any_sequence_of_movements_and_reversals_keeps_the_books_balanced(steps):
    txs: list[ledger.Transaction] = []
    for source, target, amount, undo in steps:
        tx = ledger.move(len(txs) + 1, source, target, amount)
        txs.append(tx)
        if undo:
            txs.append(ledger.reversal(tx, len(txs) + 1))
    totals = ledger.balances(txs)
    assert sum(totals.values()) == 0
    assert ledger.verify(txs, totals) == []
    reversed_ids = {tx.reverses for tx in txs if tx.reverses is not None}
    kept = [tx for tx in txs if tx.reverses is None and tx.id not in reversed_ids]
    # Reversed pairs cancel out: the balances are those of what was kept.
    assert {a: n for a, n in totals.items() if n} == {
        a: n for a, n in ledger.balances(kept).items() if n
    }
