"""Who may do what in a grant round, what a ballot must look like, and how a round moves on:
pure rules, no Flask, no database. Every budgeting view asks these; the tests ask them too.

Arguments are plain objects with the attributes the models have:

- ``person``: ``id``, ``is_site_admin`` and ``memberships`` (``space_id``, ``organisation_id``,
  ``role``, ``status``), or ``None`` when nobody is signed in.
- ``rnd`` (a grant round): ``phase``, ``space`` (``id``, ``organisation_id``, ``visibility``),
  ``who_proposes``, ``who_votes``, ``members_space_id``, ``vote_age_from``, ``ballot_type``,
  ``min_picks``, ``max_picks``, ``points``, ``min_spend_percent``, ``rule``, the phase dates
  (``ideas_from`` … ``ends_on``) and ``area_kind`` / ``area_name``.
- ``project``: ``id``, ``author_id``, ``status``, ``cost``, ``pot_id``.

Messages are marked with ``N_`` and translated where they are shown; their ``%(name)s``
parameters travel with them as a ``Problem``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from participate.accounts.rules import active_memberships, role_in_space
from participate.problems import Problem  # noqa: F401 - rules.Problem for the views
from participate.text import N_

# --- phases ----------------------------------------------------------------------------------

PHASES = ("draft", "ideas", "feasibility", "voting", "results", "delivery", "closed")

PHASE_LABELS = {
    "draft": N_("Being set up"),
    "ideas": N_("Ideas"),
    "feasibility": N_("Checking ideas"),
    "voting": N_("Voting"),
    "results": N_("Results"),
    "delivery": N_("Making it happen"),
    "closed": N_("Closed"),
}
PHASE_ABOUT = {
    "draft": N_("The council is setting the round up. Only its officers can see it."),
    "ideas": N_("Anyone who may take part can suggest a project, comment and team up."),
    "feasibility": N_(
        "Council officers check each idea can happen and what it would cost, and say why."
    ),
    "voting": N_("People choose the projects they want. You can change your vote until it closes."),
    "results": N_("The votes are counted and the winning projects are published, with reasons."),
    "delivery": N_("The winning projects are being made to happen."),
    "closed": N_("The round is finished."),
}
# The date each phase starts, by phase (draft has none).
PHASE_DATES = {
    "ideas": "ideas_from",
    "feasibility": "feasibility_from",
    "voting": "voting_from",
    "results": "results_from",
    "delivery": "delivery_from",
    "closed": "ends_on",
}
BALLOT_LABELS = {
    "approval": N_("Tick the projects you support"),
    "knapsack": N_("Choose projects that fit within the money"),
    "cumulative": N_("Share out points between projects"),
}
RULE_LABELS = {
    "greedy": N_("Most votes first, skipping any project that no longer fits"),
    "greedy-no-skip": N_("Most votes first, stopping at the first project that does not fit"),
    "mes": N_("Equal shares: every voter has an equal share of the money"),
    "mes-add1": N_("Equal shares, topped up until the money is used as fully as it can be"),
    "mes-add1-comparison": N_(
        "Equal shares, topped up, unless more voters prefer the most-votes result"
    ),
}
# Equal shares needs to know how much each voter likes each project: approval or points.
RULES_FOR_BALLOT = {
    "approval": ("greedy", "greedy-no-skip", "mes", "mes-add1", "mes-add1-comparison"),
    "knapsack": ("greedy", "greedy-no-skip"),
    "cumulative": ("greedy", "greedy-no-skip", "mes", "mes-add1", "mes-add1-comparison"),
}
AREA_KINDS = {
    "whole": N_("The whole council area"),
    "ward": N_("A ward"),
    "neighbourhood": N_("A neighbourhood"),
    "radius": N_("A distance around a place"),
}
WHO_PROPOSES = {
    "residents": N_("People who live, work or study in the area"),
    "members": N_("Members of a group"),
    "anyone": N_("Anyone signed in"),
}
WHO_VOTES = {
    "residents": N_("People who live, work or study in the area"),
    "members": N_("Members of a group"),
}
PROJECT_STATUSES = {
    "proposed": N_("Waiting to be checked"),
    "feasible": N_("Can go to the vote"),
    "not_feasible": N_("Cannot go to the vote"),
    "withdrawn": N_("Withdrawn by its author"),
    "merged": N_("Joined with another project"),
}
BALLOT_SOURCES = {
    "online": N_("Online"),
    "assisted": N_("With help from a facilitator"),
    "paper": N_("On paper"),
    "imported": N_("From an imported file"),
}


def phase_index(phase: str) -> int:
    return PHASES.index(phase)


def at_or_after(rnd, phase: str) -> bool:
    return phase_index(rnd.phase) >= phase_index(phase)


def next_phase(rnd) -> str | None:
    i = phase_index(rnd.phase)
    return PHASES[i + 1] if i + 1 < len(PHASES) else None


@dataclass(frozen=True)
class Step:
    phase: str
    starts: date | None
    state: str  # "done", "now" or "later"


def timeline(rnd) -> list[Step]:
    """Every phase after set-up, with its planned start and whether it is done, now or later."""
    now = phase_index(rnd.phase)
    steps = []
    for i, phase in enumerate(PHASES[1:], start=1):
        state = "done" if i < now else "now" if i == now else "later"
        steps.append(Step(phase, getattr(rnd, PHASE_DATES[phase]), state))
    return steps


def setup_locked(rnd) -> bool:
    """The ballot type and the counting rule are fixed once voting opens."""
    return at_or_after(rnd, "voting")


def voting_open(rnd, today: date) -> bool:
    """Votes are taken in the voting phase, up to the day before results are due."""
    if rnd.phase != "voting":
        return False
    return rnd.results_from is None or today < rnd.results_from


def ideas_open(rnd, today: date) -> bool:
    if rnd.phase != "ideas":
        return False
    return rnd.feasibility_from is None or today < rnd.feasibility_from


# --- problems (``Problem`` is shared by every feature: ``participate.problems``) -------------


def phase_date_problems(dates: Mapping[str, date | None]) -> list[Problem]:
    """Phase start dates, by field name, must not go backwards."""
    problems = []
    last = None
    for phase in PHASES[1:]:
        name = PHASE_DATES[phase]
        when = dates.get(name)
        if when is None:
            continue
        if last is not None and when < last:
            problems.append(
                Problem(
                    name,
                    N_("This date is before the previous step (%(previous)s)."),
                    {"previous": last.isoformat()},
                )
            )
        last = when
    return problems


def setup_problems(
    *,
    ballot_type: str,
    rule: str,
    min_picks: int | None,
    max_picks: int | None,
    points: int | None,
    min_spend_percent: int | None,
    area_kind: str,
    area_name: str | None,
    radius_metres: int | None,
    who_proposes: str,
    who_votes: str,
    members_space_id: int | None,
) -> list[Problem]:
    """What is wrong with a round's settings, each next to its field."""
    problems = []
    if rule not in RULES_FOR_BALLOT.get(ballot_type, ()):
        problems.append(
            Problem(
                "rule",
                N_(
                    "Equal shares needs ticks or points; with this ballot, choose a "
                    "most-votes rule."
                ),
            )
        )
    if ballot_type == "approval":
        if min_picks is not None and min_picks < 0:
            problems.append(Problem("min_picks", N_("Use 0 or more.")))
        if max_picks is not None and max_picks < 1:
            problems.append(Problem("max_picks", N_("Use 1 or more, or leave it empty.")))
        if min_picks is not None and max_picks is not None and min_picks > max_picks:
            problems.append(
                Problem("min_picks", N_("The fewest picks cannot be more than the most picks."))
            )
    if ballot_type == "cumulative" and (points is None or points < 1):
        problems.append(Problem("points", N_("Say how many points each voter shares out.")))
    if (
        ballot_type == "knapsack"
        and min_spend_percent is not None
        and not (0 <= min_spend_percent <= 100)
    ):
        problems.append(Problem("min_spend_percent", N_("Use a number from 0 to 100.")))
    if area_kind != "whole" and not (area_name or "").strip():
        problems.append(Problem("area_name", N_("Name the area, for example Northside ward.")))
    if area_kind == "radius" and (radius_metres is None or radius_metres < 1):
        problems.append(Problem("radius_metres", N_("Say how far from the place, in metres.")))
    if "members" in (who_proposes, who_votes) and members_space_id is None:
        problems.append(
            Problem("members_space_id", N_("Choose the group whose members take part."))
        )
    return problems


def ballot_problems(
    rnd, budget: int, costs: Mapping[str, int], choices: Mapping[str, int]
) -> list[Problem]:
    """What is wrong with a ballot for a pot of ``budget``: ``costs`` are the projects on the
    ballot (id -> cost), ``choices`` what the voter chose (id -> points, 1 for a tick)."""
    unknown = [pid for pid in choices if pid not in costs]
    if unknown:
        return [Problem("", N_("One of those projects is not on this ballot."))]
    if any(int(p) < 0 for p in choices.values()):
        return [Problem("", N_("Points cannot be below nothing."))]
    chosen = {pid: int(p) for pid, p in choices.items() if int(p) > 0}
    problems = []
    if rnd.ballot_type in ("approval", "knapsack") and any(p != 1 for p in chosen.values()):
        problems.append(Problem("", N_("Tick each project at most once.")))
    if rnd.ballot_type == "approval":
        if rnd.min_picks and len(chosen) < rnd.min_picks:
            problems.append(
                Problem("", N_("Choose at least %(n)s projects."), {"n": rnd.min_picks})
            )
        if rnd.max_picks and len(chosen) > rnd.max_picks:
            problems.append(
                Problem("", N_("Choose no more than %(n)s projects."), {"n": rnd.max_picks})
            )
    elif rnd.ballot_type == "knapsack":
        total = sum(costs[pid] for pid in chosen)
        if total > budget:
            problems.append(
                Problem(
                    "",
                    N_("Your choices cost %(total)s, more than the %(budget)s there is."),
                    {"total": total, "budget": budget},
                )
            )
        least = least_spend(rnd, budget)
        if least and total < least:
            problems.append(
                Problem(
                    "",
                    N_("Your choices cost %(total)s; choose at least %(least)s worth."),
                    {"total": total, "least": least},
                )
            )
    elif rnd.ballot_type == "cumulative":
        total = sum(chosen.values())
        if total > (rnd.points or 0):
            problems.append(
                Problem(
                    "",
                    N_("You gave %(total)s points; you have %(points)s to share out."),
                    {"total": total, "points": rnd.points},
                )
            )
    if not chosen:
        problems.append(Problem("", N_("Choose at least one project.")))
    return problems


def least_spend(rnd, budget: int) -> int:
    """A knapsack ballot's minimum spend, rounded up to a whole unit."""
    if rnd.ballot_type != "knapsack" or not rnd.min_spend_percent:
        return 0
    return -(-budget * rnd.min_spend_percent // 100)


# --- who may do what -------------------------------------------------------------------------


def _admin(person) -> bool:
    return person is not None and bool(person.is_site_admin)


def manages(person, rnd) -> bool:
    """Site admins and the hosting council's officers set a round up and run it."""
    if person is None:
        return False
    return _admin(person) or any(
        m.organisation_id == rnd.space.organisation_id and m.role == "council_officer"
        for m in active_memberships(person)
    )


def facilitates(person, rnd) -> bool:
    return person is not None and role_in_space(person, rnd.space) == "facilitator"


def can_view_round(person, rnd) -> bool:
    """A round being set up is seen only by those running it; after that, by everyone if its
    space is public, otherwise by the space's members."""
    if manages(person, rnd):
        return True
    if rnd.phase == "draft":
        return False
    if rnd.space.visibility == "public":
        return True
    return person is not None and role_in_space(person, rnd.space) is not None


def _member_of(person, space_id: int | None) -> bool:
    if person is None or space_id is None:
        return False
    return any(m.space_id == space_id for m in active_memberships(person))


def _members_space_id(rnd) -> int:
    return rnd.members_space_id or rnd.space.id


def eligible(person, rnd, who: str) -> bool:
    """Whether ``person`` is among those who may propose or vote (``who`` is the round's
    ``who_proposes`` or ``who_votes``). Residents say they live, work or study in the area
    when they act; members are checked against the group."""
    if person is None:
        return False
    if who == "members":
        return _member_of(person, _members_space_id(rnd))
    return True


def needs_declaration(rnd, who: str) -> bool:
    """Whether a person confirms they live, work or study in the area (and their age)."""
    return who == "residents"


def may_propose(person, rnd, today: date) -> bool:
    return ideas_open(rnd, today) and eligible(person, rnd, rnd.who_proposes)


def may_vote(person, rnd, today: date) -> bool:
    return voting_open(rnd, today) and eligible(person, rnd, rnd.who_votes)


def is_author(person, project) -> bool:
    return person is not None and project.author_id == person.id


def can_edit_project(person, project, rnd, today: date) -> bool:
    """Its author while ideas are open and before it is checked; the officers until voting."""
    if manages(person, rnd):
        return not at_or_after(rnd, "voting")
    return is_author(person, project) and ideas_open(rnd, today) and project.status == "proposed"


def can_withdraw_project(person, project, rnd) -> bool:
    return (
        is_author(person, project)
        and not at_or_after(rnd, "voting")
        and project.status in ("proposed", "feasible")
    )


def can_mark_feasibility(person, rnd) -> bool:
    return manages(person, rnd) and rnd.phase in ("ideas", "feasibility")


def can_reply_to_verdict(person, project, rnd) -> bool:
    """The author may answer the officers' verdict or cost change until results are out."""
    decided = project.status in ("feasible", "not_feasible") or project.cost_note
    return bool(decided) and is_author(person, project) and not at_or_after(rnd, "results")


def can_comment(person, rnd) -> bool:
    return (
        person is not None
        and can_view_round(person, rnd)
        and rnd.phase in ("ideas", "feasibility", "voting")
    )


def can_hide_comment(person, rnd) -> bool:
    return manages(person, rnd) or facilitates(person, rnd)


def sees_comment_words(person, comment, rnd) -> bool:
    """A hidden comment's words stay readable by its author and by those who may hide
    comments; everyone else sees only that it was hidden, and why."""
    if comment.hidden_at is None:
        return True
    return can_hide_comment(person, rnd) or (person is not None and comment.author_id == person.id)


OFFERABLE = ("proposed", "feasible")


def can_offer(person, from_project, to_project, rnd) -> bool:
    """An author may offer to merge with, or partner, another project in the same pot while
    ideas are being gathered or checked."""
    return (
        is_author(person, from_project)
        and from_project.id != to_project.id
        and from_project.pot_id == to_project.pot_id
        and from_project.status in OFFERABLE
        and to_project.status in OFFERABLE
        and rnd.phase in ("ideas", "feasibility")
    )


def can_answer_offer(person, offer, to_project, rnd) -> bool:
    return (
        offer.status == "open"
        and is_author(person, to_project)
        and rnd.phase in ("ideas", "feasibility")
    )


def can_withdraw_offer(person, offer) -> bool:
    return offer.status == "open" and person is not None and offer.by_id == person.id


def can_enter_paper(person, rnd) -> bool:
    """Officers and the round's facilitators type in paper ballots while voting is on and
    until the count."""
    return (manages(person, rnd) or facilitates(person, rnd)) and rnd.phase in (
        "voting",
        "results",
    )


def can_check_batch(person, batch, rnd) -> bool:
    """A second person checks a batch: never the one who typed it in."""
    return (
        can_enter_paper(person, rnd)
        and batch.checked_by_id is None
        and batch.entered_by_id != person.id
    )


def can_assist_voter(person, rnd, today: date) -> bool:
    return (facilitates(person, rnd) or manages(person, rnd)) and voting_open(rnd, today)


def can_count(person, rnd) -> bool:
    return manages(person, rnd) and rnd.phase == "results"


def can_publish(person, rnd) -> bool:
    """A count is published by the officers, in the results phase or, if it was left
    unpublished, once the round has moved on to delivery."""
    return manages(person, rnd) and rnd.phase in ("results", "delivery")


def can_override(person, rnd) -> bool:
    return manages(person, rnd) and rnd.phase in ("results", "delivery")


def results_visible(person, rnd, published: bool) -> bool:
    return can_view_round(person, rnd) and (published or manages(person, rnd))


def can_move_phase(person, rnd, to: str) -> bool:
    """Officers move a round on one step at a time; before voting they may step back."""
    if not manages(person, rnd) or to not in PHASES:
        return False
    here, there = phase_index(rnd.phase), phase_index(to)
    if there == here + 1:
        return True
    return there == here - 1 and here <= phase_index("feasibility")


def move_problems(rnd, to: str, pots: Iterable, today: date | None = None) -> list[Problem]:
    """What stops a round moving to ``to``: ``pots`` have ``amount`` and ``projects``
    (each with ``status``). Voting cannot open once its planned closing day (the day results
    are due) has come: the dates must change first, or nobody could vote."""
    pots = list(pots)
    problems = []
    if to == "ideas" and not pots:
        problems.append(Problem("", N_("Add at least one pot of money first.")))
    if to == "voting":
        if not any(p.status == "feasible" for pot in pots for p in pot.projects):
            problems.append(Problem("", N_("No project can go to the vote yet.")))
        waiting = sum(1 for pot in pots for p in pot.projects if p.status == "proposed")
        if waiting == 1:
            problems.append(Problem("", N_("1 project is still waiting to be checked.")))
        elif waiting:
            problems.append(
                Problem("", N_("%(n)s projects are still waiting to be checked."), {"n": waiting})
            )
        if today is not None and rnd.results_from is not None and rnd.results_from <= today:
            problems.append(
                Problem(
                    "",
                    N_(
                        "Voting would close straight away: results are planned for "
                        "%(date)s. Change the dates first."
                    ),
                    {"date": rnd.results_from.isoformat()},
                )
            )
    return problems


# --- ballots in every statistic --------------------------------------------------------------


def source_counts(sources: Iterable[str]) -> dict[str, int]:
    """Ballots by how they were cast, every source present (0 when none), and the total."""
    counts = {source: 0 for source in BALLOT_SOURCES}
    for source in sources:
        counts[source] = counts.get(source, 0) + 1
    counts["total"] = sum(counts.values())
    return counts
