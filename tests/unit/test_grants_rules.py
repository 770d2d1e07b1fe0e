"""The grants rules (grants/rules.py) without Flask or a database: the steps a grant goes
through, who may do what, what a panel decided, how much may move, and what is left before
both sides sign. Expectations are written out by hand, not computed by the rules."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS

import pytest

from participate.grants import rules

COUNCIL, OTHER, FUND_SPACE = 10, 20, 1


def person(pid, *memberships, admin=False):
    return NS(
        id=pid,
        is_site_admin=admin,
        memberships=[
            NS(space_id=s, organisation_id=o, role=r, status=st) for s, o, r, st in memberships
        ],
    )


OFFICER = person(1, (None, COUNCIL, "council_officer", "active"))
FINANCE = person(2, (None, COUNCIL, "finance_approver", "active"))
FINANCE_2 = person(3, (None, COUNCIL, "finance_approver", "active"))
PANEL = person(4, (FUND_SPACE, None, "grant_panel_member", "active"))
GRANTEE = person(5)
OTHER_OFFICER = person(6, (None, OTHER, "council_officer", "active"))
LEFT_PANEL = person(7, (FUND_SPACE, None, "grant_panel_member", "left"))
ADMIN = person(8, admin=True)
# Someone who is both an officer and a finance approver cannot approve what they asked for.
OFFICER_AND_FINANCE = person(
    9, (None, COUNCIL, "council_officer", "active"), (None, COUNCIL, "finance_approver", "active")
)


def fund(**settings):
    values = dict(
        status="open",
        space=NS(id=FUND_SPACE, organisation_id=COUNCIL, visibility="public"),
        opens_on=None,
        ends_on=date(2028, 3, 31),
        closure_window_months=6,
        reminder_months=3,
        micro_limit=50_000,
        max_grant=None,
        two_approvals_above=500_000,
        reallocation_limit=30_000,
        decides_by="panel",
    )
    values.update(settings)
    return NS(**values)


def grant(status="applied", applicant=GRANTEE, **fields):
    values = dict(
        status=status,
        applicant_id=applicant.id,
        fund=fund(),
        ends_on=None,
        planned_end=None,
        recipient_kind="organisation",
        recipient_name="Northside Families Group",
        name_public=False,
    )
    values.update(fields)
    return NS(**values)


def payment(requested_by=OFFICER, status="requested", approvals=(), needed=1):
    return NS(
        status=status,
        requested_by_id=requested_by.id,
        approvals=[NS(person_id=p.id) for p in approvals],
        approvals_needed=needed,
    )


# --- steps -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, action, target",
    [
        ("applied", "award", "awarded"),
        ("applied", "decline", "declined"),
        ("awarded", "accept", "active"),
        ("active", "start_closure", "closing"),
        ("closing", "close", "closed"),
        ("awarded", "cancel", "cancelled"),
        ("active", "cancel", "cancelled"),
        ("closing", "cancel", "cancelled"),
    ],
)
def test_each_step_goes_where_it_should(status, action, target):
    assert rules.next_status(status, action) == target


@pytest.mark.parametrize(
    "status, action",
    [
        ("declined", "award"),
        ("closed", "cancel"),
        ("cancelled", "accept"),
        ("applied", "accept"),
        ("active", "close"),
        ("applied", "cancel"),
    ],
)
def test_a_step_from_the_wrong_place_is_refused(status, action):
    assert not rules.can_move(status, action)
    with pytest.raises(ValueError):
        rules.next_status(status, action)


@pytest.mark.parametrize(
    "status, kind, allowed",
    [
        ("applied", "award", True),
        ("active", "award", False),
        ("awarded", "payment", False),
        ("active", "payment", True),
        ("closing", "payment", True),
        ("cancelled", "payment", False),
        ("cancelled", "return", True),
        ("cancelled", "release", True),
        ("closed", "return", False),
        ("closed", "release", False),
        ("closed", "reversal", False),
        ("closed", "payment", False),
    ],
)
def test_which_money_may_move_for_a_grant(status, kind, allowed):
    assert rules.accepts_money(status, kind) is allowed


# --- who is who ------------------------------------------------------------------------------


def test_who_runs_a_fund():
    f = fund()
    assert rules.manages(OFFICER, f) and rules.manages(ADMIN, f)
    assert not rules.manages(OTHER_OFFICER, f)
    assert not rules.manages(FINANCE, f)
    assert not rules.manages(None, f)
    assert rules.approves_payments(FINANCE, f) and not rules.approves_payments(OFFICER, f)
    assert rules.on_panel(PANEL, f) and not rules.on_panel(LEFT_PANEL, f)


def test_a_draft_fund_is_seen_only_by_the_people_who_run_it():
    draft = fund(status="draft")
    assert rules.can_view_fund(OFFICER, draft)
    assert not rules.can_view_fund(None, draft)
    assert not rules.can_view_fund(PANEL, draft)
    assert rules.can_view_fund(None, fund(status="open"))


def test_who_sees_a_grant():
    g = grant()
    for who in (OFFICER, FINANCE, PANEL, GRANTEE):
        assert rules.can_view_grant(who, g), who
    for who in (OTHER_OFFICER, LEFT_PANEL, person(99), None):
        assert not rules.can_view_grant(who, g), who


def test_applications_open_only_while_the_fund_is_open_and_before_closure():
    f = fund(opens_on=date(2026, 4, 1))
    assert not rules.applications_open(f, date(2026, 3, 31))
    assert rules.applications_open(f, date(2026, 4, 1))
    assert rules.closure_starts(f) == date(2027, 9, 30)
    assert not rules.applications_open(f, date(2027, 9, 30))
    assert not rules.applications_open(fund(status="paused"), date(2026, 5, 1))
    assert not rules.can_apply(None, f, date(2026, 5, 1))


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2028, 3, 31), -6, date(2027, 9, 30)),
        (date(2028, 3, 31), -1, date(2028, 2, 29)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
    ],
)
def test_months_are_added_keeping_the_day_where_it_exists(day, months, expected):
    assert rules.add_months(day, months) == expected


# --- deciding --------------------------------------------------------------------------------


def decl(who, interest):
    return NS(person_id=who.id, has_interest=interest)


def view(who, choice):
    return NS(person_id=who.id, choice=choice)


def test_a_panel_member_declares_before_giving_a_view_and_steps_out_with_an_interest():
    g = grant()
    assert rules.can_declare(PANEL, g)
    assert not rules.can_give_view(PANEL, g, [])
    assert rules.can_give_view(PANEL, g, [decl(PANEL, False)])
    assert not rules.can_give_view(PANEL, g, [decl(PANEL, True)])
    assert not rules.can_declare(OFFICER, g)
    assert not rules.can_declare(PANEL, grant("awarded"))


def test_more_than_half_of_those_deciding_must_agree():
    members = [11, 12, 13, 14, 15]
    out = [NS(person_id=15, has_interest=True), NS(person_id=14, has_interest=False)]
    views = [NS(person_id=11, choice="fund"), NS(person_id=12, choice="fund")]
    count = rules.panel_count(members, out, views, micro=False)
    assert (count.deciding, count.stepped_out, count.needed, count.outcome) == (4, 1, 3, None)
    views.append(NS(person_id=13, choice="fund"))
    assert rules.panel_count(members, out, views, micro=False).outcome == "fund"


def test_a_view_from_a_member_who_stepped_out_does_not_count():
    members = [11, 12, 13]
    declarations = [NS(person_id=13, has_interest=True)]
    views = [NS(person_id=13, choice="fund"), NS(person_id=11, choice="fund")]
    count = rules.panel_count(members, declarations, views, micro=False)
    assert (count.fund, count.outcome) == (1, None)
    views.append(NS(person_id=12, choice="fund"))
    assert rules.panel_count(members, declarations, views, micro=False).outcome == "fund"


def test_a_micro_grant_needs_one_view_and_a_tie_decides_nothing():
    assert rules.panel_count([1, 2, 3], [], [NS(person_id=1, choice="not_fund")],
                             micro=True).outcome == "not_fund"
    tie = [NS(person_id=1, choice="fund"), NS(person_id=2, choice="not_fund")]
    assert rules.panel_count([1, 2, 3, 4], [], tie, micro=False).outcome is None


def test_someone_who_declared_an_interest_cannot_record_the_decision():
    g = grant()
    assert rules.can_decide(OFFICER, g, [])
    assert not rules.can_decide(OFFICER, g, [decl(OFFICER, True)])
    assert not rules.can_decide(FINANCE, g, [])
    assert not rules.can_decide(OFFICER, grant(applicant=OFFICER), [])


# --- money -----------------------------------------------------------------------------------


def test_award_and_application_amounts():
    assert rules.award_problems(10_000, 10_000, 50_000) == []
    assert [p.field for p in rules.award_problems(0, 10_000, 50_000)] == ["amount"]
    assert rules.award_problems(10_001, 10_000, 50_000)[0].message.startswith("Award no more")
    assert rules.award_problems(10_000, 20_000, 9_999)[0].params == {"available": 9_999}
    assert rules.application_problems(60_000, fund(max_grant=50_000), 100_000)[0].params == {
        "most": 50_000
    }
    assert rules.application_problems(None, fund(), 1)[0].field == "amount"


def test_two_approvals_above_the_funds_amount():
    f = fund()
    assert rules.approvals_needed(f, 500_000) == 1
    assert rules.approvals_needed(f, 500_001) == 2
    assert rules.approvals_needed(fund(two_approvals_above=None), 10**9) == 1


def test_the_requester_never_approves_their_own_payment():
    g = grant("active")
    asked_by_finance = payment(requested_by=OFFICER_AND_FINANCE)
    assert not rules.can_approve(OFFICER_AND_FINANCE, asked_by_finance, g)
    assert rules.can_approve(FINANCE, asked_by_finance, g)
    assert not rules.can_approve(FINANCE, payment(approvals=[FINANCE], needed=2), g)
    assert rules.can_approve(FINANCE_2, payment(approvals=[FINANCE], needed=2), g)
    assert not rules.can_approve(OFFICER, payment(requested_by=FINANCE), g)
    assert not rules.can_approve(FINANCE, payment(status="approved"), g)
    assert not rules.can_approve(FINANCE, payment(), grant("active", applicant=FINANCE))


def test_fully_approved_counts_different_people():
    assert not rules.fully_approved(payment(approvals=[FINANCE], needed=2))
    assert rules.fully_approved(payment(approvals=[FINANCE, FINANCE_2], needed=2))


def test_a_tranche_is_no_more_than_is_left_to_ask_for():
    assert rules.payment_problems(5_000, unpaid=10_000, pending=5_000) == []
    assert rules.payment_problems(5_001, unpaid=10_000, pending=5_000)[0].params == {"left": 5_000}
    assert rules.payment_problems(-1, 10_000, 0)[0].field == "amount"
    assert rules.can_request_payment(OFFICER, grant("active"))
    assert not rules.can_request_payment(OFFICER, grant("awarded"))
    assert not rules.can_request_payment(GRANTEE, grant("active"))


def test_returns_and_reallocations():
    assert rules.return_problems(100, held=100) == []
    assert rules.return_problems(101, held=100)[0].params == {"held": 100}
    assert rules.reallocation_problems(300, from_line_now=1_000, limit=300) == []
    assert "changes the agreement" in rules.reallocation_problems(301, 1_000, 300)[0].message
    assert rules.reallocation_problems(500, 400, 1_000)[0].params == {"left": 400}
    asked = NS(status="requested", requested_by_id=OFFICER.id)
    assert not rules.can_decide_reallocation(OFFICER, asked, grant("active"))
    assert rules.can_decide_reallocation(ADMIN, asked, grant("active"))


# --- closing ---------------------------------------------------------------------------------


def closure(**done):
    values = dict(
        report_at=None,
        reviewed_at=None,
        conversation_on=None,
        letter=None,
        letter_version=0,
        funder_signed_version=None,
        grantee_signed_version=None,
    )
    values.update(done)
    return NS(**values)


DONE = dict(report_at=1, reviewed_at=1, conversation_on=1, letter={"legal": "..."},
            letter_version=1)


def test_every_closure_step_must_be_done_before_anyone_signs():
    c = closure(**DONE)
    steps = rules.closure_steps(c, open_issues=0, open_comments=0, unpaid=0, pending_payments=0)
    assert [s.key for s in steps] == [
        "report", "review", "conversation", "letter", "comments", "issues", "money"
    ]
    assert rules.ready_to_sign(steps)
    g = grant("closing")
    assert rules.can_sign(OFFICER, g, "funder", steps, c)
    assert rules.can_sign(GRANTEE, g, "grantee", steps, c)
    assert not rules.can_sign(GRANTEE, g, "funder", steps, c)
    assert not rules.can_sign(OFFICER, g, "grantee", steps, c)
    for blocker in (dict(open_issues=1), dict(open_comments=1), dict(unpaid=1),
                    dict(pending_payments=1)):
        counts = dict(open_issues=0, open_comments=0, unpaid=0, pending_payments=0) | blocker
        assert not rules.ready_to_sign(rules.closure_steps(c, **counts)), blocker


def test_both_must_sign_the_letter_as_it_stands():
    c = closure(**DONE, funder_signed_version=1, grantee_signed_version=1)
    assert rules.both_signed(c)
    edited = closure(**{**DONE, "letter_version": 2}, funder_signed_version=1,
                     grantee_signed_version=1)
    assert not rules.both_signed(edited)
    steps = rules.closure_steps(edited, open_issues=0, open_comments=0, unpaid=0,
                                pending_payments=0)
    assert rules.can_sign(OFFICER, grant("closing"), "funder", steps, edited)


def test_when_a_grant_ends_and_reminders_start():
    g = grant("active", planned_end=date(2028, 1, 31))
    assert rules.grant_ends(g) == date(2027, 9, 30)  # never after the closure window starts
    early = grant("active", ends_on=date(2027, 3, 31))
    assert rules.grant_ends(early) == date(2027, 3, 31)
    assert not rules.reminder_due(early, date(2026, 12, 30))
    assert rules.reminder_due(early, date(2026, 12, 31))
    assert not rules.reminder_due(grant("closing", ends_on=date(2027, 3, 31)), date(2027, 3, 1))


def test_a_person_is_named_in_public_only_if_they_chose():
    assert rules.public_recipient(grant(recipient_kind="individual", recipient_name="Ann")) is None
    assert rules.public_recipient(
        grant(recipient_kind="individual", recipient_name="Ann", name_public=True)) == "Ann"
    assert rules.public_recipient(grant()) == "Northside Families Group"


def test_a_panel_member_who_applied_steps_out_of_their_own_application():
    own = grant(applicant=PANEL)
    assert not rules.can_declare(PANEL, own)
    assert not rules.can_give_view(PANEL, own, [decl(PANEL, False)])
    count = rules.panel_count([PANEL.id, 11, 12], [], [], micro=False, applicant_id=PANEL.id)
    assert (count.deciding, count.stepped_out, count.needed) == (2, 1, 2)


def test_a_micro_grant_needs_one_and_says_so():
    assert rules.panel_count([1, 2, 3, 4], [], [], micro=True).needed == 1
    assert rules.panel_count([1, 2, 3, 4], [], [], micro=False).needed == 3


def test_the_grantee_never_refuses_their_own_payment_and_finished_grants_move_no_lines():
    finance_grantee = grant("active", applicant=FINANCE)
    assert not rules.can_refuse(FINANCE, payment(), finance_grantee)
    assert rules.can_refuse(FINANCE_2, payment(), finance_grantee)
    asked = NS(status="requested", requested_by_id=GRANTEE.id)
    assert rules.can_decide_reallocation(OFFICER, asked, grant("active"))
    assert not rules.can_decide_reallocation(OFFICER, asked, grant("closed"))


def test_a_members_only_fund_is_seen_by_its_members_finance_and_managers():
    members_only = fund(space=NS(id=FUND_SPACE, organisation_id=COUNCIL, visibility="members"))
    for who in (OFFICER, ADMIN, PANEL, FINANCE):
        assert rules.can_view_fund(who, members_only), who
    for who in (None, GRANTEE, OTHER_OFFICER, LEFT_PANEL):
        assert not rules.can_view_fund(who, members_only), who


def test_who_runs_a_grant_and_who_takes_part_in_closing_it():
    g = grant("closing")
    assert rules.runs_grant(OFFICER, g) and not rules.runs_grant(GRANTEE, g)
    assert not rules.runs_grant(OFFICER, grant("closing", applicant=OFFICER))
    assert rules.takes_part(GRANTEE, g) and rules.takes_part(OFFICER, g)
    assert not rules.takes_part(PANEL, g) and not rules.takes_part(FINANCE, g)
