"""The consent state machine, exhaustively: every action from every state by every role, with
and without each requirement. Expectations are written out here, not computed by the rules."""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from types import SimpleNamespace as NS

import pytest

from participate.decisions import rules
from participate.decisions.rules import Situation

SPACE = 1


def person(pid, role, status="active"):
    return NS(
        id=pid,
        active=True,
        is_site_admin=False,
        memberships=[NS(space_id=SPACE, organisation_id=None, role=role, status=status)],
    )


PEOPLE = {
    "proposer": person(1, "community_commissioner"),
    "community": person(2, "community_commissioner"),
    "civic": person(3, "civic_commissioner"),
    "business": person(4, "business_commissioner"),
    "facilitator": person(5, "facilitator"),
    "observer": person(6, "observer"),
    "stepping_back": person(7, "community_commissioner", status="stepping_back"),
    "outsider": NS(id=8, active=True, is_site_admin=True, memberships=[]),
    "signed_out": None,
}
CIRCLE = NS(space_id=SPACE, kind="commission", phase="action", opened_early=False)

# Which state each action starts from and where it goes, written out by hand.
FROM_TO = {
    "open_clarifying": ({"draft"}, "clarifying"),
    "open_reaction": ({"clarifying"}, "reaction"),
    "open_consent": ({"reaction"}, "consent"),
    "integrate": ({"consent"}, "integrating"),
    "retest": ({"integrating"}, "consent"),
    "adopt": ({"consent"}, "adopted"),
    "withdraw": ({"draft", "clarifying", "reaction", "consent", "integrating"}, "withdrawn"),
    "keep": ({"adopted"}, "adopted"),
    "revisit": ({"adopted"}, "reaction"),
    "end": ({"adopted"}, "ended"),
}
# Who may take each action (when its requirements are met).
WHO = {action: {"facilitator"} for action in FROM_TO}
WHO["withdraw"] = {"facilitator", "proposer"}

# A situation in which every requirement is met.
ALL_MET = Situation(
    members=6,
    answered=6,
    unchecked_paper=0,
    live_objections=0,
    amended_since_integration=True,
    round_open=True,
    review_due=True,
    reason="Because.",
)
# ...except that "integrate" needs an objection to work on.
WITH_OBJECTION = replace(ALL_MET, live_objections=1)


def proposal(state):
    return NS(state=state, proposer_id=1, quorum_percent=67)


def test_the_table_is_exactly_the_one_written_here():
    assert {a: (set(t.sources), t.target) for a, t in rules.TRANSITIONS.items()} == FROM_TO
    assert set(rules.STATES) == {
        "draft",
        "clarifying",
        "reaction",
        "consent",
        "integrating",
        "adopted",
        "withdrawn",
        "ended",
    }


@pytest.mark.parametrize("action,state,who", list(product(FROM_TO, rules.STATES, PEOPLE)))
def test_every_action_from_every_state_by_every_role(action, state, who):
    situation = WITH_OBJECTION if action == "integrate" else ALL_MET
    verdict = rules.check(action, PEOPLE[who], CIRCLE, proposal(state), situation)
    sources, _target = FROM_TO[action]
    expected = state in sources and who in WHO[action]
    assert bool(verdict) is expected
    if not expected:
        assert verdict.reasons == ()  # refused outright, nothing to explain


def test_unknown_actions_are_refused():
    assert not rules.check(
        "skip_to_the_end", PEOPLE["facilitator"], CIRCLE, proposal("draft"), ALL_MET
    )


@pytest.mark.parametrize("live", [1, 3])
def test_adoption_is_impossible_with_an_open_objection(live):
    verdict = rules.check(
        "adopt",
        PEOPLE["facilitator"],
        CIRCLE,
        proposal("consent"),
        replace(ALL_MET, live_objections=live),
    )
    assert not verdict
    assert verdict.reasons == (
        "An objection is still open. It has to be resolved or withdrawn first.",
    )


@pytest.mark.parametrize(
    "members,answered,met",
    [
        (6, 4, False),  # 66.7% < 67%
        (6, 5, True),
        (3, 2, False),
        (3, 3, True),
        (100, 67, True),
        (100, 66, False),
        (0, 0, False),  # nobody to decide: never adopted
    ],
)
def test_quorum(members, answered, met):
    situation = replace(ALL_MET, members=members, answered=answered)
    verdict = rules.check("adopt", PEOPLE["facilitator"], CIRCLE, proposal("consent"), situation)
    assert bool(verdict) is met
    if not met:
        assert verdict.reasons == ("Not enough of the circle has answered yet.",)


def test_paper_cards_count_only_once_checked():
    situation = replace(ALL_MET, unchecked_paper=2)
    verdict = rules.check("adopt", PEOPLE["facilitator"], CIRCLE, proposal("consent"), situation)
    assert not verdict
    assert "second person" in verdict.reasons[0]


def test_every_missing_requirement_is_explained_at_once():
    situation = Situation(members=6, answered=1, unchecked_paper=1, live_objections=2)
    verdict = rules.check("adopt", PEOPLE["facilitator"], CIRCLE, proposal("consent"), situation)
    assert len(verdict.reasons) == 3


@pytest.mark.parametrize(
    "action,requirement,situation",
    [
        ("integrate", "objection", replace(ALL_MET, live_objections=0)),
        ("retest", "amended", replace(ALL_MET, amended_since_integration=False)),
        ("withdraw", "reason", replace(ALL_MET, reason="   ")),
        ("end", "reason", replace(ALL_MET, reason="")),
        ("keep", "review", replace(ALL_MET, review_due=False)),
        ("revisit", "review", replace(ALL_MET, review_due=False)),
    ],
)
def test_each_requirement_stops_its_step(action, requirement, situation):
    state = next(iter(FROM_TO[action][0]))
    verdict = rules.check(action, PEOPLE["facilitator"], CIRCLE, proposal(state), situation)
    assert not verdict and len(verdict.reasons) == 1


@pytest.mark.parametrize(
    "phase,opened_early,unlocked",
    [
        ("together", False, False),
        ("community_only", False, False),
        ("together", True, True),
        ("action", False, True),
        ("embedding", False, True),
    ],
)
def test_commission_proposals_wait_for_the_action_phase(phase, opened_early, unlocked):
    circle = NS(space_id=SPACE, kind="commission", phase=phase, opened_early=opened_early)
    assert rules.can_propose(PEOPLE["community"], circle) is unlocked
    verdict = rules.check(
        "open_clarifying", PEOPLE["facilitator"], circle, proposal("draft"), ALL_MET
    )
    assert bool(verdict) is unlocked


def test_other_circles_decide_whenever_they_like():
    group = NS(space_id=SPACE, kind="group", phase=None, opened_early=False)
    resident = person(9, "resident")
    assert rules.can_propose(resident, group) and rules.decides(resident, group)
    assert not rules.decides(PEOPLE["community"], group)  # a commissioner role means nothing here


@pytest.mark.parametrize(
    "who,decides",
    [
        ("proposer", True),
        ("community", True),
        ("civic", True),
        ("business", True),
        ("facilitator", False),
        ("observer", False),
        ("stepping_back", False),
        ("outsider", False),
        ("signed_out", False),
    ],
)
def test_who_answers(who, decides):
    p = PEOPLE[who]
    assert rules.decides(p, CIRCLE) is decides
    assert rules.can_respond(p, CIRCLE, proposal("consent"), True, False) is decides
    assert rules.can_react(p, CIRCLE, proposal("reaction"), True, False) is decides
    assert rules.can_ask(p, CIRCLE, proposal("clarifying"), True) is decides


def test_a_member_cannot_answer_twice_or_after_the_round_closes():
    member = PEOPLE["civic"]
    assert rules.can_respond(member, CIRCLE, proposal("consent"), round_open=True, already=False)
    assert not rules.can_respond(member, CIRCLE, proposal("consent"), round_open=True, already=True)
    assert not rules.can_respond(
        member, CIRCLE, proposal("consent"), round_open=False, already=False
    )
    assert not rules.can_react(member, CIRCLE, proposal("reaction"), True, already=True)
    assert not rules.can_react(member, CIRCLE, proposal("reaction"), False, already=False)


def test_a_member_who_stepped_out_of_a_proposal_does_not_answer_it():
    member = PEOPLE["civic"]
    consent = proposal("consent")
    assert not rules.can_respond(member, CIRCLE, consent, True, False, stepped_out={member.id})
    assert rules.can_respond(member, CIRCLE, consent, True, False, stepped_out={member.id + 1})
    for state in set(rules.STATES) - {"consent"}:
        assert not rules.can_respond(member, CIRCLE, proposal(state), True, False)


@pytest.mark.parametrize(
    "answer,reason,problems",
    [
        ("consent", "", 0),
        ("stand_aside", "", 0),
        ("object", "It would harm us.", 0),
        ("object", "  ", 1),
        ("maybe", "", 1),
    ],
)
def test_an_objection_needs_a_reason(answer, reason, problems):
    assert len(rules.response_problems(answer, reason)) == problems


def test_only_the_objector_resolves_or_withdraws_their_objection():
    objection = NS(raised_by_id=3, status="open", name_in_public=False)
    assert rules.can_resolve(PEOPLE["civic"], objection)
    for who in ("proposer", "facilitator", "community", "signed_out"):
        assert not rules.can_resolve(PEOPLE[who], objection)
    for status in ("resolved", "withdrawn"):
        assert not rules.can_resolve(PEOPLE["civic"], NS(raised_by_id=3, status=status))


def test_the_proposer_and_facilitators_amend_at_the_right_times():
    for state in rules.STATES:
        may = state in ("reaction", "integrating")
        assert rules.can_amend(PEOPLE["proposer"], CIRCLE, proposal(state)) is may
        assert rules.can_amend(PEOPLE["facilitator"], CIRCLE, proposal(state)) is may
        assert not rules.can_amend(PEOPLE["civic"], CIRCLE, proposal(state))


def test_paper_cards_are_checked_by_a_second_person_in_the_circle():
    other = person(10, "facilitator")
    assert rules.can_check_paper(other, entered_by_id=5, circle=CIRCLE)
    assert rules.can_check_paper(PEOPLE["civic"], entered_by_id=5, circle=CIRCLE)
    assert not rules.can_check_paper(PEOPLE["facilitator"], entered_by_id=5, circle=CIRCLE)
    for who in ("observer", "outsider", "signed_out", "stepping_back"):
        assert not rules.can_check_paper(PEOPLE[who], entered_by_id=5, circle=CIRCLE)
    assert rules.CARD_ANSWERS == {"green": "consent", "amber": "stand_aside", "red": "object"}


def test_facilitators_record_for_members_in_the_room_only():
    assert rules.can_record_for(PEOPLE["facilitator"], PEOPLE["civic"], CIRCLE)
    assert not rules.can_record_for(PEOPLE["facilitator"], PEOPLE["observer"], CIRCLE)
    assert not rules.can_record_for(PEOPLE["community"], PEOPLE["civic"], CIRCLE)


def test_hidden_results_show_once_everyone_has_answered():
    assert not rules.results_visible(PEOPLE["civic"], CIRCLE, True, False)
    assert rules.results_visible(PEOPLE["civic"], CIRCLE, True, True)
    assert rules.results_visible(PEOPLE["civic"], CIRCLE, False, False)
    assert rules.results_visible(PEOPLE["facilitator"], CIRCLE, True, False)


def test_next_steps_lists_only_what_this_person_could_do():
    steps = rules.next_steps(PEOPLE["proposer"], CIRCLE, proposal("consent"), ALL_MET)
    assert [t.action for t, _v in steps] == ["withdraw"]
    steps = rules.next_steps(PEOPLE["facilitator"], CIRCLE, proposal("consent"), WITH_OBJECTION)
    assert {t.action: bool(v) for t, v in steps} == {
        "integrate": True,
        "adopt": False,
        "withdraw": True,
    }
    assert rules.next_steps(PEOPLE["civic"], CIRCLE, proposal("consent"), ALL_MET) == []


def test_facilitators_record_in_a_round_only_while_it_is_open():
    for state in rules.STATES:
        for kind in ("clarifying", "reaction", "consent"):
            expected = state == kind
            assert (
                rules.can_record_in_round(
                    PEOPLE["facilitator"], CIRCLE, proposal(state), kind, True
                )
                is expected
            )
            assert not rules.can_record_in_round(
                PEOPLE["facilitator"], CIRCLE, proposal(state), kind, False
            )
            assert not rules.can_record_in_round(
                PEOPLE["civic"], CIRCLE, proposal(state), kind, True
            )


def test_objections_in_a_hidden_round_show_only_to_their_objector():
    objection = NS(round_id=7, raised_by_id=3, status="open")
    assert rules.sees_objection(PEOPLE["civic"], objection, hidden_round_id=7)
    assert not rules.sees_objection(PEOPLE["community"], objection, hidden_round_id=7)
    assert not rules.sees_objection(None, objection, hidden_round_id=7)
    assert rules.sees_objection(PEOPLE["community"], objection, hidden_round_id=None)
    assert rules.sees_objection(PEOPLE["community"], objection, hidden_round_id=8)


def test_facilitators_and_the_proposer_note_how_an_open_objection_is_worked_on():
    p = proposal("integrating")
    for status, live in (
        ("open", True),
        ("integrating", True),
        ("resolved", False),
        ("withdrawn", False),
    ):
        objection = NS(status=status)
        for who, may in (("facilitator", True), ("proposer", True), ("civic", False)):
            person = PEOPLE[who]
            assert rules.can_note_objection(person, person, CIRCLE, p, objection) is (
                may and live
            ), (status, who)


@pytest.mark.parametrize(
    "percent,members,needed",
    [(67, 6, 5), (67, 3, 3), (50, 4, 2), (100, 5, 5), (1, 10, 1), (67, 0, 0)],
)
def test_quorum_needed_rounds_up(percent, members, needed):
    assert rules.quorum_needed(NS(quorum_percent=percent), members) == needed


def test_review_steps_are_offered_only_from_the_review_date():
    not_due = replace(ALL_MET, review_due=False)
    assert rules.next_steps(PEOPLE["facilitator"], CIRCLE, proposal("adopted"), not_due) == []
    due = rules.next_steps(PEOPLE["facilitator"], CIRCLE, proposal("adopted"), ALL_MET)
    assert [t.action for t, _v in due] == ["keep", "revisit", "end"]
