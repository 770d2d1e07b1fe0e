"""The rules of a commission: phases, who sees what, cohorts, pairs and recompense.

Pure functions: no Flask, no database. ``person`` is anything with ``id``, ``is_site_admin``
and ``memberships`` (``space_id``, ``organisation_id``, ``role``, ``status``); ``commission``
has ``space_id``, ``phase``, ``phase_started_on``, ``phase_plan`` and ``hosts`` (each with an
``organisation_id``).
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from participate.accounts.rules import active_memberships
from participate.text import N_

# --- phases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    key: str
    label: str
    purpose: str
    default_months: int
    # True while only community commissioners and facilitators may see the commission.
    community_only: bool
    # Below this many months, shortening or leaving early needs a recorded reason.
    guardrail_months: int | None = None


PHASES: list[Phase] = [
    Phase(
        "decide",
        N_("Deciding to go ahead"),
        N_(
            "Local partners decide whether to hold a commission, who hosts it and how it is "
            "paid for."
        ),
        6,
        True,
    ),
    Phase(
        "assemble",
        N_("Bringing community commissioners together"),
        N_(
            "Finding 12 to 15 people who know poverty first-hand and want to take part. "
            "Nobody has to prove anything: saying so is enough."
        ),
        6,
        True,
    ),
    Phase(
        "community_only",
        N_("Community commissioners only"),
        N_(
            "Community commissioners spend time together, build confidence and get ready to "
            "tell their stories. It doesn't work to rush this."
        ),
        6,
        True,
        6,
    ),
    Phase(
        "together",
        N_("Together: relationships first"),
        N_(
            "Civic and business commissioners join. Everyone listens and builds trust before "
            "talking about what to change."
        ),
        9,
        False,
        9,
    ),
    Phase(
        "action",
        N_("Working on changes"),
        N_(
            "Commissioners work together on changes to services, policies and practice, "
            "wherever the group can act."
        ),
        6,
        False,
    ),
    Phase(
        "embedding",
        N_("Embedding and legacy"),
        N_("Making the changes last, and passing on what was learned."),
        3,
        False,
    ),
]
PHASE_KEYS = [p.key for p in PHASES]
PHASES_BY_KEY = {p.key: p for p in PHASES}
DEFAULT_PLAN = {p.key: p.default_months for p in PHASES}
MAX_PHASE_MONTHS = 60


def phase_number(key: str) -> int:
    """1-based, as people count."""
    return PHASE_KEYS.index(key) + 1


def next_phase(key: str) -> str | None:
    i = PHASE_KEYS.index(key)
    return PHASE_KEYS[i + 1] if i + 1 < len(PHASE_KEYS) else None


def first_shared_phase() -> Phase:
    return next(p for p in PHASES if not p.community_only)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class PlannedPhase:
    phase: Phase
    months: int
    starts_on: date
    ends_on: date
    state: str  # "done", "now" or "to_come"


def timeline(
    starts_on: date, plan: dict, current: str, current_started_on: date
) -> list[PlannedPhase]:
    """Each phase with its planned dates. Past phases keep their plan; the current phase
    starts when it really started, and later phases follow on from it."""
    rows: list[PlannedPhase] = []
    cursor = starts_on
    current_index = PHASE_KEYS.index(current)
    for i, phase in enumerate(PHASES):
        months = int(plan.get(phase.key, phase.default_months))
        if i == current_index:
            cursor = current_started_on
        end = add_months(cursor, months)
        state = "done" if i < current_index else "now" if i == current_index else "to_come"
        rows.append(PlannedPhase(phase, months, cursor, end, state))
        cursor = end
    return rows


@dataclass(frozen=True)
class Check:
    """The answer to 'may this go ahead?': warnings to show, and whether a reason is needed."""

    allowed: bool
    needs_reason: bool = False
    warnings: tuple[str, ...] = ()


def check_advance(current: str, started_on: date, today: date) -> Check:
    """Moving on from ``current``. Leaving a guarded phase early needs a recorded reason."""
    if next_phase(current) is None:
        return Check(False, warnings=(N_("This is the last phase."),))
    phase = PHASES_BY_KEY[current]
    if phase.guardrail_months and months_between(started_on, today) < phase.guardrail_months:
        return Check(True, True, (_guardrail_warning(phase),))
    return Check(True)


def check_plan(old: dict, new: dict) -> Check:
    """Changing planned durations. Each must be 1 to 60 months; shortening a guarded phase
    below its guardrail needs a recorded reason."""
    problems = [k for k in PHASE_KEYS if not 1 <= int(new.get(k, 0)) <= MAX_PHASE_MONTHS]
    if problems:
        return Check(False, warnings=(N_("Each phase needs between 1 and 60 months."),))
    warnings = tuple(
        _guardrail_warning(p)
        for p in PHASES
        if p.guardrail_months
        and int(new[p.key]) < p.guardrail_months
        and int(new[p.key]) < int(old.get(p.key, p.default_months))
    )
    return Check(True, bool(warnings), warnings)


def _guardrail_warning(phase: Phase) -> str:
    if phase.key == "community_only":
        return N_(
            "The community-only phase usually takes at least six months, and it doesn't "
            "work to short-circuit it. Say why you are shortening it: this is recorded."
        )
    return N_(
        "People usually need at least nine months together before talking about what to "
        "change. Say why you are shortening it: this is recorded."
    )


# --- who is who ------------------------------------------------------------------------------

COMMUNITY = "community_commissioner"
CIVIC_BUSINESS = ("civic_commissioner", "business_commissioner")
FACILITATOR = "facilitator"
MAX_FACILITATORS = 3
FACILITATOR_FOCUSES = {
    "administration": N_("Looking after the group's arrangements"),
    "civic": N_("Supporting civic and business commissioners"),
    "relationships": N_("Helping good relationships grow"),
}


def role_in(person, commission) -> str | None:
    for m in active_memberships(person):
        if m.space_id == commission.space_id:
            return m.role
    return None


def _admin(person) -> bool:
    return person is not None and bool(person.is_site_admin)


def _host_ids(commission) -> set[int]:
    return {h.organisation_id for h in commission.hosts}


def _host_role(person, commission) -> str | None:
    hosts = _host_ids(commission)
    for m in active_memberships(person):
        if m.organisation_id in hosts:
            return m.role
    return None


def in_community_only_phase(commission) -> bool:
    return PHASES_BY_KEY[commission.phase].community_only


def access(person, commission) -> str | None:
    """How much of the commission someone sees.

    - ``"full"``: the commission's pages;
    - ``"waiting"``: only a page saying when they'll join (civic and business commissioners,
      observers, hosts' officers and site admins while it is community commissioners only);
    - ``None``: nothing (404).
    """
    if person is None:
        return None
    role = role_in(person, commission)
    if role in (COMMUNITY, FACILITATOR):
        return "full"
    private = in_community_only_phase(commission)
    if role is not None:
        return "waiting" if private else "full"
    if _admin(person) or _host_role(person, commission) == "council_officer":
        return "waiting" if private else "full"
    if _host_role(person, commission) == "finance_approver":
        return "waiting"  # they see payments to approve, not the commission's work
    return None


def _full(person, commission) -> bool:
    return access(person, commission) == "full"


def _facilitates(person, commission) -> bool:
    return role_in(person, commission) == FACILITATOR


def _member_with_full_view(person, commission) -> bool:
    return _full(person, commission) and role_in(person, commission) not in (None, "observer")


def _finance_approver(person, commission) -> bool:
    return _host_role(person, commission) == "finance_approver"


POLICY: dict[str, Callable[[object, object], bool]] = {
    "know_exists": lambda p, c: access(p, c) is not None,
    "view": _full,
    "edit_charter": _member_with_full_view,
    "take_part": _member_with_full_view,  # check-in, lifebuoy, replies
    "manage": _facilitates,
    "see_lifebuoys": _facilitates,
    "see_contact_log": _facilitates,
    "flag_commitment": lambda p, c: _full(p, c) and role_in(p, c) == COMMUNITY,
    "record_recompense": _facilitates,
    "approve_recompense": _finance_approver,
}


def can(person, action: str, commission) -> bool:
    rule = POLICY.get(action)
    if rule is None:
        raise KeyError(f"No commission rule for {action!r}")
    if person is not None and not getattr(person, "active", True):
        return False
    return bool(rule(person, commission))


def can_see_recompense_of(viewer, member, commission) -> bool:
    """Someone's payments: themself, the commission's facilitators, the hosts' approvers."""
    if viewer is None:
        return False
    if viewer.id == member.id:
        return True
    return _facilitates(viewer, commission) or _finance_approver(viewer, commission)


def can_decide_recompense(approver, record, commission) -> bool:
    """A finance approver of a host, who neither recorded it nor is paid by it."""
    return (
        record.status == "recorded"
        and _finance_approver(approver, commission)
        and approver.id not in (record.recorded_by_id, record.person_id)
    )


def can_update_commitment(person, commitment, commission) -> bool:
    return _facilitates(person, commission) or (
        person is not None and commitment.owner_person_id == person.id and _full(person, commission)
    )


# --- cohorts ---------------------------------------------------------------------------------


def cohort_counts(roles: Iterable[str]) -> dict[str, int]:
    roles = list(roles)
    return {
        "community": sum(r == COMMUNITY for r in roles),
        "civic_business": sum(r in CIVIC_BUSINESS for r in roles),
        "facilitators": sum(r == FACILITATOR for r in roles),
    }


def roles_with_room(commission, current_roles: Iterable[str]) -> list[str]:
    """The commission roles someone can still be given without going over a cap."""
    counts = cohort_counts(current_roles)
    roles = []
    if counts["community"] < commission.community_cap:
        roles.append(COMMUNITY)
    if counts["civic_business"] < commission.civic_business_cap:
        roles.extend(CIVIC_BUSINESS)
    if counts["facilitators"] < MAX_FACILITATORS:
        roles.append(FACILITATOR)
    roles.append("observer")
    return roles


RECONTACT_AFTER_DAYS = 28


def needs_gentle_hello(status: str, last_contact: date | None, today: date) -> bool:
    """Someone stepping back who hasn't heard from a facilitator for four weeks."""
    if status != "stepping_back":
        return False
    return last_contact is None or (today - last_contact).days >= RECONTACT_AFTER_DAYS


# --- sessions --------------------------------------------------------------------------------

CHECK_IN_PROMPTS = [
    N_("What's been the highlight of your day?"),
    N_("How are you arriving today, in a word or two?"),
    N_("What's one thing that kept you going this week?"),
    N_("What would make today a good session for you?"),
    N_("What's something small that made you smile recently?"),
    N_("Is there anything we should know so you can take part today?"),
]
CHECK_OUT_PROMPTS = [
    N_("One word or feeling to leave with."),
    N_("What will you take away from today?"),
    N_("How are you leaving, in a word?"),
]
SESSION_STATUSES = {"planned": N_("Planned"), "live": N_("Happening now"), "closed": N_("Finished")}
SESSION_NEXT = {"planned": "live", "live": "closed"}
ATTENDANCE = {"present": N_("Here"), "apologies": N_("Sent apologies"), "absent": N_("Not here")}
LIFEBUOY_KINDS = {
    "moment": N_("I need a moment"),
    "check_in": N_("I'd like someone to check in on me"),
}
CONTACT_KINDS = {
    "one_to_one": N_("One-to-one"),
    "phone": N_("Phone call"),
    "coffee": N_("Coffee"),
    "message": N_("Message"),
    "other": N_("Other"),
}


def draw_groups(
    person_ids: Sequence[int], size: int = 2, rng: random.Random | None = None
) -> list[list[int]]:
    """Shuffle people into groups of ``size``; nobody is left on their own."""
    if size < 2:
        raise ValueError("Groups need at least two people.")
    people = list(person_ids)
    (rng or random.SystemRandom()).shuffle(people)
    groups = [people[i : i + size] for i in range(0, len(people), size)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-2].extend(groups.pop())
    return groups


def summary_recipients(member_ids: Iterable[int], attendance: dict[int, str]) -> list[int]:
    """Who gets the summary: everyone who wasn't marked as here."""
    return [pid for pid in member_ids if attendance.get(pid) != "present"]


# --- commitments -----------------------------------------------------------------------------

COMMITMENT_STATUSES = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "delivered": N_("Delivered"),
    "not_delivered": N_("Not delivered"),
}


# --- recompense ------------------------------------------------------------------------------

PAYMENT_CHOICES = {
    "cash": N_("Cash or bank payment"),
    "voucher": N_("Voucher"),
    "reduced": N_("A reduced amount"),
    "decline": N_("No payment, thank you"),
}
EXPENSE_TYPES = {
    "travel": N_("Travel"),
    "childcare": N_("Childcare"),
    "care_cover": N_("Care cover"),
    "other": N_("Other costs"),
}
RECOMPENSE_STATUSES = {
    "recorded": N_("Waiting for approval"),
    "approved": N_("Approved"),
    "rejected": N_("Not approved"),
}


def involvement_amount(choice: str, commission) -> int:
    """What an involvement payment comes to, in pence, for the member's choice."""
    if choice in ("cash", "voucher"):
        return int(commission.involvement_rate_pence)
    if choice == "reduced":
        return int(commission.reduced_rate_pence)
    if choice == "decline":
        return 0
    raise ValueError(f"Unknown payment choice {choice!r}")


@dataclass(frozen=True)
class Statement:
    involvement_approved: int
    expenses_approved: int
    involvement_waiting: int
    expenses_waiting: int
    expenses_by_type: dict[str, int]


def statement(records: Iterable) -> Statement:
    """Totals for a member's statement. Involvement payments and expenses stay apart,
    because benefits treat them differently; rejected records count for nothing."""
    totals = {
        ("involvement", "approved"): 0,
        ("expense", "approved"): 0,
        ("involvement", "recorded"): 0,
        ("expense", "recorded"): 0,
    }
    by_type: dict[str, int] = {}
    for r in records:
        if r.status == "rejected":
            continue
        totals[(r.kind, r.status)] += r.amount_pence
        if r.kind == "expense" and r.status == "approved":
            by_type[r.expense_type] = by_type.get(r.expense_type, 0) + r.amount_pence
    return Statement(
        totals[("involvement", "approved")],
        totals[("expense", "approved")],
        totals[("involvement", "recorded")],
        totals[("expense", "recorded")],
        by_type,
    )
