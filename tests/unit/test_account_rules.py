"""The accounts policy, called directly with plain objects: no Flask, no database."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace as NS

import pytest

from participate.accounts import rules


def person(pid, *memberships, admin=False, active=True):
    return NS(id=pid, is_site_admin=admin, active=active, memberships=list(memberships))


def in_space(space_id, role, status="active"):
    return NS(space_id=space_id, organisation_id=None, role=role, status=status)


def in_org(org_id, role, status="active"):
    return NS(space_id=None, organisation_id=org_id, role=role, status=status)


COMMISSION = NS(id=1, organisation_id=10, visibility="members", kind="commission")
PUBLIC_ROUND = NS(id=2, organisation_id=10, visibility="public", kind="grant_round")


def test_every_role_the_later_features_need_exists():
    assert {"council_officer", "finance_approver", "facilitator", "community_commissioner",
            "civic_commissioner", "business_commissioner", "grant_panel_member",
            "resident"} <= set(rules.ROLES)


def test_members_only_space_is_hidden_from_strangers_and_people_elsewhere():
    stranger = person(5, in_space(99, "facilitator"))
    assert not rules.can(None, "view_space", COMMISSION)
    assert not rules.can(stranger, "view_space", COMMISSION)
    assert rules.can(person(6, in_space(1, "community_commissioner")), "view_space", COMMISSION)


def test_public_space_is_visible_to_anyone_but_its_people_only_to_members():
    assert rules.can(None, "view_space", PUBLIC_ROUND)
    assert not rules.can(None, "view_members", PUBLIC_ROUND)
    assert rules.can(person(7, in_space(2, "resident")), "view_members", PUBLIC_ROUND)


def test_having_left_takes_away_access():
    assert not rules.can(person(8, in_space(1, "civic_commissioner", "left")), "view_space",
                         COMMISSION)
    assert rules.can(person(8, in_space(1, "civic_commissioner", "stepping_back")), "view_space",
                     COMMISSION)


def test_council_officer_of_the_host_sees_its_spaces_but_cannot_manage_them():
    officer = person(9, in_org(10, "council_officer"))
    assert rules.can(officer, "view_space", COMMISSION)
    assert not rules.can(officer, "manage_space", COMMISSION)
    assert not rules.can(person(9, in_org(11, "council_officer")), "view_space", COMMISSION)


def test_only_facilitators_and_admins_manage_a_space():
    assert rules.can(person(1, in_space(1, "facilitator")), "manage_space", COMMISSION)
    assert rules.can(person(2, admin=True), "manage_space", COMMISSION)
    assert not rules.can(person(3, in_space(1, "community_commissioner")), "manage_space",
                         COMMISSION)


def test_a_deactivated_person_can_do_nothing():
    assert not rules.can(person(1, in_space(1, "facilitator"), active=False), "view_space",
                         COMMISSION)


def test_facilitator_may_assist_members_of_their_own_space_only():
    facilitator = person(1, in_space(1, "facilitator"))
    member = person(2, in_space(1, "community_commissioner"))
    elsewhere = person(3, in_space(5, "community_commissioner"))
    assert rules.can(facilitator, "assist", (COMMISSION, member))
    assert not rules.can(facilitator, "assist", (COMMISSION, elsewhere))
    assert not rules.can(facilitator, "assist", (COMMISSION, facilitator))
    assert not rules.can(member, "assist", (COMMISSION, facilitator))


def test_access_needs_are_seen_by_the_person_and_their_facilitators_only():
    jade = person(2, in_space(1, "community_commissioner"))
    assert rules.can(jade, "see_access_needs", jade)
    assert rules.can(person(1, in_space(1, "facilitator")), "see_access_needs", jade)
    assert not rules.can(person(3, in_space(1, "civic_commissioner")), "see_access_needs", jade)
    assert not rules.can(person(4, in_space(7, "facilitator")), "see_access_needs", jade)
    assert not rules.can(person(5, in_org(10, "council_officer")), "see_access_needs", jade)


def test_unknown_actions_are_a_programming_error():
    with pytest.raises(KeyError):
        rules.can(None, "launch_rockets", None)


def test_no_more_than_three_facilitators_in_a_commission():
    offered = rules.roles_a_facilitator_may_give(COMMISSION, ["facilitator"] * 3)
    assert "facilitator" not in [r.key for r in offered]
    offered = rules.roles_a_facilitator_may_give(COMMISSION, ["facilitator"] * 2)
    assert "facilitator" in [r.key for r in offered]


def test_commission_roles_are_offered_in_a_commission_and_resident_in_a_round():
    commission_roles = [r.key for r in rules.roles_for_space_kind("commission")]
    round_roles = [r.key for r in rules.roles_for_space_kind("grant_round")]
    assert "community_commissioner" in commission_roles and "resident" not in commission_roles
    assert "resident" in round_roles and "community_commissioner" not in round_roles


@pytest.mark.parametrize("typed", ["abcd-efgh", "ABCD EFGH", " abcdefgh ", "AbCd-EfGh"])
def test_paper_codes_are_forgiving_about_case_spaces_and_dashes(typed):
    assert rules.normalise_code(typed) == "ABCD-EFGH"


def test_paper_codes_avoid_characters_that_look_alike():
    for _ in range(200):
        code = rules.new_paper_code()
        assert len(code) == 9 and code[4] == "-"
        assert not set(code.replace("-", "")) & set("0O1IL5S2Z")


def test_tokens_are_usable_once_and_only_until_they_expire():
    now = datetime(2026, 11, 22, 12, tzinfo=UTC)
    fresh = NS(used_at=None, expires_at=now + timedelta(minutes=1))
    assert rules.token_usable(fresh, now)
    assert not rules.token_usable(NS(used_at=now, expires_at=now + timedelta(hours=1)), now)
    assert not rules.token_usable(NS(used_at=None, expires_at=now), now)
    assert not rules.token_usable(None, now)


def test_secrets_are_stored_as_hashes():
    secret = rules.new_link_secret()
    assert rules.hash_secret(secret) != secret and len(rules.hash_secret(secret)) == 64


@pytest.mark.parametrize("password,ok", [
    ("short", False),
    ("aaaaaaaaaaaa", False),
    ("sam@example.org", False),
    ("kettle orchard lantern", True),
])
def test_password_rules(password, ok):
    assert (rules.password_problem(password, "sam@example.org") is None) is ok


def test_paper_codes_only_for_members_without_email_from_their_facilitators():
    facilitator = person(1, in_space(1, "facilitator"))
    dot = NS(id=2, email=None, memberships=[in_space(1, "community_commissioner")])
    jade = NS(id=3, email="jade@example.org", memberships=[in_space(1, "community_commissioner")])
    kim = NS(id=4, email=None, memberships=[in_space(9, "resident")])
    assert rules.can(facilitator, "issue_paper_code", (COMMISSION, dot))
    assert not rules.can(facilitator, "issue_paper_code", (COMMISSION, jade))
    assert not rules.can(facilitator, "issue_paper_code", (COMMISSION, kim))
    assert not rules.can(person(5, in_space(1, "civic_commissioner")), "issue_paper_code",
                         (COMMISSION, dot))


def test_a_profile_is_edited_by_its_owner_or_a_facilitator_of_their_space():
    jade = person(2, in_space(1, "community_commissioner"))
    assert rules.can(jade, "edit_profile", jade)
    assert rules.can(person(1, in_space(1, "facilitator")), "edit_profile", jade)
    assert not rules.can(person(3, in_space(1, "civic_commissioner")), "edit_profile", jade)
    assert not rules.can(None, "edit_profile", jade)
