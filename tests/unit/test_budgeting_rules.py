"""The grant round rules (budgeting/rules.py) without Flask or a database: phases and the
timeline, what a round's settings must be, what stops it moving on, and who may do what in
every phase. Expectations are written out by hand here, not computed by the rules."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product
from types import SimpleNamespace as NS

import pytest

from participate.budgeting import rules
from participate.budgeting.rules import PHASES

COUNCIL, OTHER_COUNCIL, SPACE, GROUP = 10, 20, 1, 2
TODAY = date(2026, 5, 10)


def person(pid, *memberships, admin=False):
    return NS(
        id=pid,
        active=True,
        is_site_admin=admin,
        memberships=[
            NS(space_id=s, organisation_id=o, role=r, status=st) for s, o, r, st in memberships
        ],
    )


PEOPLE = {
    "officer": person(1, (None, COUNCIL, "council_officer", "active")),
    "admin": person(2, admin=True),
    "facilitator": person(3, (SPACE, None, "facilitator", "active")),
    "member": person(4, (SPACE, None, "member", "active")),
    "other_officer": person(5, (None, OTHER_COUNCIL, "council_officer", "active")),
    "finance": person(6, (None, COUNCIL, "finance_approver", "active")),
    "left_officer": person(7, (None, COUNCIL, "council_officer", "left")),
    "resident": person(8),
    "signed_out": None,
}


def round_(phase="ideas", visibility="public", **settings):
    values = dict(
        phase=phase,
        space=NS(id=SPACE, organisation_id=COUNCIL, visibility=visibility),
        who_proposes="residents",
        who_votes="residents",
        members_space_id=None,
        vote_age_from=None,
        ballot_type="approval",
        min_picks=None,
        max_picks=None,
        points=None,
        min_spend_percent=None,
        rule="mes-add1",
        ideas_from=None,
        feasibility_from=None,
        voting_from=None,
        results_from=None,
        delivery_from=None,
        ends_on=None,
        area_kind="whole",
        area_name=None,
    )
    values.update(settings)
    return NS(**values)


def table(rows: dict[str, str]) -> dict[str, set[str]]:
    """Rows of Y and . under the phases draft, ideas, feasibility, voting, results, delivery,
    closed -> the set of phases marked Y for each role."""
    out = {}
    for role, marks in rows.items():
        marks = marks.replace(" ", "")
        assert len(marks) == len(PHASES), role
        out[role] = {phase for phase, mark in zip(PHASES, marks, strict=True) if mark == "Y"}
    return out


# --- who may do what, by role and phase ------------------------------------------------------

#                         d i f v r D c   (draft, ideas, feasibility, voting, results, delivery,
#                                         closed)
VIEW_PUBLIC = table(
    {
        "officer": "Y Y Y Y Y Y Y",
        "admin": "Y Y Y Y Y Y Y",
        "facilitator": ". Y Y Y Y Y Y",
        "member": ". Y Y Y Y Y Y",
        "other_officer": ". Y Y Y Y Y Y",
        "finance": ". Y Y Y Y Y Y",
        "left_officer": ". Y Y Y Y Y Y",
        "resident": ". Y Y Y Y Y Y",
        "signed_out": ". Y Y Y Y Y Y",
    }
)
VIEW_MEMBERS_ONLY = table(
    {
        "officer": "Y Y Y Y Y Y Y",
        "admin": "Y Y Y Y Y Y Y",
        "facilitator": ". Y Y Y Y Y Y",
        "member": ". Y Y Y Y Y Y",
        "other_officer": ". . . . . . .",
        "finance": ". . . . . . .",
        "left_officer": ". . . . . . .",
        "resident": ". . . . . . .",
        "signed_out": ". . . . . . .",
    }
)
RUNS = {"officer", "admin"}  # rules.manages: the round's council officers and site admins
MARK_FEASIBILITY = table({r: ". Y Y . . . ." if r in RUNS else "......." for r in PEOPLE})
ENTER_PAPER = table(
    {r: ". . . Y Y . ." if r in RUNS | {"facilitator"} else "......." for r in PEOPLE}
)
COUNT = table({r: ". . . . Y . ." if r in RUNS else "......." for r in PEOPLE})
OVERRIDE = table({r: ". . . . Y Y ." if r in RUNS else "......." for r in PEOPLE})
COMMENT = table(
    {  # anyone signed in who can see the round, while ideas and votes are open
        "officer": ". Y Y Y . . .",
        "admin": ". Y Y Y . . .",
        "facilitator": ". Y Y Y . . .",
        "member": ". Y Y Y . . .",
        "other_officer": ". Y Y Y . . .",
        "finance": ". Y Y Y . . .",
        "left_officer": ". Y Y Y . . .",
        "resident": ". Y Y Y . . .",
        "signed_out": ". . . . . . .",
    }
)
HIDE_COMMENT = table(
    {r: "Y Y Y Y Y Y Y" if r in RUNS | {"facilitator"} else "......." for r in PEOPLE}
)
ASSIST_VOTER = table(
    {r: ". . . Y . . ." if r in RUNS | {"facilitator"} else "......." for r in PEOPLE}
)

CASES = {
    "view a public round": (VIEW_PUBLIC, lambda p, r: rules.can_view_round(p, r), "public"),
    "view a members-only round": (
        VIEW_MEMBERS_ONLY,
        lambda p, r: rules.can_view_round(p, r),
        "members",
    ),
    "mark feasibility": (MARK_FEASIBILITY, rules.can_mark_feasibility, "public"),
    "enter paper ballots": (ENTER_PAPER, rules.can_enter_paper, "public"),
    "count": (COUNT, rules.can_count, "public"),
    "override a result": (OVERRIDE, rules.can_override, "public"),
    "comment": (COMMENT, rules.can_comment, "public"),
    "hide a comment": (HIDE_COMMENT, lambda p, r: rules.can_hide_comment(p, r), "public"),
    "help someone vote": (ASSIST_VOTER, lambda p, r: rules.can_assist_voter(p, r, TODAY), "public"),
}


@pytest.mark.parametrize(("case", "role", "phase"), list(product(CASES, PEOPLE, PHASES)))
def test_who_may_do_what_in_each_phase(case, role, phase):
    expected, rule, visibility = CASES[case]
    rnd = round_(phase, visibility)
    assert rule(PEOPLE[role], rnd) == (phase in expected[role]), (case, role, phase)


@pytest.mark.parametrize("role", PEOPLE)
def test_only_the_councils_officers_and_admins_run_a_round(role):
    assert rules.manages(PEOPLE[role], round_()) == (role in RUNS)
    assert rules.facilitates(PEOPLE[role], round_()) == (role == "facilitator")


def test_an_officer_stepping_back_still_runs_the_round():
    stepping_back = person(9, (None, COUNCIL, "council_officer", "stepping_back"))
    assert rules.manages(stepping_back, round_())


# --- moving from phase to phase --------------------------------------------------------------

# Every move an officer may make, written out: one step on, or one back before voting.
ALLOWED_MOVES = {
    ("draft", "ideas"),
    ("ideas", "feasibility"),
    ("feasibility", "voting"),
    ("voting", "results"),
    ("results", "delivery"),
    ("delivery", "closed"),
    ("ideas", "draft"),
    ("feasibility", "ideas"),
}


@pytest.mark.parametrize(("here", "there"), list(product(PHASES, PHASES)))
def test_officers_move_a_round_one_step_at_a_time(here, there):
    rnd = round_(here)
    for role, who in PEOPLE.items():
        expected = role in RUNS and (here, there) in ALLOWED_MOVES
        assert rules.can_move_phase(who, rnd, there) == expected, (role, here, there)


def test_nobody_moves_a_round_to_a_phase_that_does_not_exist():
    assert not rules.can_move_phase(PEOPLE["admin"], round_("draft"), "finished")


def test_phases_run_in_order_and_the_last_has_no_next():
    assert PHASES == ("draft", "ideas", "feasibility", "voting", "results", "delivery", "closed")
    assert [rules.next_phase(round_(p)) for p in PHASES] == [
        "ideas",
        "feasibility",
        "voting",
        "results",
        "delivery",
        "closed",
        None,
    ]
    assert rules.at_or_after(round_("voting"), "voting")
    assert rules.at_or_after(round_("closed"), "ideas")
    assert not rules.at_or_after(round_("feasibility"), "voting")
    assert set(rules.PHASE_LABELS) == set(rules.PHASE_ABOUT) == set(PHASES)
    assert set(rules.PHASE_DATES) == set(PHASES) - {"draft"}


@pytest.mark.parametrize(
    ("phase", "locked"),
    [
        ("draft", False),
        ("ideas", False),
        ("feasibility", False),
        ("voting", True),
        ("results", True),
        ("delivery", True),
        ("closed", True),
    ],
)
def test_the_ballot_and_rule_are_fixed_from_voting_on(phase, locked):
    assert rules.setup_locked(round_(phase)) is locked


def pot(amount=1_000, *statuses):
    return NS(amount=amount, projects=[NS(status=s) for s in statuses])


def messages(problems):
    return [p.message % p.params if p.params else p.message for p in problems]


def test_a_round_opens_for_ideas_only_with_money_in_it():
    assert messages(rules.move_problems(round_("draft"), "ideas", [])) == [
        "Add at least one pot of money first."
    ]
    assert rules.move_problems(round_("draft"), "ideas", [pot()]) == []


def test_voting_opens_only_when_a_project_can_go_to_the_vote_and_none_waits():
    rnd = round_("feasibility")
    assert messages(rules.move_problems(rnd, "voting", [pot()])) == [
        "No project can go to the vote yet."
    ]
    assert messages(rules.move_problems(rnd, "voting", [pot(1, "proposed", "not_feasible")])) == [
        "No project can go to the vote yet.",
        "1 project is still waiting to be checked.",
    ]
    waiting = [pot(1, "feasible", "proposed"), pot(1, "proposed", "withdrawn")]
    (problem,) = rules.move_problems(rnd, "voting", waiting)
    assert problem.field == "" and problem.params == {"n": 2}
    ready = [pot(1, "feasible", "not_feasible", "merged", "withdrawn"), pot(1)]
    assert rules.move_problems(rnd, "voting", ready) == []


def test_voting_cannot_open_once_its_closing_day_has_come():
    rnd = round_("feasibility")
    rnd.results_from = date(2026, 5, 1)
    ready = [pot(1, "feasible")]
    assert rules.move_problems(rnd, "voting", ready, date(2026, 4, 30)) == []
    for today in (date(2026, 5, 1), date(2026, 6, 1)):
        (problem,) = rules.move_problems(rnd, "voting", ready, today)
        assert problem.params == {"date": "2026-05-01"}


def test_publishing_is_for_officers_in_results_or_delivery():
    for phase in rules.PHASES:
        rnd = round_(phase)
        assert rules.can_publish(PEOPLE["officer"], rnd) is (phase in ("results", "delivery"))
        for who in ("signed_out", "facilitator", "other_officer", "finance", "resident"):
            assert not rules.can_publish(PEOPLE[who], rnd), (who, phase)


@pytest.mark.parametrize("to", ["draft", "feasibility", "results", "delivery", "closed"])
def test_other_moves_have_nothing_stopping_them(to):
    assert rules.move_problems(round_(), to, []) == []


# --- the timeline and what is open -----------------------------------------------------------


def test_the_timeline_lists_every_phase_after_set_up_with_its_date_and_state():
    rnd = round_(
        "voting",
        ideas_from=date(2026, 3, 1),
        feasibility_from=date(2026, 4, 1),
        voting_from=date(2026, 5, 1),
        ends_on=date(2027, 1, 31),
    )
    steps = rules.timeline(rnd)
    assert [(s.phase, s.starts, s.state) for s in steps] == [
        ("ideas", date(2026, 3, 1), "done"),
        ("feasibility", date(2026, 4, 1), "done"),
        ("voting", date(2026, 5, 1), "now"),
        ("results", None, "later"),
        ("delivery", None, "later"),
        ("closed", date(2027, 1, 31), "later"),
    ]
    assert [s.state for s in rules.timeline(round_("draft"))] == ["later"] * 6
    assert [s.state for s in rules.timeline(round_("closed"))] == ["done"] * 5 + ["now"]


@pytest.mark.parametrize(
    ("phase", "results_from", "is_open"),
    [
        ("voting", None, True),
        ("voting", TODAY + timedelta(days=1), True),
        ("voting", TODAY, False),  # votes close the day before results are due
        ("voting", TODAY - timedelta(days=3), False),
        ("feasibility", None, False),
        ("results", None, False),
    ],
)
def test_voting_is_open_in_the_voting_phase_until_results_are_due(phase, results_from, is_open):
    assert rules.voting_open(round_(phase, results_from=results_from), TODAY) is is_open


@pytest.mark.parametrize(
    ("phase", "feasibility_from", "is_open"),
    [
        ("ideas", None, True),
        ("ideas", TODAY + timedelta(days=1), True),
        ("ideas", TODAY, False),
        ("draft", None, False),
        ("feasibility", None, False),
    ],
)
def test_ideas_are_open_in_the_ideas_phase_until_checking_starts(phase, feasibility_from, is_open):
    assert rules.ideas_open(round_(phase, feasibility_from=feasibility_from), TODAY) is is_open


# --- dates and settings ----------------------------------------------------------------------


def test_phase_dates_may_be_missing_or_equal_but_never_go_backwards():
    d = date(2026, 3, 1)
    assert rules.phase_date_problems({}) == []
    assert (
        rules.phase_date_problems(
            {"ideas_from": d, "voting_from": d, "ends_on": d + timedelta(days=1)}
        )
        == []
    )
    problems = rules.phase_date_problems(
        {
            "ideas_from": d,
            "feasibility_from": None,  # skipped: compared with the last date given
            "voting_from": d - timedelta(days=1),
            "results_from": d + timedelta(days=10),
            "delivery_from": d + timedelta(days=5),
        }
    )
    assert [(p.field, p.params) for p in problems] == [
        ("voting_from", {"previous": "2026-03-01"}),
        ("delivery_from", {"previous": "2026-03-11"}),
    ]


GOOD = dict(
    ballot_type="approval",
    rule="mes-add1",
    min_picks=1,
    max_picks=3,
    points=None,
    min_spend_percent=None,
    area_kind="whole",
    area_name=None,
    radius_metres=None,
    who_proposes="residents",
    who_votes="residents",
    members_space_id=None,
)


def fields(**changes):
    return [p.field for p in rules.setup_problems(**{**GOOD, **changes})]


def test_good_settings_have_no_problems():
    assert fields() == []
    assert fields(min_picks=None, max_picks=None) == []
    assert fields(min_picks=3, max_picks=3) == []
    assert fields(ballot_type="cumulative", points=10, min_picks=None, max_picks=None) == []
    assert fields(ballot_type="knapsack", rule="greedy", min_spend_percent=0) == []
    assert fields(ballot_type="knapsack", rule="greedy-no-skip", min_spend_percent=100) == []
    assert fields(area_kind="radius", area_name="Mill Field", radius_metres=800) == []
    assert fields(who_votes="members", members_space_id=GROUP) == []


@pytest.mark.parametrize(
    ("ballot", "rule", "fine"),
    [
        (
            ballot,
            rule,
            rule
            in {
                "approval": set(rules.RULE_LABELS),
                "cumulative": set(rules.RULE_LABELS),
                "knapsack": {"greedy", "greedy-no-skip"},
            }[ballot],
        )
        for ballot, rule in product(rules.BALLOT_LABELS, rules.RULE_LABELS)
    ],
)
def test_equal_shares_needs_ticks_or_points(ballot, rule, fine):
    extra = {"points": 5} if ballot == "cumulative" else {}
    assert ("rule" not in fields(ballot_type=ballot, rule=rule, **extra)) is fine


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"min_picks": -1}, ["min_picks"]),
        ({"min_picks": 0, "max_picks": 0}, ["max_picks"]),
        ({"min_picks": 4, "max_picks": 3}, ["min_picks"]),
        ({"ballot_type": "cumulative", "points": None}, ["points"]),
        ({"ballot_type": "cumulative", "points": 0}, ["points"]),
        (
            {"ballot_type": "knapsack", "rule": "greedy", "min_spend_percent": 101},
            ["min_spend_percent"],
        ),
        (
            {"ballot_type": "knapsack", "rule": "greedy", "min_spend_percent": -1},
            ["min_spend_percent"],
        ),
        ({"area_kind": "ward", "area_name": "  "}, ["area_name"]),
        ({"area_kind": "neighbourhood", "area_name": None}, ["area_name"]),
        ({"area_kind": "radius", "area_name": "Mill Field", "radius_metres": 0}, ["radius_metres"]),
        (
            {"area_kind": "radius", "area_name": None, "radius_metres": None},
            ["area_name", "radius_metres"],
        ),
        ({"who_proposes": "members"}, ["members_space_id"]),
        ({"who_votes": "members"}, ["members_space_id"]),
    ],
)
def test_each_setting_problem_is_next_to_its_field(changes, expected):
    assert fields(**changes) == expected


def test_settings_for_other_ballots_are_not_checked():
    # Picks mean nothing on a points ballot; points nothing on a ticking one.
    assert fields(ballot_type="cumulative", points=10, min_picks=-5, max_picks=0) == []
    assert fields(points=-3, min_spend_percent=500) == []


# --- taking part -----------------------------------------------------------------------------


def test_residents_say_so_themselves_and_members_are_checked_against_the_group():
    member, resident = PEOPLE["member"], PEOPLE["resident"]
    open_ = round_("voting")
    assert rules.may_vote(resident, open_, TODAY) and rules.needs_declaration(open_, "residents")
    assert not rules.may_vote(None, open_, TODAY)
    members = round_("voting", who_votes="members")  # the round's own space by default
    assert rules.may_vote(member, members, TODAY)
    assert not rules.may_vote(resident, members, TODAY)
    assert not rules.needs_declaration(members, "members")
    group = round_("voting", who_votes="members", members_space_id=GROUP)
    assert not rules.may_vote(member, group, TODAY)
    assert rules.may_vote(person(10, (GROUP, None, "member", "active")), group, TODAY)
    assert not rules.may_vote(person(11, (GROUP, None, "member", "left")), group, TODAY)
    assert not rules.may_vote(resident, round_("ideas"), TODAY)


def test_anyone_signed_in_may_suggest_ideas_when_the_round_says_so():
    rnd = round_("ideas", who_proposes="anyone")
    assert rules.may_propose(PEOPLE["resident"], rnd, TODAY)
    assert not rules.may_propose(None, rnd, TODAY)
    assert not rules.may_propose(PEOPLE["resident"], round_("feasibility"), TODAY)


def project(author_id=8, status="proposed", pot_id=1, pid=1, cost_note=None):
    return NS(
        id=pid, author_id=author_id, status=status, cost=100, pot_id=pot_id, cost_note=cost_note
    )


@pytest.mark.parametrize("phase", PHASES)
def test_who_may_change_a_project_in_each_phase(phase):
    rnd, mine = round_(phase), project(author_id=PEOPLE["resident"].id)
    author, officer = PEOPLE["resident"], PEOPLE["officer"]
    assert rules.can_edit_project(author, mine, rnd, TODAY) == (phase == "ideas")
    assert rules.can_edit_project(officer, mine, rnd, TODAY) == (
        phase in ("draft", "ideas", "feasibility")
    )
    assert not rules.can_edit_project(PEOPLE["member"], mine, rnd, TODAY)
    assert rules.can_withdraw_project(author, mine, rnd) == (
        phase in ("draft", "ideas", "feasibility")
    )
    assert not rules.can_withdraw_project(officer, mine, rnd)


def test_an_author_cannot_change_an_idea_once_it_is_checked():
    rnd, author = round_("ideas"), PEOPLE["resident"]
    assert not rules.can_edit_project(author, project(status="feasible"), rnd, TODAY)
    assert rules.can_withdraw_project(author, project(status="feasible"), rnd)
    assert not rules.can_withdraw_project(author, project(status="not_feasible"), rnd)


def test_authors_reply_to_a_verdict_until_results_are_out():
    author = PEOPLE["resident"]
    decided = project(status="not_feasible")
    assert rules.can_reply_to_verdict(author, decided, round_("voting"))
    assert not rules.can_reply_to_verdict(author, decided, round_("results"))
    assert not rules.can_reply_to_verdict(PEOPLE["member"], decided, round_("voting"))
    assert not rules.can_reply_to_verdict(author, project(), round_("voting"))
    assert rules.can_reply_to_verdict(author, project(cost_note="Costs more"), round_("voting"))


def test_offers_go_between_two_open_projects_in_the_same_pot_while_ideas_are_shaped():
    author = PEOPLE["resident"]
    mine, theirs = project(pid=1), project(author_id=99, pid=2)
    assert rules.can_offer(author, mine, theirs, round_("ideas"))
    assert rules.can_offer(author, mine, theirs, round_("feasibility"))
    assert not rules.can_offer(author, mine, theirs, round_("voting"))
    assert not rules.can_offer(author, mine, mine, round_("ideas"))
    assert not rules.can_offer(
        author, mine, project(author_id=99, pid=2, pot_id=2), round_("ideas")
    )
    assert not rules.can_offer(
        author, mine, project(author_id=99, pid=2, status="merged"), round_("ideas")
    )
    assert not rules.can_offer(PEOPLE["member"], mine, theirs, round_("ideas"))


def test_a_second_person_checks_a_paper_batch():
    rnd = round_("voting")
    batch = NS(entered_by_id=PEOPLE["facilitator"].id, checked_by_id=None)
    assert not rules.can_check_batch(PEOPLE["facilitator"], batch, rnd)
    assert rules.can_check_batch(PEOPLE["officer"], batch, rnd)
    assert not rules.can_check_batch(PEOPLE["officer"], NS(entered_by_id=3, checked_by_id=1), rnd)
    assert not rules.can_check_batch(PEOPLE["member"], batch, rnd)


@pytest.mark.parametrize(
    ("published", "role", "sees"),
    [
        (True, "resident", True),
        (False, "resident", False),
        (False, "officer", True),
        (True, "signed_out", True),
        (False, "admin", True),
    ],
)
def test_results_are_seen_once_published_or_by_those_running_the_round(published, role, sees):
    assert rules.results_visible(PEOPLE[role], round_("results"), published) is sees


def test_a_hidden_comments_words_stay_with_its_author_and_those_who_may_hide_it():
    rnd = round_("ideas")
    shown = NS(hidden_at=None, author_id=PEOPLE["resident"].id)
    hidden = NS(hidden_at=date(2026, 5, 1), author_id=PEOPLE["resident"].id)
    for who in PEOPLE:
        assert rules.sees_comment_words(PEOPLE[who], shown, rnd)
    readers = {who for who in PEOPLE if rules.sees_comment_words(PEOPLE[who], hidden, rnd)}
    assert readers == {"resident", "officer", "admin", "facilitator"}
