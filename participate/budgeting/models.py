"""Grant rounds, their pots and projects, ballots, paper batches and counted results.

Amounts are whole currency units (pounds, euros, złoty), as ballots and pabulib files use them,
so that counting (``budgeting/tally.py``) sees exactly what voters saw.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.accounts.models import Person, Space
from participate.budgeting.rules import BALLOT_LABELS, PHASES, RULE_LABELS
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db

BALLOT_TYPES = tuple(BALLOT_LABELS)
RULES = tuple(RULE_LABELS)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class GrantRound(db.Model):
    __tablename__ = "pb_round"
    __table_args__ = (
        CheckConstraint(_in("phase", PHASES), name="phase"),
        CheckConstraint(_in("ballot_type", BALLOT_TYPES), name="ballot_type"),
        CheckConstraint(_in("rule", RULES), name="rule"),
        CheckConstraint(
            _in("area_kind", ("whole", "ward", "neighbourhood", "radius")), name="area"
        ),
        CheckConstraint(_in("who_proposes", ("residents", "members", "anyone")), name="proposes"),
        CheckConstraint(_in("who_votes", ("residents", "members")), name="votes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    area_kind: Mapped[str] = mapped_column(String(14), default="whole")
    area_name: Mapped[str | None] = mapped_column(String(200))  # "Northside ward"
    radius_metres: Mapped[int | None] = mapped_column(Integer)  # for area_kind 'radius'
    who_proposes: Mapped[str] = mapped_column(String(10), default="residents")
    who_votes: Mapped[str] = mapped_column(String(10), default="residents")
    vote_age_from: Mapped[int | None] = mapped_column(Integer)
    # who_proposes / who_votes "members": the members of this space (the round's own when empty).
    members_space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id"))
    ballot_type: Mapped[str] = mapped_column(String(10), default="approval")
    min_picks: Mapped[int | None] = mapped_column(Integer)  # approval
    max_picks: Mapped[int | None] = mapped_column(Integer)  # approval
    points: Mapped[int | None] = mapped_column(Integer)  # cumulative: points to spread
    min_spend_percent: Mapped[int | None] = mapped_column(Integer)  # knapsack
    rule: Mapped[str] = mapped_column(String(20), default="mes-add1")
    phase: Mapped[str] = mapped_column(String(12), default="draft")
    ideas_from: Mapped[date | None] = mapped_column(Date)
    feasibility_from: Mapped[date | None] = mapped_column(Date)
    voting_from: Mapped[date | None] = mapped_column(Date)
    results_from: Mapped[date | None] = mapped_column(Date)
    delivery_from: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    unspent: Mapped[str | None] = mapped_column(Text)  # what happens to money not spent
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    # A round brought in from a pabulib file: that file's META, as it was.
    imported_meta: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Space] = relationship(lazy="joined", foreign_keys=[space_id])
    members_space: Mapped[Space | None] = relationship(foreign_keys=[members_space_id])
    pots: Mapped[list[Pot]] = relationship(order_by="Pot.position", back_populates="round")


class Pot(db.Model):
    __tablename__ = "pb_pot"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pb_round.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(160))
    amount: Mapped[int] = mapped_column(BigInteger)
    area_or_theme: Mapped[str | None] = mapped_column(String(200))

    round: Mapped[GrantRound] = relationship(back_populates="pots")
    projects: Mapped[list[BudgetProject]] = relationship(
        order_by="BudgetProject.id", back_populates="pot"
    )


class BudgetProject(db.Model):
    """A resident's idea for a pot: what, where, who for, roughly how much."""

    __tablename__ = "pb_project"
    __table_args__ = (
        CheckConstraint(
            _in("status", ("proposed", "feasible", "not_feasible", "withdrawn", "merged")),
            name="status",
        ),
        CheckConstraint("cost >= 0", name="cost"),
        UniqueConstraint("pot_id", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pot.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40))  # its id on ballots and in pabulib files
    title: Mapped[str] = mapped_column(String(300))
    what: Mapped[str | None] = mapped_column(Text)
    where_text: Mapped[str | None] = mapped_column(String(300))
    who_for: Mapped[str | None] = mapped_column(String(300))
    hope: Mapped[str | None] = mapped_column(Text)  # "what do you hope will change?"
    cost: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    group_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(14), default="proposed")
    feasibility_reason: Mapped[str | None] = mapped_column(Text)
    feasibility_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    feasibility_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_cost: Mapped[int | None] = mapped_column(BigInteger)  # before an officer adjusted it
    cost_note: Mapped[str | None] = mapped_column(Text)
    author_reply: Mapped[str | None] = mapped_column(Text)  # to the verdict or the cost change
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("pb_project.id"))
    # Anything else a pabulib file said about it (category, district...), as it was.
    extra: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pot: Mapped[Pot] = relationship(back_populates="projects")
    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    images: Mapped[list[ProjectImage]] = relationship(
        order_by="ProjectImage.id", back_populates="project"
    )


class ProjectImage(db.Model):
    """A picture for a project, re-encoded on upload so no location or camera data is kept."""

    __tablename__ = "pb_project_image"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_project.id"), index=True)
    alt_text: Mapped[str] = mapped_column(String(300))  # what the picture shows, in words
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[BudgetProject] = relationship(back_populates="images")


class ProjectComment(db.Model):
    __tablename__ = "pb_comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_project.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An officer may hide a comment, with a reason the commenter sees.
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Person] = relationship(foreign_keys=[author_id])


class ProjectOffer(db.Model):
    """One project's author offers another's to merge (one project goes on) or to partner
    (both stay, working together). The other author accepts or declines."""

    __tablename__ = "pb_offer"
    __table_args__ = (
        CheckConstraint(_in("kind", ("merge", "partner")), name="kind"),
        CheckConstraint(
            _in("status", ("open", "accepted", "declined", "withdrawn")), name="status"
        ),
        CheckConstraint("from_project_id <> to_project_id", name="two_projects"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_project_id: Mapped[int] = mapped_column(ForeignKey("pb_project.id"), index=True)
    to_project_id: Mapped[int] = mapped_column(ForeignKey("pb_project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(9), default="open")
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    answer_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    from_project: Mapped[BudgetProject] = relationship(foreign_keys=[from_project_id])
    to_project: Mapped[BudgetProject] = relationship(foreign_keys=[to_project_id])


class PaperBatch(db.Model):
    """Paper ballots typed in by one person; they count once a second person has checked."""

    __tablename__ = "pb_paper_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pot.id"), index=True)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(300))
    # The checker can send a batch back (it does not count) with what to put right.
    returned_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ballot(db.Model):
    """One per voter per pot, enforced here: parallel submissions cannot make two."""

    __tablename__ = "pb_ballot"
    __table_args__ = (
        CheckConstraint(_in("source", ("online", "assisted", "paper", "imported")), name="source"),
        UniqueConstraint("pot_id", "voter_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pot.id"), index=True)
    # Who cast it, as a key unique in the pot: "person:12", "paper:<serial>", or an imported
    # file's (already random) voter id. Never shown or exported as it is.
    voter_key: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    source: Mapped[str] = mapped_column(String(9), default="online")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("pb_paper_batch.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    choices: Mapped[list[BallotChoice]] = relationship(cascade="all, delete-orphan")


class BallotChoice(db.Model):
    __tablename__ = "pb_ballot_choice"
    __table_args__ = (CheckConstraint("points > 0", name="points"),)

    ballot_id: Mapped[int] = mapped_column(ForeignKey("pb_ballot.id"), primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("pb_project.id"), primary_key=True, index=True
    )
    points: Mapped[int] = mapped_column(Integer, default=1)  # 1 on approval and knapsack ballots


class Result(db.Model):
    """A count of a pot: the rule, when, by whom, and the outcome with every project's reason.
    Overrides are separate rows, each with its published reason."""

    __tablename__ = "pb_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pot.id"), index=True)
    rule: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[dict] = mapped_column(JSON)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Override(db.Model):
    __tablename__ = "pb_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("pb_result.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_project.id"))
    funded: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)  # published on the results page
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
