"""Notices: who is due what and when (never more than one email a day or a week for those who
chose so, every notice sent exactly once or skipped), the words, the keys and the digest."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from participate.notices import rules

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- who is due what -------------------------------------------------------------------------


def test_nothing_waiting_means_nothing_to_do():
    assert rules.plan("each", True, [], None, NOW) == rules.Plan(None)


def test_each_sends_every_notice_on_its_own_at_once():
    plan = rules.plan("each", True, [4, 5, 6], NOW - timedelta(minutes=5), NOW)
    assert plan == rules.Plan("each", (4, 5, 6))
    assert plan.emails == 3


def test_weekly_waits_a_week_from_the_last_email_then_sends_one_digest():
    last = NOW - timedelta(days=6, hours=23)
    assert rules.plan("weekly", True, [1, 2], last, NOW) == rules.Plan(None)
    plan = rules.plan("weekly", True, [1, 2], NOW - timedelta(days=7), NOW)
    assert plan == rules.Plan("digest", (1, 2))
    assert plan.emails == 1
    assert rules.plan("weekly", True, [1], None, NOW) == rules.Plan("digest", (1,))


def test_daily_waits_a_day():
    assert rules.plan("daily", True, [1], NOW - timedelta(hours=23), NOW).how is None
    assert rules.plan("daily", True, [1], NOW - timedelta(hours=24), NOW).how == "digest"


def test_no_emails_or_no_address_skips_for_good():
    assert rules.plan("none", True, [1, 2], None, NOW) == rules.Plan("skipped", (1, 2))
    assert rules.plan("each", False, [3], None, NOW) == rules.Plan("skipped", (3,))
    assert rules.plan("weekly", False, [3], None, NOW).emails == 0
    # An unknown choice is treated as no emails, never as a flood.
    assert rules.plan("hourly", True, [3], None, NOW).how == "skipped"


EVENTS = st.lists(
    st.tuples(st.sampled_from(["add", "run"]), st.integers(min_value=0, max_value=60)),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    choice=st.sampled_from(rules.CHOICES),
    has_email=st.booleans(),
    events=EVENTS,
    quarter_hours=st.integers(min_value=1, max_value=4 * 24),
)
def test_over_any_runs_the_chosen_pace_holds_and_every_notice_goes_once(
    choice, has_email, events, quarter_hours
):
    """News arrives and the command runs at any times; then it runs on for a week and a day.
    A weekly reader never gets two emails within 7 days (a daily one, within a day); each notice
    is sent once or skipped once, never both, never twice, and none is left behind."""
    now = NOW
    happened: dict[int, datetime] = {}
    handled: dict[int, tuple[datetime, str]] = {}
    emails: list[datetime] = []

    def run(at: datetime) -> None:
        waiting = [i for i in sorted(happened) if i not in handled]
        sent = [t for t, how in handled.values() if how in ("each", "digest")]
        plan = rules.plan(choice, has_email, waiting, max(sent, default=None), at)
        if plan.how is None:
            return
        assert list(plan.notice_ids) == waiting  # all of what waits, nothing already sent
        for i in plan.notice_ids:
            assert i not in handled
            handled[i] = (at, plan.how)
        emails.extend([at] * plan.emails)

    for what, hours in events:
        now += timedelta(hours=hours)
        if what == "add":
            happened[len(happened) + 1] = now
        else:
            run(now)
    end = now + timedelta(days=8)
    while now < end:  # cron, every few quarter hours
        now += timedelta(minutes=15 * quarter_hours)
        run(now)

    assert set(handled) == set(happened)
    gap = rules.GAP.get(choice)
    if gap is not None:
        assert all(b - a >= gap for a, b in zip(emails, emails[1:], strict=False))
    if choice == "none" or not has_email:
        assert emails == [] and all(how == "skipped" for _t, how in handled.values())
    elif choice == "each":
        assert len(emails) == len(happened)
        assert all(how == "each" for _t, how in handled.values())
    else:
        assert all(how == "digest" for _t, how in handled.values())
        assert len(emails) <= len(happened)


# --- deadlines -------------------------------------------------------------------------------


def test_the_last_day_to_vote_is_the_day_before_results():
    assert rules.last_voting_day(date(2026, 3, 10)) == date(2026, 3, 9)
    assert rules.last_voting_day(None) is None


def test_voting_closes_soon_within_three_days_and_not_after():
    last = date(2026, 3, 9)
    assert not rules.vote_closing_soon(last, date(2026, 3, 6))
    assert rules.vote_closing_soon(last, date(2026, 3, 7))
    assert rules.vote_closing_soon(last, date(2026, 3, 9))
    assert not rules.vote_closing_soon(last, date(2026, 3, 10))
    assert not rules.vote_closing_soon(None, date(2026, 3, 9))


def test_an_answer_is_closing_soon_only_before_it_closes():
    assert rules.answer_closing_soon(NOW + timedelta(days=2), NOW)
    assert rules.answer_closing_soon(NOW + timedelta(days=3), NOW)
    assert not rules.answer_closing_soon(NOW + timedelta(days=3, minutes=1), NOW)
    assert not rules.answer_closing_soon(NOW - timedelta(minutes=1), NOW)
    assert not rules.answer_closing_soon(None, NOW)


def test_keys_name_the_news_and_its_date():
    assert rules.objection_key(41) == "objection:41"
    assert rules.payment_key(7) == "payment_approved:7"
    assert rules.round_opening_key(3) == "round_opening:3"
    assert rules.vote_deadline_key(3, date(2026, 3, 9)) == "deadline:round:3:2026-03-09"
    assert rules.consent_deadline_key(5, NOW) == "deadline:consent:5:2026-03-02"
    assert rules.report_deadline_key(2, date(2026, 9, 1)) == "deadline:grant:2:2026-09-01"
    assert rules.closing_key(2, "started") == "grant_closing:2:started"
    assert rules.closing_key(2, "ready", 3) == "grant_closing:2:ready:3"
    # A new date is new news; the same date is the same news.
    assert rules.vote_deadline_key(3, date(2026, 3, 9)) != rules.vote_deadline_key(
        3, date(2026, 3, 16)
    )


# --- the words -------------------------------------------------------------------------------

PARAMS = {
    "round": "Northside",
    "space": "Northside Fund",
    "last_day": "Monday 9 March 2026",
    "proposal": "A named contact",
    "grant": "Breakfast club",
    "amount": "£500.00",
    "recipient": "Northside Families",
    "place": "Porthaven",
}


def test_every_kind_and_step_has_words_that_fill_in():
    for key, words in rules.WORDS.items():
        kind = key.split(":")[0]
        assert kind in rules.KINDS
        for text in (words.subject, words.line):
            assert set(re.findall(r"%\((\w+)\)s", text)) <= set(PARAMS), key
            assert "%(" not in text % PARAMS
    assert set(rules.HEADINGS) == set(rules.KINDS) == set(rules.WHY)
    assert rules.DIGEST_SUBJECT % PARAMS == "Your news from Porthaven"


def test_the_step_picks_the_words_and_an_unknown_step_falls_back():
    assert rules.words_key("grant_closing", {"step": "ready"}) == "grant_closing:ready"
    assert rules.words_key("deadline", {"step": "vote"}) == "deadline:vote"
    assert rules.words_key("objection", {}) == "objection"
    assert rules.words_key("payment_approved", {"step": "odd"}) == "payment_approved"
    assert "ready to sign" in rules.words("grant_closing", {"step": "ready"}).line


# --- the digest ------------------------------------------------------------------------------


def _item(kind: str, days_ago: int, line: str) -> rules.Item:
    return rules.Item(kind, NOW - timedelta(days=days_ago), line, f"/x/{line}")


def test_a_digest_groups_by_kind_soonest_needs_first_and_newest_first_within():
    groups = rules.group(
        [
            _item("round_opening", 6, "opened"),
            _item("objection", 5, "older objection"),
            _item("deadline", 1, "vote soon"),
            _item("objection", 2, "newer objection"),
            _item("payment_approved", 3, "paid"),
        ]
    )
    assert [g.kind for g in groups] == [
        "deadline",
        "objection",
        "payment_approved",
        "round_opening",
    ]
    assert [i.line for i in groups[1].items] == ["newer objection", "older objection"]
    assert groups[1].heading == "Objections to your proposals"
    assert sum(len(g.items) for g in groups) == 5
    assert rules.group([]) == []
