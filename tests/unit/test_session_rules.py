"""The pure rules behind sessions: agenda lines, times of day, UK time, timings, the running
order, what each status allows, groups and follow-ups."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from participate.commissions import rules
from participate.commissions.rules import AgendaLine

# --- agenda ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "minutes"),
    [
        ("20 Stories from the last month", "Stories from the last month", 20),
        ("Stories from the last month - 20", "Stories from the last month", 20),
        ("Stories from the last month – 20", "Stories from the last month", 20),
        ("Stories from the last month: 20 mins", "Stories from the last month", 20),
        ("Stories from the last month (20 minutes)", "Stories from the last month", 20),
        ("Tea break 15 mins", "Tea break", 15),
        ("Tea break 15m", "Tea break", 15),
        ("20 min Stories", "Stories", 20),
        ("20 mins - Stories", "Stories", 20),
        ("20: Stories", "Stories", 20),
        ("10 Check-in games", "Check-in games", 10),
        ("Review of 2024 - 20", "Review of 2024", 20),
        ("1. Welcome - 10", "1. Welcome", 10),
        ("   Plenty   of   space - 5  ", "Plenty of space", 5),
    ],
)
def test_agenda_lines_take_the_minutes_first_or_last(line, title, minutes):
    items, problems = rules.parse_agenda(line)
    assert problems == []
    assert items == [AgendaLine(title, minutes)]


def test_agenda_skips_empty_lines_and_names_each_bad_line_as_people_count_them():
    text = "20 Stories\n\nJust talking\nPlans for 2025\nTea - 0\nGames - 600\n" + "x" * 201 + " - 5"
    items, problems = rules.parse_agenda(text)
    assert items == [AgendaLine("Stories", 20)]
    assert [p.line for p in problems] == [3, 4, 5, 6, 7]
    assert "needs its minutes" in problems[0].message
    assert "between 1 and 480" in problems[2].message
    assert "too long" in problems[4].message
    assert all("%(line)s" in p.message for p in problems)


def test_an_empty_agenda_is_fine():
    assert rules.parse_agenda("") == ([], [])
    assert rules.parse_agenda(None) == ([], [])
    assert rules.parse_agenda("\n  \n") == ([], [])


def test_too_many_agenda_items():
    items, problems = rules.parse_agenda("\n".join(f"Item {i} - 5" for i in range(31)))
    assert len(items) == 31 and len(problems) == 1 and "30" in problems[0].message


def test_an_agenda_comes_back_as_it_can_be_typed_again():
    items = [AgendaLine("Stories from the last month", 20), AgendaLine("Tea - with cake", 15)]
    text = rules.format_agenda(items)
    assert text == "20 Stories from the last month\n15 Tea - with cake"
    assert rules.parse_agenda(text) == (items, [])


# --- times of day and dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("18:30", time(18, 30)),
        ("18.30", time(18, 30)),
        ("1830", time(18, 30)),
        ("09:05", time(9, 5)),
        ("9:05", time(9, 5)),
        ("18:30:00", time(18, 30)),
        ("6:30pm", time(18, 30)),
        ("6.30 pm", time(18, 30)),
        ("6 p.m.", time(18, 0)),
        ("6pm", time(18, 0)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("11:15 AM", time(11, 15)),
        (" 00:00 ", time(0, 0)),
    ],
)
def test_times_as_people_type_them(typed, expected):
    assert rules.parse_clock(typed) == expected


@pytest.mark.parametrize("typed", ["", None, "25:00", "18:60", "18", "13pm", "0am", "half six",
                                   "2500", "6:3", "18:30 tomorrow"])
def test_times_that_make_no_sense(typed):
    assert rules.parse_clock(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-03-14", date(2027, 3, 14)),
        ("14/03/2027", date(2027, 3, 14)),
        ("14/3/27", date(2027, 3, 14)),
        ("14-03-2027", date(2027, 3, 14)),
        ("14.03.2027", date(2027, 3, 14)),
    ],
)
def test_dates_as_pickers_send_them_and_people_write_them(typed, expected):
    assert rules.parse_day(typed) == expected


@pytest.mark.parametrize("typed", ["", None, "31/02/2027", "2027-13-01", "next Tuesday"])
def test_dates_that_make_no_sense(typed):
    assert rules.parse_day(typed) is None


def test_uk_time_becomes_utc_summer_and_winter():
    assert rules.local_to_utc(date(2027, 6, 10), time(18, 0)) == datetime(
        2027, 6, 10, 17, 0, tzinfo=UTC)
    assert rules.local_to_utc(date(2027, 1, 14), time(18, 0)) == datetime(
        2027, 1, 14, 18, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused_and_a_repeated_one_means_the_first():
    with pytest.raises(rules.NoSuchLocalTime):
        rules.local_to_utc(date(2027, 3, 28), time(1, 30))
    # 31 October 2027: 01:30 happens twice; the first is still British Summer Time.
    assert rules.local_to_utc(date(2027, 10, 31), time(1, 30)) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC)


def test_utc_shown_in_uk_time():
    local = rules.to_local(datetime(2027, 6, 10, 17, 0, tzinfo=UTC))
    assert (local.hour, local.minute, local.utcoffset()) == (18, 0, timedelta(hours=1))


# --- timings and the running order -----------------------------------------------------------

START = datetime(2027, 6, 10, 17, 0, tzinfo=UTC)


def test_timing_counts_every_part_against_the_length():
    items = [AgendaLine("Stories", 60), AgendaLine("Tea", 20)]
    t = rules.timing(START, START + timedelta(hours=2), items, 10, 15, 15)
    assert (t.agenda, t.planned, t.length, t.over, t.spare) == (80, 120, 120, 0, 0)
    t = rules.timing(START, START + timedelta(hours=2), items, 10, 30, 15)
    assert (t.over, t.spare) == (15, 0)
    t = rules.timing(START, START + timedelta(hours=3), items, 10, 15, 15)
    assert (t.over, t.spare) == (0, 60)


def test_the_running_order_has_times_and_leaves_out_empty_parts():
    items = [AgendaLine("Stories", 20), AgendaLine("Tea", 15)]
    slots = rules.schedule(START, items, 10, 0, 15)
    assert [(s.starts_at - START, s.title, s.minutes, s.built_in) for s in slots] == [
        (timedelta(0), "Check-in", 10, True),
        (timedelta(minutes=10), "Stories", 20, False),
        (timedelta(minutes=30), "Tea", 15, False),
        (timedelta(minutes=45), "Reflection and check-out", 15, True),
    ]


def test_parts_the_agenda_already_names_are_not_added_again():
    items = [AgendaLine("Check-in", 15), AgendaLine("Tea and a game", 30),
             AgendaLine("Check-out", 10)]
    slots = rules.schedule(START, items, 10, 15, 15)
    assert [(s.starts_at - START, s.title, s.minutes, s.built_in) for s in slots] == [
        (timedelta(0), "Check-in", 15, False),
        (timedelta(minutes=15), "Introductions", 15, True),  # straight after the check-in
        (timedelta(minutes=30), "Tea and a game", 30, False),
        (timedelta(minutes=60), "Check-out", 10, False),
    ]
    t = rules.timing(START, START + timedelta(hours=3), items, 10, 15, 15)
    assert (t.agenda, t.planned, t.spare) == (55, 70, 110)


@pytest.mark.parametrize(
    ("title", "part"),
    [("Check in", "check_in"), ("check-in round", "check_in"), ("CHECKIN", "check_in"),
     ("Intros", "introductions"), ("Introductions and names", "introductions"),
     ("Check out", "closing"), ("Reflection", "closing"), ("Tea", None),
     ("Checking the minutes", None)],
)
def test_which_agenda_items_are_fixed_parts(title, part):
    assert rules._named_part(title) == part


# --- what each status allows -----------------------------------------------------------------


def test_what_each_status_allows():
    assert rules.session_allows("live", "answer")
    assert not rules.session_allows("planned", "answer")
    assert not rules.session_allows("closed", "answer")
    assert rules.session_allows("closed", "answer_for")  # from paper, afterwards
    assert rules.session_allows("live", "lifebuoy") and not rules.session_allows(
        "closed", "lifebuoy")
    assert all(rules.session_allows(s, "attendance") for s in rules.SESSION_STATUSES)
    assert rules.session_allows("closed", "summary") and not rules.session_allows(
        "live", "summary")
    assert not rules.session_allows("closed", "edit")
    assert set(rules.SESSION_ALLOWS) >= {"draw_groups", "notes", "reply"}
    for statuses in rules.SESSION_ALLOWS.values():
        assert set(statuses) <= set(rules.SESSION_STATUSES)


def test_past_sessions():
    now = datetime(2027, 6, 10, 20, 0, tzinfo=UTC)
    assert rules.is_past("closed", now + timedelta(days=1), now)
    assert rules.is_past("planned", now - timedelta(minutes=1), now)
    assert not rules.is_past("planned", now + timedelta(minutes=1), now)
    assert not rules.is_past("live", now - timedelta(hours=5), now)  # still running


def test_group_problems():
    assert rules.group_problem(1, 2) == "Mark at least two people as here first."
    assert rules.group_problem(5, 4) == "Choose groups of 2 or 3."
    assert rules.group_problem(2, 2) is None and rules.group_problem(2, 3) is None


@pytest.mark.parametrize("count", range(2, 12))
@pytest.mark.parametrize("size", rules.GROUP_SIZES)
def test_drawn_groups_use_everyone_once_and_leave_nobody_alone(count, size):
    import random

    groups = rules.draw_groups(list(range(count)), size, random.Random(count))
    assert sorted(pid for g in groups for pid in g) == list(range(count))
    assert all(len(g) >= 2 for g in groups)


# --- follow-ups between meetings -------------------------------------------------------------


def _entry(id_, person_id, on, follow_up_on=None):
    return SimpleNamespace(id=id_, person_id=person_id, on=on, follow_up_on=follow_up_on)


def test_follow_ups_due_are_each_persons_latest_soonest_first():
    today = date(2027, 6, 10)
    entries = [
        _entry(1, 1, date(2027, 5, 1), date(2027, 5, 15)),  # replaced by a newer contact
        _entry(2, 1, date(2027, 6, 1)),
        _entry(3, 2, date(2027, 6, 2), date(2027, 6, 16)),  # within a week
        _entry(4, 3, date(2027, 6, 3), date(2027, 6, 5)),  # overdue
        _entry(5, 4, date(2027, 6, 3), date(2027, 7, 1)),  # not yet
        _entry(6, 5, date(2027, 6, 4), date(2027, 6, 12)),
        _entry(7, 5, date(2027, 6, 4), date(2027, 6, 20)),  # same day, noted later: counts
    ]
    due = rules.follow_ups_due(entries, today)
    assert [e.id for e in due] == [4, 3]
    assert [e.id for e in rules.follow_ups_due(entries, today, within_days=10)] == [4, 3, 7]
    assert rules.follow_ups_due([], today) == []
