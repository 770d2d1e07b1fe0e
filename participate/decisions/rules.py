"""Consent decisions: the states a proposal goes through, who may move it on, and what each
step needs. Pure: no Flask, no database.

The S3 rule this enforces: an objection that has not been resolved (the objector agrees the
amended version addresses it) or withdrawn stops a proposal becoming an agreement.

Arguments are plain objects with the fields of ``decisions.models``:

- ``circle``: ``space_id``, ``kind`` ("commission", "grant_round" or "group") and, for a
  commission, ``phase`` and ``opened_early`` (the community commissioners agreed to open
  proposals before the action phase);
- ``proposal``: ``state``, ``proposer_id``, ``quorum_percent``;
- ``situation``: a :class:`Situation`, the facts about the proposal's rounds that the
  requirements look at (the caller counts them from the database).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from participate.accounts.rules import active_memberships
from participate.text import N_

# --- states ----------------------------------------------------------------------------------

STATES = {
    "draft": N_("Being written"),
    "clarifying": N_("Questions round"),
    "reaction": N_("Reactions round"),
    "consent": N_("Consent round"),
    "integrating": N_("Working on objections"),
    "adopted": N_("Agreed"),
    "withdrawn": N_("Withdrawn"),
    "ended": N_("Ended at review"),
}
OPEN_STATES = {"draft", "clarifying", "reaction", "consent", "integrating"}
ROUND_OF_STATE = {"clarifying": "clarifying", "reaction": "reaction", "consent": "consent"}

ANSWERS = {
    "consent": N_("I consent"),
    "stand_aside": N_("I stand aside"),
    "object": N_("I object"),
}
# Paper consent cards, as people hold them up in the room.
CARD_ANSWERS = {"green": "consent", "amber": "stand_aside", "red": "object"}

OBJECTION_STATUSES = {
    "open": N_("Open"),
    "integrating": N_("Being worked on"),
    "resolved": N_("Resolved"),
    "withdrawn": N_("Withdrawn"),
}
LIVE_OBJECTION = {"open", "integrating"}

INTEGRATION_PROMPTS = [
    N_("How do we get the best of both, while avoiding the worst of each?"),
    N_("What would need to change for the objection to be resolved?"),
    N_("Is there a smaller step we could try first, and review sooner?"),
    N_("What does the objector know that the proposal missed?"),
]

# Who takes part in a circle's decisions (answers, counts towards quorum). Facilitators run
# the rounds; observers follow without deciding.
DECIDING_ROLES = {
    "commission": {"community_commissioner", "civic_commissioner", "business_commissioner"},
    "grant_round": {"grant_panel_member"},
    "group": {"resident"},
}
UNLOCKED_PHASES = {"action", "embedding"}
DEFAULT_QUORUM_PERCENT = 67


# --- who is who ------------------------------------------------------------------------------


def role_in(person, circle) -> str | None:
    if person is None:
        return None
    for m in active_memberships(person):
        if m.space_id == circle.space_id:
            return m.role
    return None


def _active_role(person, circle) -> str | None:
    """The role of someone active in the circle (not stepping back)."""
    if person is None or not getattr(person, "active", True):
        return None
    for m in person.memberships:
        if m.space_id == circle.space_id and m.status == "active":
            return m.role
    return None


def is_facilitator(person, circle) -> bool:
    return _active_role(person, circle) == "facilitator"


def decides(person, circle) -> bool:
    """Someone whose answer counts: active, with a deciding role in this kind of circle."""
    return _active_role(person, circle) in DECIDING_ROLES.get(circle.kind, set())


def can_view(person, circle) -> bool:
    """Proposals are for the circle: its members of any role (observers included)."""
    return role_in(person, circle) is not None


def is_proposer(person, proposal) -> bool:
    return person is not None and person.id == proposal.proposer_id


def unlocked(circle) -> bool:
    """A commission's proposals wait for the action phase, unless the community
    commissioners agreed to open them earlier. Other circles decide whenever they like."""
    if circle.kind != "commission":
        return True
    return circle.phase in UNLOCKED_PHASES or bool(circle.opened_early)


def can_propose(person, circle) -> bool:
    return (decides(person, circle) or is_facilitator(person, circle)) and unlocked(circle)


# --- the facts a step looks at --------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    members: int = 0  # people who decide in the circle now
    answered: int = 0  # counted answers in the current consent round (paper ones once checked)
    unchecked_paper: int = 0  # paper cards entered but not yet checked by a second person
    live_objections: int = 0  # open or being worked on, from any round
    amended_since_integration: bool = False  # a new version since objections were taken up
    round_open: bool = True  # the current round still takes answers
    review_due: bool = False  # an agreed decision has reached its review date
    reason: str = ""  # the reason given with this step, if it needs one


def quorum_needed(proposal, members: int) -> int:
    """How many answers the quorum is: ``quorum_percent`` of the members, rounded up."""
    return -(-proposal.quorum_percent * members // 100)


def quorum_met(proposal, situation: Situation) -> bool:
    """Enough of the circle has answered the consent round (at least ``quorum_percent``)."""
    if situation.members <= 0:
        return False
    return situation.answered >= quorum_needed(proposal, situation.members)


# Each requirement: (test, why not, in plain words).
REQUIREMENTS: dict[str, tuple[Callable[[object, object, Situation], bool], str]] = {
    "unlocked": (
        lambda circle, proposal, s: unlocked(circle),
        N_("Proposals open in the action phase, or earlier if the community commissioners agree."),
    ),
    "no_live_objection": (
        lambda circle, proposal, s: s.live_objections == 0,
        N_("An objection is still open. It has to be resolved or withdrawn first."),
    ),
    "live_objection": (
        lambda circle, proposal, s: s.live_objections > 0,
        N_("There is no open objection to work on."),
    ),
    "quorum": (
        lambda circle, proposal, s: quorum_met(proposal, s),
        N_("Not enough of the circle has answered yet."),
    ),
    "paper_checked": (
        lambda circle, proposal, s: s.unchecked_paper == 0,
        N_("Some paper cards are waiting for a second person to check them."),
    ),
    "amended": (
        lambda circle, proposal, s: s.amended_since_integration,
        N_("Amend the proposal first, so there is a new version to test."),
    ),
    "review_due": (
        lambda circle, proposal, s: s.review_due,
        N_("This decision is not due for review yet."),
    ),
    "reason": (
        lambda circle, proposal, s: bool(s.reason.strip()),
        N_("Say why, in a few words."),
    ),
}

FACILITATOR = "facilitator"
PROPOSER_OR_FACILITATOR = "proposer_or_facilitator"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    who: str
    requires: tuple[str, ...] = field(default_factory=tuple)
    label: str = ""


def _t(action, sources: Iterable[str], target, who, requires=(), label=""):
    return Transition(action, frozenset(sources), target, who, tuple(requires), label)


# The whole state machine. Anything not in this table is refused.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(
            "open_clarifying",
            {"draft"},
            "clarifying",
            FACILITATOR,
            ("unlocked",),
            N_("Open the questions round"),
        ),
        _t(
            "open_reaction", {"clarifying"}, "reaction", FACILITATOR, (), N_("Move on to reactions")
        ),
        _t(
            "open_consent",
            {"reaction"},
            "consent",
            FACILITATOR,
            (),
            N_("Move on to the consent round"),
        ),
        _t(
            "integrate",
            {"consent"},
            "integrating",
            FACILITATOR,
            ("live_objection",),
            N_("Work on the objections"),
        ),
        _t(
            "retest",
            {"integrating"},
            "consent",
            FACILITATOR,
            ("amended",),
            N_("Test the amended proposal for consent"),
        ),
        _t(
            "adopt",
            {"consent"},
            "adopted",
            FACILITATOR,
            ("no_live_objection", "paper_checked", "quorum"),
            N_("Record the decision"),
        ),
        _t(
            "withdraw",
            OPEN_STATES,
            "withdrawn",
            PROPOSER_OR_FACILITATOR,
            ("reason",),
            N_("Withdraw the proposal"),
        ),
        _t(
            "keep",
            {"adopted"},
            "adopted",
            FACILITATOR,
            ("review_due",),
            N_("Keep it, with a new review date"),
        ),
        _t(
            "revisit",
            {"adopted"},
            "reaction",
            FACILITATOR,
            ("review_due",),
            N_("Amend it: back to reactions"),
        ),
        _t("end", {"adopted"}, "ended", FACILITATOR, ("review_due", "reason"), N_("End it")),
    ]
}


def _who_may(transition: Transition, person, circle, proposal) -> bool:
    if is_facilitator(person, circle):
        return True
    return (
        transition.who == PROPOSER_OR_FACILITATOR
        and is_proposer(person, proposal)
        and (can_view(person, circle))
    )


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reasons: tuple[str, ...] = ()  # N_ strings: why not

    def __bool__(self) -> bool:
        return self.allowed


def check(action: str, person, circle, proposal, situation: Situation) -> Verdict:
    """May ``person`` take ``action`` on ``proposal`` now? When not, why (plain words).

    An unknown action, a state it doesn't start from, or a person it isn't for is simply
    refused; requirements that aren't met are explained."""
    transition = TRANSITIONS.get(action)
    if transition is None or proposal.state not in transition.sources:
        return Verdict(False)
    if not _who_may(transition, person, circle, proposal):
        return Verdict(False)
    missing = tuple(
        REQUIREMENTS[name][1]
        for name in transition.requires
        if not REQUIREMENTS[name][0](circle, proposal, situation)
    )
    return Verdict(not missing, missing)


def next_steps(person, circle, proposal, situation: Situation) -> list[tuple[Transition, Verdict]]:
    """The steps this person could take from here, each with whether it is possible yet.
    Keeping, amending or ending an agreed decision is offered only from its review date."""
    return [
        (t, check(t.action, person, circle, proposal, situation))
        for t in TRANSITIONS.values()
        if proposal.state in t.sources
        and _who_may(t, person, circle, proposal)
        and ("review_due" not in t.requires or situation.review_due)
    ]


# --- taking part in a round -----------------------------------------------------------------


def can_ask(person, circle, proposal, round_open: bool) -> bool:
    """Clarifying questions: anyone in the circle who decides, while the round is open."""
    return proposal.state == "clarifying" and round_open and decides(person, circle)


def can_answer_question(person, circle, proposal) -> bool:
    return proposal.state == "clarifying" and (
        is_proposer(person, proposal) or is_facilitator(person, circle)
    )


def can_react(person, circle, proposal, round_open: bool, already: bool) -> bool:
    """Everyone is heard once in the reactions round."""
    return proposal.state == "reaction" and round_open and not already and decides(person, circle)


def can_record_in_round(person, circle, proposal, kind: str, round_open: bool) -> bool:
    """In the room, a facilitator writes down members' questions, reactions or answers while
    that round is open (whose they are is checked with ``can_record_for``)."""
    return (
        is_facilitator(person, circle) and ROUND_OF_STATE.get(proposal.state) == kind and round_open
    )


def can_amend(person, circle, proposal) -> bool:
    """The proposer amends (a facilitator can write it down for them) after reactions and
    while objections are worked on."""
    return proposal.state in ("reaction", "integrating") and (
        is_proposer(person, proposal) or is_facilitator(person, circle)
    )


def can_respond(
    person, circle, proposal, round_open: bool, already: bool, stepped_out: Collection[int] = ()
) -> bool:
    """One answer each per consent round, while it is open; not from a member who stepped
    out of deciding this proposal (a declared interest)."""
    return (
        proposal.state == "consent"
        and round_open
        and not already
        and decides(person, circle)
        and person.id not in stepped_out
    )


def can_record_for(facilitator, member, circle) -> bool:
    """In the room: a facilitator records an answer for a member who is there and agrees."""
    return (
        is_facilitator(facilitator, circle)
        and decides(member, circle)
        and facilitator.id != member.id
    )


def can_check_paper(checker, entered_by_id: int | None, circle) -> bool:
    """A second person checks paper cards against the cards: a facilitator or a member of
    the circle, but never the one who typed them in."""
    return (
        checker is not None
        and (is_facilitator(checker, circle) or decides(checker, circle))
        and checker.id != entered_by_id
    )


def response_problems(answer: str, reason: str) -> list[str]:
    """What is wrong with a consent answer, in plain words (empty when it is fine)."""
    if answer not in ANSWERS:
        return [N_("Choose consent, stand aside or object.")]
    if answer == "object" and not reason.strip():
        return [N_("Say what your objection is: how would this harm the aim or the circle?")]
    return []


def results_visible(person, circle, hide_until_all: bool, everyone_answered: bool) -> bool:
    """Answers can be hidden until everyone has answered; facilitators always see them."""
    return not hide_until_all or everyone_answered or is_facilitator(person, circle)


# --- objections ------------------------------------------------------------------------------


def can_resolve(person, objection) -> bool:
    """Only the objector says an amended version addresses their objection, or withdraws it
    (a facilitator records it for them in the room, in assisted mode, as them)."""
    return (
        person is not None
        and person.id == objection.raised_by_id
        and objection.status in LIVE_OBJECTION
    )


def sees_objection(person, objection, hidden_round_id: int | None) -> bool:
    """While a consent round's answers are hidden (``hidden_round_id``), so are the objections
    raised in it, except to the objector."""
    return objection.round_id != hidden_round_id or (
        person is not None and objection.raised_by_id == person.id
    )


def can_note_objection(person, acting, circle, proposal, objection) -> bool:
    """Facilitators and the proposer write down how an open objection is being worked on."""
    return objection.status in LIVE_OBJECTION and (
        is_facilitator(person, circle) or is_proposer(acting, proposal)
    )


def objector_named(objection, viewer_is_member: bool) -> bool:
    """In the public record an objector is named only if they agreed."""
    return viewer_is_member or bool(objection.name_in_public)


# --- after adoption --------------------------------------------------------------------------


def review_due(review_on: date | None, today: date) -> bool:
    return review_on is not None and today >= review_on


def can_publish(person, circle) -> bool:
    return is_facilitator(person, circle)
