"""Closing a grant well, to both signatures (the "Closing well" practice, seeds §4.7): the
timeline planned from the start, the final report (answers, a file, or notes of a
conversation), its review, the closing conversation, the closure letter drafted from the
template (``letter.py``) and edited, the grantee's comments and suggested wording, outstanding
issues cleared or waived, the money settled, and both sides signing.

The operations themselves are in ``closure.py``; these are the pages.
"""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from participate.accounts.models import Person
from participate.extensions import db, limiter
from participate.grants import rules, steps
from participate.grants.closure import (
    NOT_A_REPORT_FILE,
    REPORT_QUESTIONS,
    answer_comment,
    answers_text,
    comment_on_letter,
    draft_letter,
    edit_section,
    raise_issue,
    record_conversation,
    review_report,
    safe_download_name,
    send_report,
    settle_issue,
    sniff_report_file,
)
from participate.grants.forms.closing import (
    AnswerForm,
    ButtonForm,
    CommentForm,
    ConversationForm,
    IssueForm,
    ReportForm,
    ReviewForm,
    SectionForm,
    SettleIssueForm,
)
from participate.grants.models import Grant, LetterComment, OutstandingIssue
from participate.grants.steps import StepRefused
from participate.grants.views import (
    allow,
    bp,
    grant_form_errors,
    load_grant,
    load_record,
    render_grant,
    today,
    viewer,
)
from participate.web.htmx import see_other
from participate.web.pdf import pdf_response

# --- the page --------------------------------------------------------------------------------


def _comments(grant: Grant) -> list[LetterComment]:
    return db.session.scalars(
        select(LetterComment).where(LetterComment.grant_id == grant.id).order_by(LetterComment.id)
    ).all()


def _issues(grant: Grant) -> list[OutstandingIssue]:
    return db.session.scalars(
        select(OutstandingIssue)
        .where(OutstandingIssue.grant_id == grant.id)
        .order_by(OutstandingIssue.id)
    ).all()


def _timeline(grant: Grant) -> dict:
    ends = rules.grant_ends(grant)
    return {
        "ends": ends,
        "reminders": rules.add_months(ends, -grant.fund.reminder_months),
        "window_starts": rules.closure_starts(grant.fund),
        "fund_ends": grant.fund.ends_on,
        "reminder_due": rules.reminder_due(grant, today()),
    }


def _page(
    grant: Grant, status: int = 200, *, block: str | None = None, target: str | None = None, **forms
):
    """The Closing tab, with fresh forms except those given (filled in, with messages)."""
    person = viewer()
    closure = grant.closure
    comments = _comments(grant) if closure else []
    issues = _issues(grant) if closure else []
    checklist = steps.closure_steps(grant) if closure else []
    runs = rules.can_run_closure(person, grant)
    may = {
        "start": rules.can_start_closure(person, grant),
        "report": bool(closure)
        and rules.can_send_report(person, grant)
        and closure.reviewed_at is None,
        "report_conversation": rules.runs_grant(person, grant),
        "review": runs
        and bool(closure)
        and closure.report_at is not None
        and closure.reviewed_at is None,
        "conversation": runs,
        "draft": runs,
        "edit": runs and bool(closure) and closure.letter is not None,
        "comment": bool(closure) and rules.can_comment_letter(person, grant, closure),
        "answer": runs,
        "raise_issue": grant.status == "closing" and rules.takes_part(person, grant),
        "settle": runs,
        "sign_funder": bool(closure)
        and rules.can_sign(person, grant, "funder", checklist, closure),
        "sign_grantee": bool(closure)
        and rules.can_sign(person, grant, "grantee", checklist, closure),
        "see_money": rules.runs_grant(person, grant) or rules.approves_payments(person, grant.fund),
    }
    report_form = forms.pop("report_form", None) or ReportForm(formdata=None)
    if not may["report_conversation"]:
        report_form.kind.choices = [
            c for c in report_form.kind.choices if c.value != "conversation"
        ]
    sections = list(rules.LETTER_SECTIONS)
    section_forms = (
        {
            s: SectionForm(
                formdata=None, prefix=s, data={"text": (closure.letter or {}).get(s, "")}
            )
            for s in sections
        }
        if closure and closure.letter
        else {}
    )
    section_forms.update(forms.pop("section_forms", {}))
    answer_forms = {c.id: AnswerForm(formdata=None, prefix=f"comment-{c.id}") for c in comments}
    answer_forms.update(forms.pop("answer_forms", {}))
    settle_forms = {i.id: SettleIssueForm(formdata=None, prefix=f"issue-{i.id}") for i in issues}
    settle_forms.update(forms.pop("settle_forms", {}))
    context = {
        "closure": closure,
        "checklist": checklist,
        "ready": bool(checklist) and rules.ready_to_sign(checklist),
        "both_signed": rules.both_signed(closure),
        "timeline": _timeline(grant),
        "comments": comments,
        "open_comments": [c for c in comments if c.status == "open"],
        "issues": issues,
        "may": may,
        "sections": sections,
        "LETTER_SECTIONS": rules.LETTER_SECTIONS,
        "REPORT_KINDS": rules.REPORT_KINDS,
        "button_form": ButtonForm(formdata=None),
        "report_form": report_form,
        "review_form": forms.pop("review_form", None) or ReviewForm(formdata=None),
        "conversation_form": forms.pop("conversation_form", None)
        or ConversationForm(
            formdata=None,
            data={"on": closure.conversation_on, "notes": closure.conversation_notes}
            if closure
            else None,
        ),
        "section_forms": section_forms,
        "comment_form": forms.pop("comment_form", None) or CommentForm(formdata=None),
        "answer_forms": answer_forms,
        "issue_form": forms.pop("issue_form", None) or IssueForm(formdata=None),
        "settle_forms": settle_forms,
        "people": _people(closure, comments, issues),
        **forms,
    }
    if block is not None:
        return grant_form_errors("grants/closing.html", grant, "closing", block, target, **context)
    return render_grant("grants/closing.html", grant, "closing", status, **context)


def _people(closure, comments, issues) -> dict:
    """Names of the people who did things on the page, by id."""
    ids = set()
    if closure is not None:
        ids |= {
            closure.report_by_id,
            closure.reviewed_by_id,
            closure.conversation_by_id,
            closure.started_by_id,
        }
    ids |= {c.answered_by_id for c in comments} | {i.resolved_by_id for i in issues}
    ids.discard(None)
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}


def _closing_url(grant: Grant, anchor: str = "") -> str:
    url = url_for("grants.closing", slug=grant.fund.slug, number=grant.number)
    return f"{url}#{anchor}" if anchor else url


def _refused(grant: Grant, why: StepRefused, anchor: str = ""):
    """A step the rules would not take now: say so, change nothing."""
    db.session.rollback()
    messages = {
        "the report is already reviewed": _(
            "The report is already reviewed, so it stays as it is."
        ),
        "there is no report to review yet": _("There is no final report to review yet."),
        "the conversation cannot be in the future": _("The conversation cannot be in the future."),
        "draft the letter first": _("Draft the letter first."),
        "the letter is not open to comments": _(
            "The letter is not open to comments: it is not drafted yet, or the grant is no "
            "longer closing."
        ),
        "this comment is already answered": _("This comment is already answered."),
        "this issue is already settled": _("This issue is already settled."),
        "not ready to sign, or not yours to sign": _(
            "It is not ready to sign yet: every step must be done first, and each side signs "
            "once for each version of the letter."
        ),
    }
    flash(
        messages.get(
            str(why),
            _(
                "That cannot be done now: the grant is %(status)s.",
                status=_(rules.STATUS_LABELS[grant.status]).lower(),
            ),
        ),
        "error",
    )
    return see_other(_closing_url(grant, anchor))


@bp.get("/<slug>/grants/<int:number>/closing")
@login_required
def closing(slug: str, number: int):
    return _page(load_grant(slug, number))


@bp.post("/<slug>/grants/<int:number>/closing/start")
@login_required
def start_closing(slug: str, number: int):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant))
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        steps.start_closure(grant, by=viewer())
    except StepRefused as why:
        return _refused(grant, why)
    db.session.commit()
    flash(_("Closing has started. The checklist below shows what is left."), "success")
    return see_other(_closing_url(grant, "checklist"))


def _read(form_class, **kwargs):
    """The form from this request; ``None`` when the request is bigger than the app takes."""
    try:
        request.form  # noqa: B018 - read the body here, where a refusal can be caught
        request.files  # noqa: B018
    except RequestEntityTooLarge:
        return None
    return form_class(**kwargs)


def _too_big_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return _(
        "This file is bigger than %(size)s MB. Choose a smaller one.", size=limit // (1024 * 1024)
    )


@bp.post("/<slug>/grants/<int:number>/closing/report")
@login_required
def send_report_page(slug: str, number: int):
    grant = load_grant(slug, number)
    person = viewer()
    allow(rules.takes_part(person, grant))
    form = _read(ReportForm)
    if form is None:
        form = ReportForm(formdata=None, data={"kind": "upload"})
        form.file.errors = [_too_big_message()]
        return _page(grant, 422, block="report_form", target="report-form", report_form=form)
    if not rules.runs_grant(person, grant):
        form.kind.choices = [c for c in form.kind.choices if c.value != "conversation"]
    valid = form.validate_on_submit()
    kind, text, data, filename = form.kind.data, None, None, None
    if valid and kind == "form":
        text = answers_text(
            [(_(q), getattr(form, name).data or "") for name, q in REPORT_QUESTIONS]
        )
        if not text:
            form.happened.errors = [
                *form.happened.errors,
                _("Answer at least one of the questions."),
            ]
            valid = False
    elif valid and kind == "conversation":
        text = (form.notes.data or "").strip()
        if not text:
            form.notes.errors = [*form.notes.errors, _("Write the notes of the conversation.")]
            valid = False
    elif valid and kind == "upload":
        upload = form.file.data
        data = upload.read() if upload and getattr(upload, "filename", "") else b""
        filename = getattr(upload, "filename", None)
        if not data:
            form.file.errors = [*form.file.errors, _("Choose the report file.")]
            valid = False
        elif sniff_report_file(data) is None:
            form.file.errors = [*form.file.errors, _(NOT_A_REPORT_FILE)]
            valid = False
    if not valid:
        form._errors = None
        return _page(grant, 422, block="report_form", target="report-form", report_form=form)
    try:
        send_report(grant, by=person, kind=kind, text=text, data=data, filename=filename)
    except StepRefused as why:
        return _refused(grant, why, "report")
    db.session.commit()
    flash(_("The final report is sent. Thank you."), "success")
    return see_other(_closing_url(grant, "report"))


@bp.get("/<slug>/grants/<int:number>/closing/report-file")
@login_required
def report_file(slug: str, number: int):
    grant = load_grant(slug, number)
    closure = grant.closure
    if closure is None or closure.report_file is None:
        abort(404)
    response = make_response(closure.report_file)
    response.mimetype = closure.report_content_type
    extension = (closure.report_filename or "").rsplit(".", 1)[-1] or "bin"
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=safe_download_name(closure.report_filename, extension, grant.reference),
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<slug>/grants/<int:number>/closing/review")
@login_required
def review(slug: str, number: int):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _page(grant, 422, block="review_form", target="review-form", review_form=form)
    try:
        review_report(grant, by=viewer(), note=form.note.data)
    except StepRefused as why:
        return _refused(grant, why, "review")
    db.session.commit()
    flash(_("The review is saved."), "success")
    return see_other(_closing_url(grant, "review"))


@bp.post("/<slug>/grants/<int:number>/closing/conversation")
@login_required
def conversation(slug: str, number: int):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant))
    form = ConversationForm()
    valid = form.validate_on_submit()
    if valid and form.on.data > today():
        form.on.errors = [*form.on.errors, _("The conversation cannot be in the future.")]
        form._errors = None
        valid = False
    if not valid:
        return _page(
            grant,
            422,
            block="conversation_form",
            target="conversation-form",
            conversation_form=form,
        )
    try:
        record_conversation(
            grant, by=viewer(), on=form.on.data, notes=form.notes.data, today=today()
        )
    except StepRefused as why:
        return _refused(grant, why, "conversation")
    db.session.commit()
    flash(_("The closing conversation is recorded."), "success")
    return see_other(_closing_url(grant, "conversation"))


def letter_wording() -> dict:
    """How the letter is written for the person drafting it: their language, their dates, and
    amounts in words where the words are English."""
    locale = get_locale()
    return {
        "gettext": _,
        "day": lambda d: format_date(d, "d MMMM yyyy"),
        "words": locale is None or locale.language == "en",
    }


@bp.post("/<slug>/grants/<int:number>/closing/letter/draft")
@login_required
def draft(slug: str, number: int):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant))
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        closure = draft_letter(grant, by=viewer(), drafted_on=today(), **letter_wording())
    except StepRefused as why:
        return _refused(grant, why, "letter")
    db.session.commit()
    if closure.letter_version > 1:
        flash(
            _(
                "The letter is drafted again from the template. Any signature given before no "
                "longer counts."
            ),
            "success",
        )
    else:
        flash(_("The letter is drafted. The grantee can now comment on it."), "success")
    return see_other(_closing_url(grant, "letter"))


@bp.post("/<slug>/grants/<int:number>/closing/letter/<section>")
@login_required
def edit_letter(slug: str, number: int, section: str):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant) and section in rules.LETTER_SECTIONS)
    form = SectionForm(prefix=section)
    if not form.validate_on_submit():
        return _page(
            grant,
            422,
            block="section_form",
            target=f"section-form-{section}",
            section_forms={section: form},
            s=section,
        )
    signed = grant.closure is not None and (
        grant.closure.funder_signed_version or grant.closure.grantee_signed_version
    )
    try:
        edit_section(grant, section, form.text.data, by=viewer())
    except StepRefused as why:
        return _refused(grant, why, "letter")
    db.session.commit()
    flash(
        _(
            "The %(part)s part of the letter is changed.",
            part=_(rules.LETTER_SECTIONS[section]).lower(),
        ),
        "success",
    )
    if signed:
        flash(
            _("The letter changed after it was signed: both sides need to sign it again."), "error"
        )
    return see_other(_closing_url(grant, f"section-{section}"))


@bp.post("/<slug>/grants/<int:number>/closing/comments")
@login_required
def comment(slug: str, number: int):
    grant = load_grant(slug, number)
    allow(rules.takes_part(viewer(), grant))
    form = CommentForm()
    if not form.validate_on_submit():
        return _page(grant, 422, block="comment_form", target="comment-form", comment_form=form)
    try:
        comment_on_letter(
            grant,
            form.section.data,
            form.body.data,
            by=viewer(),
            suggested_text=form.suggested_text.data,
        )
    except StepRefused as why:
        return _refused(grant, why, "comments")
    db.session.commit()
    flash(_("Your comment is sent. The fund will answer it before anyone signs."), "success")
    return see_other(_closing_url(grant, "comments"))


@bp.post("/<slug>/grants/<int:number>/closing/comments/<int:comment_id>")
@login_required
def answer(slug: str, number: int, comment_id: int):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant))
    found = load_record(LetterComment, comment_id, grant)
    form = AnswerForm(prefix=f"comment-{found.id}")
    valid = form.validate_on_submit()
    if valid and form.decision.data == "decline" and not (form.answer.data or "").strip():
        form.answer.errors = [*form.answer.errors, _("Say why you decline it.")]
        form._errors = None
        valid = False
    if not valid:
        return _page(
            grant,
            422,
            block="answer_form",
            target=f"answer-form-{found.id}",
            answer_forms={found.id: form},
            c=found,
        )
    try:
        answer_comment(
            found, by=viewer(), accept=form.decision.data == "accept", answer=form.answer.data
        )
    except StepRefused as why:
        return _refused(grant, why, f"comment-{found.id}")
    db.session.commit()
    if found.status == "accepted" and found.suggested_text:
        flash(_("Accepted: the suggested wording is now in the letter."), "success")
    else:
        flash(_("Your answer is saved."), "success")
    return see_other(_closing_url(grant, f"comment-{found.id}"))


@bp.post("/<slug>/grants/<int:number>/closing/issues")
@login_required
def issue(slug: str, number: int):
    grant = load_grant(slug, number)
    allow(rules.takes_part(viewer(), grant))
    form = IssueForm()
    if not form.validate_on_submit():
        return _page(grant, 422, block="issue_form", target="issue-form", issue_form=form)
    try:
        raise_issue(grant, form.text.data, by=viewer())
    except StepRefused as why:
        return _refused(grant, why, "issues")
    db.session.commit()
    flash(_("The issue is on the list. It must be settled or waived before signing."), "success")
    return see_other(_closing_url(grant, "issues"))


@bp.post("/<slug>/grants/<int:number>/closing/issues/<int:issue_id>")
@login_required
def settle(slug: str, number: int, issue_id: int):
    grant = load_grant(slug, number)
    allow(rules.runs_grant(viewer(), grant))
    found = load_record(OutstandingIssue, issue_id, grant)
    form = SettleIssueForm(prefix=f"issue-{found.id}")
    if not form.validate_on_submit():
        return _page(
            grant,
            422,
            block="settle_form",
            target=f"settle-form-{found.id}",
            settle_forms={found.id: form},
            i=found,
        )
    try:
        settle_issue(found, by=viewer(), outcome=form.outcome.data, resolution=form.resolution.data)
    except StepRefused as why:
        return _refused(grant, why, f"issue-{found.id}")
    db.session.commit()
    flash(
        _("The issue is settled.") if found.status == "cleared" else _("The issue is waived."),
        "success",
    )
    return see_other(_closing_url(grant, "issues"))


@bp.post("/<slug>/grants/<int:number>/closing/sign/<side>")
@login_required
def sign(slug: str, number: int, side: str):
    grant = load_grant(slug, number)
    person = viewer()
    if side == "funder":
        allow(rules.runs_grant(person, grant))
    elif side == "grantee":
        allow(rules.is_grantee(person, grant))
    else:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        steps.sign(grant, side, by=person)
    except StepRefused as why:
        return _refused(grant, why, "signatures")
    db.session.commit()
    if grant.status == "closed":
        flash(_("Both sides have signed. This grant is closed."), "success")
    else:
        flash(_("Signed. The letter now waits for the other side's signature."), "success")
    return see_other(_closing_url(grant, "signatures"))


@bp.get("/<slug>/grants/<int:number>/closing/letter")
@login_required
def closure_letter(slug: str, number: int):
    """The letter as a page to print or save."""
    return render_template("grants/closure_letter.html", **_letter(slug, number))


@bp.get("/<slug>/grants/<int:number>/closing/letter.pdf")
@login_required
@limiter.limit("20 per minute")
def closure_letter_pdf(slug: str, number: int):
    """The same letter as a PDF (WeasyPrint), to keep, print or send."""
    context = _letter(slug, number)
    html = render_template("grants/closure_letter_pdf.html", **context)
    return pdf_response(html, f"closure-letter-{context['grant'].reference}.pdf")


def _letter(slug: str, number: int) -> dict:
    grant = load_grant(slug, number)
    closure = grant.closure
    if closure is None or closure.letter is None:
        abort(404)
    return dict(
        grant=grant,
        fund=grant.fund,
        closure=closure,
        sections=list(rules.LETTER_SECTIONS),
        LETTER_SECTIONS=rules.LETTER_SECTIONS,
        both_signed=rules.both_signed(closure),
    )
