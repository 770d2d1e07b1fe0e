"""The pure rules for deciding: declarations, consent outcomes, who takes an application to a
consent round, and which winners of a residents' vote become grants (all or nothing)."""

from __future__ import annotations

from types import SimpleNamespace as NS

from participate.grants import deciding_rules as dr
from participate.grants.rules import PanelCount


def test_a_declaration_says_which_and_an_interest_says_what():
    assert [p.field for p in dr.declaration_problems(None, None)] == ["declared"]
    assert [p.field for p in dr.declaration_problems("maybe", None)] == ["declared"]
    assert [p.field for p in dr.declaration_problems("interest", "  ")] == ["interest"]
    assert dr.declaration_problems("interest", "I know them") == []
    assert dr.declaration_problems("none", None) == []


def test_my_declaration_and_view_are_found_by_person():
    me, other = NS(id=1), NS(id=2)
    rows = [NS(person_id=2, has_interest=True), NS(person_id=1, has_interest=False)]
    assert dr.my_declaration(me, rows) is rows[1]
    assert dr.my_declaration(None, rows) is None
    assert dr.my_view(other, [NS(person_id=2, choice="fund")]).choice == "fund"
    assert dr.my_view(me, []) is None


def test_consent_outcomes():
    assert dr.consent_outcome("adopted") == "fund"
    assert dr.consent_outcome("withdrawn") == dr.consent_outcome("ended") == "not_fund"
    for state in (None, "draft", "consent", "integrating"):
        assert dr.consent_outcome(state) is None


def test_the_outcome_follows_the_funds_way_of_deciding():
    count = PanelCount(3, 0, 5, 0, "fund", 3)
    assert dr.outcome("panel", count, "withdrawn") == "fund"
    assert dr.outcome("panel", None, None) is None
    assert dr.outcome("consent", count, None) is None
    assert dr.outcome("consent", count, "adopted") == "fund"
    assert dr.outcome("residents", count, "adopted") is None


def _person(pid, *roles, organisation_id=7, admin=False):
    memberships = [
        NS(
            organisation_id=organisation_id,
            space_id=None,
            role=r,
            status="active",
            space=None,
            organisation=None,
        )
        for r in roles
    ]
    return NS(id=pid, is_site_admin=admin, memberships=memberships, active=True)


def test_only_an_admin_without_an_interest_takes_it_to_a_consent_round():
    fund = NS(decides_by="consent", space=NS(organisation_id=7, id=3), status="open")
    grant = NS(fund=fund, status="applied", proposal_id=None, applicant_id=99)
    admin = _person(1, admin=True)
    assert dr.can_take_to_consent(admin, grant, [])
    assert dr.can_take_to_consent(_person(2, "council_officer"), grant, [])
    assert not dr.can_take_to_consent(_person(3, "council_officer", organisation_id=8), grant, [])
    assert not dr.can_take_to_consent(_person(99, "council_officer"), grant, [])  # the grantee
    assert not dr.can_take_to_consent(admin, grant, [NS(person_id=1, has_interest=True)])
    assert not dr.can_take_to_consent(admin, NS(**{**vars(grant), "proposal_id": 4}), [])
    panel_fund = NS(**{**vars(fund), "decides_by": "panel"})
    assert not dr.can_take_to_consent(admin, NS(**{**vars(grant), "fund": panel_fund}), [])
    assert not dr.can_take_to_consent(None, grant, [])


def test_proposal_words_come_from_the_application():
    grant = NS(
        what="Breakfast on Saturdays.",
        who_for="Families",
        where_text="Northside",
        hope=None,
        recipient_name="Northside Families",
        title="Breakfast club",
        reference="chest-3",
    )
    words = dr.proposal_words(grant, "£1,000.00")
    assert "Breakfast on Saturdays." in words["driver"] and "Families" in words["driver"]
    assert "Northside" in words["driver"] and "hope" not in words["driver"]
    assert words["text"] == (
        'Award £1,000.00 to Northside Families for "Breakfast club" (application chest-3).'
    )


def test_winners_are_the_count_changed_by_the_councils_latest_decisions():
    assert dr.winners(["a", "b"], []) == ["a", "b"]
    assert dr.winners(["a", "b"], [("b", False)]) == ["a"]
    assert dr.winners(["a"], [("c", True)]) == ["a", "c"]
    assert dr.winners(["a"], [("a", False), ("a", True)]) == ["a"]
    assert dr.winners([], [("c", True), ("c", False)]) == []


def _project(pid, cost, author_id):
    return NS(id=pid, cost=cost, author_id=author_id)


def test_the_plan_makes_each_winner_once_and_only_if_the_fund_has_enough():
    author = NS(id=10, chosen_name="Bea")
    pots = [
        ("North", [_project(1, 3_000, 10), _project(2, 1_000, None)]),
        ("Harbour", [_project(3, 2_000, 10), _project(4, 0, 10), _project(5, 500, 10)]),
    ]
    plan = dr.plan_awards(pots, done_project_ids=[5], authors={10: author}, available=500_000)
    assert [w.project.id for w in plan.to_make] == [1, 3]
    assert [w.pence for w in plan.to_make] == [300_000, 200_000]
    assert [w.project.id for w in plan.no_author] == [2]
    assert [w.project.id for w in plan.free] == [4]
    assert [w.project.id for w in plan.done] == [5]
    assert plan.to_make[1].pot_name == "Harbour" and plan.to_make[0].author is author
    assert plan.needed == 500_000 and plan.enough and plan.short_by == 0

    short = dr.plan_awards(pots, [5], {10: author}, available=499_999)
    assert not short.enough and short.short_by == 1
