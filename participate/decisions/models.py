"""Proposals, their versions and rounds, answers, objections and the decisions they become.

Which step is allowed, by whom and when is decided in ``decisions/rules.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.accounts.models import Person, Space
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db


class Proposal(db.Model):
    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint(
            "state IN ('draft', 'clarifying', 'reaction', 'consent', 'integrating', 'adopted', "
            "'withdrawn', 'ended')",
            name="state",
        ),
        CheckConstraint("quorum_percent BETWEEN 1 AND 100", name="quorum_percent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id"), index=True)  # the circle
    proposer_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(12), default="draft")
    quorum_percent: Mapped[int] = mapped_column(Integer, default=67)
    # Hide how others answered the consent round until everyone has answered.
    hide_results: Mapped[bool] = mapped_column(Boolean, default=True)
    # The version when objections were taken up: re-testing needs a newer one.
    integrating_from_version: Mapped[int | None] = mapped_column(Integer)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # Shown on the public decisions page once agreed (the circle chooses).
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Space] = relationship(lazy="joined")
    proposer: Mapped[Person] = relationship(foreign_keys=[proposer_id], lazy="joined")
    versions: Mapped[list[ProposalVersion]] = relationship(
        order_by="ProposalVersion.number", back_populates="proposal"
    )
    rounds: Mapped[list[DecisionRound]] = relationship(
        order_by="DecisionRound.number", back_populates="proposal"
    )
    objections: Mapped[list[Objection]] = relationship(
        order_by="Objection.raised_at", back_populates="proposal"
    )

    @property
    def version(self) -> ProposalVersion:
        return self.versions[-1]

    @property
    def current_round(self) -> DecisionRound | None:
        return self.rounds[-1] if self.rounds else None


class ProposalVersion(db.Model):
    """Every amendment is a new version; the history shows what changed and why."""

    __tablename__ = "proposal_version"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    driver: Mapped[str] = mapped_column(Text)  # what need or situation prompts it
    text: Mapped[str] = mapped_column(Text)  # the proposal itself
    red_lines: Mapped[str | None] = mapped_column(Text)  # raised early
    review_on: Mapped[date | None] = mapped_column(Date)
    change_note: Mapped[str | None] = mapped_column(Text)  # what changed and why
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="versions")
    created_by: Mapped[Person | None] = relationship()


class DecisionRound(db.Model):
    """One clarifying, reaction or consent round on one version."""

    __tablename__ = "decision_round"
    __table_args__ = (
        CheckConstraint("kind IN ('clarifying', 'reaction', 'consent')", name="kind"),
        UniqueConstraint("proposal_id", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    version_number: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # an asynchronous deadline
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reactions: the order people are heard in (person ids), set by the facilitator.
    speaking_order: Mapped[list | None] = mapped_column(JSON)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    proposal: Mapped[Proposal] = relationship(back_populates="rounds")
    questions: Mapped[list[Question]] = relationship(order_by="Question.asked_at")
    reactions: Mapped[list[Reaction]] = relationship(order_by="Reaction.at")
    responses: Mapped[list[ConsentResponse]] = relationship(order_by="ConsentResponse.at")


class Question(db.Model):
    __tablename__ = "decision_question"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("decision_round.id"), index=True)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    asked_by: Mapped[Person] = relationship(foreign_keys=[asked_by_id], lazy="joined")


class Reaction(db.Model):
    """Everyone is heard once in a reactions round."""

    __tablename__ = "decision_reaction"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("decision_round.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")


class ConsentResponse(db.Model):
    """One answer per member per consent round, enforced by the database."""

    __tablename__ = "consent_response"
    __table_args__ = (
        CheckConstraint("answer IN ('consent', 'stand_aside', 'object')", name="answer"),
        CheckConstraint("source IN ('online', 'assisted', 'paper')", name="source"),
        UniqueConstraint("round_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("decision_round.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    answer: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(8), default="online")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # Paper cards count once a second person has checked them.
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")

    @property
    def counts(self) -> bool:
        return self.source != "paper" or self.checked_at is not None


class Objection(db.Model):
    __tablename__ = "objection"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'integrating', 'resolved', 'withdrawn')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("decision_round.id"))
    version_number: Mapped[int] = mapped_column(Integer)  # the version objected to
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    reasoning: Mapped[str] = mapped_column(Text)
    # The objector holds that it would harm the aim or the circle.
    paramount: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="open")
    integration_note: Mapped[str | None] = mapped_column(Text)
    resolved_version_number: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Named in the public record only if the objector agrees.
    name_in_public: Mapped[bool] = mapped_column(Boolean, default=False)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="objections")
    raised_by: Mapped[Person] = relationship(lazy="joined")


class Decision(db.Model):
    """The record made when a proposal is agreed. Frozen: a review adds to it, never edits it."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    review_on: Mapped[date | None] = mapped_column(Date)
    # Who took part and how each answered, and each objection and how it changed the proposal,
    # as they stood when it was agreed.
    record: Mapped[dict] = mapped_column(JSON)

    proposal: Mapped[Proposal] = relationship()


class DecisionReview(db.Model):
    __tablename__ = "decision_review"
    __table_args__ = (CheckConstraint("outcome IN ('keep', 'revisit', 'end')", name="outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
