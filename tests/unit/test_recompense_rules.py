"""Recompense rules called directly: amounts, separation of duties, who sees whose payments,
expense amounts, and what a statement for a benefits adviser lists."""

from datetime import UTC, date, datetime
from types import SimpleNamespace as NS

import pytest

from participate.commissions import rules


def member(space_id, role, status="active"):
    return NS(space_id=space_id, organisation_id=None, role=role, status=status)


def in_org(org_id, role):
    return NS(space_id=None, organisation_id=org_id, role=role, status="active")


def person(pid, *memberships):
    return NS(id=pid, is_site_admin=False, active=True, memberships=list(memberships))


COMMISSION = NS(
    space_id=1,
    phase="together",
    hosts=[NS(organisation_id=10)],
    involvement_rate_pence=2500,
    reduced_rate_pence=1000,
)
JADE = person(1, member(1, "community_commissioner"))
DOT = person(2, member(1, "community_commissioner"))
OWEN = person(3, member(1, "civic_commissioner"))
SAM = person(4, member(1, "facilitator"))
FRAN = person(5, in_org(10, "finance_approver"))
# A finance approver who is also a facilitator of the commission, and is paid by it.
PAT = person(6, in_org(10, "finance_approver"), member(1, "facilitator"))
ELSEWHERE = person(7, in_org(99, "finance_approver"))


def rec(pid=1, kind="involvement", status="approved", pence=2500, on=date(2026, 3, 4), **extra):
    values = dict(
        id=extra.pop("id", 1),
        person_id=pid,
        kind=kind,
        status=status,
        amount_pence=pence,
        happened_on=on,
        recorded_at=datetime(2026, 5, 1, tzinfo=UTC),
        recorded_by_id=4,
        session=None,
        session_id=None,
        choice="cash" if kind == "involvement" else None,
        expense_type="travel" if kind == "expense" else None,
    )
    values.update(extra)
    return NS(**values)


# --- amounts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "pence"), [("cash", 2500), ("voucher", 2500), ("reduced", 1000), ("decline", 0)]
)
def test_involvement_amount_comes_from_the_commission_rates(choice, pence):
    assert rules.involvement_amount(choice, COMMISSION) == pence


def test_an_unknown_choice_is_refused():
    with pytest.raises(ValueError):
        rules.involvement_amount("crypto", COMMISSION)


@pytest.mark.parametrize(
    ("typed", "pence"),
    [("4.80", 480), ("£4.80", 480), ("4.8", 480), ("12", 1200), ("1,250.00", 125000)],
)
def test_expense_amounts_are_read_as_pence(typed, pence):
    assert rules.read_expense_amount(typed) == (pence, None)


@pytest.mark.parametrize("typed", ["", "four pounds", "4.805", "-3", "4,80p", None])
def test_an_expense_that_isnt_money_gets_a_plain_message(typed):
    pence, problem = rules.read_expense_amount(typed)
    assert pence is None and "like 4.80" in problem


def test_an_expense_cant_be_nothing_or_enormous():
    assert rules.read_expense_amount("0.00")[1].startswith("The amount can't be nothing")
    pence, problem = rules.read_expense_amount("10000.01")
    assert pence is None and "%(most)s" in problem
    assert rules.read_expense_amount("10000.00") == (rules.MAX_EXPENSE_PENCE, None)


def test_a_payment_is_for_a_session_or_a_dated_activity():
    assert rules.occasion_problems(7, None, None) == {}
    assert rules.occasion_problems(None, "Council committee", date(2026, 3, 4)) == {}
    assert set(rules.occasion_problems(None, "  ", None)) == {"activity", "happened_on"}
    assert set(rules.occasion_problems(None, "Council committee", None)) == {"happened_on"}


def test_nobody_is_paid_twice_for_one_session():
    records = [rec(pid=1, session_id=9), rec(pid=2, session_id=9, status="rejected")]
    assert rules.already_paid_for(records, 1, 9)
    assert not rules.already_paid_for(records, 2, 9)  # the earlier one wasn't approved
    assert not rules.already_paid_for(records, 1, 10)
    expense = [rec(pid=3, kind="expense", session_id=9)]
    assert not rules.already_paid_for(expense, 3, 9)  # expenses are separate


# --- separation of duties --------------------------------------------------------------------


def test_facilitators_record_and_a_hosts_finance_approver_approves():
    assert rules.can(SAM, "record_recompense", COMMISSION)
    assert not rules.can(SAM, "approve_recompense", COMMISSION)
    assert rules.can(FRAN, "approve_recompense", COMMISSION)
    assert not rules.can(FRAN, "record_recompense", COMMISSION)
    assert not rules.can(ELSEWHERE, "approve_recompense", COMMISSION)
    for someone in (JADE, OWEN):
        assert not rules.can(someone, "record_recompense", COMMISSION)
        assert not rules.can(someone, "approve_recompense", COMMISSION)


def test_an_approver_never_decides_their_own_recording_or_their_own_payment():
    recorded_by_sam = rec(pid=1, status="recorded", recorded_by_id=SAM.id)
    assert rules.can_decide_recompense(FRAN, recorded_by_sam, COMMISSION)
    assert rules.can_decide_recompense(PAT, recorded_by_sam, COMMISSION)
    recorded_by_pat = rec(pid=1, status="recorded", recorded_by_id=PAT.id)
    assert not rules.can_decide_recompense(PAT, recorded_by_pat, COMMISSION)
    paid_to_pat = rec(pid=PAT.id, status="recorded", recorded_by_id=SAM.id)
    assert not rules.can_decide_recompense(PAT, paid_to_pat, COMMISSION)
    assert rules.can_decide_recompense(FRAN, paid_to_pat, COMMISSION)


def test_a_decided_record_is_not_decided_again_and_others_cant_decide():
    for status in ("approved", "rejected"):
        assert not rules.can_decide_recompense(FRAN, rec(status=status), COMMISSION)
    for someone in (SAM, JADE, OWEN, ELSEWHERE):
        assert not rules.can_decide_recompense(someone, rec(status="recorded"), COMMISSION)


def test_not_approving_needs_a_reason():
    assert rules.decision_problems("approve", "") == {}
    assert rules.decision_problems("reject", "Wrong session") == {}
    assert set(rules.decision_problems("reject", "  ")) == {"note"}
    assert set(rules.decision_problems("maybe", "")) == {"decision"}


# --- privacy ---------------------------------------------------------------------------------


def test_only_the_member_facilitators_and_approvers_see_someones_payments():
    assert rules.can_see_recompense_of(JADE, JADE, COMMISSION)
    assert rules.can_see_recompense_of(SAM, JADE, COMMISSION)
    assert rules.can_see_recompense_of(FRAN, JADE, COMMISSION)
    for someone in (DOT, OWEN, ELSEWHERE, None):
        assert not rules.can_see_recompense_of(someone, JADE, COMMISSION)


# --- the statement ---------------------------------------------------------------------------


def test_statement_keeps_payments_and_expenses_apart_and_counts_only_approved():
    records = [
        rec(id=1, pence=2500, on=date(2026, 3, 4)),
        rec(id=2, pence=1000, on=date(2026, 2, 4), choice="reduced"),
        rec(id=3, pence=0, on=date(2026, 4, 4), choice="decline"),
        rec(id=4, pence=2500, status="recorded", on=date(2026, 5, 4)),
        rec(id=5, pence=2500, status="rejected", on=date(2026, 1, 4)),
        rec(id=6, kind="expense", pence=640, on=date(2026, 3, 4)),
        rec(id=7, kind="expense", pence=1800, expense_type="childcare", on=date(2026, 3, 4)),
        rec(id=8, kind="expense", pence=300, status="recorded", on=date(2026, 5, 4)),
    ]
    lines = rules.statement_lines(records)
    assert [r.id for r in lines.payments] == [2, 1]  # oldest first; declined left out
    assert [r.id for r in lines.expenses] == [6, 7]
    assert lines.totals.involvement_approved == 3500
    assert lines.totals.expenses_approved == 2440
    assert lines.totals.expenses_by_type == {"travel": 640, "childcare": 1800}
    assert (lines.totals.involvement_waiting, lines.totals.expenses_waiting) == (2500, 300)
    # The period runs from the first to the last day with something not rejected.
    assert (lines.starts_on, lines.ends_on) == (date(2026, 2, 4), date(2026, 5, 4))


def test_statement_for_a_period():
    records = [rec(id=i, on=date(2026, m, 1)) for i, m in enumerate((1, 2, 3, 4), start=1)]
    lines = rules.statement_lines(records, date(2026, 2, 1), date(2026, 3, 31))
    assert [r.id for r in lines.payments] == [2, 3]
    assert lines.totals.involvement_approved == 5000
    assert (lines.starts_on, lines.ends_on) == (date(2026, 2, 1), date(2026, 3, 31))


def test_an_empty_statement_has_no_period():
    lines = rules.statement_lines([])
    assert lines.payments == lines.expenses == []
    assert lines.starts_on is None and lines.ends_on is None


def test_the_day_of_a_record_is_its_date_or_its_sessions_or_when_it_was_recorded():
    session = NS(starts_at=datetime(2026, 3, 10, 10, tzinfo=UTC))
    assert rules.day_of(rec(on=date(2026, 3, 9), session=session)) == date(2026, 3, 9)
    assert rules.day_of(rec(on=None, session=session)) == date(2026, 3, 10)
    assert rules.day_of(rec(on=None)) == date(2026, 5, 1)


def test_rates_are_typed_in_pounds_and_the_reduced_one_is_lower():
    from participate.commissions.rules import rate_problems

    assert rate_problems("25", "10.50") == ({}, 2500, 1050)
    assert set(rate_problems("abc", "")[0]) == {"rate", "reduced"}
    assert set(rate_problems("10", "10")[0]) == {"reduced"}
    assert set(rate_problems("0", "0")[0]) == {"rate"}
    assert set(rate_problems("600", "1")[0]) == {"rate"}
