"""Project ideas: the list, suggesting and changing an idea, its page and pictures (added and
removed with the idea's form), the officers' check (can it go to the vote, and what it would
really cost), the author's reply, comments (and hiding one, with a reason), and offers to join
up or work together.

Every decision asks ``budgeting.rules``. Things done by the person taking part (suggesting,
replying, commenting, offering) use ``subject(rnd)``, so a facilitator can do them for
someone in assisted mode; the officers' check and hiding comments use the viewer.
"""

from __future__ import annotations

import re

from flask import abort, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from participate.accounts.forms import choices
from participate.audit import record
from participate.budgeting import images, rules
from participate.budgeting.forms.projects import (
    AnswerOfferForm,
    CommentForm,
    FeasibilityForm,
    HideCommentForm,
    OfferForm,
    ProjectForm,
    ReplyForm,
    WithdrawForm,
    WithdrawOfferForm,
    whole_amount,
)
from participate.budgeting.models import (
    BudgetProject,
    GrantRound,
    Pot,
    ProjectComment,
    ProjectImage,
    ProjectOffer,
)
from participate.budgeting.views import (
    allow,
    area_words,
    bp,
    load_pot,
    load_project,
    load_round,
    render,
    render_round_block,
    subject,
    today,
    viewer,
)
from participate.columns import utcnow
from participate.extensions import db
from participate.money import format_whole
from participate.text import N_
from participate.web.htmx import is_htmx, see_other

# A form with a 5 MB picture and its words; anything bigger is refused before it is read.
MAX_REQUEST = images.MAX_BYTES + 1024 * 1024
EDITABLE_FIELDS = ("title", "what", "where_text", "who_for", "hope", "group_name")
CHECKABLE = ("proposed", "feasible", "not_feasible")


def next_ref(position: int, refs) -> str:
    """The next free "<pot position>-<n>" id in a pot, after every such id already used."""
    pattern = re.compile(rf"^{position}-(\d+)$")
    used = [int(m.group(1)) for ref in refs if (m := pattern.match(ref or ""))]
    n = max(used, default=0) + 1
    taken = set(refs)
    while f"{position}-{n}" in taken:
        n += 1
    return f"{position}-{n}"


def project_url(rnd: GrantRound, project: BudgetProject, anchor: str = "") -> str:
    url = url_for("budgeting.project", slug=rnd.space.slug, project_id=project.id)
    return f"{url}#{anchor}" if anchor else url


def _partners(project_ids) -> dict[int, list[BudgetProject]]:
    """Projects working together (an accepted offer to partner), both ways."""
    ids = list(project_ids)
    partners: dict[int, list[BudgetProject]] = {}
    if not ids:
        return partners
    offers = db.session.scalars(
        select(ProjectOffer).where(
            ProjectOffer.kind == "partner",
            ProjectOffer.status == "accepted",
            or_(ProjectOffer.from_project_id.in_(ids), ProjectOffer.to_project_id.in_(ids)),
        )
    )
    for offer in offers:
        partners.setdefault(offer.from_project_id, []).append(offer.to_project)
        partners.setdefault(offer.to_project_id, []).append(offer.from_project)
    return partners


def _comment_counts(project_ids) -> dict[int, int]:
    ids = list(project_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ProjectComment.project_id, func.count(ProjectComment.id))
        .where(ProjectComment.project_id.in_(ids))
        .group_by(ProjectComment.project_id)
    )
    return dict(rows.all())


# --- the list --------------------------------------------------------------------------------


@bp.get("/<slug>/projects/")
def projects(slug: str):
    rnd = load_round(slug)
    pots = list(rnd.pots)
    chosen_pot = request.args.get("pot", type=int)
    if chosen_pot is not None:
        pots = [load_pot(rnd, chosen_pot)]
    status = request.args.get("status") or ""
    if status not in rules.PROJECT_STATUSES:
        status = ""
    shown = {pot.id: [p for p in pot.projects if not status or p.status == status] for pot in pots}
    ids = [p.id for listed in shown.values() for p in listed]
    person = subject(rnd)
    return render(
        "budgeting/projects.html",
        rnd,
        tab="projects",
        pots=pots,
        all_pots=rnd.pots,
        shown=shown,
        chosen_pot=chosen_pot,
        chosen_status=status,
        counts=_comment_counts(ids),
        partners=_partners(ids),
        may_propose=rules.may_propose(person, rnd, today()),
        ideas_open=rules.ideas_open(rnd, today()),
        signed_in=viewer() is not None,
    )


# --- suggesting and changing an idea ---------------------------------------------------------


def _read_form(form_class, **kwargs):
    """The form from this request; ``None`` when the request is bigger than any picture."""
    request.max_content_length = MAX_REQUEST
    try:
        request.form  # noqa: B018 - reads the body now, where a refusal can be caught
        request.files  # noqa: B018
    except RequestEntityTooLarge:
        return None
    return form_class(**kwargs)


def _project_form(rnd: GrantRound, project: BudgetProject | None, formdata=True):
    """The idea's form: the pot only when there is a choice (and only for a new idea), the
    tick "I live, work or study in ..." only where the round asks for it."""
    kwargs = {} if formdata else {"formdata": None}
    if project is not None and not formdata:
        kwargs["obj"] = project
    form = _read_form(ProjectForm, **kwargs) if formdata else ProjectForm(**kwargs)
    if form is None:
        form = ProjectForm(formdata=None)
        form.image.errors = [_(images.TOO_BIG)]
        form._too_big = True
    if project is not None and not formdata:
        form.cost.data = str(project.cost)
    if project is not None or len(rnd.pots) < 2:
        del form.pot_id
    else:
        form.pot_id.choices = choices(
            [(None, _("Choose a pot"))]
            + [
                (pot.id, f"{pot.name} ({format_whole(pot.amount, rnd.currency)})")
                for pot in rnd.pots
            ]
        )
    if project is None and rules.needs_declaration(rnd, rnd.who_proposes):
        form.declaration.label.text = _("I live, work or study in %(area)s", area=area_words(rnd))
    else:
        del form.declaration
    return form


def _check_project_form(rnd: GrantRound, form, pot: Pot | None) -> tuple[bool, object]:
    """Validate the form, the cost against the pot and the picture; returns (ok, picture)."""
    if getattr(form, "_too_big", False):
        return False, None
    valid = form.validate_on_submit()
    if hasattr(form, "pot_id") and pot is None and not form.pot_id.errors:
        form.pot_id.errors = [*form.pot_id.errors, _("Choose which pot it is for.")]
        valid = False
    cost = form.cost_amount()
    if pot is not None and cost is not None and cost > pot.amount:
        form.cost.errors = [
            *form.cost.errors,
            _(
                "That is more than the whole pot (%(amount)s). Make the idea smaller, or "
                "give a lower cost.",
                amount=format_whole(pot.amount, rnd.currency),
            ),
        ]
        valid = False
    picture = None
    upload = form.image.data
    if upload is not None and getattr(upload, "filename", None):
        raw = upload.stream.read(images.MAX_BYTES + 1)
        try:
            picture = images.clean_image(raw)
        except images.ImageProblem as problem:
            form.image.errors = [_(problem.message, **problem.params)]
            valid = False
        if not (form.image_alt.data or "").strip():
            form.image_alt.errors = [
                *form.image_alt.errors,
                _("Say what the picture shows, for people who cannot see it."),
            ]
            valid = False
        if not valid and picture is not None:
            # Browsers cannot refill a file box: say so, next to it.
            form.image.errors = [
                _(
                    "Your picture is fine, but choose it again: it is not kept until the form "
                    "is sent without problems."
                )
            ]
    form._errors = None
    return valid, picture


def _add_picture(project: BudgetProject, picture, alt: str, by) -> None:
    if picture is None:
        return
    db.session.add(
        ProjectImage(
            project_id=project.id,
            alt_text=alt.strip(),
            content_type=picture.content_type,
            data=picture.data,
            width=picture.width,
            height=picture.height,
            uploaded_by_id=by.id if by is not None else None,
        )
    )


def _form_page(rnd: GrantRound, form, project: BudgetProject | None, status: int = 200):
    return render(
        "budgeting/project_form.html",
        rnd,
        status=status,
        tab="projects",
        form=form,
        project=project,
        area=area_words(rnd),
        removing=_pictures_to_remove(project),
    )


def _pictures_to_remove(project: BudgetProject | None) -> list[ProjectImage]:
    """The project's pictures ticked "Remove this picture" in the form sent (none on GET)."""
    if project is None or request.method != "POST":
        return []
    ticked = set(request.form.getlist("remove_image"))
    return [image for image in project.images if str(image.id) in ticked]


@bp.route("/<slug>/projects/new", methods=["GET", "POST"])
@login_required
def new_project(slug: str):
    rnd = load_round(slug)
    person = subject(rnd)
    allow(rules.may_propose(person, rnd, today()))
    if request.method == "GET":
        return _form_page(rnd, _project_form(rnd, None, formdata=False), None)
    form = _project_form(rnd, None)
    if len(rnd.pots) == 1:
        pot = rnd.pots[0]
    else:
        chosen = form.pot_id.data if hasattr(form, "pot_id") else None
        pot = next((p for p in rnd.pots if p.id == chosen), None)
    valid, picture = _check_project_form(rnd, form, pot)
    if not valid:
        return _form_page(rnd, form, None, status=422)
    project = BudgetProject(
        pot_id=pot.id,
        ref=next_ref(pot.position, [p.ref for p in pot.projects]),
        cost=form.cost_amount(),
        author_id=person.id,
        status="proposed",
        **{name: getattr(form, name).data or None for name in EDITABLE_FIELDS},
    )
    db.session.add(project)
    try:
        db.session.flush()
    except IntegrityError:  # someone else took the same id at the same moment
        db.session.rollback()
        pot = db.session.get(Pot, pot.id)
        project.pot_id = pot.id
        project.ref = next_ref(pot.position, [p.ref for p in pot.projects])
        db.session.add(project)
        db.session.flush()
    _add_picture(project, picture, form.image_alt.data or "", viewer())
    record(
        "budgeting.project_proposed",
        f"Suggested a project: {project.title}",
        project,
        space=rnd.space,
        visibility="space",
        detail={"pot": pot.id, "ref": project.ref, "cost": project.cost},
    )
    db.session.commit()
    flash(
        _("Thank you: your idea is in. The council will check it and say what they find."),
        "success",
    )
    return see_other(project_url(rnd, project))


@bp.route("/<slug>/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit_project(slug: str, project_id: int):
    rnd = load_round(slug)
    project = load_project(rnd, project_id)
    allow(rules.can_edit_project(subject(rnd), project, rnd, today()))
    if request.method == "GET":
        return _form_page(rnd, _project_form(rnd, project, formdata=False), project)
    form = _project_form(rnd, project)
    valid, picture = _check_project_form(rnd, form, project.pot)
    if not valid:
        return _form_page(rnd, form, project, status=422)
    for name in EDITABLE_FIELDS:
        setattr(project, name, getattr(form, name).data or None)
    project.title = form.title.data
    project.cost = form.cost_amount()
    removed = _pictures_to_remove(project)
    for image in removed:
        db.session.delete(image)
    _add_picture(project, picture, form.image_alt.data or "", viewer())
    record(
        "budgeting.project_changed",
        f"Changed a project: {project.title}",
        project,
        space=rnd.space,
        visibility="space",
        detail={"pictures_removed": [image.id for image in removed]} if removed else None,
    )
    db.session.commit()
    flash(_("Your changes are saved."), "success")
    return see_other(project_url(rnd, project))


@bp.post("/<slug>/projects/<int:project_id>/withdraw")
@login_required
def withdraw_project(slug: str, project_id: int):
    rnd = load_round(slug)
    project = load_project(rnd, project_id)
    allow(rules.can_withdraw_project(subject(rnd), project, rnd))
    if not WithdrawForm().validate_on_submit():
        abort(400)
    project.status = "withdrawn"
    close_open_offers(project)
    record(
        "budgeting.project_withdrawn",
        f"Withdrew a project: {project.title}",
        project,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("Your idea is withdrawn. It stays on the list, marked as withdrawn."), "success")
    return see_other(project_url(rnd, project))


def close_open_offers(project: BudgetProject) -> None:
    """A project that leaves (withdrawn, or joined into another) closes its open offers."""
    for offer in db.session.scalars(
        select(ProjectOffer).where(
            ProjectOffer.status == "open",
            or_(
                ProjectOffer.from_project_id == project.id,
                ProjectOffer.to_project_id == project.id,
            ),
        )
    ):
        offer.status = "withdrawn"
        offer.answered_at = utcnow()


# --- the project page ------------------------------------------------------------------------


def _page_context(rnd: GrantRound, project: BudgetProject, **forms) -> dict:
    person, acting, now = viewer(), subject(rnd), today()
    may_moderate = rules.can_hide_comment(person, rnd)
    comments = list(
        db.session.scalars(
            select(ProjectComment)
            .where(ProjectComment.project_id == project.id)
            .order_by(ProjectComment.created_at, ProjectComment.id)
        )
    )
    offers = list(
        db.session.scalars(
            select(ProjectOffer)
            .where(
                or_(
                    ProjectOffer.from_project_id == project.id,
                    ProjectOffer.to_project_id == project.id,
                )
            )
            .order_by(ProjectOffer.created_at, ProjectOffer.id)
        )
    )
    targets = [p for p in project.pot.projects if rules.can_offer(acting, project, p, rnd)]
    pending = {
        o.to_project_id if o.from_project_id == project.id else o.from_project_id
        for o in offers
        if o.status == "open"
    }
    targets = [p for p in targets if p.id not in pending]
    offer_form = forms.get("offer_form") or OfferForm(formdata=None)
    offer_form.to_project_id.choices = choices(
        [(None, _("Choose a project"))] + [(p.id, p.title) for p in targets]
    )
    feasibility_form = forms.get("feasibility_form") or FeasibilityForm(
        formdata=None,
        data={
            "verdict": project.status if project.status in ("feasible", "not_feasible") else None,
            "reason": project.feasibility_reason,
            "cost_note": project.cost_note,
        },
    )
    merged_in = list(
        db.session.scalars(select(BudgetProject).where(BudgetProject.merged_into_id == project.id))
    )
    return {
        "project": project,
        "pot": project.pot,
        "merged_into": db.session.get(BudgetProject, project.merged_into_id)
        if project.merged_into_id
        else None,
        "merged_in": merged_in,
        "partners": _partners([project.id]).get(project.id, []),
        "comments": comments,
        "may_see_words": {c.id: rules.sees_comment_words(person, c, rnd) for c in comments},
        "may_moderate": may_moderate,
        "may_comment": rules.can_comment(acting, rnd),
        "comment_form": forms.get("comment_form") or CommentForm(formdata=None),
        "hide_forms": {
            c.id: (forms.get("hide_forms") or {}).get(c.id)
            or HideCommentForm(formdata=None, prefix=f"hide{c.id}")
            for c in comments
        },
        "may_edit": rules.can_edit_project(acting, project, rnd, now),
        "may_withdraw": rules.can_withdraw_project(acting, project, rnd),
        "withdraw_form": WithdrawForm(formdata=None),
        "may_check": rules.can_mark_feasibility(person, rnd) and project.status in CHECKABLE,
        "feasibility_form": feasibility_form,
        "may_reply": rules.can_reply_to_verdict(acting, project, rnd),
        "reply_form": forms.get("reply_form")
        or ReplyForm(formdata=None, data={"reply": project.author_reply}),
        "offers": offers,
        "may_answer": {
            o.id: o.to_project_id == project.id and rules.can_answer_offer(acting, o, project, rnd)
            for o in offers
        },
        "may_withdraw_offer": {
            o.id: o.from_project_id == project.id and rules.can_withdraw_offer(acting, o)
            for o in offers
        },
        "answer_forms": {
            o.id: (forms.get("answer_forms") or {}).get(o.id)
            or AnswerOfferForm(formdata=None, prefix=f"offer{o.id}")
            for o in offers
        },
        "withdraw_offer_form": WithdrawOfferForm(formdata=None),
        "offer_targets": targets,
        "offer_form": offer_form,
        "OFFER_STATUSES": OFFER_STATUSES,
    }


OFFER_STATUSES = {
    "open": N_("Waiting for an answer"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
}


def show_project(rnd: GrantRound, project: BudgetProject, status: int = 200, **forms):
    return render(
        "budgeting/project.html",
        rnd,
        status=status,
        tab="projects",
        **_page_context(rnd, project, **forms),
    )


def _block(rnd: GrantRound, project: BudgetProject, block: str, status: int = 200, **forms):
    """One part of the project page, for htmx to swap in place."""
    return render_round_block(
        "budgeting/project.html",
        rnd,
        block,
        status,
        tab="projects",
        **_page_context(rnd, project, **forms),
    )


def answer(rnd, project, block: str, anchor: str, status: int = 200, **forms):
    """After a comment or reply: htmx gets the part again, in place; a plain form gets the
    whole page (422 with the form as typed) or goes back to it (303)."""
    if is_htmx():
        return _block(rnd, project, block, status, **forms)
    if status == 422:
        return show_project(rnd, project, status=422, **forms)
    return see_other(project_url(rnd, project, anchor))


@bp.get("/<slug>/projects/<int:project_id>")
def project(slug: str, project_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    response = make_response(show_project(rnd, found))
    response.vary.add("HX-Request")
    return response


@bp.get("/<slug>/projects/<int:project_id>/images/<int:image_id>")
def project_image(slug: str, project_id: int, image_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    image = db.session.get(ProjectImage, image_id)
    if image is None or image.project_id != found.id:
        abort(404)
    response = make_response(image.data)
    response.headers["Content-Type"] = image.content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    # Pictures of a members-only round must not sit in a shared cache.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# --- the officers' check and the author's reply ----------------------------------------------


@bp.post("/<slug>/projects/<int:project_id>/feasibility")
@login_required
def feasibility(slug: str, project_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    allow(rules.can_mark_feasibility(viewer(), rnd) and found.status in CHECKABLE)
    form = FeasibilityForm()
    valid = form.validate_on_submit()
    new_cost = whole_amount(form.cost.data) if (form.cost.data or "").strip() else None
    changing = new_cost is not None and new_cost != found.cost
    note = (form.cost_note.data or "").strip()
    if changing and not note:
        form.cost_note.errors = [*form.cost_note.errors, _("Say why the cost is different.")]
        valid = False
    if not valid:
        form._errors = None
        return show_project(rnd, found, status=422, feasibility_form=form)
    before = found.cost
    if changing:
        if found.proposed_cost is None:
            found.proposed_cost = found.cost  # the author's first figure stays on show
        found.cost = new_cost
        if found.cost == found.proposed_cost:  # back to what the author said
            found.proposed_cost, found.cost_note = None, None
        else:
            found.cost_note = note
    elif note and found.proposed_cost is not None:
        found.cost_note = note
    found.status = form.verdict.data
    found.feasibility_reason = form.reason.data.strip()
    found.feasibility_by_id = viewer().id
    found.feasibility_at = utcnow()
    record(
        "budgeting.project_checked",
        f"Checked a project ({form.verdict.data}): {found.title}",
        found,
        space=rnd.space,
        visibility="space",
        detail={"verdict": form.verdict.data, "cost_before": before, "cost": found.cost},
    )
    db.session.commit()
    flash(_("Saved. The author and everyone else can see your answer and why."), "success")
    return see_other(project_url(rnd, found, "verdict"))


@bp.post("/<slug>/projects/<int:project_id>/reply")
@login_required
def reply(slug: str, project_id: int):
    rnd = load_round(slug)
    found = load_project(rnd, project_id)
    allow(rules.can_reply_to_verdict(subject(rnd), found, rnd))
    form = ReplyForm()
    if not form.validate_on_submit():
        return answer(rnd, found, "verdict", "verdict", status=422, reply_form=form)
    found.author_reply = form.reply.data.strip()
    record(
        "budgeting.project_reply",
        f"Replied to the council's check: {found.title}",
        found,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    if not is_htmx():
        flash(_("Your reply is saved."), "success")
    return answer(rnd, found, "verdict", "verdict")
