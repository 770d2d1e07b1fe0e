"""What news we email, in which words, and when each person is due it: pure rules, no Flask,
no database. ``send.py`` asks these; the unit tests ask them too.

A notice has a ``kind`` (one of ``KINDS``) and ``params``; ``params["step"]`` picks a variant
of the words where a kind has several (a deadline to vote, to answer or to report; each step
of closing a grant). The words are ``N_`` strings with ``%(name)s`` parameters, translated when
the email is written, in the reader's language.

How often (``Person.notification_choice``):

- ``each``: every notice in an email of its own, at the next run of the command;
- ``daily`` / ``weekly``: everything waiting in one digest, once the last email we sent that
  person is at least a day / a week old (so never more than one email a day / a week);
- ``none``, or no email address: nothing is sent; the notices are marked skipped so they are
  never sent later either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from participate.text import N_

KINDS = ("round_opening", "deadline", "objection", "payment_approved", "grant_closing")

# The order of a digest's groups: what needs doing soonest first.
DIGEST_ORDER = ("deadline", "objection", "payment_approved", "grant_closing", "round_opening")

HEADINGS = {
    "deadline": N_("Coming up soon"),
    "objection": N_("Objections to your proposals"),
    "payment_approved": N_("Payments approved"),
    "grant_closing": N_("Grants closing"),
    "round_opening": N_("Voting open"),
}

# Why the email came, said at its foot: what the person is part of.
WHY = {
    "round_opening": N_("You are getting this because you are a member of %(space)s."),
    "deadline": N_("You are getting this because you take part in %(space)s."),
    "objection": N_("You are getting this because you made this proposal."),
    "payment_approved": N_("You are getting this because you are part of this grant."),
    "grant_closing": N_("You are getting this because you are part of this grant."),
}


@dataclass(frozen=True)
class Words:
    subject: str  # an email about this alone
    line: str  # this news in a digest, or the body of its own email


WORDS = {
    "round_opening": Words(
        N_("Voting is open: %(round)s"),
        N_("Voting has opened in %(round)s. You can choose the projects you want."),
    ),
    "round_opening:until": Words(
        N_("Voting is open: %(round)s"),
        N_(
            "Voting has opened in %(round)s. You can choose the projects you want "
            "until %(last_day)s."
        ),
    ),
    "deadline:vote": Words(
        N_("Last days to vote: %(round)s"),
        N_("The last day to vote in %(round)s is %(last_day)s, and you have not voted yet."),
    ),
    "deadline:consent": Words(
        N_("Your answer is needed: %(proposal)s"),
        N_(
            "The consent round on “%(proposal)s” closes on %(last_day)s, and you have not "
            "answered yet."
        ),
    ),
    "deadline:report": Words(
        N_("Closing soon: %(grant)s"),
        N_(
            "The work of %(grant)s is due to end on %(last_day)s. Closing it starts with a "
            "short final report."
        ),
    ),
    "deadline:report_late": Words(
        N_("Time to close: %(grant)s"),
        N_(
            "The work of %(grant)s was due to end on %(last_day)s. Closing it starts with a "
            "short final report."
        ),
    ),
    "objection": Words(
        N_("An objection to your proposal: %(proposal)s"),
        N_(
            "Someone has objected to your proposal “%(proposal)s”. You can read their reasons "
            "and work on it together."
        ),
    ),
    "payment_approved": Words(
        N_("Payment approved: %(grant)s"),
        N_("A payment of %(amount)s for %(grant)s has been approved and can now be paid."),
    ),
    "grant_closing:started": Words(
        N_("Closing has started: %(grant)s"),
        N_("Closing has started for %(grant)s. The first step is a short final report."),
    ),
    "grant_closing:ready": Words(
        N_("Ready to sign: %(grant)s"),
        N_("The closure letter for %(grant)s is ready to sign."),
    ),
    "grant_closing:signed_funder": Words(
        N_("The fund has signed: %(grant)s"),
        N_("The fund has signed the closure letter for %(grant)s. It needs your signature now."),
    ),
    "grant_closing:signed_grantee": Words(
        N_("The grantee has signed: %(grant)s"),
        N_(
            "%(recipient)s has signed the closure letter for %(grant)s. It needs the fund's "
            "signature now."
        ),
    ),
    "grant_closing:closed": Words(
        N_("Closed: %(grant)s"),
        N_("%(grant)s is closed: both sides signed the closure letter. Thank you."),
    ),
}

DIGEST_SUBJECT = N_("Your news from %(place)s")

# Why this many emails, said at the foot of each one.
CHOSEN = {
    "each": N_("You chose to get an email each time something needs you."),
    "daily": N_("You chose one email a day at most, with everything in it."),
    "weekly": N_("You chose one email a week at most, with everything in it."),
}


def words_key(kind: str, params: dict) -> str:
    """Which ``WORDS`` entry tells this notice."""
    step = params.get("step")
    key = f"{kind}:{step}" if step else kind
    return key if key in WORDS else kind


def words(kind: str, params: dict) -> Words:
    return WORDS[words_key(kind, params)]


# --- keys: naming the news, so that nobody hears it twice ------------------------------------


def round_opening_key(round_id: int) -> str:
    return f"round_opening:{round_id}"


def vote_deadline_key(round_id: int, last_day: date) -> str:
    return f"deadline:round:{round_id}:{last_day.isoformat()}"


def consent_deadline_key(decision_round_id: int, closes_at: datetime) -> str:
    return f"deadline:consent:{decision_round_id}:{closes_at.date().isoformat()}"


def report_deadline_key(grant_id: int, ends_on: date) -> str:
    return f"deadline:grant:{grant_id}:{ends_on.isoformat()}"


def objection_key(objection_id: int) -> str:
    return f"objection:{objection_id}"


def payment_key(payment_id: int) -> str:
    return f"payment_approved:{payment_id}"


def closing_key(grant_id: int, step: str, version: int | None = None) -> str:
    """``step``: started, ready, signed_funder, signed_grantee, closed. A letter changed after
    a signature is signed again, so ready and signed steps name the letter's version."""
    key = f"grant_closing:{grant_id}:{step}"
    return f"{key}:{version}" if version is not None else key


# --- deadlines the command notices itself ----------------------------------------------------

SOON = timedelta(days=3)


def last_voting_day(results_from: date | None) -> date | None:
    """Votes are taken up to the day before results are due (``budgeting.rules.voting_open``)."""
    return results_from - timedelta(days=1) if results_from is not None else None


def vote_closing_soon(last_day: date | None, today: date, soon: timedelta = SOON) -> bool:
    """The last day to vote is today or within the next three days."""
    return last_day is not None and today <= last_day < today + soon


def answer_closing_soon(closes_at: datetime | None, now: datetime, soon: timedelta = SOON) -> bool:
    return closes_at is not None and now < closes_at <= now + soon


# --- who is due what now ---------------------------------------------------------------------

CHOICES = ("each", "daily", "weekly", "none")
GAP = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


@dataclass(frozen=True)
class Plan:
    """What to do with one person's waiting notices now. ``how``: each (one email per notice),
    digest (one email for all), skipped (none sent, never will be) or None (wait)."""

    how: str | None
    notice_ids: tuple[int, ...] = ()

    @property
    def emails(self) -> int:
        if self.how == "each":
            return len(self.notice_ids)
        return 1 if self.how == "digest" and self.notice_ids else 0


def plan(
    choice: str,
    has_email: bool,
    waiting: Sequence[int],
    last_email_at: datetime | None,
    now: datetime,
) -> Plan:
    """``waiting``: the ids of this person's notices not yet sent (oldest first);
    ``last_email_at``: when we last emailed them anything (a notice or a digest)."""
    if not waiting:
        return Plan(None)
    ids = tuple(waiting)
    if not has_email or choice not in ("each", *GAP):
        return Plan("skipped", ids)
    if choice == "each":
        return Plan("each", ids)
    if last_email_at is not None and now - last_email_at < GAP[choice]:
        return Plan(None)
    return Plan("digest", ids)


# --- a digest --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    kind: str
    happened_at: datetime
    line: str  # already in the reader's words
    link: str | None


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str  # N_ marked
    items: tuple[Item, ...]


def group(items: Iterable[Item]) -> list[Group]:
    """A digest's items grouped by kind (what needs doing soonest first), newest first."""
    by_kind: dict[str, list[Item]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    order = [k for k in DIGEST_ORDER if k in by_kind] + sorted(
        k for k in by_kind if k not in DIGEST_ORDER
    )
    return [
        Group(
            kind,
            HEADINGS.get(kind, N_("Other news")),
            tuple(sorted(by_kind[kind], key=lambda i: i.happened_at, reverse=True)),
        )
        for kind in order
    ]
