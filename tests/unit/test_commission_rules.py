"""Commission rules called directly: phases, guardrails, who sees what, cohorts, money."""

from datetime import date
from types import SimpleNamespace as NS

import pytest

from participate.commissions import rules


def member(space_id, role, status="active"):
    return NS(space_id=space_id, organisation_id=None, role=role, status=status)


def in_org(org_id, role):
    return NS(space_id=None, organisation_id=org_id, role=role, status="active")


def person(pid, *memberships, admin=False):
    return NS(id=pid, is_site_admin=admin, active=True, memberships=list(memberships))


def commission(phase="together", **extra):
    values = dict(space_id=1, phase=phase, hosts=[NS(organisation_id=10)], community_cap=15,
                  civic_business_cap=15, involvement_rate_pence=2500, reduced_rate_pence=1000)
    values.update(extra)
    return NS(**values)


COMMUNITY = person(1, member(1, "community_commissioner"))
CIVIC = person(2, member(1, "civic_commissioner"))
BUSINESS = person(3, member(1, "business_commissioner"))
FACILITATOR = person(4, member(1, "facilitator"))
OFFICER = person(5, in_org(10, "council_officer"))
APPROVER = person(6, in_org(10, "finance_approver"))
STRANGER = person(7, member(99, "facilitator"))
ADMIN = person(8, admin=True)


def test_the_default_plan_is_the_practice_and_adds_up_to_three_years():
    assert [rules.DEFAULT_PLAN[k] for k in rules.PHASE_KEYS[:4]] == [6, 6, 6, 9]
    assert sum(rules.DEFAULT_PLAN.values()) == 36
    assert rules.PHASE_KEYS == ["decide", "assemble", "community_only", "together", "action",
                                "embedding"]


@pytest.mark.parametrize("phase", ["decide", "assemble", "community_only"])
def test_before_the_together_phase_civic_and_business_commissioners_only_wait(phase):
    c = commission(phase)
    for p in (CIVIC, BUSINESS, OFFICER, ADMIN):
        assert rules.access(p, c) == "waiting"
        assert not rules.can(p, "view", c)
        assert rules.can(p, "know_exists", c)
    for p in (COMMUNITY, FACILITATOR):
        assert rules.access(p, c) == "full"


@pytest.mark.parametrize("phase", ["together", "action", "embedding"])
def test_from_the_together_phase_everyone_in_it_sees_it(phase):
    c = commission(phase)
    for p in (COMMUNITY, CIVIC, BUSINESS, FACILITATOR, OFFICER):
        assert rules.can(p, "view", c)


def test_strangers_know_nothing_and_approvers_only_wait():
    for phase in rules.PHASE_KEYS:
        c = commission(phase)
        assert rules.access(STRANGER, c) is None and rules.access(None, c) is None
        assert rules.access(APPROVER, c) == "waiting"


def test_people_who_left_lose_access():
    gone = person(9, member(1, "community_commissioner", status="left"))
    assert rules.access(gone, commission()) is None


def test_only_facilitators_manage_see_lifebuoys_and_the_contact_log():
    c = commission()
    for action in ("manage", "see_lifebuoys", "see_contact_log", "record_recompense"):
        assert rules.can(FACILITATOR, action, c)
        for p in (COMMUNITY, CIVIC, OFFICER, ADMIN, APPROVER):
            assert not rules.can(p, action, c), (action, p.id)


def test_only_community_commissioners_flag_commitments():
    c = commission()
    assert rules.can(COMMUNITY, "flag_commitment", c)
    assert not rules.can(CIVIC, "flag_commitment", c)
    assert not rules.can(FACILITATOR, "flag_commitment", c)


def test_observers_read_but_do_not_take_part():
    observer = person(10, member(1, "observer"))
    c = commission()
    assert rules.can(observer, "view", c)
    assert not rules.can(observer, "take_part", c) and not rules.can(observer, "edit_charter", c)


def test_leaving_the_community_only_phase_early_needs_a_reason():
    early = rules.check_advance("community_only", date(2026, 6, 1), date(2026, 10, 1))
    assert early.allowed and early.needs_reason and early.warnings
    on_time = rules.check_advance("community_only", date(2026, 1, 1), date(2026, 7, 1))
    assert on_time.allowed and not on_time.needs_reason
    assert not rules.check_advance("embedding", date(2026, 1, 1), date(2030, 1, 1)).allowed
    assert not rules.check_advance("decide", date(2026, 1, 1), date(2026, 1, 2)).needs_reason


def test_shortening_the_community_only_phase_below_six_months_needs_a_reason():
    plan = dict(rules.DEFAULT_PLAN)
    assert rules.check_plan(plan, {**plan, "community_only": 4}).allowed
    shorter = rules.check_plan(plan, {**plan, "community_only": 4})
    assert shorter.needs_reason and "six months" in shorter.warnings[0]
    longer = rules.check_plan(plan, {**plan, "community_only": 8, "decide": 3})
    assert longer.allowed and not longer.needs_reason
    assert not rules.check_plan(plan, {**plan, "action": 0}).allowed
    assert not rules.check_plan(plan, {**plan, "action": 61}).allowed


def test_the_timeline_follows_on_from_when_the_current_phase_really_started():
    rows = rules.timeline(date(2025, 1, 15), dict(rules.DEFAULT_PLAN), "community_only",
                          date(2026, 3, 1))
    assert [r.state for r in rows] == ["done", "done", "now", "to_come", "to_come", "to_come"]
    assert rows[1].starts_on == date(2025, 7, 15)
    assert rows[2].starts_on == date(2026, 3, 1) and rows[2].ends_on == date(2026, 9, 1)
    assert rows[3].starts_on == date(2026, 9, 1) and rows[3].ends_on == date(2027, 6, 1)


def test_month_arithmetic_handles_short_months():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert rules.months_between(date(2026, 1, 15), date(2026, 7, 15)) == 6
    assert rules.months_between(date(2026, 7, 15), date(2026, 1, 15)) == 0


def test_cohort_caps():
    c = commission(community_cap=2, civic_business_cap=1)
    assert set(rules.roles_with_room(c, ["community_commissioner"])) >= {
        "community_commissioner", "civic_commissioner", "facilitator"}
    full = ["community_commissioner"] * 2 + ["business_commissioner"] + ["facilitator"] * 3
    assert rules.roles_with_room(c, full) == ["observer"]


def test_groups_leave_nobody_alone():
    import random

    for n in range(2, 30):
        for size in (2, 3):
            groups = rules.draw_groups(list(range(n)), size, random.Random(n))
            assert sorted(p for g in groups for p in g) == list(range(n))
            assert all(len(g) >= 2 for g in groups)
            assert all(len(g) <= size + 1 for g in groups)
    with pytest.raises(ValueError):
        rules.draw_groups([1, 2], 1)


def test_gentle_hello_after_four_weeks_for_people_stepping_back():
    today = date(2026, 11, 22)
    assert rules.needs_gentle_hello("stepping_back", None, today)
    assert rules.needs_gentle_hello("stepping_back", date(2026, 10, 1), today)
    assert not rules.needs_gentle_hello("stepping_back", date(2026, 11, 10), today)
    assert not rules.needs_gentle_hello("active", None, today)


def test_involvement_amounts_follow_the_members_choice():
    c = commission()
    assert [rules.involvement_amount(k, c) for k in ("cash", "voucher", "reduced", "decline")] \
        == [2500, 2500, 1000, 0]
    with pytest.raises(ValueError):
        rules.involvement_amount("bitcoin", c)


def test_the_person_who_records_a_payment_cannot_approve_it():
    c = commission()
    recorded_by_approver = NS(status="recorded", recorded_by_id=APPROVER.id, person_id=1)
    to_approver = NS(status="recorded", recorded_by_id=FACILITATOR.id, person_id=APPROVER.id)
    fine = NS(status="recorded", recorded_by_id=FACILITATOR.id, person_id=1)
    assert not rules.can_decide_recompense(APPROVER, recorded_by_approver, c)
    assert not rules.can_decide_recompense(APPROVER, to_approver, c)
    assert rules.can_decide_recompense(APPROVER, fine, c)
    assert not rules.can_decide_recompense(FACILITATOR, fine, c)
    assert not rules.can_decide_recompense(APPROVER, NS(**{**fine.__dict__, "status": "approved"}),
                                           c)


def test_payments_are_seen_by_the_member_their_facilitators_and_approvers_only():
    c = commission()
    assert rules.can_see_recompense_of(COMMUNITY, COMMUNITY, c)
    assert rules.can_see_recompense_of(FACILITATOR, COMMUNITY, c)
    assert rules.can_see_recompense_of(APPROVER, COMMUNITY, c)
    for other in (CIVIC, OFFICER, ADMIN, person(11, member(1, "community_commissioner"))):
        assert not rules.can_see_recompense_of(other, COMMUNITY, c)


def test_who_may_set_up_a_commission():
    assert rules.can_set_up(ADMIN) and rules.can_set_up(OFFICER) and rules.can_set_up(FACILITATOR)
    assert not rules.can_set_up(COMMUNITY) and not rules.can_set_up(APPROVER)
    assert not rules.can_set_up(None)
