"""Pure helpers for the grant's Money tab and the fund's ledger page: who may try which
step, why a step is not open now (in plain words), how many approvals a payment has, and how
the ledger's accounts are named. No Flask, no database: ``paying.py`` asks these.

The rules themselves live in ``grants.rules``; this module only words and groups them for
the pages. Messages are marked with ``N_`` and translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from participate.grants import rules
from participate.problems import Problem
from participate.text import N_

# The ledger page shows the latest transactions, this many at most.
LEDGER_LIMIT = 200

# Unpaid money may be released for a grant in these statuses.
RELEASABLE = {"active", "closing", "cancelled"}

ACCOUNT_WORDS = {
    "income": N_("Money in"),
    "available": N_("Available"),
    "committed": N_("Promised to %(grant)s"),
    "paid": N_("Paid to %(grant)s"),
    "returned": N_("Returned from %(grant)s"),
}


def account_words(code: str, references: Mapping[int, str]) -> tuple[str, dict]:
    """An account's code in plain words, as (message, params) to translate where shown:
    ``committed:12`` → ("Promised to %(grant)s", {"grant": "chest-3"}). ``references`` maps
    grant ids to their references; an unknown grant shows as "#12"."""
    kind, _sep, grant_id = code.partition(":")
    if kind not in ACCOUNT_WORDS:
        return N_("Account %(code)s"), {"code": code}
    if not grant_id:
        return ACCOUNT_WORDS[kind], {}
    try:
        number = int(grant_id)
    except ValueError:
        return N_("Account %(code)s"), {"code": code}
    return ACCOUNT_WORDS[kind], {"grant": references.get(number, f"#{number}")}


def moved(amounts: Iterable[int]) -> int:
    """How much a transaction moved: the sum of its positive postings (they balance the
    negative ones)."""
    return sum(a for a in amounts if a > 0)


def approvals_words(needed: int, names: list[str]) -> tuple[str, dict]:
    """Where a payment's approvals stand, as (message, params): "1 of 2 approvals: Tom"."""
    if not names:
        if needed <= 1:
            return N_("Needs one approval from a finance approver."), {}
        return N_("Needs %(needed)s approvals from different finance approvers."), {
            "needed": needed
        }
    joined = ", ".join(names)
    if len(names) >= needed:
        return N_("Approved by %(names)s."), {"names": joined}
    return N_("%(count)s of %(needed)s approvals: %(names)s."), {
        "count": len(names),
        "needed": needed,
        "names": joined,
    }


def approve_blocker(person, payment, grant) -> str | None:
    """Why a finance approver (or the person who asked) sees no approve button on a payment
    that is waiting for approval; ``None`` when there is nothing to explain."""
    if person is None or payment.status != "requested":
        return None
    if person.id == payment.requested_by_id:
        return N_("Someone else must approve this: you asked for it.")
    if not rules.approves_payments(person, grant.fund):
        return None
    if rules.is_grantee(person, grant):
        return N_("Someone else must approve this: it is a payment to your own grant.")
    if any(a.person_id == person.id for a in payment.approvals):
        return N_("You have approved this. Another finance approver must approve it too.")
    return None


# --- who may try each step (anyone else gets "not found") -----------------------------------


def _staff(person, grant) -> bool:
    """The people who run the fund or approve its payments, and not the grantee."""
    fund = grant.fund
    return (
        person is not None
        and (rules.manages(person, fund) or rules.approves_payments(person, fund))
        and not rules.is_grantee(person, grant)
    )


def may_try(action: str, person, grant, payment=None) -> bool:
    """Whether ``person`` is someone who does ``action`` for this grant at all. When they are
    but the step is not open now (the grant's status, the payment's), the page says why;
    anyone else learns nothing (404)."""
    if person is None:
        return False
    fund = grant.fund
    if action in ("request", "release", "cancel"):
        return rules.manages(person, fund) and not rules.is_grantee(person, grant)
    if action in ("approve", "refuse"):
        return rules.approves_payments(person, fund) or (
            payment is not None and person.id == payment.requested_by_id
        )
    if action == "withdraw":
        return payment is not None and person.id == payment.requested_by_id
    if action in ("mark_paid", "return"):
        return _staff(person, grant)
    raise ValueError(action)


def can_release(person, grant, unpaid: int) -> bool:
    return may_try("release", person, grant) and grant.status in RELEASABLE and unpaid > 0


# --- why a step is not open now --------------------------------------------------------------


def movement_refusal(status: str, kind: str) -> str | None:
    """Why a grant in ``status`` takes no ``kind`` of movement now (``None``: it does)."""
    if rules.accepts_money(status, kind):
        return None
    if status == "closed":
        return N_("This grant is closed: no money moves for it any more.")
    if status == "cancelled":
        return N_("This grant is cancelled: nothing more is paid to it.")
    if status == "awarded":
        return N_("Payments start once the grantee has accepted the offer.")
    return N_("No money moves for this grant now.")


def request_refusal(grant) -> str | None:
    return movement_refusal(grant.status, "payment")


def release_refusal(grant, unpaid: int) -> str | None:
    if grant.status not in RELEASABLE:
        return movement_refusal(grant.status, "release") or N_(
            "Unpaid money is released once the grantee has accepted the offer, or when the "
            "grant is cancelled."
        )
    if unpaid <= 0:
        return N_("Nothing is left unpaid to release.")
    return None


def approve_refusal(person, payment, grant) -> str | None:
    if rules.can_approve(person, payment, grant):
        return None
    if payment.status != "requested":
        return N_("This payment is no longer waiting for approval.")
    return approve_blocker(person, payment, grant) or N_(
        "Only a finance approver who did not ask for it approves a payment."
    )


def refuse_refusal(person, payment, grant) -> str | None:
    if rules.can_refuse(person, payment, grant):
        return None
    if payment.status != "requested":
        return N_("This payment is no longer waiting for approval.")
    if person.id == payment.requested_by_id:
        return N_("Someone else decides on this payment: you asked for it. You can withdraw it.")
    return N_("Only a finance approver who did not ask for it decides on a payment.")


def withdraw_refusal(person, payment) -> str | None:
    if rules.can_withdraw_payment(person, payment):
        return None
    return N_("This payment can no longer be withdrawn.")


def mark_paid_refusal(person, payment, grant) -> str | None:
    if payment.status != "approved":
        return N_("Only an approved payment can be marked as paid.")
    if not rules.can_mark_paid(person, payment, grant):
        return N_("You cannot mark this payment as paid.")
    return movement_refusal(grant.status, "payment")


def return_refusal(grant) -> str | None:
    return movement_refusal(grant.status, "return")


def cancel_refusal(grant) -> str | None:
    if rules.can_move(grant.status, "cancel"):
        return None
    return N_("Only a grant that is awarded, active or closing can be cancelled.")


def day_problems(field: str, day: date | None, today: date, missing: str) -> list[Problem]:
    """A date something happened: given, and not in the future."""
    if day is None:
        return [Problem(field, missing)]
    if day > today:
        return [Problem(field, N_("Give a date that is not in the future."))]
    return []


# --- the ledger page -------------------------------------------------------------------------


def can_correct(tx, reversed_ids: set[int], grant_status: str | None) -> bool:
    """A transaction may be corrected (reversed) once, unless it is itself a correction or
    its grant is closed."""
    return tx.kind != "reversal" and tx.id not in reversed_ids and grant_status != "closed"


def correct_refusal(tx, reversed_ids: set[int], grant_status: str | None) -> str | None:
    if tx.kind == "reversal":
        return N_("A correction is not corrected again: record a new movement instead.")
    if tx.id in reversed_ids:
        return N_("This transaction is already corrected.")
    if grant_status == "closed":
        return N_("This grant is closed: its transactions stay as they are.")
    return None
