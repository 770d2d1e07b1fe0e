"""Commissions and everything that happens in them. Money is integer pence; times are UTC."""

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

from participate.accounts.models import Organisation, Person, Space
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db


class Commission(db.Model):
    """A poverty truth commission, living in one space of kind 'commission'."""

    __tablename__ = "commission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id"), unique=True)
    place: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    phase: Mapped[str] = mapped_column(String(30), default="decide")
    phase_started_on: Mapped[date] = mapped_column(Date)
    # Planned months per phase, keyed by phase: {"decide": 6, ...}. Editable.
    phase_plan: Mapped[dict] = mapped_column(JSON)
    north_star: Mapped[str | None] = mapped_column(Text)
    principles: Mapped[str | None] = mapped_column(Text)
    community_cap: Mapped[int] = mapped_column(Integer, default=15)
    civic_business_cap: Mapped[int] = mapped_column(Integer, default=15)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    involvement_rate_pence: Mapped[int] = mapped_column(BigInteger, default=2500)
    reduced_rate_pence: Mapped[int] = mapped_column(BigInteger, default=1000)
    # The community commissioners agreed to open proposals before the action phase.
    proposals_opened_on: Mapped[date | None] = mapped_column(Date)
    proposals_opened_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Space] = relationship(lazy="joined")
    hosts: Mapped[list[CommissionHost]] = relationship(
        back_populates="commission", cascade="all, delete-orphan"
    )


class CommissionHost(db.Model):
    """An organisation that hosts the commission (local ownership)."""

    __tablename__ = "commission_host"
    __table_args__ = (UniqueConstraint("commission_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))

    commission: Mapped[Commission] = relationship(back_populates="hosts")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class CharterVersion(db.Model):
    """Each edit of the North Star and shared principles, kept as history."""

    __tablename__ = "charter_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    north_star: Mapped[str | None] = mapped_column(Text)
    principles: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edited_by: Mapped[Person | None] = relationship(foreign_keys=[edited_by_id], lazy="joined")
    on_behalf_of: Mapped[Person | None] = relationship(
        foreign_keys=[on_behalf_of_id], lazy="joined"
    )


class PhaseChange(db.Model):
    """A recorded move between phases, or a change to the phase plan: who, when, why."""

    __tablename__ = "phase_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    from_phase: Mapped[str | None] = mapped_column(String(30))
    to_phase: Mapped[str | None] = mapped_column(String(30))
    # For plan edits: the plan before and after.
    plan_before: Mapped[dict | None] = mapped_column(JSON)
    plan_after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    # True when this shortened the community-only phase below six months.
    overrode_guardrail: Mapped[bool] = mapped_column(Boolean, default=False)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[Person | None] = relationship(lazy="joined")


class CommissionSession(db.Model):
    """A meeting of the commission ("session" to people; named so as not to be a db session)."""

    __tablename__ = "commission_session"
    __table_args__ = (CheckConstraint("status IN ('planned', 'live', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    accessibility_notes: Mapped[str | None] = mapped_column(Text)
    introductions_minutes: Mapped[int] = mapped_column(Integer, default=15)
    reflection_minutes: Mapped[int] = mapped_column(Integer, default=15)
    checkin_minutes: Mapped[int] = mapped_column(Integer, default=10)
    checkin_prompt: Mapped[str | None] = mapped_column(String(300))
    checkout_prompt: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="planned")
    notes: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    summary_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    commission: Mapped[Commission] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", back_populates="session"
    )


class AgendaItem(db.Model):
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("commission_session.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer)

    session: Mapped[CommissionSession] = relationship(back_populates="agenda")


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        CheckConstraint("status IN ('present', 'apologies', 'absent')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("commission_session.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")


class RoundResponse(db.Model):
    """One person's answer in a check-in or check-out round."""

    __tablename__ = "round_response"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", "round"),
        CheckConstraint("round IN ('check_in', 'check_out')", name="round"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("commission_session.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    round: Mapped[str] = mapped_column(String(10))
    response: Mapped[str] = mapped_column(String(280))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])


class Lifebuoy(db.Model):
    """A private call for support, seen only by the commission's facilitators."""

    __tablename__ = "lifebuoy"
    __table_args__ = (CheckConstraint("kind IN ('moment', 'check_in')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("commission_session.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(10))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    acknowledged_by: Mapped[Person | None] = relationship(
        foreign_keys=[acknowledged_by_id], lazy="joined"
    )


class PairDraw(db.Model):
    """Pairs or small groups drawn for 'talk to the person next to you'."""

    __tablename__ = "pair_draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("commission_session.id"), index=True)
    group_size: Mapped[int] = mapped_column(Integer, default=2)
    groups: Mapped[list] = mapped_column(JSON)  # lists of person ids
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SummaryReply(db.Model):
    """A view sent back by someone who could not attend, after reading the summary."""

    __tablename__ = "summary_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("commission_session.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    body: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")


class ContactLogEntry(db.Model):
    """Keeping in touch between meetings: a one-to-one, a call, a coffee. Facilitators only."""

    __tablename__ = "contact_log_entry"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('one_to_one', 'phone', 'coffee', 'message', 'other')", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(12))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    by: Mapped[Person | None] = relationship(foreign_keys=[by_id], lazy="joined")


class Commitment(db.Model):
    """A promise: what, owned by a role (handed over when people move on), due, and status."""

    __tablename__ = "commitment"
    __table_args__ = (
        CheckConstraint(
            "status IN ('not_started', 'in_progress', 'delivered', 'not_delivered')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner_role: Mapped[str] = mapped_column(String(160))
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(15), default="not_started")
    evidence: Mapped[str | None] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner_person: Mapped[Person | None] = relationship(
        foreign_keys=[owner_person_id], lazy="joined"
    )
    owner_organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    updates: Mapped[list[CommitmentUpdate]] = relationship(
        order_by="CommitmentUpdate.at", cascade="all, delete-orphan"
    )
    flags: Mapped[list[CommitmentFlag]] = relationship(
        order_by="CommitmentFlag.raised_at", cascade="all, delete-orphan"
    )


class CommitmentUpdate(db.Model):
    """A change of status, evidence or owner, kept as history."""

    __tablename__ = "commitment_update"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    status: Mapped[str | None] = mapped_column(String(15))
    # The evidence as this update left it, when the update changed it.
    evidence: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    handed_from_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    handed_to_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[Person | None] = relationship(foreign_keys=[by_id], lazy="joined")
    on_behalf_of: Mapped[Person | None] = relationship(foreign_keys=[on_behalf_of_id])
    handed_from: Mapped[Person | None] = relationship(foreign_keys=[handed_from_id])
    handed_to: Mapped[Person | None] = relationship(foreign_keys=[handed_to_id], lazy="joined")


class CommitmentFlag(db.Model):
    """A community commissioner saying 'this hasn't happened'."""

    __tablename__ = "commitment_flag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    note: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    answered_by: Mapped[Person | None] = relationship(foreign_keys=[answered_by_id])


class Recompense(db.Model):
    """One involvement payment or one expense for one member. Approved by someone else."""

    __tablename__ = "recompense"
    __table_args__ = (
        CheckConstraint("kind IN ('involvement', 'expense')", name="kind"),
        CheckConstraint(
            "choice IS NULL OR choice IN ('cash', 'voucher', 'reduced', 'decline')",
            name="choice",
        ),
        CheckConstraint(
            "expense_type IS NULL OR expense_type IN "
            "('travel', 'childcare', 'care_cover', 'other')",
            name="expense_type",
        ),
        CheckConstraint("status IN ('recorded', 'approved', 'rejected')", name="status"),
        CheckConstraint("amount_pence >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("commission_session.id"))
    activity: Mapped[str | None] = mapped_column(String(200))
    # The day of the session or activity (what a benefits adviser asks about).
    happened_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    choice: Mapped[str | None] = mapped_column(String(10))
    expense_type: Mapped[str | None] = mapped_column(String(12))
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    note: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="recorded")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(String(300))

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    session: Mapped[CommissionSession | None] = relationship()
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])
