"""Closing a grant well, the operations (the pages are ``closing.py``): the final report (answers,
a file judged by its bytes, or notes of a conversation), its review, the closing conversation,
the closure letter drafted from the template (``letter.py``) and edited, the grantee's
comments and suggested wording, and outstanding issues cleared or waived. Starting closure
and signing are ``steps.start_closure`` and ``steps.sign``.

Each operation asks ``rules``, raises ``steps.StepRefused`` when it will not, writes an audit
entry and leaves the commit to the caller, as ``steps.py`` does; the demo and tests call them.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from werkzeug.utils import secure_filename

from participate.audit import record
from participate.columns import utcnow
from participate.extensions import db
from participate.grants import books, letter, rules
from participate.grants.models import Grant, LetterComment, OutstandingIssue
from participate.grants.steps import StepRefused
from participate.text import N_

# What a final report file may be, known by its first bytes (not its name): (type, extension).
PDF = ("application/pdf", "pdf")
ODT = ("application/vnd.oasis.opendocument.text", "odt")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
JPEG = ("image/jpeg", "jpg")
PNG = ("image/png", "png")
WEBP = ("image/webp", "webp")
NOT_A_REPORT_FILE = N_(
    "This file is not one we can take. Choose a PDF, ODT or Word document, or a JPEG, PNG or "
    "WebP picture."
)
REPORT_QUESTIONS = (
    ("happened", N_("What happened?")),
    ("changed", N_("What changed?")),
    ("learned", N_("What did you learn?")),
    ("left_over", N_("Is anything left over?")),
)


def _require(allowed: bool, why: str, **params: object) -> None:
    if not allowed:
        raise StepRefused(why, **params)


def sniff_report_file(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a report file judged by its bytes; ``None`` for anything
    else (a renamed program, a spreadsheet, an empty file...)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").strip() == ODT[0].encode():
                    return ODT
                if "word/document.xml" in names and "[Content_Types].xml" in names:
                    return DOCX
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            return None
    return None


def safe_download_name(filename: str | None, extension: str, reference: str) -> str:
    """A filename safe to send: plain characters, and the extension the bytes say it is."""
    stem = secure_filename((filename or "").rsplit(".", 1)[0])[:80]
    return f"{stem or f'final-report-{reference}'}.{extension}"


def answers_text(answers: list[tuple[str, str]]) -> str:
    """The report questions and their answers kept together as one text."""
    return "\n\n".join(f"{q}\n{a.strip()}" for q, a in answers if a and a.strip())


def _closure(grant: Grant):
    _require(grant.closure is not None, N_("this grant has not started closing"))
    return grant.closure


def send_report(
    grant: Grant,
    *,
    by,
    kind: str,
    text: str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
):
    """The final report: answers (``text``), a file (``data``), or a manager's notes of a
    conversation (``text``). It can be sent again until it is reviewed."""
    _require(rules.can_send_report(by, grant), N_("only the grantee or the fund sends the report"))
    closure = _closure(grant)
    _require(closure.reviewed_at is None, N_("the report is already reviewed"))
    _require(kind in rules.REPORT_KINDS, N_("unknown kind of report"))
    if kind == "conversation":
        _require(rules.runs_grant(by, grant), N_("the fund writes the notes of a conversation"))
    closure.report_kind = kind
    closure.report_file = closure.report_filename = closure.report_content_type = None
    closure.report_text = None
    if kind == "upload":
        found = sniff_report_file(data or b"")
        _require(found is not None, N_("not a report file"))
        content_type, extension = found
        closure.report_file = data
        closure.report_content_type = content_type
        closure.report_filename = safe_download_name(filename, extension, grant.reference)
    else:
        _require(bool(text and text.strip()), N_("the report is empty"))
        closure.report_text = text.strip()
    closure.report_at, closure.report_by_id = utcnow(), by.id
    db.session.flush()
    record(
        "grants.report",
        f"Final report for {grant.reference} ({kind})",
        grant,
        space=grant.fund.space,
        actor=by,
    )
    return closure


def review_report(grant: Grant, *, by, note: str):
    _require(rules.can_run_closure(by, grant), N_("only the fund reviews the report"))
    closure = _closure(grant)
    _require(closure.report_at is not None, N_("there is no report to review yet"))
    closure.review_note = note.strip()
    closure.reviewed_at, closure.reviewed_by_id = utcnow(), by.id
    db.session.flush()
    record(
        "grants.reviewed",
        f"Reviewed the final report for {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
    )
    return closure


def record_conversation(grant: Grant, *, by, on: date, notes: str, today: date):
    _require(rules.can_run_closure(by, grant), N_("only the fund records the conversation"))
    closure = _closure(grant)
    _require(on <= today, N_("the conversation cannot be in the future"))
    closure.conversation_on, closure.conversation_notes = on, notes.strip()
    closure.conversation_by_id = by.id
    db.session.flush()
    record(
        "grants.conversation",
        f"Closing conversation for {grant.reference} on {on}",
        grant,
        space=grant.fund.space,
        actor=by,
    )
    return closure


def letter_facts(grant: Grant, drafted_on: date) -> letter.LetterFacts:
    money = books.grant_money(grant)
    closure = grant.closure
    report_on = closure.report_at.date() if closure and closure.report_at else None
    return letter.LetterFacts(
        reference=grant.reference,
        title=grant.title,
        what=grant.what,
        fund_name=grant.fund.name,
        organisation=grant.fund.organisation.name,
        currency=grant.fund.currency,
        recipient_kind=grant.recipient_kind,
        recipient_name=grant.recipient_name,
        name_public=grant.name_public,
        host_name=grant.host_name,
        awarded=money.awarded,
        paid=money.paid,
        returned=money.returned,
        unpaid=money.unpaid,
        ends_on=rules.grant_ends(grant),
        drafted_on=drafted_on,
        awarded_on=grant.decided_at.date() if grant.decided_at else None,
        report_received_on=report_on,
        after_grant=grant.after_grant,
    )


def draft_letter(grant: Grant, *, by, drafted_on: date, **wording):
    """The letter from the template (again, if it was drafted before): every section is
    replaced, and any signature no longer counts. ``wording``: ``letter.draft``'s gettext,
    day and words."""
    _require(rules.can_run_closure(by, grant), N_("only the fund drafts the letter"))
    closure = _closure(grant)
    closure.letter = letter.draft(letter_facts(grant, drafted_on), **wording)
    closure.letter_version = (closure.letter_version or 0) + 1
    closure.letter_drafted_at = utcnow()
    db.session.flush()
    record(
        "grants.letter_drafted",
        f"Drafted the closure letter for {grant.reference}",
        grant,
        space=grant.fund.space,
        actor=by,
        detail={"version": closure.letter_version},
    )
    return closure


def _set_section(closure, section: str, text: str) -> None:
    closure.letter = {**closure.letter, section: text.strip()}  # a new dict: JSON changes
    closure.letter_version += 1


def edit_section(grant: Grant, section: str, text: str, *, by):
    _require(rules.can_run_closure(by, grant), N_("only the fund edits the letter"))
    closure = _closure(grant)
    _require(closure.letter is not None, N_("draft the letter first"))
    _require(section in rules.LETTER_SECTIONS, N_("no such part of the letter"))
    _require(bool(text.strip()), N_("a section cannot be empty"))
    _set_section(closure, section, text)
    db.session.flush()
    record(
        "grants.letter_edited",
        f"Changed the {section} part of {grant.reference}'s letter",
        grant,
        space=grant.fund.space,
        actor=by,
        detail={"version": closure.letter_version},
    )
    return closure


def comment_on_letter(
    grant: Grant, section: str, body: str, *, by, suggested_text: str | None = None
) -> LetterComment:
    _require(
        rules.can_comment_letter(by, grant, grant.closure), N_("the letter is not open to comments")
    )
    _require(section in rules.LETTER_SECTIONS, N_("no such part of the letter"))
    comment = LetterComment(
        grant_id=grant.id,
        section=section,
        body=body.strip(),
        suggested_text=(suggested_text or "").strip() or None,
        by_id=by.id,
    )
    db.session.add(comment)
    db.session.flush()
    record(
        "grants.letter_comment",
        f"Commented on the {section} part of {grant.reference}'s letter",
        comment,
        space=grant.fund.space,
        actor=by,
    )
    return comment


def answer_comment(comment: LetterComment, *, by, accept: bool, answer: str | None = None):
    """Accept a comment (its suggested wording, if any, replaces the section) or decline it
    with a reason."""
    grant = db.session.get(Grant, comment.grant_id)
    _require(rules.can_run_closure(by, grant), N_("only the fund answers comments"))
    _require(comment.status == "open", N_("this comment is already answered"))
    answer = (answer or "").strip() or None
    _require(accept or bool((answer or "").strip()), N_("say why it is declined"))
    comment.status = "accepted" if accept else "declined"
    comment.answer, comment.answered_by_id, comment.answered_at = answer, by.id, utcnow()
    if accept and comment.suggested_text:
        _set_section(grant.closure, comment.section, comment.suggested_text)
    db.session.flush()
    record(
        "grants.comment_answered",
        f"{comment.status.capitalize()} a comment on {grant.reference}'s letter",
        comment,
        space=grant.fund.space,
        actor=by,
        detail={"version": grant.closure.letter_version},
    )
    return comment


def raise_issue(grant: Grant, text: str, *, by) -> OutstandingIssue:
    _require(
        grant.status == "closing" and rules.takes_part(by, grant),
        N_("issues are raised while the grant closes"),
    )
    _require(bool(text.strip()), N_("say what needs settling"))
    issue = OutstandingIssue(grant_id=grant.id, text=text.strip(), raised_by_id=by.id)
    db.session.add(issue)
    db.session.flush()
    record(
        "grants.issue_raised",
        f"Raised an issue on {grant.reference}",
        issue,
        space=grant.fund.space,
        actor=by,
    )
    return issue


def settle_issue(issue: OutstandingIssue, *, by, outcome: str, resolution: str):
    """``outcome``: "cleared" (how it was settled) or "waived" (why: a reason is needed)."""
    grant = db.session.get(Grant, issue.grant_id)
    _require(rules.can_run_closure(by, grant), N_("only the fund clears or waives issues"))
    _require(issue.status == "open", N_("this issue is already settled"))
    _require(outcome in ("cleared", "waived"), N_("cleared or waived"))
    _require(bool((resolution or "").strip()), N_("say how it was settled, or why it is waived"))
    issue.status, issue.resolution = outcome, resolution.strip()
    issue.resolved_by_id, issue.resolved_at = by.id, utcnow()
    db.session.flush()
    record(
        f"grants.issue_{outcome}",
        f"{outcome.capitalize()} an issue on {grant.reference}",
        issue,
        space=grant.fund.space,
        actor=by,
    )
    return issue
