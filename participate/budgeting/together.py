"""Working together on ideas: comments on a project (hiding one, with a reason, and showing
it again), and offers between authors to join two projects into one or to work side by side.

Every decision asks ``budgeting.rules``; the project page itself is ``budgeting.projects``.
"""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, or_, select

from participate.accounts.forms import choices
from participate.audit import record
from participate.budgeting import projects, rules
from participate.budgeting.forms.projects import (
    AnswerOfferForm,
    CommentForm,
    HideCommentForm,
    OfferForm,
    WithdrawOfferForm,
)
from participate.budgeting.models import BudgetProject, ProjectComment, ProjectOffer
from participate.budgeting.views import allow, bp, load_project, load_round, subject, viewer
from participate.columns import utcnow
from participate.extensions import db
from participate.web.htmx import is_htmx, see_other

# --- comments --------------------------------------------------------------------------------


@bp.post("/<slug>/projects/<int:project_id>/comments")
@login_required
def comment(slug: str, project_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    person = subject(rnd)
    allow(rules.can_comment(person, rnd))
    form = CommentForm()
    if not form.validate_on_submit():
        return projects.answer(
            rnd, found, "comments", "comment-form", status=422, comment_form=form
        )
    added = ProjectComment(project_id=found.id, author_id=person.id, body=form.body.data.strip())
    db.session.add(added)
    db.session.flush()
    record(
        "budgeting.comment_added",
        f"Commented on a project: {found.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"comment": added.id},
    )
    db.session.commit()
    if not is_htmx():
        flash(_("Your comment is added."), "success")
    return projects.answer(rnd, found, "comments", f"comment-{added.id}")


@bp.post("/<slug>/projects/<int:project_id>/comments/<int:comment_id>/hide")
@login_required
def hide_comment(slug: str, project_id: int, comment_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    allow(rules.can_hide_comment(viewer(), rnd))
    hidden = db.session.get(ProjectComment, comment_id)
    if hidden is None or hidden.project_id != found.id or hidden.hidden_at is not None:
        abort(404)
    form = HideCommentForm(prefix=f"hide{hidden.id}")
    if not form.validate_on_submit():
        return projects.answer(
            rnd,
            found,
            "comments",
            f"comment-{hidden.id}",
            status=422,
            hide_forms={hidden.id: form},
        )
    hidden.hidden_reason = form.reason.data
    hidden.hidden_by_id = viewer().id
    hidden.hidden_at = utcnow()
    record(
        "budgeting.comment_hidden",
        f"Hid a comment on a project: {found.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"comment": hidden.id, "reason": hidden.hidden_reason},
    )
    db.session.commit()
    if not is_htmx():
        flash(_("The comment is hidden. Everyone sees your reason in its place."), "success")
    return projects.answer(rnd, found, "comments", f"comment-{hidden.id}")


@bp.post("/<slug>/projects/<int:project_id>/comments/<int:comment_id>/show")
@login_required
def show_comment(slug: str, project_id: int, comment_id: int):
    """Undo a hiding (it was a mistake, or the words were put right): everyone sees the
    comment again. The audit log keeps that it was hidden, by whom and why."""
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    allow(rules.can_hide_comment(viewer(), rnd))
    shown = db.session.get(ProjectComment, comment_id)
    if shown is None or shown.project_id != found.id or shown.hidden_at is None:
        abort(404)
    reason = shown.hidden_reason
    shown.hidden_reason = shown.hidden_by_id = shown.hidden_at = None
    record(
        "budgeting.comment_shown",
        f"Showed a hidden comment again on a project: {found.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"comment": shown.id, "was_hidden_because": reason},
    )
    db.session.commit()
    if not is_htmx():
        flash(_("The comment is shown again."), "success")
    return projects.answer(rnd, found, "comments", f"comment-{shown.id}")


# --- offers to join up or work together ------------------------------------------------------


@bp.post("/<slug>/projects/<int:project_id>/offers")
@login_required
def offer(slug: str, project_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    person = subject(rnd)
    targets = [p for p in found.pot.projects if rules.can_offer(person, found, p, rnd)]
    allow(bool(targets))
    form = OfferForm()
    form.to_project_id.choices = choices([(None, "")] + [(p.id, p.title) for p in targets])
    valid = form.validate_on_submit()
    target = next((p for p in targets if p.id == form.to_project_id.data), None)
    if valid and target is None:
        form.to_project_id.errors = [_("Choose a project.")]
        valid = False
    if valid and db.session.scalar(
        select(func.count(ProjectOffer.id)).where(
            ProjectOffer.status == "open",
            or_(
                (ProjectOffer.from_project_id == found.id)
                & (ProjectOffer.to_project_id == target.id),
                (ProjectOffer.from_project_id == target.id)
                & (ProjectOffer.to_project_id == found.id),
            ),
        )
    ):
        form.to_project_id.errors = [
            _("There is already an offer between these two projects waiting for an answer.")
        ]
        valid = False
    if not valid:
        form._errors = None
        return projects.show_project(rnd, found, status=422, offer_form=form)
    made = ProjectOffer(
        from_project_id=found.id,
        to_project_id=target.id,
        kind=form.kind.data,
        message=form.message.data.strip(),
        by_id=person.id,
    )
    db.session.add(made)
    db.session.flush()
    record(
        "budgeting.offer_made",
        f"Offered to {'merge with' if made.kind == 'merge' else 'partner'}: {target.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"offer": made.id, "to": target.id, "kind": made.kind},
    )
    db.session.commit()
    flash(_("Your offer is sent. Its author can say yes or no."), "success")
    return see_other(projects.project_url(rnd, found, "offers"))


def _load_offer(found: BudgetProject, offer_id: int, side: str) -> ProjectOffer:
    made = db.session.get(ProjectOffer, offer_id)
    if made is None or getattr(made, f"{side}_project_id") != found.id:
        abort(404)
    return made


@bp.post("/<slug>/projects/<int:project_id>/offers/<int:offer_id>/answer")
@login_required
def answer_offer(slug: str, project_id: int, offer_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    made = _load_offer(found, offer_id, "to")
    person = subject(rnd)
    allow(rules.can_answer_offer(person, made, found, rnd))
    form = AnswerOfferForm(prefix=f"offer{made.id}")
    if not form.validate_on_submit():
        return projects.show_project(rnd, found, status=422, answer_forms={made.id: form})
    offering = made.from_project
    accept = form.answer.data == "accept"
    if accept and (offering.status not in rules.OFFERABLE or found.status not in rules.OFFERABLE):
        flash(_("One of the two projects can no longer join up, so this offer is closed."), "error")
        made.status = "withdrawn"
        made.answered_at = utcnow()
        db.session.commit()
        return see_other(projects.project_url(rnd, found, "offers"))
    made.status = "accepted" if accept else "declined"
    made.answer_note = (form.note.data or "").strip() or None
    made.answered_by_id = person.id
    made.answered_at = utcnow()
    if accept and made.kind == "merge":
        offering.status = "merged"
        offering.merged_into_id = found.id
        db.session.flush()
        projects.close_open_offers(offering)
    record(
        f"budgeting.offer_{made.status}",
        f"{'Accepted' if accept else 'Declined'} an offer to "
        f"{'merge' if made.kind == 'merge' else 'partner'} from: {offering.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"offer": made.id, "from": offering.id, "kind": made.kind},
    )
    db.session.commit()
    if accept and made.kind == "merge":
        flash(
            _("The two ideas are joined: %(title)s goes on as one project.", title=found.title),
            "success",
        )
    elif accept:
        flash(_("You are working together. Both projects say so."), "success")
    else:
        flash(_("You said no, thank you. The other author can see your answer."), "success")
    return see_other(projects.project_url(rnd, found, "offers"))


@bp.post("/<slug>/projects/<int:project_id>/offers/<int:offer_id>/withdraw")
@login_required
def withdraw_offer(slug: str, project_id: int, offer_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    made = _load_offer(found, offer_id, "from")
    allow(rules.can_withdraw_offer(subject(rnd), made))
    if not WithdrawOfferForm().validate_on_submit():
        abort(400)
    made.status = "withdrawn"
    made.answered_at = utcnow()
    record(
        "budgeting.offer_withdrawn",
        f"Withdrew an offer to: {made.to_project.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"offer": made.id},
    )
    db.session.commit()
    flash(_("Your offer is withdrawn."), "success")
    return see_other(projects.project_url(rnd, found, "offers"))
