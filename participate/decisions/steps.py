"""Doing what ``decisions/rules.py`` allows: opening and closing rounds, recording answers and
objections, amending, adopting and reviewing. Views call these after asking the rules; each
function changes the session and writes the audit log, and the view commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from participate.accounts.models import Membership, Person, Space
from participate.audit import record
from participate.columns import utcnow
from participate.commissions.models import Commission
from participate.decisions import rules
from participate.decisions.models import (
    ConsentResponse,
    Decision,
    DecisionReview,
    DecisionRound,
    Objection,
    Proposal,
    ProposalVersion,
    Question,
    Reaction,
)
from participate.extensions import db
from participate.notices import news


@dataclass(frozen=True)
class Circle:
    """What the rules need to know about the space a proposal belongs to."""

    space: Space
    space_id: int
    kind: str
    phase: str | None = None
    opened_early: bool = False
    commission: Commission | None = None


def circle_for(space: Space) -> Circle:
    commission = None
    if space.kind == "commission":
        commission = db.session.scalar(select(Commission).where(Commission.space_id == space.id))
    return Circle(
        space=space,
        space_id=space.id,
        kind=space.kind,
        phase=commission.phase if commission else None,
        opened_early=bool(commission and commission.proposals_opened_on),
        commission=commission,
    )


# Features that tie a proposal to something a member may have an interest in (a grant
# application taken to a consent round) say who steps out of deciding it:
# function(proposal) -> set of person ids. Their answers are not asked for and do not count.
stepped_out_providers: list = []


def stepped_out(proposal: Proposal | None) -> set[int]:
    ids: set[int] = set()
    if proposal is not None:
        for provider in stepped_out_providers:
            ids |= provider(proposal)
    return ids


def deciders(circle: Circle, proposal: Proposal | None = None) -> list[Person]:
    """The people whose answers count, by name (for a proposal, without those who stepped
    out of deciding it)."""
    roles = rules.DECIDING_ROLES.get(circle.kind, set())
    people = db.session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            Membership.space_id == circle.space_id,
            Membership.status == "active",
            Membership.role.in_(roles),
            Person.active.is_(True),
        )
        .order_by(Person.chosen_name, Person.id)
    ).all()
    out = stepped_out(proposal)
    return [p for p in people if p.id not in out]


def round_open(rnd: DecisionRound | None, now: datetime | None = None) -> bool:
    if rnd is None or rnd.closed_at is not None:
        return False
    return rnd.closes_at is None or (now or utcnow()) < rnd.closes_at


def current_round(proposal: Proposal, kind: str | None = None) -> DecisionRound | None:
    rnd = proposal.current_round
    if rnd is None or (kind is not None and rnd.kind != kind):
        return None
    return rnd


def live_objections(proposal: Proposal) -> list[Objection]:
    return [o for o in proposal.objections if o.status in rules.LIVE_OBJECTION]


def current_review_on(decision: Decision) -> date | None:
    reviews = db.session.scalars(
        select(DecisionReview)
        .where(DecisionReview.decision_id == decision.id)
        .order_by(DecisionReview.at.desc(), DecisionReview.id.desc())
    ).first()
    return reviews.next_review_on if reviews is not None else decision.review_on


def latest_decision(proposal: Proposal) -> Decision | None:
    return db.session.scalars(
        select(Decision)
        .where(Decision.proposal_id == proposal.id)
        .order_by(Decision.adopted_at.desc(), Decision.id.desc())
    ).first()


def situation(proposal: Proposal, circle: Circle, today: date, reason: str = "") -> rules.Situation:
    """The facts the state machine's requirements look at, counted now."""
    consent = current_round(proposal, "consent")
    responses = consent.responses if consent is not None else []
    decision = latest_decision(proposal) if proposal.state == "adopted" else None
    return rules.Situation(
        members=len(deciders(circle, proposal)),
        answered=sum(1 for r in responses if r.counts),
        unchecked_paper=sum(1 for r in responses if not r.counts),
        live_objections=len(live_objections(proposal)),
        amended_since_integration=proposal.integrating_from_version is not None
        and proposal.version.number > proposal.integrating_from_version,
        round_open=round_open(proposal.current_round),
        review_due=decision is not None and rules.review_due(current_review_on(decision), today),
        reason=reason,
    )


# --- starting and changing a proposal --------------------------------------------------------


def propose(circle: Circle, proposer: Person, by: Person, title: str, **version) -> Proposal:
    proposal = Proposal(
        space_id=circle.space_id,
        proposer_id=proposer.id,
        title=title,
        created_by_id=by.id,
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.add(
        ProposalVersion(proposal_id=proposal.id, number=1, created_by_id=by.id, **version)
    )
    db.session.flush()
    db.session.refresh(proposal)
    record(
        "proposal.created",
        f"Proposed: {title}",
        proposal,
        space=circle.space,
        visibility="space",
        on_behalf_of=proposer if proposer.id != by.id else None,
    )
    return proposal


def amend(proposal: Proposal, by: Person, change_note: str, **version) -> ProposalVersion:
    """A new version; the history keeps every one and what changed and why."""
    new = ProposalVersion(
        proposal_id=proposal.id,
        number=proposal.version.number + 1,
        change_note=change_note,
        created_by_id=by.id,
        **version,
    )
    db.session.add(new)
    proposal.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(proposal)
    record(
        "proposal.amended",
        f"Amended {proposal.title} (version {new.number})",
        proposal,
        space=proposal.space,
        visibility="space",
    )
    return new


# --- moving through the rounds ---------------------------------------------------------------


def _open_round(proposal: Proposal, kind: str, by: Person, closes_at=None, order=None):
    _close_round(proposal)
    rnd = DecisionRound(
        proposal_id=proposal.id,
        number=len(proposal.rounds) + 1,
        kind=kind,
        version_number=proposal.version.number,
        closes_at=closes_at,
        speaking_order=order,
        opened_by_id=by.id,
    )
    db.session.add(rnd)
    db.session.flush()
    db.session.refresh(proposal)
    return rnd


def _close_round(proposal: Proposal) -> None:
    rnd = proposal.current_round
    if rnd is not None and rnd.closed_at is None:
        rnd.closed_at = utcnow()


def speaking_order(circle: Circle, chosen: list[int] | None, seed: int | None = None) -> list[int]:
    """The order people are heard in reactions: the facilitator's, then anyone they left
    out in a random order (everyone at random when they chose nobody)."""
    people = [p.id for p in deciders(circle)]
    first = [pid for pid in (chosen or []) if pid in people]
    rest = [pid for pid in people if pid not in first]
    random.Random(seed).shuffle(rest)  # noqa: S311 - turn order, not a secret  # nosec B311
    return first + rest


def take(
    action: str,
    proposal: Proposal,
    by: Person,
    circle: Circle,
    today: date,
    *,
    reason: str = "",
    closes_at: datetime | None = None,
    order: list[int] | None = None,
    next_review_on: date | None = None,
) -> rules.Verdict:
    """Take a step of the state machine if the rules allow it now; the verdict says why not."""
    verdict = rules.check(action, by, circle, proposal, situation(proposal, circle, today, reason))
    if not verdict:
        return verdict
    before = proposal.state
    transition = rules.TRANSITIONS[action]
    if action in ("open_clarifying", "open_consent", "retest"):
        _open_round(proposal, rules.ROUND_OF_STATE[transition.target], by, closes_at)
    elif action in ("open_reaction", "revisit"):
        _open_round(proposal, "reaction", by, closes_at, speaking_order(circle, order))
    elif action == "integrate":
        _close_round(proposal)
        proposal.integrating_from_version = proposal.version.number
        for objection in live_objections(proposal):
            objection.status = "integrating"
    elif action == "adopt":
        _close_round(proposal)
        _adopt(proposal, by)
    elif action == "withdraw":
        _close_round(proposal)
        proposal.withdrawn_reason = reason.strip()
    if action in ("keep", "revisit", "end"):
        decision = latest_decision(proposal)
        db.session.add(
            DecisionReview(
                decision_id=decision.id,
                outcome=action,
                reason=reason.strip() or None,
                next_review_on=next_review_on if action == "keep" else None,
                by_id=by.id,
            )
        )
    proposal.state = transition.target
    proposal.updated_at = utcnow()
    record(
        f"proposal.{action}",
        f"{proposal.title}: {before} to {proposal.state}",
        proposal,
        space=proposal.space,
        visibility="space",
        detail={"from": before, "to": proposal.state, "reason": reason.strip() or None},
    )
    return verdict


def decision_record(proposal: Proposal, responses) -> dict:
    """Who answered and how, each objection and how it changed the proposal, as they stand
    now: frozen into the decision when it is agreed."""
    version = proposal.version
    return {
        "answers": [
            {
                "person_id": r.person_id,
                "name": r.person.chosen_name,
                "answer": r.answer,
                "reason": r.reason,
                "source": r.source,
            }
            for r in responses
            if r.counts
        ],
        "objections": [
            {
                "id": o.id,
                "raised_by_id": o.raised_by_id,
                "name": o.raised_by.chosen_name,
                "name_in_public": o.name_in_public,
                "reasoning": o.reasoning,
                "paramount": o.paramount,
                "status": o.status,
                "integration_note": o.integration_note,
                "objected_to_version": o.version_number,
                "resolved_version": o.resolved_version_number,
            }
            for o in proposal.objections
        ],
        "driver": version.driver,
        "red_lines": version.red_lines,
        "versions": len(proposal.versions),
    }


def _adopt(proposal: Proposal, by: Person) -> Decision:
    """The decision record, frozen as things stand at adoption."""
    consent = next(r for r in reversed(proposal.rounds) if r.kind == "consent")
    version = proposal.version
    snapshot = decision_record(proposal, consent.responses)
    decision = Decision(
        proposal_id=proposal.id,
        version_number=version.number,
        text=version.text,
        adopted_by_id=by.id,
        review_on=version.review_on,
        record=snapshot,
    )
    db.session.add(decision)
    return decision


# --- taking part -----------------------------------------------------------------------------


def ask(rnd: DecisionRound, member: Person, text: str, recorded_by: Person | None) -> Question:
    question = Question(
        round_id=rnd.id,
        asked_by_id=member.id,
        text=text,
        recorded_by_id=recorded_by.id if recorded_by else None,
    )
    db.session.add(question)
    return question


def answer_question(question: Question, by: Person, answer: str) -> None:
    question.answer, question.answered_by_id, question.answered_at = answer, by.id, utcnow()


def react(rnd: DecisionRound, member: Person, text: str, recorded_by: Person | None) -> Reaction:
    reaction = Reaction(
        round_id=rnd.id,
        person_id=member.id,
        text=text,
        recorded_by_id=recorded_by.id if recorded_by else None,
    )
    db.session.add(reaction)
    return reaction


def respond(
    proposal: Proposal,
    rnd: DecisionRound,
    member: Person,
    answer: str,
    reason: str,
    *,
    paramount: bool = False,
    name_in_public: bool = False,
    source: str = "online",
    recorded_by: Person | None = None,
) -> ConsentResponse:
    """One answer; an objection becomes an object of its own. The database refuses a second
    answer from the same person in the same round (IntegrityError on flush)."""
    response = ConsentResponse(
        round_id=rnd.id,
        person_id=member.id,
        answer=answer,
        reason=reason.strip() or None,
        source=source,
        recorded_by_id=recorded_by.id if recorded_by else None,
    )
    db.session.add(response)
    db.session.flush()
    if answer == "object":
        db.session.add(
            Objection(
                proposal_id=proposal.id,
                round_id=rnd.id,
                version_number=rnd.version_number,
                raised_by_id=member.id,
                reasoning=reason.strip(),
                paramount=paramount,
                name_in_public=name_in_public,
            )
        )
        db.session.flush()
        db.session.refresh(proposal)
        news.objection_raised(proposal, rnd, member)  # the proposer hears (notices/news.py)
    record(
        "proposal.answered",
        f"Answered the consent round on {proposal.title}",
        proposal,
        space=proposal.space,
        visibility="private",
        on_behalf_of=member if recorded_by is not None else None,
        detail={"source": source},
    )
    return response


def close_objection(objection: Objection, status: str, note: str, version_number: int) -> None:
    """The objector agrees the amended version addresses it ('resolved') or withdraws it.
    Their note is added after the notes from working on it, which stay."""
    objection.status = status
    objection.closed_at = utcnow()
    if note.strip():
        earlier = (objection.integration_note or "").strip()
        objection.integration_note = f"{earlier}\n\n{note.strip()}" if earlier else note.strip()
    if status == "resolved":
        objection.resolved_version_number = version_number
    record(
        f"objection.{status}",
        f"An objection to {objection.proposal.title} was {status}",
        objection.proposal,
        space=objection.proposal.space,
        visibility="space",
    )


def check_paper(rnd: DecisionRound, checker: Person) -> int:
    """A second person confirms the paper cards someone else entered (the view has asked
    ``rules.can_check_paper``). Cards the checker entered themself stay waiting. Returns how
    many were checked."""
    checked = 0
    for response in rnd.responses:
        if (
            response.source == "paper"
            and response.checked_at is None
            and response.recorded_by_id != checker.id
        ):
            response.checked_by_id, response.checked_at = checker.id, utcnow()
            checked += 1
    return checked


def reviews(decision: Decision) -> list[DecisionReview]:
    return list(
        db.session.scalars(
            select(DecisionReview)
            .where(DecisionReview.decision_id == decision.id)
            .order_by(DecisionReview.at, DecisionReview.id)
        )
    )
