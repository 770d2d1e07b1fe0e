"""``flask notices send``: notice the deadlines coming, then email each person what they are
due (``rules.plan``), in their own language, and mark it sent so nobody hears it twice.

Each email is claimed before it is sent (its notices marked sent in a committed update that
only succeeds while they are still unsent), so two runs at once cannot send the same news
twice; if sending fails, the claim is undone and the next run tries again.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_mailman import EmailMessage
from sqlalchemy import func, select, update

from participate.accounts.models import Person
from participate.clock import place_zone
from participate.extensions import db
from participate.money import format_money
from participate.notices import news, rules
from participate.notices.models import Notice

DAY_FORMAT = "EEEE d MMMM yyyy"


def site_url() -> str:
    """Where links in emails point: ``SITE_URL`` (``FLASK_SITE_URL``), else ``SERVER_NAME``."""
    config = current_app.config
    if config.get("SITE_URL"):
        return str(config["SITE_URL"]).rstrip("/")
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    return "http://localhost:5000"


# --- deadlines -------------------------------------------------------------------------------


def find_deadlines(now: datetime) -> int:
    """Tell people about what closes soon (once per deadline: the key names the date), and
    that a closure letter is ready to sign. Returns how many notices were added."""
    today = now.astimezone(place_zone()).date()
    return (
        _voting_closing(today, now)
        + _answers_closing(now)
        + _grants_ending(today, now)
        + _letters_ready(now)
    )


def _voting_closing(today: date, now: datetime) -> int:
    from participate.budgeting.models import Ballot, GrantRound, Pot

    told = 0
    rounds = db.session.scalars(
        select(GrantRound).where(GrantRound.phase == "voting", GrantRound.results_from.is_not(None))
    ).all()
    for rnd in rounds:
        last_day = rules.last_voting_day(rnd.results_from)
        if not rules.vote_closing_soon(last_day, today):
            continue
        voted = set(
            db.session.scalars(
                select(Ballot.person_id)
                .join(Pot, Pot.id == Ballot.pot_id)
                .where(Pot.round_id == rnd.id, Ballot.person_id.is_not(None))
            )
        )
        told += news.tell_all(
            [p for p in news.voters_told(rnd) if p.id not in voted],
            "deadline",
            rules.vote_deadline_key(rnd.id, last_day),
            {
                "step": "vote",
                "round": rnd.title,
                "space": rnd.space.name,
                "last_day": last_day.isoformat(),
            },
            news.path_for("budgeting.vote", slug=rnd.space.slug),
            happened_at=now,
        )
    return told


def _answers_closing(now: datetime) -> int:
    from participate.decisions import steps
    from participate.decisions.models import DecisionRound

    told = 0
    rounds = db.session.scalars(
        select(DecisionRound).where(
            DecisionRound.kind == "consent",
            DecisionRound.closed_at.is_(None),
            DecisionRound.closes_at.is_not(None),
        )
    ).all()
    for rnd in rounds:
        proposal = rnd.proposal
        if proposal.state != "consent" or proposal.current_round is not rnd:
            continue
        if not rules.answer_closing_soon(rnd.closes_at, now):
            continue
        answered = {r.person_id for r in rnd.responses}
        people = [
            p
            for p in steps.deciders(steps.circle_for(proposal.space), proposal)
            if p.id not in answered
        ]
        last_day = rnd.closes_at.astimezone(place_zone()).date()
        told += news.tell_all(
            people,
            "deadline",
            rules.consent_deadline_key(rnd.id, rnd.closes_at),
            {
                "step": "consent",
                "proposal": proposal.title,
                "space": proposal.space.name,
                "last_day": last_day.isoformat(),
            },
            news.path_for("decisions.show", slug=proposal.space.slug, proposal_id=proposal.id),
            happened_at=now,
        )
    return told


def _grants_ending(today: date, now: datetime) -> int:
    from participate.grants import rules as grant_rules
    from participate.grants.models import Grant

    told = 0
    for grant in db.session.scalars(select(Grant).where(Grant.status == "active")).all():
        if not grant_rules.reminder_due(grant, today):
            continue
        ends = grant_rules.grant_ends(grant)
        told += news.tell_all(
            news.grant_side(grant, None),
            "deadline",
            rules.report_deadline_key(grant.id, ends),
            news.grant_params(
                grant,
                step="report" if ends >= today else "report_late",
                last_day=ends.isoformat(),
            ),
            news.path_for("grants.closing", slug=grant.fund.slug, number=grant.number),
            happened_at=now,
        )
    return told


def _letters_ready(now: datetime) -> int:
    from participate.grants import rules as grant_rules
    from participate.grants import steps as grant_steps
    from participate.grants.models import Grant

    told = 0
    for grant in db.session.scalars(select(Grant).where(Grant.status == "closing")).all():
        closure = grant.closure
        if closure is None or closure.letter is None or grant_rules.both_signed(closure):
            continue
        if grant_rules.ready_to_sign(grant_steps.closure_steps(grant)):
            told += news.closure_ready(grant, happened_at=now)
    return told


# --- writing the emails ----------------------------------------------------------------------


def _shown(params: dict) -> dict:
    """The values as the reader reads them (call inside ``force_locale``)."""
    shown = dict(params)
    if params.get("last_day"):
        shown["last_day"] = format_date(date.fromisoformat(params["last_day"]), DAY_FORMAT)
    if params.get("amount_pence") is not None:
        shown["amount"] = format_money(params["amount_pence"], params.get("currency", "GBP"))
    return shown


def _line(notice: Notice) -> str:
    return _(rules.words(notice.kind, notice.params).line, **_shown(notice.params))


def _link(notice: Notice) -> str | None:
    return site_url() + notice.path if notice.path else None


def _context(person: Person) -> dict:
    return {
        "person": person,
        "place": current_app.config["PLACE_NAME"],
        "profile_link": site_url() + news.path_for("accounts.profile"),
        "chosen": _(rules.CHOSEN[person.notification_choice])
        if person.notification_choice in rules.CHOSEN
        else "",
    }


def _writing(person: Person):
    """Where an email is written: a request of its own (templates and their context expect
    one; the command has none), in the reader's language."""
    stack = ExitStack()
    stack.enter_context(current_app.test_request_context("/", base_url=site_url()))
    stack.enter_context(force_locale(person.language or "en"))
    return stack


def write_each(person: Person, notice: Notice) -> tuple[str, str]:
    """The subject and body of one notice's own email, in the reader's language."""
    with _writing(person):
        shown = _shown(notice.params)
        subject = _(rules.words(notice.kind, notice.params).subject, **shown)
        why = rules.WHY.get(notice.kind)
        body = render_template(
            "notices/email/each.txt",
            line=_line(notice),
            link=_link(notice),
            why=_(why, **shown) if why else "",
            **_context(person),
        )
    return subject, body


def write_digest(person: Person, notices: list[Notice]) -> tuple[str, str]:
    with _writing(person):
        items = [rules.Item(n.kind, n.happened_at, _line(n), _link(n)) for n in notices]
        context = _context(person)
        subject = _(rules.DIGEST_SUBJECT, place=context["place"])
        body = render_template(
            "notices/email/digest.txt", groups=rules.group(items), count=len(items), **context
        )
    return subject, body


def _deliver(person: Person, subject: str, body: str) -> None:
    EmailMessage(
        subject=subject,
        body=body,
        to=[person.email],
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        headers={"Content-Language": person.language or "en"},
    ).send()


# --- sending ---------------------------------------------------------------------------------


@dataclass
class Summary:
    added: int = 0  # deadline and ready-to-sign notices found by this run
    emails: int = 0
    digests: int = 0
    people: int = 0
    skipped: int = 0
    waiting: int = 0  # people with news who are not due an email yet
    failed: int = 0
    plans: list[str] = field(default_factory=list)  # --dry-run: who would get what

    def line(self) -> str:
        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        text = (
            f"Sent {n(self.emails, 'email', 'emails')} ({n(self.digests, 'digest', 'digests')}) "
            f"to {n(self.people, 'person', 'people')}; {self.skipped} skipped."
        )
        if self.waiting:
            text += f" {n(self.waiting, 'person waits', 'people wait')} for their digest."
        if self.failed:
            text += f" {n(self.failed, 'email', 'emails')} could not be sent: tried again next run."
        return text


def _claim(ids: list[int], how: str, now: datetime) -> bool:
    """Mark these notices sent, if nobody else has; committed before anything is sent."""
    result = db.session.execute(
        update(Notice)
        .where(Notice.id.in_(ids), Notice.sent_at.is_(None))
        .values(sent_at=now, sent_how=how)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(ids):
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _unclaim(ids: list[int]) -> None:
    db.session.execute(
        update(Notice)
        .where(Notice.id.in_(ids))
        .values(sent_at=None, sent_how=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _send_one(
    person: Person, ids: list[int], how: str, message: tuple[str, str], now: datetime, summary
) -> bool:
    subject, body = message
    if not _claim(ids, how, now):
        return False
    try:
        _deliver(person, subject, body)
    except Exception as error:  # noqa: BLE001 - one failed email must not stop the others
        _unclaim(ids)
        print(f"Could not email person {person.id}: {error}", file=sys.stderr)
        summary.failed += 1
        return False
    summary.emails += 1
    summary.digests += how == "digest"
    return True


def send_all(now: datetime, *, dry_run: bool = False) -> Summary:
    """One run of the command. With ``dry_run`` nothing is sent or kept: the summary's
    ``plans`` say who would get what."""
    summary = Summary(added=find_deadlines(now))
    if not dry_run:
        db.session.commit()
    else:
        db.session.flush()
    person_ids = db.session.scalars(
        select(Notice.person_id)
        .where(Notice.sent_at.is_(None))
        .distinct()
        .order_by(Notice.person_id)
    ).all()
    for person_id in person_ids:
        person = db.session.get(Person, person_id)
        waiting = db.session.scalars(
            select(Notice)
            .where(Notice.person_id == person_id, Notice.sent_at.is_(None))
            .order_by(Notice.happened_at, Notice.id)
        ).all()
        last_email_at = db.session.scalar(
            select(func.max(Notice.sent_at)).where(
                Notice.person_id == person_id, Notice.sent_how.in_(("each", "digest"))
            )
        )
        plan = rules.plan(
            person.notification_choice,
            bool(person.email),
            [n.id for n in waiting],
            last_email_at,
            now,
        )
        if plan.how is None:
            summary.waiting += 1
            continue
        chosen = [n for n in waiting if n.id in plan.notice_ids]
        if plan.how == "skipped":
            summary.skipped += len(chosen)
            if dry_run:
                summary.plans.append(f"{_who(person)}: {len(chosen)} skipped (no emails)")
            else:
                _claim([n.id for n in chosen], "skipped", now)
            continue
        if dry_run:
            summary.plans.append(_describe(person, plan, chosen))
            summary.emails += plan.emails
            summary.digests += plan.how == "digest"
            summary.people += 1
            continue
        sent_any = False
        if plan.how == "each":
            for notice in chosen:
                message = write_each(person, notice)
                sent_any |= _send_one(person, [notice.id], "each", message, now, summary)
        else:
            message = write_digest(person, chosen)
            sent_any = _send_one(person, [n.id for n in chosen], "digest", message, now, summary)
        summary.people += sent_any
    if dry_run:
        db.session.rollback()
    return summary


def _who(person: Person) -> str:
    return f"{person.chosen_name} <{person.email or 'no email'}>"


def _describe(person: Person, plan: rules.Plan, notices: list[Notice]) -> str:
    lines = [
        f"{_who(person)} ({person.notification_choice}, {person.language}): "
        + (f"a digest of {len(notices)}" if plan.how == "digest" else f"{len(notices)} email(s)")
    ]
    for notice in notices:
        with force_locale("en"):
            lines.append(f"  - {notice.kind}: {_line(notice)}")
    return "\n".join(lines)


def parse_now(text: str | None) -> datetime:
    """``--now``: an ISO date or time; without a zone, the place's time."""
    if not text:
        return datetime.now(place_zone())
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=place_zone())
    return value
