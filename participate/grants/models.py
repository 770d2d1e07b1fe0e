"""Funds, grants (from application to closure), the ledger that moves their money, and the
records kept along the way: panel declarations and views, payment requests and approvals,
spend updates, contact notes, reallocations, and the closure (report, letter, comments,
outstanding issues, both signatures).

Money is integer pence. The ledger's transactions and postings are append-only: the ORM
refuses to change or delete them (``books.py`` guards the database too), and a correction is a
reversing transaction that points at the one it corrects.
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
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.accounts.models import Person, Space
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db
from participate.grants.rules import (
    ACCOUNT_KINDS,
    CONTACT_KINDS,
    DECIDED_BY,
    FUND_STATUSES,
    LETTER_SECTIONS,
    PAYMENT_STATUSES,
    RECIPIENT_KINDS,
    REPORT_KINDS,
    STATUSES,
    TRANSACTION_KINDS,
)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Fund(db.Model):
    """A pot of money an organisation gives out as small grants, with an end date."""

    __tablename__ = "grant_fund"
    __table_args__ = (
        CheckConstraint(_in("status", FUND_STATUSES), name="status"),
        CheckConstraint("total >= 0", name="total"),
        CheckConstraint("closure_window_months BETWEEN 0 AND 36", name="closure_window"),
        CheckConstraint("reminder_months BETWEEN 0 AND 24", name="reminder"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The fund's space holds its panel (grant panel members decide; facilitators run it).
    space_id: Mapped[int] = mapped_column(ForeignKey("space.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    total: Mapped[int] = mapped_column(BigInteger, default=0)  # pence
    opens_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # Grants close this many months before the fund's end ("closing well": six by default).
    closure_window_months: Mapped[int] = mapped_column(Integer, default=6)
    # Grantees and officers are reminded of closure steps this many months ahead.
    reminder_months: Mapped[int] = mapped_column(Integer, default=3)
    # Grants up to this amount take the lightest path (pence; none: no micro-grants).
    micro_limit: Mapped[int | None] = mapped_column(BigInteger)
    # The most one application may ask for (pence; none: up to what is available).
    max_grant: Mapped[int | None] = mapped_column(BigInteger)
    # A payment above this needs two approvals (pence; none: one approval always).
    two_approvals_above: Mapped[int | None] = mapped_column(BigInteger)
    # Moving up to this between a grant's budget lines is approved lightly (pence).
    reallocation_limit: Mapped[int] = mapped_column(BigInteger, default=0)
    # How this fund's applications are decided: panel, consent round, or residents' vote.
    decides_by: Mapped[str] = mapped_column(String(10), default="panel")
    status: Mapped[str] = mapped_column(String(8), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    space: Mapped[Space] = relationship(lazy="joined")
    grants: Mapped[list[Grant]] = relationship(order_by="Grant.number", back_populates="fund")

    @property
    def slug(self) -> str:
        return self.space.slug

    @property
    def organisation(self):
        return self.space.organisation


class Grant(db.Model):
    """One application and, if it is awarded, the grant it becomes, to its closure.

    ``status``: applied → declined, or awarded → active → closing → closed; cancelled from
    awarded, active or closing (``rules.TRANSITIONS``).
    """

    __tablename__ = "fund_grant"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("recipient_kind", RECIPIENT_KINDS), name="recipient_kind"),
        CheckConstraint("amount_requested > 0", name="amount_requested"),
        CheckConstraint("amount_awarded IS NULL OR amount_awarded > 0", name="amount_awarded"),
        UniqueConstraint("fund_id", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("grant_fund.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3... within the fund
    title: Mapped[str] = mapped_column(String(200))
    what: Mapped[str] = mapped_column(Text)  # what the money is for
    who_for: Mapped[str | None] = mapped_column(Text)  # who it helps
    hope: Mapped[str | None] = mapped_column(Text)  # "what do you hope will change?"
    where_text: Mapped[str | None] = mapped_column(String(200))  # ward or place it helps
    amount_requested: Mapped[int] = mapped_column(BigInteger)
    amount_awarded: Mapped[int | None] = mapped_column(BigInteger)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    after_grant: Mapped[str | None] = mapped_column(Text)  # what happens after the grant?
    micro: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who receives the money: a constituted organisation, a group through a host, a person.
    recipient_kind: Mapped[str] = mapped_column(String(12), default="organisation")
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_number: Mapped[str | None] = mapped_column(String(40))  # charity or company no.
    host_name: Mapped[str | None] = mapped_column(String(200))  # holds the money for a group
    host_number: Mapped[str | None] = mapped_column(String(40))
    # A person who receives a grant is never named in public unless they choose to be.
    name_public: Mapped[bool] = mapped_column(Boolean, default=False)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="applied")
    decided_by: Mapped[str | None] = mapped_column(String(10))
    decision_note: Mapped[str | None] = mapped_column(Text)  # the reason, in plain words
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))  # consent round
    project_id: Mapped[int | None] = mapped_column(ForeignKey("pb_project.id"), unique=True)
    conditions: Mapped[str | None] = mapped_column(Text)  # the offer's terms
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    ends_on: Mapped[date | None] = mapped_column(Date)  # when the grant's work should end
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    fund: Mapped[Fund] = relationship(back_populates="grants", lazy="joined")
    applicant: Mapped[Person] = relationship(foreign_keys=[applicant_id])
    lines: Mapped[list[BudgetLine]] = relationship(
        order_by="BudgetLine.position", back_populates="grant"
    )
    closure: Mapped[Closure | None] = relationship(back_populates="grant", uselist=False)

    @property
    def reference(self) -> str:
        return f"{self.fund.slug}-{self.number}"


class BudgetLine(db.Model):
    """What the money pays for, line by line (an application may have none: micro-grants)."""

    __tablename__ = "grant_budget_line"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)  # as applied for; reallocations move it

    grant: Mapped[Grant] = relationship(back_populates="lines")


# --- deciding --------------------------------------------------------------------------------


class Declaration(db.Model):
    """A panel member's declaration of interest in one application: none, or what it is (and
    then they step out of deciding it). The register the panel sees is these rows."""

    __tablename__ = "grant_declaration"
    __table_args__ = (UniqueConstraint("grant_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    has_interest: Mapped[bool] = mapped_column(Boolean)
    interest: Mapped[str | None] = mapped_column(Text)  # what the interest is
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")


class PanelView(db.Model):
    """A panel member's view on an application: fund it or not, and why."""

    __tablename__ = "grant_panel_view"
    __table_args__ = (
        UniqueConstraint("grant_id", "person_id"),
        CheckConstraint("choice IN ('fund', 'not_fund')", name="choice"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    choice: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")


# --- the ledger ------------------------------------------------------------------------------


class LedgerAccount(db.Model):
    """``income`` (where the fund's money came from), ``available``, and for each grant its
    ``committed``, ``paid`` and ``returned`` accounts. ``balance`` is kept for speed and
    checked against the postings by ``flask grants verify-ledger``."""

    __tablename__ = "ledger_account"
    __table_args__ = (
        UniqueConstraint("fund_id", "code"),
        CheckConstraint(_in("kind", ACCOUNT_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("grant_fund.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))  # "available", "committed:12"
    kind: Mapped[str] = mapped_column(String(10))
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class LedgerTransaction(db.Model):
    __tablename__ = "ledger_transaction"
    __table_args__ = (CheckConstraint(_in("kind", TRANSACTION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fund_id: Mapped[int] = mapped_column(ForeignKey("grant_fund.id"), index=True)
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    memo: Mapped[str] = mapped_column(Text)  # what happened, in plain words
    reference: Mapped[str | None] = mapped_column(String(80))  # a bank or payment reference
    occurred_on: Mapped[date] = mapped_column(Date)
    # A correction points at the transaction it reverses; each is reversed at most once.
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transaction.id"), unique=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    postings: Mapped[list[LedgerPosting]] = relationship(
        order_by="LedgerPosting.id", back_populates="transaction", lazy="selectin"
    )
    created_by: Mapped[Person | None] = relationship()


class LedgerPosting(db.Model):
    __tablename__ = "ledger_posting"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transaction.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_account.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="postings")
    account: Mapped[LedgerAccount] = relationship(lazy="joined")


@event.listens_for(LedgerTransaction, "before_update")
@event.listens_for(LedgerTransaction, "before_delete")
@event.listens_for(LedgerPosting, "before_update")
@event.listens_for(LedgerPosting, "before_delete")
def _append_only(mapper, connection, target):
    raise ValueError("The ledger is append-only: correct a transaction by reversing it.")


# --- paying ----------------------------------------------------------------------------------


class Payment(db.Model):
    """A tranche: requested by one person, approved by others (never the requester), then
    marked paid with a date and reference (which posts the payment transaction)."""

    __tablename__ = "grant_payment"
    __table_args__ = (
        CheckConstraint(_in("status", PAYMENT_STATUSES), name="status"),
        CheckConstraint("amount > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="requested")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approvals_needed: Mapped[int] = mapped_column(Integer, default=1)
    refused_reason: Mapped[str | None] = mapped_column(Text)
    refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_reference: Mapped[str | None] = mapped_column(String(80))
    marked_paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_transaction.id"))

    grant: Mapped[Grant] = relationship()
    requested_by: Mapped[Person] = relationship(foreign_keys=[requested_by_id])
    approvals: Mapped[list[PaymentApproval]] = relationship(
        order_by="PaymentApproval.id", back_populates="payment", lazy="selectin"
    )


class PaymentApproval(db.Model):
    __tablename__ = "grant_payment_approval"
    __table_args__ = (UniqueConstraint("payment_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("grant_payment.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    payment: Mapped[Payment] = relationship(back_populates="approvals")
    person: Mapped[Person] = relationship(lazy="joined")


# --- during the grant ------------------------------------------------------------------------


class SpendUpdate(db.Model):
    """A light update from the grantee: how much was spent, and a short note."""

    __tablename__ = "grant_spend_update"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # spent since the last update
    note: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[Person] = relationship()


class ContactNote(db.Model):
    """The contact log: a call, visit, meeting or message between the fund and the grantee."""

    __tablename__ = "grant_contact"
    __table_args__ = (CheckConstraint(_in("how", CONTACT_KINDS), name="how"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    how: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[Person] = relationship()


class Reallocation(db.Model):
    """Moving money between a grant's budget lines (not a ledger movement: the grant's total
    stays the same). Under the fund's limit one officer approves it."""

    __tablename__ = "grant_reallocation"
    __table_args__ = (
        CheckConstraint("status IN ('requested', 'approved', 'refused')", name="status"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("from_line_id <> to_line_id", name="two_lines"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    from_line_id: Mapped[int] = mapped_column(ForeignKey("grant_budget_line.id"))
    to_line_id: Mapped[int] = mapped_column(ForeignKey("grant_budget_line.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="requested")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    from_line: Mapped[BudgetLine] = relationship(foreign_keys=[from_line_id])
    to_line: Mapped[BudgetLine] = relationship(foreign_keys=[to_line_id])


# --- closing ---------------------------------------------------------------------------------


class Closure(db.Model):
    """Closing a grant well: the final report (a form, an upload or notes of a conversation),
    its review, the closing conversation, the closure letter (drafted from the template, one
    text per section), and both signatures. Editing the letter clears any signature."""

    __tablename__ = "grant_closure"
    __table_args__ = (
        CheckConstraint(
            "report_kind IS NULL OR " + _in("report_kind", REPORT_KINDS), name="report_kind"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    report_kind: Mapped[str | None] = mapped_column(String(12))
    report_text: Mapped[str | None] = mapped_column(Text)
    report_file: Mapped[bytes | None] = mapped_column(LargeBinary)
    report_filename: Mapped[str | None] = mapped_column(String(200))
    report_content_type: Mapped[str | None] = mapped_column(String(100))
    report_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    conversation_on: Mapped[date | None] = mapped_column(Date)
    conversation_notes: Mapped[str | None] = mapped_column(Text)
    conversation_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # {section: text} for rules.LETTER_SECTIONS; ``letter_version`` goes up on every edit.
    letter: Mapped[dict | None] = mapped_column(JSON)
    letter_version: Mapped[int] = mapped_column(Integer, default=0)
    letter_drafted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    funder_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    funder_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    funder_signed_version: Mapped[int | None] = mapped_column(Integer)
    grantee_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    grantee_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grantee_signed_version: Mapped[int | None] = mapped_column(Integer)

    grant: Mapped[Grant] = relationship(back_populates="closure")
    funder_signed_by: Mapped[Person | None] = relationship(foreign_keys=[funder_signed_by_id])
    grantee_signed_by: Mapped[Person | None] = relationship(foreign_keys=[grantee_signed_by_id])


class LetterComment(db.Model):
    """The grantee's comment on a section of the draft letter, or a wording they suggest."""

    __tablename__ = "grant_letter_comment"
    __table_args__ = (
        CheckConstraint(_in("section", LETTER_SECTIONS), name="section"),
        CheckConstraint("status IN ('open', 'accepted', 'declined')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    section: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    suggested_text: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(8), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    by: Mapped[Person] = relationship(foreign_keys=[by_id])


class OutstandingIssue(db.Model):
    """Something to settle before both sides sign (who owns what was made, a missing
    receipt...): cleared, or waived with a reason."""

    __tablename__ = "grant_issue"
    __table_args__ = (CheckConstraint("status IN ('open', 'cleared', 'waived')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("fund_grant.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(8), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)  # how it was cleared, or why waived
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    raised_by: Mapped[Person] = relationship(foreign_keys=[raised_by_id])


__all__ = [
    "DECIDED_BY",
    "BudgetLine",
    "Closure",
    "ContactNote",
    "Declaration",
    "Fund",
    "Grant",
    "LedgerAccount",
    "LedgerPosting",
    "LedgerTransaction",
    "LetterComment",
    "OutstandingIssue",
    "PanelView",
    "Payment",
    "PaymentApproval",
    "Reallocation",
    "SpendUpdate",
]
