"""Deciding on applications, as pure functions beside ``grants.rules``: what a declaration
needs, which way a consent round went, who may take an application to one, and which of a
participatory budgeting round's winners can become grants (and whether the fund can pay them
all). No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from participate.grants import rules
from participate.problems import Problem
from participate.text import N_

# --- declarations ----------------------------------------------------------------------------

INTEREST_CHOICES = {
    "none": N_("I have no interest in this application"),
    "interest": N_("I have an interest in this application"),
}
VIEW_CHOICES = {
    "fund": N_("Fund it"),
    "not_fund": N_("Do not fund it"),
}


def declaration_problems(choice: str | None, interest: str | None) -> list[Problem]:
    """A declaration says which; an interest also says what it is."""
    if choice not in INTEREST_CHOICES:
        return [Problem("declared", N_("Say whether you have an interest in this application."))]
    if choice == "interest" and not (interest or "").strip():
        return [
            Problem(
                "interest",
                N_("Say what your interest is, for example: I know the applicant well."),
            )
        ]
    return []


def my_declaration(person, declarations: Iterable):
    """``person``'s declaration on this application, or ``None``."""
    if person is None:
        return None
    return next((d for d in declarations if d.person_id == person.id), None)


def my_view(person, views: Iterable):
    if person is None:
        return None
    return next((v for v in views if v.person_id == person.id), None)


# --- consent rounds --------------------------------------------------------------------------

CONSENT_OUTCOMES = {"adopted": "fund", "withdrawn": "not_fund", "ended": "not_fund"}


def consent_outcome(proposal_state: str | None) -> str | None:
    """A consent round agreed ("fund"), was withdrawn or ended ("not_fund"), or is still
    going (``None``)."""
    return CONSENT_OUTCOMES.get(proposal_state or "")


def can_take_to_consent(person, grant, declarations: Iterable) -> bool:
    """The people who run a consent-round fund take an application to the panel's consent
    round once, never someone who declared an interest in it."""
    return (
        grant.fund.decides_by == "consent"
        and grant.proposal_id is None
        and rules.can_decide(person, grant, list(declarations))
    )


def outcome(decides_by: str, count, proposal_state: str | None) -> str | None:
    """What the fund's way of deciding says so far: "fund", "not_fund" or ``None``."""
    if decides_by == "panel":
        return count.outcome if count is not None else None
    if decides_by == "consent":
        return consent_outcome(proposal_state)
    return None


def proposal_words(grant, amount_words: str) -> dict[str, str]:
    """The consent round's proposal, from the application: the need it answers (``driver``)
    and what is proposed (``text``). ``amount_words`` is the amount asked, formatted."""
    driver = grant.what.strip()
    if grant.who_for:
        driver += f"\n\nWho it helps: {grant.who_for.strip()}"
    if grant.where_text:
        driver += f"\nWhere: {grant.where_text.strip()}"
    if grant.hope:
        driver += f"\n\nWhat they hope will change: {grant.hope.strip()}"
    text = (
        f"Award {amount_words} to {grant.recipient_name} for "
        f'"{grant.title}" (application {grant.reference}).'
    )
    return {"driver": driver, "text": text}


# --- awards from residents' votes ------------------------------------------------------------


def winners(selected: Iterable[str], overrides: Iterable[tuple[str, bool]]) -> list[str]:
    """The refs that won a pot: those the count selected, changed by the council's published
    decisions (``overrides``: (ref, funded), oldest first; the latest for a ref counts)."""
    latest: dict[str, bool] = {}
    for ref, funded in overrides:
        latest[ref] = funded
    chosen = [ref for ref in selected if latest.get(ref, True)]
    chosen += [ref for ref, funded in latest.items() if funded and ref not in chosen]
    return chosen


@dataclass(frozen=True)
class Winner:
    project: object  # a BudgetProject
    pot_name: str
    pence: int
    done: bool  # already a grant
    author: object | None  # who applies for it; None: it cannot become a grant here


@dataclass(frozen=True)
class AwardPlan:
    winners: list[Winner]
    available: int
    to_make: list[Winner] = field(default_factory=list)
    no_author: list[Winner] = field(default_factory=list)
    free: list[Winner] = field(default_factory=list)  # costs nothing: no grant to make
    done: list[Winner] = field(default_factory=list)

    @property
    def needed(self) -> int:
        return sum(w.pence for w in self.to_make)

    @property
    def enough(self) -> bool:
        return self.needed <= self.available

    @property
    def short_by(self) -> int:
        return max(self.needed - self.available, 0)


def plan_awards(
    pots: Iterable[tuple[str, Iterable]],
    done_project_ids: Iterable[int],
    authors: Mapping[int, object],
    available: int,
) -> AwardPlan:
    """Each winning project (``pots``: (pot name, projects), costs in whole currency units)
    as a grant to make, one already made, or one without an author to apply for it."""
    done_ids = set(done_project_ids)
    listed: list[Winner] = []
    for pot_name, projects in pots:
        for p in projects:
            author = authors.get(p.author_id) if p.author_id is not None else None
            listed.append(Winner(p, pot_name, int(p.cost) * 100, p.id in done_ids, author))
    return AwardPlan(
        winners=listed,
        available=available,
        to_make=[w for w in listed if not w.done and w.author is not None and w.pence > 0],
        no_author=[w for w in listed if not w.done and w.author is None and w.pence > 0],
        free=[w for w in listed if not w.done and w.pence <= 0],
        done=[w for w in listed if w.done],
    )


def can_award_from_round(person, fund) -> bool:
    return rules.manages(person, fund) and fund.status != "closed"
