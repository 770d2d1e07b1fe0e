"""The grants rules, as pure functions: statuses and the steps between them, who may do what
with a fund or a grant, what a panel decided, how much may move, and what is left before a
grant can close. No Flask, no database: views and ``books.py`` ask these.

Who is who for a fund (its ``space`` holds the panel):
- *managers*: site admins and council officers of the fund's organisation;
- *finance approvers*: the organisation's finance approver role; they approve payments that
  someone else asked for, never their own request;
- *panel members*: grant panel members of the fund's space (community members among them, with
  the same say); each declares any interest in an application and steps out of deciding it;
- *the grantee*: the person who applied (for their group, host organisation or themselves).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from participate.accounts.rules import active_memberships, role_in_space
from participate.problems import Problem
from participate.text import N_

# --- words for things ------------------------------------------------------------------------

STATUS_LABELS = {
    "applied": N_("Applied"),
    "declined": N_("Declined"),
    "awarded": N_("Awarded"),
    "active": N_("Active"),
    "closing": N_("Closing"),
    "closed": N_("Closed"),
    "cancelled": N_("Cancelled"),
}
STATUSES = tuple(STATUS_LABELS)
FUND_STATUS_LABELS = {
    "draft": N_("Being set up"),
    "open": N_("Open for applications"),
    "paused": N_("Not taking applications"),
    "closed": N_("Closed"),
}
FUND_STATUSES = tuple(FUND_STATUS_LABELS)
DECIDED_BY = {
    "panel": N_("A panel, with community members"),
    "consent": N_("A consent round"),
    "residents": N_("Residents' vote"),
}
RECIPIENT_KINDS = {
    "organisation": N_("A group or charity with its own bank account"),
    "hosted": N_("A group without its own bank account, through a host organisation"),
    "individual": N_("Me, as a person"),
}
PAYMENT_STATUS_LABELS = {
    "requested": N_("Waiting for approval"),
    "approved": N_("Approved, to be paid"),
    "paid": N_("Paid"),
    "refused": N_("Not approved"),
    "withdrawn": N_("Withdrawn"),
}
PAYMENT_STATUSES = tuple(PAYMENT_STATUS_LABELS)
CONTACT_KINDS = {
    "call": N_("Phone call"),
    "visit": N_("Visit"),
    "meeting": N_("Meeting"),
    "message": N_("Email or message"),
}
REPORT_KINDS = {
    "form": N_("Answers to the report questions"),
    "upload": N_("A report file"),
    "conversation": N_("Notes of a conversation"),
}
LETTER_SECTIONS = {
    "legal": N_("Legal"),
    "reporting": N_("Reporting"),
    "communications": N_("Communications"),
    "data": N_("Data"),
    "ip": N_("Intellectual property"),
}
TRANSACTION_KINDS = {
    "funding": N_("Money into the fund"),
    "award": N_("Grant awarded"),
    "payment": N_("Payment to the grantee"),
    "return": N_("Money returned"),
    "release": N_("Unpaid money released"),
    "reversal": N_("Correction"),
}
ACCOUNT_KINDS = ("income", "available", "committed", "paid", "returned")

# --- the steps a grant goes through ----------------------------------------------------------

TRANSITIONS = {
    "decline": ({"applied"}, "declined"),
    "award": ({"applied"}, "awarded"),
    "accept": ({"awarded"}, "active"),
    "start_closure": ({"active"}, "closing"),
    "close": ({"closing"}, "closed"),
    "cancel": ({"awarded", "active", "closing"}, "cancelled"),
}
# Money may move for a grant in these statuses (a cancelled grant may still give money back).
PAYABLE = {"active", "closing"}
RETURNABLE = {"awarded", "active", "closing", "cancelled"}
LIVE = {"awarded", "active", "closing"}


def can_move(status: str, action: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return status in sources


def next_status(status: str, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise ValueError(f"a grant that is {status} cannot {action}")
    return target


def accepts_money(status: str, kind: str) -> bool:
    """Whether a ledger movement of ``kind`` may touch a grant in ``status``. A closed grant
    accepts none."""
    if kind == "award":
        return status == "applied"
    if kind == "payment":
        return status in PAYABLE
    if kind in ("return", "release"):
        return status in RETURNABLE
    return status != "closed"


# --- who is who ------------------------------------------------------------------------------


def _admin(person) -> bool:
    return person is not None and bool(getattr(person, "is_site_admin", False))


def _org_role(person, organisation_id: int) -> set[str]:
    return {m.role for m in active_memberships(person) if m.organisation_id == organisation_id}


def manages(person, fund) -> bool:
    """Site admins and council officers of the fund's organisation run it."""
    if person is None:
        return False
    return _admin(person) or "council_officer" in _org_role(person, fund.space.organisation_id)


def approves_payments(person, fund) -> bool:
    if person is None:
        return False
    return "finance_approver" in _org_role(person, fund.space.organisation_id)


def on_panel(person, fund) -> bool:
    return role_in_space(person, fund.space) == "grant_panel_member"


def is_grantee(person, grant) -> bool:
    return person is not None and person.id == grant.applicant_id


def runs_grant(person, grant) -> bool:
    """Someone who runs the fund and is not the grantee (whatever the grant's status)."""
    return manages(person, grant.fund) and not is_grantee(person, grant)


def takes_part(person, grant) -> bool:
    """The grantee, or someone who runs the fund."""
    return is_grantee(person, grant) or manages(person, grant.fund)


def can_view_fund(person, fund) -> bool:
    """Once it is no longer a draft, a public fund is seen by everyone, a members-only fund by
    the members of its space and its finance approvers; managers always see it."""
    if manages(person, fund):
        return True
    if fund.status == "draft":
        return False
    if fund.space.visibility == "public":
        return True
    return role_in_space(person, fund.space) is not None or approves_payments(person, fund)


def sees_applications(person, fund) -> bool:
    return manages(person, fund) or on_panel(person, fund) or approves_payments(person, fund)


def can_view_grant(person, grant) -> bool:
    return sees_applications(person, grant.fund) or is_grantee(person, grant)


def sees_register(person, fund) -> bool:
    """The register of declared interests: the panel and the people who run the fund."""
    return manages(person, fund) or on_panel(person, fund)


def closure_starts(fund) -> date:
    """Grants close this many months before the fund ends (six by default)."""
    return add_months(fund.ends_on, -fund.closure_window_months)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, keeping the day of the month where it exists."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def applications_open(fund, today: date) -> bool:
    if fund.status != "open":
        return False
    if fund.opens_on is not None and today < fund.opens_on:
        return False
    return today < closure_starts(fund)


def can_apply(person, fund, today: date) -> bool:
    return person is not None and applications_open(fund, today)


def is_micro(fund, amount: int) -> bool:
    return fund.micro_limit is not None and amount <= fund.micro_limit


# --- deciding --------------------------------------------------------------------------------


def recused(person, declarations: Iterable) -> bool:
    """Whether ``person`` declared an interest in this application (and so steps out)."""
    return any(d.person_id == person.id and d.has_interest for d in declarations)


def has_declared(person, declarations: Iterable) -> bool:
    return person is not None and any(d.person_id == person.id for d in declarations)


def can_declare(person, grant) -> bool:
    """Panel members declare on an open application; one who applied steps out of it."""
    return (
        on_panel(person, grant.fund) and grant.status == "applied" and not is_grantee(person, grant)
    )


def can_give_view(person, grant, declarations: Iterable) -> bool:
    """A panel member gives their view once they have declared, and only with no interest."""
    declarations = list(declarations)
    return (
        can_declare(person, grant)
        and has_declared(person, declarations)
        and not recused(person, declarations)
        and grant.fund.decides_by == "panel"
    )


@dataclass(frozen=True)
class PanelCount:
    fund: int
    not_fund: int
    deciding: int  # panel members who have not stepped out
    stepped_out: int
    outcome: str | None  # "fund", "not_fund", or None while undecided
    needed: int  # views one way needed to decide


def panel_count(
    panel_ids: Iterable[int],
    declarations: Iterable,
    views: Iterable,
    micro: bool,
    applicant_id: int | None = None,
):
    """What the panel decided. Everyone on the panel has the same say; members who declared an
    interest, and a member who applied, step out and are not counted. More than half of those
    deciding must agree; for a micro-grant one member's view is enough."""
    panel_ids = set(panel_ids)
    out = {d.person_id for d in declarations if d.has_interest} | {applicant_id}
    out &= panel_ids
    deciding = panel_ids - out
    counted = [v for v in views if v.person_id in deciding]
    yes = sum(1 for v in counted if v.choice == "fund")
    no = len(counted) - yes
    need = 1 if micro else len(deciding) // 2 + 1
    outcome = None
    if deciding:
        if yes >= need and yes > no:
            outcome = "fund"
        elif no >= need and no > yes:
            outcome = "not_fund"
    return PanelCount(yes, no, len(deciding), len(out), outcome, need)


def can_decide(person, grant, declarations: Iterable) -> bool:
    """Recording the decision (and so the award) is for the people who run the fund, never
    someone who declared an interest in it."""
    return (
        manages(person, grant.fund)
        and grant.status == "applied"
        and not recused(person, list(declarations))
        and not is_grantee(person, grant)
    )


# --- money -----------------------------------------------------------------------------------


def award_problems(amount: int | None, requested: int, available: int) -> list[Problem]:
    if amount is None or amount <= 0:
        return [Problem("amount", N_("Give the amount to award, more than nothing."))]
    if amount > requested:
        return [Problem("amount", N_("Award no more than was asked for."))]
    if amount > available:
        return [
            Problem(
                "amount",
                N_("The fund has only %(available)s left to award."),
                {"available": available},
            )
        ]
    return []


def application_problems(amount: int | None, fund, available: int) -> list[Problem]:
    if amount is None or amount <= 0:
        return [Problem("amount", N_("Say how much you are asking for."))]
    if fund.max_grant is not None and amount > fund.max_grant:
        return [
            Problem(
                "amount", N_("This fund gives up to %(most)s a grant."), {"most": fund.max_grant}
            )
        ]
    if amount > available:
        return [
            Problem(
                "amount",
                N_("The fund has only %(available)s left to award."),
                {"available": available},
            )
        ]
    return []


def approvals_needed(fund, amount: int) -> int:
    """Two approvals above the fund's amount for that; one otherwise."""
    if fund.two_approvals_above is not None and amount > fund.two_approvals_above:
        return 2
    return 1


def can_request_payment(person, grant) -> bool:
    return manages(person, grant.fund) and grant.status in PAYABLE and not is_grantee(person, grant)


def payment_problems(amount: int | None, unpaid: int, pending: int) -> list[Problem]:
    """A tranche: more than nothing, and no more than is promised and not yet paid or asked
    for (``unpaid`` left in the grant's committed account, ``pending`` in open requests)."""
    if amount is None or amount <= 0:
        return [Problem("amount", N_("Give the amount to pay, more than nothing."))]
    if amount > unpaid - pending:
        return [
            Problem(
                "amount",
                N_("Only %(left)s of this grant is left to ask for."),
                {"left": max(unpaid - pending, 0)},
            )
        ]
    return []


def can_approve(person, payment, grant) -> bool:
    """A finance approver, never the person who asked for the payment, never the grantee,
    and only once each."""
    return (
        payment.status == "requested"
        and approves_payments(person, grant.fund)
        and person.id != payment.requested_by_id
        and not is_grantee(person, grant)
        and all(a.person_id != person.id for a in payment.approvals)
    )


def can_refuse(person, payment, grant) -> bool:
    return (
        payment.status == "requested"
        and approves_payments(person, grant.fund)
        and person.id != payment.requested_by_id
        and not is_grantee(person, grant)
    )


def can_withdraw_payment(person, payment) -> bool:
    return payment.status in ("requested", "approved") and person.id == payment.requested_by_id


def fully_approved(payment) -> bool:
    return len({a.person_id for a in payment.approvals}) >= payment.approvals_needed


def can_mark_paid(person, payment, grant) -> bool:
    return (
        payment.status == "approved"
        and (manages(person, grant.fund) or approves_payments(person, grant.fund))
        and not is_grantee(person, grant)
    )


def return_problems(amount: int | None, held: int) -> list[Problem]:
    """Money given back: more than nothing, no more than the grant holds of that kind."""
    if amount is None or amount <= 0:
        return [Problem("amount", N_("Give the amount returned, more than nothing."))]
    if amount > held:
        return [Problem("amount", N_("Only %(held)s can be returned."), {"held": held})]
    return []


def can_record_return(person, grant) -> bool:
    return (
        (manages(person, grant.fund) or approves_payments(person, grant.fund))
        and grant.status in RETURNABLE
        and not is_grantee(person, grant)
    )


def can_reverse(person, fund) -> bool:
    """Correcting the ledger: the people who run the fund or approve its payments."""
    return manages(person, fund) or approves_payments(person, fund)


# --- during the grant ------------------------------------------------------------------------


def can_update_spend(person, grant) -> bool:
    return grant.status in PAYABLE and (is_grantee(person, grant) or manages(person, grant.fund))


def can_log_contact(person, grant) -> bool:
    return grant.status in LIVE | {"closed", "cancelled"} and manages(person, grant.fund)


def can_ask_reallocation(person, grant) -> bool:
    return grant.status in PAYABLE and (is_grantee(person, grant) or manages(person, grant.fund))


def reallocation_problems(amount: int | None, from_line_now: int, limit: int) -> list[Problem]:
    if amount is None or amount <= 0:
        return [Problem("amount", N_("Give the amount to move, more than nothing."))]
    if amount > from_line_now:
        return [
            Problem("amount", N_("That line has only %(left)s in it."), {"left": from_line_now})
        ]
    if amount > limit:
        return [
            Problem(
                "amount",
                N_("Moving more than %(limit)s changes the agreement: talk to the fund first."),
                {"limit": limit},
            )
        ]
    return []


def can_decide_reallocation(person, reallocation, grant) -> bool:
    return (
        reallocation.status == "requested"
        and grant.status in PAYABLE
        and manages(person, grant.fund)
        and person.id != reallocation.requested_by_id
        and not is_grantee(person, grant)
    )


# --- closing ---------------------------------------------------------------------------------


def grant_ends(grant) -> date:
    """When the grant's work should be done: its own end date, but never after the fund's
    closure window starts."""
    latest = closure_starts(grant.fund)
    own = grant.ends_on or grant.planned_end
    return min(own, latest) if own else latest


def reminder_due(grant, today: date) -> bool:
    """Closure steps are due (reminders show) from ``reminder_months`` before the grant ends."""
    return grant.status == "active" and today >= add_months(
        grant_ends(grant), -grant.fund.reminder_months
    )


def can_start_closure(person, grant) -> bool:
    return grant.status == "active" and manages(person, grant.fund)


def can_send_report(person, grant) -> bool:
    return grant.status == "closing" and (is_grantee(person, grant) or manages(person, grant.fund))


def can_run_closure(person, grant) -> bool:
    """Review, record the conversation, draft the letter, answer comments, list issues."""
    return (
        grant.status == "closing" and manages(person, grant.fund) and not is_grantee(person, grant)
    )


def can_comment_letter(person, grant, closure) -> bool:
    return (
        grant.status == "closing"
        and closure is not None
        and closure.letter is not None
        and (is_grantee(person, grant) or manages(person, grant.fund))
    )


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # N_ marked
    done: bool


def closure_steps(
    closure, *, open_issues: int, open_comments: int, unpaid: int, pending_payments: int
) -> list[Step]:
    """What must be done before both sides sign, in order."""
    c = closure
    return [
        Step("report", N_("Final report received"), c.report_at is not None),
        Step("review", N_("Final report reviewed"), c.reviewed_at is not None),
        Step("conversation", N_("Closing conversation recorded"), c.conversation_on is not None),
        Step("letter", N_("Closure letter drafted"), c.letter is not None),
        Step("comments", N_("Every comment on the letter answered"), open_comments == 0),
        Step("issues", N_("Every outstanding issue cleared or waived"), open_issues == 0),
        Step(
            "money",
            N_("No money left promised but unpaid, and no payment waiting"),
            unpaid == 0 and pending_payments == 0,
        ),
    ]


def ready_to_sign(steps: Iterable[Step]) -> bool:
    return all(s.done for s in steps)


def can_sign(person, grant, side: str, steps: Iterable[Step], closure) -> bool:
    """The fund signs through someone who runs it; the grantee signs for themselves. Each side
    signs the letter as it stands; an edit afterwards asks both to sign again."""
    if grant.status != "closing" or closure is None or not ready_to_sign(steps):
        return False
    if side == "funder":
        return (
            manages(person, grant.fund)
            and not is_grantee(person, grant)
            and closure.funder_signed_version != closure.letter_version
        )
    return is_grantee(person, grant) and closure.grantee_signed_version != closure.letter_version


def both_signed(closure) -> bool:
    return (
        closure is not None
        and closure.letter is not None
        and closure.funder_signed_version == closure.letter_version
        and closure.grantee_signed_version == closure.letter_version
    )


def can_cancel(person, grant) -> bool:
    return (
        can_move(grant.status, "cancel")
        and manages(person, grant.fund)
        and not is_grantee(person, grant)
    )


def can_accept(person, grant) -> bool:
    return grant.status == "awarded" and is_grantee(person, grant)


# --- in public -------------------------------------------------------------------------------

PRIVATE_RECIPIENT = N_("A person living in the area")


def public_recipient(grant) -> str | None:
    """How a grant's recipient is named in public; ``None`` for a person who did not choose
    to be named (the caller shows ``PRIVATE_RECIPIENT``, translated)."""
    if grant.recipient_kind == "individual" and not grant.name_public:
        return None
    return grant.recipient_name
