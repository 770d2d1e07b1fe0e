"""Commitment rules called directly: promised against delivered, what an update needs,
hand-overs, flags, and what the public page may show."""

from datetime import UTC, date, datetime
from types import SimpleNamespace as NS

import pytest

from participate.commissions import rules

TODAY = date(2026, 6, 1)


def commitment(status="not_started", due=None, published=False, flags=()):
    return NS(status=status, due_on=due, published=published, flags=list(flags))


def test_overdue_means_past_due_and_still_open():
    assert rules.is_overdue(commitment("not_started", date(2026, 5, 31)), TODAY)
    assert rules.is_overdue(commitment("in_progress", date(2026, 1, 1)), TODAY)
    assert not rules.is_overdue(commitment("in_progress", TODAY), TODAY)
    assert not rules.is_overdue(commitment("delivered", date(2026, 1, 1)), TODAY)
    assert not rules.is_overdue(commitment("not_delivered", date(2026, 1, 1)), TODAY)
    assert not rules.is_overdue(commitment("not_started", None), TODAY)


def test_tally_shows_promised_against_delivered():
    items = [
        commitment("delivered"),
        commitment("delivered"),
        commitment("in_progress", date(2026, 1, 1)),
        commitment("not_started"),
        commitment("not_delivered"),
    ]
    assert rules.commitment_tally(items, TODAY) == {
        "promised": 5,
        "not_started": 1,
        "in_progress": 1,
        "delivered": 2,
        "not_delivered": 1,
        "overdue": 1,
    }
    assert rules.commitment_tally([], TODAY)["promised"] == 0


def test_delivered_needs_evidence():
    problems = rules.check_commitment_update("in_progress", None, "delivered", "  ", "")
    assert set(problems) == {"evidence"}
    assert (
        rules.check_commitment_update("in_progress", None, "delivered", "Minutes, 3 May", "") == {}
    )


def test_not_delivered_needs_a_reason():
    assert set(rules.check_commitment_update("in_progress", None, "not_delivered", "", "")) == {
        "note"
    }
    assert rules.check_commitment_update("in_progress", None, "not_delivered", "", "No money") == {}


def test_moving_back_from_delivered_needs_a_reason():
    assert set(rules.check_commitment_update("delivered", "Minutes", "in_progress", "", "")) == {
        "note"
    }
    assert rules.check_commitment_update("delivered", "Minutes", "in_progress", "", "Undone") == {}


def test_an_update_must_change_or_say_something():
    assert set(rules.check_commitment_update("in_progress", "A", "in_progress", "A ", "")) == {
        "note"
    }
    assert rules.check_commitment_update("in_progress", "A", "in_progress", "A", "Chased") == {}
    assert rules.check_commitment_update("in_progress", "A", "in_progress", "B", "") == {}
    assert rules.check_commitment_update("not_started", None, "in_progress", "", "") == {}


def test_an_unknown_status_is_refused():
    assert set(rules.check_commitment_update("in_progress", None, "done", "x", "x")) == {"status"}


@pytest.mark.parametrize(
    ("current", "new", "ok"),
    [
        (1, 2, True),
        (None, 2, True),
        (1, None, True),
        (1, 1, False),
        (None, None, False),
        (1, 99, False),
    ],
)
def test_hand_over(current, new, ok):
    assert (rules.check_hand_over(current, new, [1, 2, 3]) is None) is ok


def test_flag_summary_counts_without_names():
    flags = [
        NS(raised_at=datetime(2026, 5, 1, tzinfo=UTC), answered_at=None, person_id=1),
        NS(raised_at=datetime(2026, 5, 9, tzinfo=UTC), answered_at=datetime.now(UTC), person_id=2),
    ]
    summary = rules.flag_summary(flags)
    assert (summary.raised, summary.unanswered) == (2, 1)
    assert summary.last_raised_at == datetime(2026, 5, 9, tzinfo=UTC)
    assert not hasattr(summary, "person_id")
    assert rules.flag_summary([]) == rules.FlagSummary(0, 0, None)


def test_public_register_shows_only_published_and_nothing_while_community_only():
    items = [commitment(published=True), commitment(published=False)]
    assert rules.public_register(NS(phase="action"), items) == [items[0]]
    for phase in ("decide", "assemble", "community_only"):
        assert rules.public_register(NS(phase=phase), items) == []
