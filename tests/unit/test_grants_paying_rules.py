"""The Money tab's and ledger page's pure helpers: account names, approvals, who may try what,
and why a step is not open now."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS

import pytest

from participate.grants import paying_rules as pr


def test_accounts_are_named_in_plain_words():
    refs = {12: "chest-3"}
    assert pr.account_words("income", refs) == ("Money in", {})
    assert pr.account_words("available", refs) == ("Available", {})
    assert pr.account_words("committed:12", refs) == ("Promised to %(grant)s", {"grant": "chest-3"})
    assert pr.account_words("paid:12", refs) == ("Paid to %(grant)s", {"grant": "chest-3"})
    assert pr.account_words("returned:12", refs) == (
        "Returned from %(grant)s",
        {"grant": "chest-3"},
    )
    assert pr.account_words("paid:99", refs) == ("Paid to %(grant)s", {"grant": "#99"})
    assert pr.account_words("odd:x", refs) == ("Account %(code)s", {"code": "odd:x"})


def test_a_transaction_moved_the_sum_of_its_positive_postings():
    assert pr.moved([-5_000, 5_000]) == 5_000
    assert pr.moved([-3, 1, 2]) == 3
    assert pr.moved([]) == 0


def test_approvals_in_words():
    assert pr.approvals_words(1, []) == ("Needs one approval from a finance approver.", {})
    assert pr.approvals_words(2, [])[1] == {"needed": 2}
    assert pr.approvals_words(2, ["Tom"]) == (
        "%(count)s of %(needed)s approvals: %(names)s.",
        {"count": 1, "needed": 2, "names": "Tom"},
    )
    assert pr.approvals_words(2, ["Tom", "Ana"]) == (
        "Approved by %(names)s.",
        {"names": "Tom, Ana"},
    )


# People and things, as the rules see them.
ORG = 7


def _person(pid, *roles, admin=False):
    memberships = [NS(role=r, organisation_id=ORG, space_id=None, status="active") for r in roles]
    return NS(id=pid, is_site_admin=admin, memberships=memberships)


FUND = NS(space=NS(id=1, organisation_id=ORG), two_approvals_above=50_000)
GRANT = NS(fund=FUND, applicant_id=99, status="active")
OFFICER, TOM, ANA = (
    _person(1, "council_officer"),
    _person(2, "finance_approver"),
    _person(3, "finance_approver"),
)
ADMIN_APPROVER = _person(4, "finance_approver", admin=True)
GRANTEE, RESIDENT = _person(99), _person(50)


def _payment(by=1, status="requested", approvals=(), needed=2):
    return NS(
        requested_by_id=by,
        status=status,
        approvals_needed=needed,
        approvals=[NS(person_id=p) for p in approvals],
    )


def test_who_may_try_each_step():
    payment = _payment(by=OFFICER.id)
    assert pr.may_try("request", OFFICER, GRANT)
    assert not pr.may_try("request", TOM, GRANT)
    assert pr.may_try("approve", TOM, GRANT, payment)
    assert pr.may_try("approve", OFFICER, GRANT, payment)  # the requester: told why not
    assert pr.may_try("withdraw", OFFICER, GRANT, payment)
    assert not pr.may_try("withdraw", TOM, GRANT, payment)
    assert pr.may_try("mark_paid", TOM, GRANT) and pr.may_try("return", OFFICER, GRANT)
    for outsider in (GRANTEE, RESIDENT, None):
        for action in (
            "request",
            "approve",
            "refuse",
            "withdraw",
            "mark_paid",
            "return",
            "release",
            "cancel",
        ):
            assert not pr.may_try(action, outsider, GRANT, payment), (outsider, action)
    with pytest.raises(ValueError):
        pr.may_try("fly", OFFICER, GRANT)


def test_why_someone_sees_no_approve_button():
    mine = _payment(by=ADMIN_APPROVER.id)
    assert pr.approve_blocker(ADMIN_APPROVER, mine, GRANT) == (
        "Someone else must approve this: you asked for it."
    )
    once = _payment(by=OFFICER.id, approvals=[TOM.id])
    assert pr.approve_blocker(TOM, once, GRANT).startswith("You have approved this.")
    assert pr.approve_blocker(ANA, once, GRANT) is None
    assert pr.approve_refusal(ANA, once, GRANT) is None
    assert pr.approve_refusal(TOM, once, GRANT).startswith("You have approved this.")
    done = _payment(by=OFFICER.id, status="approved")
    assert pr.approve_refusal(ANA, done, GRANT) == "This payment is no longer waiting for approval."
    assert pr.refuse_refusal(ADMIN_APPROVER, mine, GRANT).startswith("Someone else decides")


def test_why_money_does_not_move_now():
    assert pr.movement_refusal("active", "payment") is None
    assert pr.movement_refusal("closed", "return").startswith("This grant is closed")
    assert pr.movement_refusal("cancelled", "payment").startswith("This grant is cancelled")
    assert pr.movement_refusal("cancelled", "return") is None
    assert pr.movement_refusal("awarded", "payment").startswith("Payments start once")
    assert pr.release_refusal(NS(status="active"), 0) == "Nothing is left unpaid to release."
    assert pr.release_refusal(NS(status="active"), 10) is None
    assert pr.release_refusal(NS(status="closed"), 10).startswith("This grant is closed")
    assert pr.release_refusal(NS(status="awarded"), 10) is not None
    assert pr.cancel_refusal(NS(status="closed")) is not None
    assert pr.cancel_refusal(NS(status="awarded")) is None
    assert pr.can_release(OFFICER, GRANT, 10) and not pr.can_release(OFFICER, GRANT, 0)
    assert not pr.can_release(TOM, GRANT, 10)


def test_a_day_is_given_and_not_in_the_future():
    today = date(2026, 5, 1)
    assert pr.day_problems("paid_on", today, today, "Give it.") == []
    assert pr.day_problems("paid_on", None, today, "Give it.")[0].message == "Give it."
    late = pr.day_problems("paid_on", date(2026, 5, 2), today, "Give it.")
    assert late[0].field == "paid_on" and "future" in late[0].message


def test_a_transaction_is_corrected_once_and_never_a_correction_or_a_closed_grant():
    payment, correction = NS(id=5, kind="payment"), NS(id=6, kind="reversal")
    assert pr.can_correct(payment, set(), "active")
    assert pr.can_correct(NS(id=1, kind="funding"), set(), None)
    assert not pr.can_correct(payment, {5}, "active")
    assert not pr.can_correct(correction, set(), "active")
    assert not pr.can_correct(payment, set(), "closed")
    assert pr.correct_refusal(payment, set(), "active") is None
    assert pr.correct_refusal(payment, {5}, "active") == "This transaction is already corrected."
    assert pr.correct_refusal(correction, set(), None).startswith("A correction")
    assert pr.correct_refusal(payment, set(), "closed").startswith("This grant is closed")
