"""The pure sums behind a fund: its settings' checks and steps (fund_rules), the burn-down and
the shares (burndown)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from participate.grants import burndown as b
from participate.grants import fund_rules
from participate.grants.rules import DECIDED_BY

TODAY = date(2026, 5, 14)


def _fields(problems):
    return [p.field for p in problems]


# --- settings --------------------------------------------------------------------------------


def test_good_settings_have_no_problems():
    assert (
        fund_rules.settings_problems(
            opens_on=date(2026, 6, 1),
            ends_on=date(2028, 3, 31),
            closure_window_months=6,
            today=TODAY,
            total=1_000_000,
            micro_limit=50_000,
            max_grant=200_000,
            two_approvals_above=None,
            reallocation_limit=0,
        )
        == []
    )


def test_the_fund_ends_after_today_and_after_it_opens():
    past = fund_rules.settings_problems(opens_on=None, ends_on=TODAY, closure_window_months=0, today=TODAY)
    assert _fields(past) == ["ends_on"]
    early = fund_rules.settings_problems(
        opens_on=date(2027, 1, 1), ends_on=date(2026, 12, 1), closure_window_months=0, today=TODAY
    )
    assert [p.message for p in early] == ["The fund must end after it opens."]


def test_the_closure_window_must_start_after_the_fund_opens_and_after_today():
    # Ends 31 March 2027; six months before is 30 September 2026, after today and opening.
    ok = fund_rules.settings_problems(
        opens_on=date(2026, 6, 1), ends_on=date(2027, 3, 31), closure_window_months=6, today=TODAY
    )
    assert ok == []
    late = fund_rules.settings_problems(
        opens_on=date(2026, 10, 1), ends_on=date(2027, 3, 31), closure_window_months=6, today=TODAY
    )
    assert _fields(late) == ["closure_window_months"]
    assert late[0].params == {"closure": "2026-09-30"}
    # Without today (an open fund's other settings), only the opening date counts.
    assert (
        fund_rules.settings_problems(
            opens_on=None, ends_on=date(2026, 6, 1), closure_window_months=1, today=None
        )
        == []
    )


def test_amounts_are_not_negative_and_micro_grants_are_below_the_most():
    problems = fund_rules.settings_problems(
        opens_on=None,
        ends_on=date(2028, 1, 1),
        closure_window_months=6,
        today=TODAY,
        total=-1,
        micro_limit=10_000,
        max_grant=10_000,
        reallocation_limit=-5,
    )
    assert sorted(_fields(problems)) == ["micro_limit", "reallocation_limit", "total"]


# --- steps -----------------------------------------------------------------------------------


def test_a_fund_moves_draft_open_paused_open_closed():
    assert fund_rules.can_move_fund("draft", "open")
    assert fund_rules.can_move_fund("open", "paused") and fund_rules.can_move_fund("paused", "open")
    assert fund_rules.can_move_fund("paused", "closed") and fund_rules.can_move_fund("open", "closed")
    assert not fund_rules.can_move_fund("open", "draft")
    assert not fund_rules.can_move_fund("closed", "open")
    assert not fund_rules.can_move_fund("draft", "closed")
    for current, to in fund_rules.MOVE_LABELS:
        assert fund_rules.can_move_fund(current, to)
        assert (current, to) in fund_rules.MOVE_ABOUT


def test_opening_needs_money_and_a_future_end_and_closing_needs_every_grant_done():
    end = date(2028, 1, 1)
    assert fund_rules.move_problems("draft", "open", money_in=0, ends_on=end, today=TODAY)
    assert fund_rules.move_problems("draft", "open", money_in=1, ends_on=TODAY, today=TODAY)
    assert fund_rules.move_problems("draft", "open", money_in=1, ends_on=end, today=TODAY) == []
    waiting = fund_rules.move_problems(
        "open",
        "closed",
        money_in=1,
        ends_on=end,
        today=TODAY,
        grant_statuses=["closed", "active", "applied", "declined"],
    )
    assert waiting[0].params == {"num": 2}
    assert (
        fund_rules.move_problems(
            "open",
            "closed",
            money_in=1,
            ends_on=end,
            today=TODAY,
            grant_statuses=["closed", "cancelled", "declined"],
        )
        == []
    )
    assert fund_rules.move_problems("closed", "open", money_in=1, ends_on=end, today=TODAY)


# --- the burn-down ---------------------------------------------------------------------------


def test_the_reading_days_are_the_start_each_month_today_and_the_end():
    days = b.points_on(date(2026, 1, 15), date(2026, 4, 10), date(2026, 2, 20))
    assert days == [
        date(2026, 1, 15),
        date(2026, 2, 1),
        date(2026, 2, 20),
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 4, 10),
    ]


def test_the_series_counts_money_in_less_money_paid_and_stops_today():
    moves = [
        b.Movement(date(2026, 1, 15), into=1_000_000),
        b.Movement(date(2026, 2, 10), paid=200_000),
        b.Movement(date(2026, 3, 5), into=500_000),
        b.Movement(date(2026, 3, 20), paid=-50_000),  # a return
    ]
    points = b.series(moves, date(2026, 1, 15), date(2026, 12, 31), date(2026, 4, 2), 1_500_000)
    by_day = {p.on: p.left for p in points}
    assert by_day[date(2026, 1, 15)] == 1_000_000
    assert by_day[date(2026, 3, 1)] == 800_000
    assert by_day[date(2026, 4, 1)] == 1_350_000
    assert by_day[date(2026, 4, 2)] == 1_350_000
    assert by_day[date(2026, 5, 1)] is None
    assert points[0].even == 1_500_000 and points[-1].even == 0


@given(
    total=st.integers(0, 10**10),
    length=st.integers(1, 3000),
    offset=st.integers(-100, 3100),
)
def test_even_pace_runs_straight_down_from_the_total_to_nothing(total, length, offset):
    start = date(2026, 1, 1)
    end = start + timedelta(days=length)
    on = start + timedelta(days=offset)
    value = b.even_pace(total, start, end, on)
    assert 0 <= value <= total
    later = b.even_pace(total, start, end, on + timedelta(days=1))
    assert later <= value
    if offset <= 0:
        assert value == total
    if offset >= length:
        assert value == 0


@given(
    st.lists(
        st.tuples(st.integers(0, 800), st.integers(0, 10**7), st.integers(-(10**6), 10**6)),
        max_size=30,
    ),
    st.integers(1, 900),
)
def test_the_chart_stays_inside_its_frame(moves, today_offset):
    start = date(2026, 1, 1)
    end = date(2028, 3, 31)
    today = start + timedelta(days=today_offset)
    movements = [b.Movement(start + timedelta(days=d), into=i, paid=p) for d, i, p in moves]
    total = sum(m.into for m in movements)
    points = b.series(movements, start, end, today, total)
    chart = b.chart(points, start, end, today, date(2027, 9, 30))
    assert points[0].on == start and points[-1].on == end
    for x, y in chart.dots:
        assert chart.left <= x <= chart.right
        assert chart.top <= y <= chart.bottom
    assert [t.y for t in chart.ticks] == sorted((t.y for t in chart.ticks), reverse=True)
    assert chart.left <= chart.closure.x <= chart.right
    if today <= end:
        assert chart.today is not None and chart.start.x <= chart.today.x <= chart.end.x
    else:
        assert chart.today is None and all(p.left is not None for p in points)
    assert len(chart.dots) == sum(1 for p in points if p.left is not None)


def test_the_even_line_goes_from_the_top_left_to_the_bottom_right():
    start, end = date(2026, 1, 1), date(2027, 1, 1)
    points = b.series([b.Movement(start, into=100)], start, end, date(2026, 7, 1), 100)
    chart = b.chart(points, start, end, date(2026, 7, 1), date(2026, 7, 1))
    first, last = chart.even.split(" ")
    assert [float(n) for n in first.split(",")] == [chart.left, chart.top]
    assert [float(n) for n in last.split(",")] == [chart.right, chart.bottom]


# --- who decided -----------------------------------------------------------------------------


def test_shares_of_the_money_awarded():
    shares = {s.key: s for s in b.shares([("residents", 300), ("panel", 100), ("consent", 100)])}
    assert (shares["residents"].percent, shares["panel"].percent, shares["consent"].percent) == (
        60,
        20,
        20,
    )
    assert shares["residents"].amount == 300
    assert [s.percent for s in b.shares([])] == [0, 0, 0]
    unknown = b.shares([(None, 50), ("panel", 50)])
    assert {s.key: s.percent for s in unknown} == {
        "panel": 50,
        "consent": 0,
        "residents": 0,
        "": 50,
    }


@given(
    st.lists(
        st.tuples(st.sampled_from([*DECIDED_BY, None]), st.integers(1, 10**9)),
        min_size=1,
        max_size=40,
    )
)
def test_shares_add_up_to_everything_and_a_hundred_percent(awards):
    shares = b.shares(awards)
    assert sum(s.amount for s in shares) == sum(a for _k, a in awards)
    assert sum(s.percent for s in shares) == 100
    total = sum(a for _k, a in awards)
    for s in shares:
        assert abs(s.percent - 100 * s.amount / total) < 1
