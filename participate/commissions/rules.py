"""The rules of a commission: phases, who sees what, cohorts, pairs and recompense.

Pure functions: no Flask, no database. ``person`` is anything with ``id``, ``is_site_admin``
and ``memberships`` (``space_id``, ``organisation_id``, ``role``, ``status``); ``commission``
has ``space_id``, ``phase``, ``phase_started_on``, ``phase_plan`` and ``hosts`` (each with an
``organisation_id``).
"""

from __future__ import annotations

import calendar
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from participate.accounts.rules import active_memberships
from participate.money import parse_money
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


def can_set_up(person) -> bool:
    """Site admins, council officers and facilitators may set up a new commission."""
    if person is None or not getattr(person, "active", True):
        return False
    return _admin(person) or any(
        m.role in ("council_officer", FACILITATOR) for m in active_memberships(person)
    )


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


# --- planning a session ----------------------------------------------------------------------

# What a session's status allows. Apologies can come before a session and attendance is often
# filled in after it, so attendance and notes are open throughout.
SESSION_ALLOWS = {
    "edit": ("planned", "live"),
    "answer": ("live",),  # a member's own check-in or check-out answer
    "answer_for": ("live", "closed"),  # a facilitator writing one down, also from paper after
    "lifebuoy": ("live",),
    "attendance": ("planned", "live", "closed"),
    "draw_groups": ("live",),
    "notes": ("planned", "live", "closed"),
    "summary": ("closed",),
    "reply": ("closed",),
}
ROUNDS = {"check_in": N_("Check-in"), "check_out": N_("Check-out")}
GROUP_SIZES = (2, 3)
AGENDA_MAX_ITEMS = 30
AGENDA_MAX_MINUTES = 480
AGENDA_TITLE_MAX = 200


def session_allows(status: str, what: str) -> bool:
    return status in SESSION_ALLOWS[what]


def is_past(status: str, ends_at: datetime, now: datetime) -> bool:
    """Finished, or over and never started. A session still running is never past."""
    return status == "closed" or (status == "planned" and ends_at < now)


@dataclass(frozen=True)
class AgendaLine:
    title: str
    minutes: int


@dataclass(frozen=True)
class AgendaProblem:
    line: int
    message: str  # an N_ string with %(line)s in it


_UNIT = r"(?:minutes?|mins?|m)\.?"
# "20 Stories from the last month", "20 mins: Stories", "20) Stories"
_MINUTES_FIRST = re.compile(rf"^(\d{{1,3}})\s*(?:{_UNIT})?\s*[-–—:.)]?\s+(\S.*)$", re.IGNORECASE)
# "Stories from the last month - 20", "Stories: 20 mins", "Stories (20 minutes)"
_MINUTES_LAST = re.compile(
    rf"^(\S.*?)\s*(?:[-–—:,]|\()\s*(\d{{1,3}})\s*(?:{_UNIT})?\s*\)?$", re.IGNORECASE
)
# "Tea break 15 mins"
_MINUTES_LAST_WITH_UNIT = re.compile(rf"^(\S.*?)\s+(\d{{1,3}})\s*{_UNIT}$", re.IGNORECASE)


def _agenda_line(line: str) -> tuple[str, int] | None:
    for pattern, title_group, minutes_group in (
        (_MINUTES_LAST, 1, 2),
        (_MINUTES_LAST_WITH_UNIT, 1, 2),
        (_MINUTES_FIRST, 2, 1),
    ):
        match = pattern.match(line)
        if match:
            return match.group(title_group).strip(), int(match.group(minutes_group))
    return None


def parse_agenda(text: str | None) -> tuple[list[AgendaLine], list[AgendaProblem]]:
    """Agenda items typed one a line, with the minutes first or last:
    "20 Stories from the last month" or "Stories from the last month - 20".
    Empty lines are skipped. Problems name the line (counting every line, as people see it).
    """
    items: list[AgendaLine] = []
    problems: list[AgendaProblem] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        parsed = _agenda_line(line)
        if parsed is None:
            problems.append(
                AgendaProblem(
                    number,
                    N_(
                        "Line %(line)s needs its minutes, like “20 Stories from the last "
                        "month” or “Stories from the last month - 20”."
                    ),
                )
            )
            continue
        title, minutes = parsed
        if not 1 <= minutes <= AGENDA_MAX_MINUTES:
            problems.append(
                AgendaProblem(number, N_("Line %(line)s: give between 1 and 480 minutes."))
            )
        elif len(title) > AGENDA_TITLE_MAX:
            problems.append(
                AgendaProblem(number, N_("Line %(line)s is too long: 200 characters at most."))
            )
        else:
            items.append(AgendaLine(title, minutes))
    if len(items) > AGENDA_MAX_ITEMS:
        problems.append(
            AgendaProblem(0, N_("That's more than 30 items. Try grouping some together."))
        )
    return items, problems


def format_agenda(items: Iterable) -> str:
    """The agenda as it is typed, for editing: "20 Stories from the last month" a line."""
    return "\n".join(f"{item.minutes} {item.title}" for item in items)


_CLOCK = re.compile(
    r"^(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*(?:m\.?)?$", re.IGNORECASE
)
_CLOCK_DIGITS = re.compile(r"^(\d{2})(\d{2})$")


def parse_clock(text: str | None) -> time | None:
    """A time of day as people type it: "18:30", "18.30", "1830", "6:30pm", "6pm"."""
    text = (text or "").strip()
    match = _CLOCK_DIGITS.match(text)
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2)), None
    else:
        match = _CLOCK.match(text)
        if match is None or (match.group(2) is None and match.group(3) is None):
            return None
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        half = (match.group(3) or "").lower() or None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


_DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")


def parse_day(text: str | None) -> date | None:
    """A date as a date picker sends it (2026-03-14) or as people write it (14/03/2026)."""
    text = (text or "").strip()
    for fmt in _DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class NoSuchLocalTime(ValueError):
    """A time the clocks skip when they go forward (01:30 on the last Sunday in March)."""


def local_to_utc(day: date, clock: time, zone: str | ZoneInfo = "Europe/London") -> datetime:
    """A local date and time of day as a UTC-aware datetime. When the clocks go back and a
    time happens twice, the first one is meant."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = datetime.combine(day, clock, tzinfo=tz)
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NoSuchLocalTime(f"{day} {clock} does not happen in {tz}")
    return utc


def to_local(moment: datetime, zone: str | ZoneInfo = "Europe/London") -> datetime:
    return moment.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)


@dataclass(frozen=True)
class Timing:
    agenda: int  # minutes of agenda items
    planned: int  # with check-in, introductions and reflection
    length: int  # minutes from start to end

    @property
    def over(self) -> int:
        return max(self.planned - self.length, 0)

    @property
    def spare(self) -> int:
        return max(self.length - self.planned, 0)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    title: str
    minutes: int
    built_in: bool  # check-in, introductions, reflection: their titles are translated


def _named_part(title: str) -> str | None:
    """Which fixed part of a session an agenda item is, if it is one ("Check-in", "Intros",
    "Check out", "Reflection and check-out")."""
    title = title.strip().lower()
    if re.match(r"check[\s-]*in\b", title):
        return "check_in"
    if re.match(r"intro(?:s|ductions?)?\b", title):
        return "introductions"
    if re.match(r"(?:check[\s-]*out|reflections?)\b", title):
        return "closing"
    return None


def schedule(
    starts_at: datetime,
    items: Iterable,
    checkin_minutes: int,
    introductions_minutes: int,
    reflection_minutes: int,
) -> list[Slot]:
    """The running order with start times: check-in, introductions, the agenda, then
    reflection and check-out. When the agenda already has one of those parts ("10 Check-in"),
    it is used where it is instead of being added again. Parts with no minutes are left out."""
    items = list(items)
    named = {_named_part(item.title) for item in items}
    parts = [(item.title, item.minutes, False) for item in items]
    checkin_at = next(
        (i for i, item in enumerate(items) if _named_part(item.title) == "check_in"), None
    )
    if checkin_at is None:
        parts.insert(0, (N_("Check-in"), checkin_minutes, True))
        checkin_at = 0
    if "introductions" not in named:
        parts.insert(checkin_at + 1, (N_("Introductions"), introductions_minutes, True))
    if "closing" not in named:
        parts.append((N_("Reflection and check-out"), reflection_minutes, True))
    slots, cursor = [], starts_at
    for title, minutes, built_in in parts:
        if minutes <= 0:
            continue
        slots.append(Slot(cursor, title, minutes, built_in))
        cursor += timedelta(minutes=minutes)
    return slots


def timing(
    starts_at: datetime,
    ends_at: datetime,
    items: Iterable,
    checkin_minutes: int,
    introductions_minutes: int,
    reflection_minutes: int,
) -> Timing:
    """What the plan adds up to against the session's length."""
    items = list(items)
    slots = schedule(starts_at, items, checkin_minutes, introductions_minutes, reflection_minutes)
    length = max(int((ends_at - starts_at).total_seconds() // 60), 0)
    return Timing(sum(item.minutes for item in items), sum(s.minutes for s in slots), length)


def group_problem(present_count: int, size: int) -> str | None:
    """Why groups can't be drawn, or None."""
    if size not in GROUP_SIZES:
        return N_("Choose groups of 2 or 3.")
    if present_count < 2:
        return N_("Mark at least two people as here first.")
    return None


def follow_ups_due(entries: Iterable, today: date, within_days: int = 7) -> list:
    """Each person's latest contact whose follow-up date is past or within ``within_days``.
    A newer contact with that person replaces the older one's follow-up. Soonest first."""
    latest: dict[int, object] = {}
    for entry in entries:
        current = latest.get(entry.person_id)
        if current is None or (entry.on, entry.id) > (current.on, current.id):
            latest[entry.person_id] = entry
    horizon = today + timedelta(days=within_days)
    due = [e for e in latest.values() if e.follow_up_on is not None and e.follow_up_on <= horizon]
    return sorted(due, key=lambda e: (e.follow_up_on, e.person_id))


# --- commitments -----------------------------------------------------------------------------

COMMITMENT_STATUSES = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "delivered": N_("Delivered"),
    "not_delivered": N_("Not delivered"),
}
OPEN_COMMITMENT_STATUSES = ("not_started", "in_progress")


def is_overdue(commitment, today: date) -> bool:
    """Past its due date and neither delivered nor closed as not delivered."""
    return (
        commitment.due_on is not None
        and commitment.due_on < today
        and commitment.status in OPEN_COMMITMENT_STATUSES
    )


def commitment_tally(commitments: Iterable, today: date) -> dict[str, int]:
    """'Promised against delivered': how many were promised, how many are in each status and
    how many are overdue, so that under-promising and over-delivering shows."""
    items = list(commitments)
    tally = {"promised": len(items), **{key: 0 for key in COMMITMENT_STATUSES}, "overdue": 0}
    for c in items:
        tally[c.status] += 1
        tally["overdue"] += is_overdue(c, today)
    return tally


def check_commitment_update(
    old_status: str,
    old_evidence: str | None,
    new_status: str,
    new_evidence: str | None,
    note: str | None,
) -> dict[str, str]:
    """What stops an update being saved, field by field (empty when it can be saved).

    Delivered needs evidence people can check. Not delivered, or moving back from delivered,
    needs a note saying why. An update has to change something or say something.
    """
    new_evidence = (new_evidence or "").strip()
    note = (note or "").strip()
    if new_status not in COMMITMENT_STATUSES:
        return {"status": N_("Choose where this has got to.")}
    problems = {}
    if new_status == "delivered" and not new_evidence:
        problems["evidence"] = N_(
            "Say what shows it was delivered: a link, a document, or something people can "
            "now see or use."
        )
    if new_status == "not_delivered" and not note:
        problems["note"] = N_("Say why it wasn't delivered. People deserve to know.")
    elif old_status == "delivered" and new_status != "delivered" and not note:
        problems["note"] = N_("Say why this is no longer counted as delivered.")
    unchanged = new_status == old_status and new_evidence == (old_evidence or "").strip()
    if not problems and unchanged and not note:
        problems["note"] = N_(
            "Nothing has changed. Change the status or the evidence, or add a note."
        )
    return problems


def check_hand_over(
    current_holder_id: int | None, new_holder_id: int | None, member_ids: Iterable[int]
) -> str | None:
    """Why a hand-over can't happen, or None. The role stays; the person holding it changes."""
    if new_holder_id is not None and new_holder_id not in set(member_ids):
        return N_("Choose someone in the commission.")
    if new_holder_id == current_holder_id:
        if new_holder_id is None:
            return N_("Nobody holds it now. Choose who takes it on.")
        return N_("They already hold it. Choose someone else.")
    return None


@dataclass(frozen=True)
class FlagSummary:
    raised: int
    unanswered: int
    last_raised_at: datetime | None


def flag_summary(flags: Iterable) -> FlagSummary:
    """How many times community commissioners said 'this hasn't happened', and how many
    of those still wait for an answer. Names are left out: this is also shown in public."""
    items = list(flags)
    return FlagSummary(
        len(items),
        sum(1 for f in items if f.answered_at is None),
        max((f.raised_at for f in items), default=None),
    )


def public_register(commission, commitments: Iterable) -> list:
    """What the public 'you said, we did' page shows: only what the commission agreed to
    publish, and nothing at all while the commission is community commissioners only."""
    if in_community_only_phase(commission):
        return []
    return [c for c in commitments if c.published]


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


# The most one expense can be: anything bigger is surely a slip of the keyboard.
MAX_EXPENSE_PENCE = 1_000_000


def read_expense_amount(text: str | None) -> tuple[int | None, str | None]:
    """An expense typed in pounds, as pence, or the reason it can't be read.

    Messages may use ``%(most)s``, the largest amount, formatted where they are shown.
    """
    pence = parse_money(text or "")
    if pence is None:
        return None, N_("Enter the amount in pounds and pence, like 4.80.")
    if pence == 0:
        return None, N_("The amount can't be nothing. Enter what it cost, like 4.80.")
    if pence > MAX_EXPENSE_PENCE:
        return None, N_("That is more than %(most)s. Check the amount.")
    return pence, None


MAX_RATE_PENCE = 50_000


def rate_problems(rate_text: str | None, reduced_text: str | None) -> tuple[dict, int, int]:
    """The commission's rates typed in pounds: problems by field, and the amounts in pence.
    The reduced amount is for people who prefer less, so it must be below the full rate."""
    problems: dict[str, str] = {}
    rate, reduced = parse_money(rate_text or ""), parse_money(reduced_text or "")
    for name, value in (("rate", rate), ("reduced", reduced)):
        if value is None:
            problems[name] = N_("Enter an amount in pounds and pence, like 25.00.")
        elif value > MAX_RATE_PENCE:
            problems[name] = N_("That is more than %(most)s. Check the amount.")
    if not problems and rate == 0:
        problems["rate"] = N_("The payment for taking part can't be nothing.")
    if not problems and reduced >= rate:
        problems["reduced"] = N_("The reduced amount needs to be less than the full payment.")
    return problems, rate or 0, reduced or 0


def occasion_problems(session_id: int | None, activity: str | None, on: date | None) -> dict:
    """A payment or an expense is for a session, or for another activity on a given day."""
    if session_id is not None:
        return {}
    problems = {}
    if not (activity or "").strip():
        problems["activity"] = N_("Choose a session, or say what the activity was.")
    if on is None:
        problems["happened_on"] = N_("Enter the date of the activity, like 2026-03-14.")
    return problems


DECISIONS = {"approve": N_("Approve"), "reject": N_("Don't approve")}


def decision_problems(decision: str | None, note: str | None) -> dict:
    """Approving needs nothing more; not approving needs a reason the recorder can act on."""
    if decision not in DECISIONS:
        return {"decision": N_("Choose whether to approve it.")}
    if decision == "reject" and not (note or "").strip():
        return {"note": N_("Say why, so the facilitator can put it right.")}
    return {}


def day_of(record) -> date:
    """The day of the session or activity a record is for (failing that, the session's
    start, or when it was recorded)."""
    if getattr(record, "happened_on", None) is not None:
        return record.happened_on
    session = getattr(record, "session", None)
    if session is not None:
        return session.starts_at.date()
    return record.recorded_at.date()


@dataclass(frozen=True)
class StatementLines:
    """What a statement for a benefits adviser lists, oldest first."""

    payments: list  # approved involvement payments that paid money (declined ones left out)
    expenses: list  # approved expenses
    totals: Statement
    starts_on: date | None
    ends_on: date | None


def statement_lines(
    records: Iterable, starts_on: date | None = None, ends_on: date | None = None
) -> StatementLines:
    """A member's records for a statement, for a period or for all time. Payments for taking
    part and expenses stay in separate lists; the period is what was asked for or, when
    open-ended, the first and last day that appear."""
    in_period = [
        r
        for r in records
        if (starts_on is None or day_of(r) >= starts_on)
        and (ends_on is None or day_of(r) <= ends_on)
    ]
    approved = sorted((r for r in in_period if r.status == "approved"), key=day_of)
    payments = [r for r in approved if r.kind == "involvement" and r.amount_pence > 0]
    expenses = [r for r in approved if r.kind == "expense"]
    days = [day_of(r) for r in in_period if r.status != "rejected"]
    return StatementLines(
        payments,
        expenses,
        statement(in_period),
        starts_on or min(days, default=None),
        ends_on or max(days, default=None),
    )


def already_paid_for(records: Iterable, person_id: int, session_id: int) -> bool:
    """Someone already has a payment for taking part in this session (not counting one that
    wasn't approved): recording another would pay them twice."""
    return any(
        r.kind == "involvement"
        and r.person_id == person_id
        and r.session_id == session_id
        and r.status != "rejected"
        for r in records
    )
