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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.accounts.models import Person, Space
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db

PHASES = ("draft", "ideas", "feasibility", "voting", "results", "delivery", "closed")
BALLOT_TYPES = ("approval", "knapsack", "cumulative")
RULES = ("greedy", "greedy-no-skip", "mes", "mes-add1", "mes-add1-comparison")


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

    space: Mapped[Space] = relationship(lazy="joined")
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
    cost_note: Mapped[str | None] = mapped_column(Text)
    # Anything else a pabulib file said about it (category, district...), as it was.
    extra: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pot: Mapped[Pot] = relationship(back_populates="projects")
    author: Mapped[Person | None] = relationship()


class PaperBatch(db.Model):
    """Paper ballots typed in by one person; they count once a second person has checked."""

    __tablename__ = "pb_paper_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pb_pot.id"), index=True)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(String(300))
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


class Override(db.Model):
    __tablename__ = "pb_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("pb_result.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pb_project.id"))
    funded: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)  # published on the results page
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
