"""A grant's budget lines now: original amounts moved by approved reallocations only."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from participate.grants import lines, rules


@dataclass
class Move:
    from_line_id: int
    to_line_id: int
    amount: int
    status: str = "approved"


def test_only_approved_reallocations_move_money():
    original = {1: 60_000, 2: 40_000}
    moves = [
        Move(1, 2, 15_000),
        Move(2, 1, 5_000, "requested"),
        Move(1, 2, 10_000, "refused"),
        Move(2, 1, 2_500),
    ]
    assert lines.current_amounts(original, moves) == {1: 47_500, 2: 52_500}
    assert original == {1: 60_000, 2: 40_000}  # not changed in place


def test_a_move_naming_a_line_of_another_grant_is_ignored():
    assert lines.current_amounts({1: 100}, [Move(1, 9, 50), Move(9, 1, 50)]) == {1: 100}


def test_reallocating_needs_two_lines_and_a_limit():
    assert lines.can_reallocate(2, 100)
    assert not lines.can_reallocate(1, 100)
    assert not lines.can_reallocate(0, 100)
    assert not lines.can_reallocate(3, 0)


@dataclass
class Update:
    amount: int


def test_spending_compared_with_what_was_paid():
    assert lines.spent([Update(30_000), Update(12_000), Update(0)]) == 42_000
    assert lines.spend_state(0, 0) == "nothing"
    assert lines.spend_state(500, 0) == "unpaid"
    assert lines.spend_state(42_000, 100_000) == "within"
    assert lines.spend_state(100_000, 100_000) == "within"
    assert lines.spend_state(100_001, 100_000) == "over"


amounts = st.lists(st.integers(min_value=0, max_value=500_000), min_size=2, max_size=6)
asks = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=0, max_value=5),
        st.integers(min_value=-100, max_value=600_000),
    ),
    max_size=25,
)


@given(amounts, asks, st.integers(min_value=0, max_value=600_000))
def test_approved_reallocations_keep_the_total_and_no_line_below_zero(original, wanted, limit):
    """Each request is approved only when ``rules.reallocation_problems`` finds nothing against
    the lines as they stand at that moment (as the approval step checks)."""
    start = dict(enumerate(original, start=1))
    approved: list[Move] = []
    for a, b, amount in wanted:
        from_id, to_id = a % len(start) + 1, b % len(start) + 1
        if from_id == to_id:
            continue
        now = lines.current_amounts(start, approved)
        if not rules.reallocation_problems(amount, now[from_id], limit):
            approved.append(Move(from_id, to_id, amount))
        # Requests not approved are still on the record, and move nothing.
        else:
            approved.append(Move(from_id, to_id, max(amount, 1), "refused"))
    final = lines.current_amounts(start, approved)
    assert lines.total(final) == lines.total(start)
    assert all(amount >= 0 for amount in final.values())
    assert set(final) == set(start)
