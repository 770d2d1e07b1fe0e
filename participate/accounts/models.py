"""People, organisations, spaces, memberships and the one-time tokens we hand out."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from participate.columns import UTCDateTime, utcnow
from participate.extensions import db


class Person(UserMixin, db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Some people have no email: a facilitator creates their account and hands them a code.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    chosen_name: Mapped[str] = mapped_column(String(80))
    pronouns: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    access_needs: Mapped[str | None] = mapped_column(Text)
    notification_choice: Mapped[str] = mapped_column(
        String(20), default="weekly", server_default="weekly"
    )
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", foreign_keys="Membership.person_id", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login asks this before signing someone in
        return self.active

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.chosen_name!r}>"


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("kind IN ('council', 'funder', 'community_group')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    spaces: Mapped[list[Space]] = relationship(back_populates="organisation")


class Space(db.Model):
    """Where people work together: a commission, a grant round or a group."""

    __tablename__ = "space"
    __table_args__ = (
        CheckConstraint("kind IN ('commission', 'grant_round', 'group')", name="kind"),
        CheckConstraint("visibility IN ('members', 'public')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    visibility: Mapped[str] = mapped_column(String(10), default="members", server_default="members")
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="spaces")
    memberships: Mapped[list[Membership]] = relationship(back_populates="space")


class Membership(db.Model):
    """A person's role in one organisation or one space (never both)."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (space_id IS NULL)", name="one_scope"),
        CheckConstraint("status IN ('active', 'stepping_back', 'left')", name="status"),
        UniqueConstraint("person_id", "organisation_id", name="uq_membership_person_organisation"),
        UniqueConstraint("person_id", "space_id", name="uq_membership_person_space"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id"))
    role: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    # What a facilitator mainly looks after (a commission has up to three, each with a focus).
    focus: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    organisation: Mapped[Organisation | None] = relationship()
    space: Mapped[Space | None] = relationship(back_populates="memberships")


class OneTimeToken(db.Model):
    """A sign-in link, a paper sign-in code, an invitation or a password reset.

    Only a hash of the secret is kept; the secret itself is shown or sent once.
    """

    __tablename__ = "one_time_token"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('sign_in_link', 'paper_code', 'invitation', 'password_reset')",
            name="purpose",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # Invitations say who to, and to what.
    email: Mapped[str | None] = mapped_column(String(254))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id"))
    role: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    space: Mapped[Space | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
