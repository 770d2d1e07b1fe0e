"""Closing a grant well, to both signatures: the timeline, each step of the checklist, what
blocks signing, an edit after one signature, both signatures closing the grant (and then no
money moves), and 404s for anyone who may not."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from participate.accounts.models import Person
from participate.audit.models import AuditEntry
from participate.clock import local_today
from participate.demo import DEMO_PASSWORD
from participate.extensions import db
from participate.grants import books, steps
from participate.grants import closure as ops
from participate.grants.models import LetterComment, OutstandingIssue
from tests import factories as f

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def world(app):
    """A fund, its officer and finance approver, a panel member, a resident, another fund's
    officer, and an active grant to a group, awarded £1,000 and paid in full."""
    org = f.organisation()
    officer, finance = f.person("Priya"), f.person("Tom")
    f.member(officer, org, "council_officer")
    f.member(finance, org, "finance_approver")
    fund = f.fund(1_000_000, organisation_=org, officer=officer)
    panel = f.person("Gwen")
    f.member(panel, fund.space, "grant_panel_member")
    resident = f.person("Rhys")
    f.member(resident, fund.space, "resident")
    other_org = f.organisation("Elsewhere Council")
    stranger = f.person("Other officer")
    f.member(stranger, other_org, "council_officer")
    grantee = f.person("Jade")
    grant = f.application(
        fund, applicant=grantee, amount=100_000, recipient_name="Harbour Arts Collective"
    )
    steps.award(grant, 100_000, by=officer, decided_by="panel")
    steps.accept(grant, by=grantee)
    payment = steps.request_payment(grant, 100_000, by=officer)
    steps.approve_payment(payment, by=finance)
    steps.mark_paid(payment, by=finance, paid_on=local_today(), reference="BACS 1")
    db.session.commit()
    base = f"/funds/{fund.slug}/grants/{grant.number}/closing"
    return SimpleNamespace(
        fund=fund,
        grant=grant,
        officer=officer,
        finance=finance,
        panel=panel,
        resident=resident,
        stranger=stranger,
        grantee=grantee,
        base=base,
    )


def _closing(w):
    steps.start_closure(w.grant, by=w.officer)
    db.session.commit()


def _ready(w, *, letter=True):
    """Every step done but the signatures (through the closure operations)."""
    _closing(w)
    ops.send_report(w.grant, by=w.grantee, kind="form", text="What happened?\nA mural.")
    ops.review_report(w.grant, by=w.officer, note="Lovely work.")
    ops.record_conversation(
        w.grant, by=w.officer, on=local_today(), notes="A call.", today=local_today()
    )
    if letter:
        ops.draft_letter(w.grant, by=w.officer, drafted_on=local_today())
    db.session.commit()


def _actions() -> list[str]:
    return db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()


def _refresh(w):
    db.session.expire_all()
    return w.grant


# --- the timeline and starting ---------------------------------------------------------------


def test_the_timeline_is_planned_and_a_manager_starts_closing(client, world):
    w = world
    w.grant.ends_on = local_today() + timedelta(days=20)
    db.session.commit()
    f.sign_in(client, w.officer)
    page = f.page_text(client.get(w.base))
    assert "Closing this grant: the plan" in page
    assert "reminders start, 3 months before the work ends" in page
    assert "the fund's closing window starts" in page
    assert "Reminders are due." in page
    assert "Start closing this grant" in page

    response = client.post(f"{w.base}/start")
    assert response.status_code == 303
    grant = _refresh(w)
    assert grant.status == "closing"
    assert grant.closure is not None and grant.closure.started_by_id == w.officer.id
    page = f.page_text(client.get(w.base))
    assert "What is left before both sides sign" in page
    assert "Final report received" in page
    assert "Start closing this grant" not in page


def test_no_reminder_far_from_the_end_and_the_grantee_cannot_start(client, world):
    w = world
    w.grant.ends_on = local_today() + timedelta(days=400)
    db.session.commit()
    f.sign_in(client, w.grantee)
    page = f.page_text(client.get(w.base))
    assert "Reminders are due." not in page
    assert "Start closing this grant" not in page
    assert client.post(f"{w.base}/start").status_code == 404
    assert _refresh(w).status == "active"


# --- the final report ------------------------------------------------------------------------


def test_the_grantee_sends_the_report_as_answers(client, world):
    w = world
    _closing(w)
    f.sign_in(client, w.grantee)
    empty = client.post(f"{w.base}/report", data={"kind": "form", "happened": "  "})
    assert empty.status_code == 422
    assert "Answer at least one of the questions." in f.page_text(empty)
    missing = client.post(f"{w.base}/report", data={"kind": "upload", "learned": "Keep this text"})
    assert missing.status_code == 422
    page = f.page_text(missing)
    assert "Choose the report file." in page and "Keep this text" in page

    response = client.post(
        f"{w.base}/report",
        data={
            "kind": "form",
            "happened": "We painted the mural.",
            "changed": "People stop to look.",
            "learned": "",
            "left_over": "Two tins of paint.",
        },
    )
    assert response.status_code == 303
    closure = _refresh(w).closure
    assert closure.report_kind == "form" and closure.report_by_id == w.grantee.id
    assert closure.report_text == (
        "What happened?\nWe painted the mural.\n\n"
        "What changed?\nPeople stop to look.\n\n"
        "Is anything left over?\nTwo tins of paint."
    )
    assert "grants.report" in _actions()
    assert "We painted the mural." in f.page_text(client.get(w.base))
    # Only the fund writes notes of a conversation as the report.
    refused = client.post(f"{w.base}/report", data={"kind": "conversation", "notes": "Chat"})
    assert refused.status_code == 422
    assert _refresh(w).closure.report_kind == "form"


def test_a_report_file_is_checked_by_its_bytes_and_downloaded_as_an_attachment(client, world):
    w = world
    _closing(w)
    f.sign_in(client, w.grantee)
    fake = client.post(
        f"{w.base}/report",
        data={"kind": "upload", "file": (io.BytesIO(b"MZ not a pdf at all"), "report.pdf")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422
    assert "This file is not one we can take." in f.page_text(fake)
    assert _refresh(w).closure.report_at is None

    ok = client.post(
        f"{w.base}/report",
        data={"kind": "upload", "file": (io.BytesIO(PDF_BYTES), '../../Our "report".exe.pdf')},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 303
    closure = _refresh(w).closure
    assert closure.report_kind == "upload"
    assert closure.report_content_type == "application/pdf"
    assert closure.report_filename.endswith(".pdf") and "/" not in closure.report_filename

    download = client.get(f"{w.base}/report-file")
    assert download.status_code == 200
    assert download.data == PDF_BYTES
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".." not in disposition
    assert '"' not in disposition.split("filename=", 1)[1].strip('"')

    for who in (w.resident, w.stranger):
        f.as_person(client, who)
        assert client.get(f"{w.base}/report-file").status_code == 404
    f.as_person(client, w.finance)  # can see the grant, so may read its report
    assert client.get(f"{w.base}/report-file").status_code == 200


def test_report_files_are_known_by_their_first_bytes():
    odt = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    xlsx = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})
    assert ops.sniff_report_file(PDF_BYTES)[1] == "pdf"
    assert ops.sniff_report_file(odt)[1] == "odt"
    assert ops.sniff_report_file(docx)[1] == "docx"
    assert ops.sniff_report_file(b"\x89PNG\r\n\x1a\n....")[1] == "png"
    assert ops.sniff_report_file(b"\xff\xd8\xff\xe0....")[1] == "jpg"
    assert ops.sniff_report_file(b"RIFF\x00\x00\x00\x00WEBPVP8 ")[1] == "webp"
    assert ops.sniff_report_file(xlsx) is None
    assert ops.sniff_report_file(b"PK\x03\x04broken") is None
    assert ops.sniff_report_file(b"") is None
    assert ops.safe_download_name("../../a b.exe", "pdf", "x-1") == "a_b.pdf"
    assert ops.safe_download_name("", "png", "x-1") == "final-report-x-1.png"


def test_a_report_bigger_than_the_app_takes_is_a_message(app, client, world):
    w = world
    _closing(w)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    f.sign_in(client, w.grantee)
    response = client.post(
        f"{w.base}/report",
        data={"kind": "upload", "file": (io.BytesIO(b"%PDF-" + b"x" * 4096), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "This file is bigger than" in f.page_text(response)


# --- review and conversation -----------------------------------------------------------------


def test_review_and_conversation(client, world):
    w = world
    _closing(w)
    f.sign_in(client, w.officer)
    early = client.post(f"{w.base}/review", data={"note": "Good."})
    assert early.status_code == 303  # refused, with a message, never a 500
    assert "There is no final report to review yet." in f.page_text(client.get(w.base))
    assert _refresh(w).closure.reviewed_at is None

    ops.send_report(w.grant, by=w.officer, kind="conversation", text="We talked it over.")
    db.session.commit()
    assert client.post(f"{w.base}/review", data={"note": ""}).status_code == 422
    assert client.post(f"{w.base}/review", data={"note": "Clear and honest."}).status_code == 303
    closure = _refresh(w).closure
    assert closure.review_note == "Clear and honest." and closure.reviewed_by_id == w.officer.id

    future = (local_today() + timedelta(days=3)).isoformat()
    response = client.post(f"{w.base}/conversation", data={"on": future, "notes": "Tea"})
    assert response.status_code == 422
    page = f.page_text(response)
    assert "The conversation cannot be in the future." in page and "Tea" in page
    response = client.post(
        f"{w.base}/conversation", data={"on": local_today().isoformat(), "notes": "A good call."}
    )
    assert response.status_code == 303
    closure = _refresh(w).closure
    assert closure.conversation_on == local_today()
    assert closure.conversation_notes == "A good call."
    actions = _actions()
    assert "grants.reviewed" in actions and "grants.conversation" in actions


# --- the letter, comments and issues ---------------------------------------------------------


def test_the_letter_is_drafted_edited_and_printable(client, world):
    w = world
    _closing(w)
    f.sign_in(client, w.officer)
    assert client.get(f"{w.base}/letter").status_code == 404  # not drafted yet
    assert client.post(f"{w.base}/letter/draft").status_code == 303
    closure = _refresh(w).closure
    assert set(closure.letter) == {"legal", "reporting", "communications", "data", "ip"}
    assert closure.letter_version == 1 and closure.letter_drafted_at is not None
    assert "£1,000.00 (one thousand pounds)" in closure.letter["legal"]
    assert "Harbour Arts Collective" in closure.letter["communications"]

    empty = client.post(f"{w.base}/letter/ip", data={"ip-text": "  "})
    assert empty.status_code == 422
    assert (
        client.post(
            f"{w.base}/letter/ip", data={"ip-text": "The mural design belongs to the collective."}
        ).status_code
        == 303
    )
    closure = _refresh(w).closure
    assert closure.letter["ip"] == "The mural design belongs to the collective."
    assert closure.letter_version == 2
    assert client.post(f"{w.base}/letter/nonsense", data={"nonsense-text": "x"}).status_code == 404

    printable = client.get(f"{w.base}/letter")
    assert printable.status_code == 200
    page = f.page_text(printable)
    assert "Closure letter for grant" in page and "The mural design belongs" in page
    actions = _actions()
    assert "grants.letter_drafted" in actions and "grants.letter_edited" in actions

    # The grantee reads it, but may neither draft nor edit it.
    f.as_person(client, w.grantee)
    assert client.get(f"{w.base}/letter").status_code == 200
    assert client.post(f"{w.base}/letter/draft").status_code == 404
    assert client.post(f"{w.base}/letter/ip", data={"ip-text": "Mine"}).status_code == 404
    assert _refresh(w).closure.letter_version == 2


def test_the_grantee_suggests_wording_and_the_fund_answers(client, world):
    w = world
    _ready(w)
    f.sign_in(client, w.grantee)
    response = client.post(f"{w.base}/comments", data={"section": "ip", "body": ""})
    assert response.status_code == 422
    assert (
        client.post(
            f"{w.base}/comments",
            data={
                "section": "ip",
                "body": "We keep the design.",
                "suggested_text": "The mural design belongs to the collective.",
            },
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{w.base}/comments",
            data={"section": "data", "body": "Could we keep sign-in sheets a year?"},
        ).status_code
        == 303
    )
    suggestion, question = db.session.scalars(
        select(LetterComment).order_by(LetterComment.id)
    ).all()
    assert suggestion.status == "open" and suggestion.by_id == w.grantee.id
    steps_done = {s.key: s.done for s in steps.closure_steps(_refresh(w))}
    assert steps_done["comments"] is False
    # The grantee cannot answer comments.
    assert (
        client.post(
            f"{w.base}/comments/{suggestion.id}",
            data={f"comment-{suggestion.id}-decision": "accept"},
        ).status_code
        == 404
    )

    f.as_person(client, w.officer)
    assert (
        client.post(
            f"{w.base}/comments/{suggestion.id}",
            data={f"comment-{suggestion.id}-decision": "accept"},
        ).status_code
        == 303
    )
    closure = _refresh(w).closure
    assert closure.letter["ip"] == "The mural design belongs to the collective."
    assert closure.letter_version == 2
    no_reason = client.post(
        f"{w.base}/comments/{question.id}", data={f"comment-{question.id}-decision": "decline"}
    )
    assert no_reason.status_code == 422
    assert "Say why you decline it." in f.page_text(no_reason)
    assert (
        client.post(
            f"{w.base}/comments/{question.id}",
            data={
                f"comment-{question.id}-decision": "decline",
                f"comment-{question.id}-answer": "The law says six months.",
            },
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert (suggestion.status, question.status) == ("accepted", "declined")
    assert question.answer == "The law says six months."
    assert _refresh(w).closure.letter_version == 2  # a declined comment changes nothing
    actions = _actions()
    assert actions.count("grants.letter_comment") == 2
    assert actions.count("grants.comment_answered") == 2


def test_issues_are_raised_then_cleared_or_waived_with_a_reason(client, world):
    w = world
    _ready(w)
    f.sign_in(client, w.grantee)
    assert client.post(f"{w.base}/issues", data={"text": ""}).status_code == 422
    assert (
        client.post(f"{w.base}/issues", data={"text": "Who owns the mural design?"}).status_code
        == 303
    )
    f.as_person(client, w.officer)
    assert (
        client.post(
            f"{w.base}/issues", data={"text": "Receipt for the hall hire missing"}
        ).status_code
        == 303
    )
    design, receipt = db.session.scalars(
        select(OutstandingIssue).order_by(OutstandingIssue.id)
    ).all()

    f.as_person(client, w.grantee)  # the grantee may not settle one
    assert (
        client.post(
            f"{w.base}/issues/{design.id}",
            data={f"issue-{design.id}-outcome": "cleared", f"issue-{design.id}-resolution": "Ours"},
        ).status_code
        == 404
    )

    f.as_person(client, w.officer)
    no_reason = client.post(
        f"{w.base}/issues/{receipt.id}", data={f"issue-{receipt.id}-outcome": "waived"}
    )
    assert no_reason.status_code == 422
    assert "Say how it was settled, or why it is waived." in f.page_text(no_reason)
    assert (
        client.post(
            f"{w.base}/issues/{design.id}",
            data={
                f"issue-{design.id}-outcome": "cleared",
                f"issue-{design.id}-resolution": "The letter says the collective owns it.",
            },
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"{w.base}/issues/{receipt.id}",
            data={
                f"issue-{receipt.id}-outcome": "waived",
                f"issue-{receipt.id}-resolution": "The bank statement shows the payment.",
            },
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert (design.status, receipt.status) == ("cleared", "waived")
    assert receipt.resolution == "The bank statement shows the payment."
    actions = _actions()
    assert "grants.issue_raised" in actions
    assert "grants.issue_cleared" in actions and "grants.issue_waived" in actions


# --- signing ---------------------------------------------------------------------------------


def _sign(client, w, who, side):
    f.as_person(client, who)
    return client.post(f"{w.base}/sign/{side}")


def test_an_open_comment_or_issue_blocks_signing(client, world):
    w = world
    _ready(w)
    comment = ops.comment_on_letter(w.grant, "legal", "A question", by=w.grantee)
    db.session.commit()
    response = _sign(client, w, w.officer, "funder")
    assert response.status_code == 303
    assert "It is not ready to sign yet" in f.page_text(client.get(w.base))
    assert _refresh(w).closure.funder_signed_at is None

    ops.answer_comment(comment, by=w.officer, accept=True)
    issue = ops.raise_issue(w.grant, "Who owns the banner?", by=w.grantee)
    db.session.commit()
    _sign(client, w, w.grantee, "grantee")
    assert _refresh(w).closure.grantee_signed_at is None

    ops.settle_issue(issue, by=w.officer, outcome="waived", resolution="No banner made.")
    db.session.commit()
    assert _sign(client, w, w.grantee, "grantee").status_code == 303
    assert _refresh(w).closure.grantee_signed_version == w.grant.closure.letter_version


def test_money_promised_and_unpaid_blocks_signing(client, world):
    w = world
    grant = f.application(w.fund, applicant=w.grantee, amount=50_000)
    steps.award(grant, 50_000, by=w.officer, decided_by="panel")
    steps.accept(grant, by=w.grantee)
    payment = steps.request_payment(grant, 20_000, by=w.officer)
    steps.approve_payment(payment, by=w.finance)
    steps.mark_paid(payment, by=w.finance, paid_on=local_today(), reference="BACS 2")
    db.session.commit()
    other = SimpleNamespace(
        **{**vars(w), "grant": grant, "base": f"/funds/{w.fund.slug}/grants/{grant.number}/closing"}
    )
    _ready(other)
    f.sign_in(client, w.officer)
    page = f.page_text(client.get(other.base))
    assert "Still promised and not paid: £300.00" in page
    assert f"/funds/{w.fund.slug}/grants/{grant.number}/money" in page
    assert "Sign for the fund" not in page
    _sign(client, other, w.officer, "funder")
    assert grant.closure.funder_signed_at is None

    steps.release_unpaid(grant, by=w.officer, memo="Not needed")
    db.session.commit()
    page = f.page_text(client.get(other.base))
    assert "Nothing is promised and unpaid" in page
    assert "Pay or release what is left" not in page
    assert "Sign for the fund" in page


def test_an_edit_after_one_signature_asks_both_to_sign_again(client, world):
    w = world
    _ready(w)
    assert _sign(client, w, w.officer, "funder").status_code == 303
    closure = _refresh(w).closure
    assert closure.funder_signed_version == 1
    response = client.post(
        f"{w.base}/letter/data", data={"data-text": "Sign-in sheets go in six months."}
    )
    assert response.status_code == 303
    page = f.page_text(client.get(w.base))
    assert "both sides need to sign it again" in page
    assert "this signature no longer counts" in page
    assert "Sign for the fund" in page  # the fund signs the new version again
    assert _sign(client, w, w.grantee, "grantee").status_code == 303
    grant = _refresh(w)
    assert grant.status == "closing"  # the fund's signature was for version 1
    assert _sign(client, w, w.officer, "funder").status_code == 303
    assert _refresh(w).status == "closed"


def test_both_signatures_close_the_grant_and_then_no_money_moves(client, world):
    w = world
    _ready(w)
    assert _sign(client, w, w.grantee, "grantee").status_code == 303
    assert _refresh(w).status == "closing"
    assert _sign(client, w, w.officer, "funder").status_code == 303
    grant = _refresh(w)
    assert grant.status == "closed" and grant.closed_at is not None
    page = f.page_text(client.get(w.base))
    assert "This grant is closed." in page
    assert "Sign for" not in page
    with pytest.raises(books.LedgerRefused):
        books.release(grant, 1, memo="too late", by=w.officer)
    db.session.rollback()
    assert books.verify(w.fund) == []
    # Nothing more changes on a closed grant: a message, not a 500.
    response = client.post(f"{w.base}/letter/ip", data={"ip-text": "Changed"})
    assert response.status_code == 303
    assert "That cannot be done now" in f.page_text(client.get(w.base))
    assert _refresh(w).closure.letter_version == 1
    printable = f.page_text(client.get(f"{w.base}/letter"))
    assert "Both sides have signed: the grant is closed." in printable


# --- who may not -----------------------------------------------------------------------------


def test_people_who_may_not_get_404(client, world):
    w = world
    _ready(w)
    issue = ops.raise_issue(w.grant, "A loose end", by=w.officer)
    comment = ops.comment_on_letter(w.grant, "legal", "Hmm", by=w.grantee)
    db.session.commit()
    for who in (w.resident, w.stranger):
        f.as_person(client, who)
        assert client.get(w.base).status_code == 404
        assert client.get(f"{w.base}/letter").status_code == 404
        assert (
            client.post(f"{w.base}/report", data={"kind": "form", "happened": "x"}).status_code
            == 404
        )
        assert client.post(f"{w.base}/issues", data={"text": "x"}).status_code == 404
    # A panel member may see the grant, but takes no part in closing it.
    f.as_person(client, w.panel)
    assert client.get(w.base).status_code == 200
    for url, data in [
        (f"{w.base}/review", {"note": "x"}),
        (f"{w.base}/conversation", {"on": date.today().isoformat(), "notes": "x"}),
        (f"{w.base}/letter/draft", {}),
        (f"{w.base}/comments", {"section": "legal", "body": "x"}),
        (f"{w.base}/issues", {"text": "x"}),
        (f"{w.base}/issues/{issue.id}", {}),
        (f"{w.base}/comments/{comment.id}", {}),
        (f"{w.base}/sign/funder", {}),
        (f"{w.base}/sign/grantee", {}),
    ]:
        assert client.post(url, data=data).status_code == 404, url
    # The grantee signs only for themselves; the fund only for the fund.
    ops.answer_comment(comment, by=w.officer, accept=False, answer="No")
    ops.settle_issue(issue, by=w.officer, outcome="cleared", resolution="Done")
    db.session.commit()
    assert _sign(client, w, w.grantee, "funder").status_code == 404
    assert _sign(client, w, w.officer, "grantee").status_code == 404
    assert _sign(client, w, w.officer, "somebody").status_code == 404
    assert _refresh(w).closure.funder_signed_at is None
    # An issue or a comment of another grant is not found through this one.
    f.as_person(client, w.officer)
    assert client.post(f"{w.base}/issues/999999", data={}).status_code == 404


def test_with_htmx_a_form_with_a_mistake_comes_back_alone(client, world):
    w = world
    _ready(w)
    comment = ops.comment_on_letter(w.grant, "legal", "A question", by=w.grantee)
    issue = ops.raise_issue(w.grant, "A loose end", by=w.grantee)
    db.session.commit()
    f.sign_in(client, w.officer)
    htmx = {"HX-Request": "true"}
    for url, data, target, typed in [
        (
            f"{w.base}/comments/{comment.id}",
            {f"comment-{comment.id}-decision": "decline", f"comment-{comment.id}-answer": " "},
            f"answer-form-{comment.id}",
            "Say why you decline it.",
        ),
        (
            f"{w.base}/issues/{issue.id}",
            {f"issue-{issue.id}-resolution": "Typed words"},
            f"settle-form-{issue.id}",
            "Typed words",
        ),
        (f"{w.base}/letter/legal", {"legal-text": ""}, "section-form-legal", "cannot be empty"),
        (
            f"{w.base}/conversation",
            {"on": "not a date", "notes": "Kept notes"},
            "conversation-form",
            "Kept notes",
        ),
        (
            f"{w.base}/comments",
            {"section": "legal", "body": "", "suggested_text": "Mine"},
            "comment-form",
            "Mine",
        ),
    ]:
        response = client.post(url, data=data, headers=htmx)
        assert response.status_code == 422, url
        assert response.headers["HX-Retarget"] == f"#{target}"
        page = f.page_text(response)
        assert page.lstrip().startswith("<") and "<html" not in page
        assert f'id="{target}"' in page and typed in page
    f.as_person(client, w.grantee)
    closing_db = _refresh(w).closure
    closing_db.reviewed_at = None
    db.session.commit()
    response = client.post(f"{w.base}/report", data={"kind": "form", "learned": ""}, headers=htmx)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#report-form"
    assert 'enctype="multipart/form-data"' in f.page_text(response)
    ok = client.post(f"{w.base}/report", data={"kind": "form", "learned": "Lots"}, headers=htmx)
    assert ok.status_code == 200 and ok.headers["HX-Redirect"].endswith("#report")


def test_the_demo_grants_closing_pages_show(client, app):
    """Every demo grant that has a Closing tab shows it, to the fund and to the grantee."""
    from participate.demo import load
    from participate.grants.models import Grant

    load()
    db.session.commit()
    officer = db.session.scalar(select(Person).where(Person.email == "officer@porthaven.example"))
    grants = db.session.scalars(
        select(Grant).where(Grant.status.in_(("active", "closing", "closed")))
    ).all()
    assert {g.status for g in grants} == {"active", "closing", "closed"}
    f.sign_in(client, officer, password=DEMO_PASSWORD)
    for grant in grants:
        base = f"/funds/{grant.fund.slug}/grants/{grant.number}/closing"
        response = client.get(base)
        assert response.status_code == 200, (grant.title, response.status_code)
        if grant.closure is not None and grant.closure.letter:
            assert client.get(f"{base}/letter").status_code == 200
        if grant.status == "closed":
            assert "This grant is closed." in f.page_text(response)


def test_the_letter_downloads_as_a_pdf_for_who_may_read_it(client, world):
    import io

    from pypdf import PdfReader

    w = world
    _closing(w)
    f.sign_in(client, w.officer)
    assert client.get(f"{w.base}/letter.pdf").status_code == 404  # not drafted yet
    assert client.post(f"{w.base}/letter/draft").status_code == 303
    response = client.get(f"{w.base}/letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    letter = _refresh(w).closure.letter
    for heading in ("Legal", "Reporting", "Communications", "Data", "Intellectual property"):
        assert heading in text
    assert letter["legal"].split("\n")[0][:40] in " ".join(text.split())
    assert "Not signed yet" in text

    f.as_person(client, w.grantee)
    assert client.get(f"{w.base}/letter.pdf").status_code == 200
    someone = f.person("Someone Else")
    db.session.commit()
    f.as_person(client, someone)
    assert client.get(f"{w.base}/letter.pdf").status_code == 404
