"""The audit log: one row for every change that matters. Rows are never changed or deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from participate.accounts.models import Person, Space
from participate.columns import UTCDateTime, utcnow
from participate.extensions import db

VISIBILITIES = ("private", "space", "public")


class AuditIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"
    __table_args__ = (
        CheckConstraint("visibility IN ('private', 'space', 'public')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Who did it; empty for the system itself (a command, a scheduled job).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # Whom it was done for, when a facilitator acts for someone present who agreed.
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    space_id: Mapped[int | None] = mapped_column(ForeignKey("space.id"), index=True)
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    summary: Mapped[str] = mapped_column(String(300))
    detail: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    on_behalf_of: Mapped[Person | None] = relationship(
        foreign_keys=[on_behalf_of_id], lazy="joined"
    )
    space: Mapped[Space | None] = relationship(lazy="joined")


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, flush_context, instances):
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditIsAppendOnly("Audit rows cannot be deleted.")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj, include_collections=False):
            raise AuditIsAppendOnly("Audit rows cannot be changed.")


# The database refuses too, so raw SQL and other programs cannot rewrite history.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_entry_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$""",
    """CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse()""",
]
