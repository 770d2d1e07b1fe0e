"""Commitments: what was promised, by which role, and what happened; the public
"you said, we did" page."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from participate.accounts.forms import choices
from participate.accounts.models import Organisation, Space
from participate.audit import record
from participate.clock import local_today
from participate.columns import utcnow
from participate.commissions import rules
from participate.commissions.forms import (
    CommitmentForm,
    CommitmentUpdateForm,
    FlagAnswerForm,
    FlagForm,
    HandOverForm,
    PublishForm,
    people_choices,
)
from participate.commissions.models import (
    Commission,
    Commitment,
    CommitmentFlag,
    CommitmentUpdate,
)
from participate.commissions.views import (
    acting_for_here,
    acting_subject,
    bp,
    load_commission,
    members,
    render,
)
from participate.extensions import db
from participate.web.htmx import see_other

# --- helpers ---------------------------------------------------------------------------------


def _load(slug: str, action: str = "view") -> Commission:
    """The commission, when both the signed-in person and whoever they act for may."""
    commission = load_commission(slug)
    if not rules.can(acting_subject(commission), action, commission):
        abort(404)
    return commission


def _commitment(commission: Commission, commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id)
    if commitment is None or commitment.commission_id != commission.id:
        abort(404)
    return commitment


def _people_choices(commission: Commission, nobody: str):
    return people_choices([m.person for m in members(commission)], nobody)


def _organisation_choices():
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    return choices([("", _("None"))] + [(o.id, o.name) for o in organisations])


def _field_problems(form, problems: dict) -> None:
    for name, message in problems.items():
        getattr(form, name).errors = [_(message)]


def _visibility(commitment: Commitment) -> str:
    return "public" if commitment.published else "space"


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# --- the list --------------------------------------------------------------------------------

FILTERS = ["overdue", *rules.COMMITMENT_STATUSES]


@bp.get("/<slug>/commitments")
@login_required
def commitments(slug: str):
    commission = _load(slug)
    subject = acting_subject(commission)
    everything = db.session.scalars(
        select(Commitment)
        .where(Commitment.commission_id == commission.id)
        .options(selectinload(Commitment.flags))
        .order_by(Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
    ).all()
    today = local_today()
    chosen = request.args.get("status", "")
    if chosen not in FILTERS:
        chosen = ""
    if chosen == "overdue":
        shown = [c for c in everything if rules.is_overdue(c, today)]
    elif chosen:
        shown = [c for c in everything if c.status == chosen]
    else:
        shown = list(everything)
    return render(
        "commissions/commitments/index.html",
        commission,
        block="commitment_list",
        commitments=shown,
        chosen=chosen,
        tally=rules.commitment_tally(everything, today),
        flags={c.id: rules.flag_summary(c.flags) for c in shown},
        overdue={c.id: rules.is_overdue(c, today) for c in shown},
        any_published=bool(rules.public_register(commission, everything)),
        may_manage=rules.can(subject, "manage", commission),
        STATUSES=rules.COMMITMENT_STATUSES,
    )


@bp.route("/<slug>/commitments/new", methods=["GET", "POST"])
@login_required
def commitment_new(slug: str):
    commission = _load(slug, "manage")
    form = CommitmentForm()
    form.owner_organisation_id.choices = _organisation_choices()
    form.owner_person_id.choices = _people_choices(commission, _("Nobody yet"))
    if form.validate_on_submit():
        commitment = Commitment(
            commission_id=commission.id,
            what=form.what.data.strip(),
            owner_role=form.owner_role.data.strip(),
            owner_organisation_id=form.owner_organisation_id.data,
            owner_person_id=form.owner_person_id.data,
            due_on=form.due_on.data,
            status="not_started",
            published=form.published.data == "yes",
            created_by_id=current_user.id,
        )
        db.session.add(commitment)
        db.session.flush()
        db.session.add(
            CommitmentUpdate(
                commitment_id=commitment.id,
                status="not_started",
                handed_to_id=commitment.owner_person_id,
                note=_("Added to the commitments."),
                by_id=current_user.id,
            )
        )
        record(
            "commitment.added",
            f"Added a commitment for {commitment.owner_role}: {_short(commitment.what)}",
            commitment,
            space=commission.space,
            visibility="space",
            detail={"published": commitment.published},
        )
        db.session.commit()
        flash(_("The commitment is added."), "success")
        return see_other(url_for("commissions.commitment", slug=slug, commitment_id=commitment.id))
    return render(
        "commissions/commitments/new.html",
        commission,
        status=422 if form.is_submitted() else 200,
        block="commitment_form" if form.is_submitted() else None,
        form=form,
    )


# --- one commitment --------------------------------------------------------------------------


def _commitment_page(
    commission: Commission,
    commitment: Commitment,
    status: int = 200,
    block: str | None = None,
    **forms,
):
    subject = acting_subject(commission)
    may_manage = rules.can(subject, "manage", commission)
    update_form = forms.get("update_form") or CommitmentUpdateForm(
        formdata=None, prefix="update", obj=commitment
    )
    hand_over_form = forms.get("hand_over_form") or HandOverForm(
        formdata=None, prefix="handover", new_holder_id=commitment.owner_person_id
    )
    if may_manage:
        hand_over_form.new_holder_id.choices = _people_choices(commission, _("Nobody for now"))
    answer_forms = {
        f.id: FlagAnswerForm(formdata=None, prefix=f"answer{f.id}")
        for f in commitment.flags
        if f.answered_at is None
    }
    answer_forms.update(forms.get("answer_forms") or {})
    history = sorted(commitment.updates, key=lambda u: (u.at, u.id), reverse=True)
    from participate.stories import uses as story_uses  # stories built on the blueprint

    return render(
        "commissions/commitments/show.html",
        commission,
        status=status,
        block=block,
        commitment=commitment,
        history=history,
        subject=subject,
        overdue=rules.is_overdue(commitment, local_today()),
        may_manage=may_manage,
        may_update=rules.can_update_commitment(subject, commitment, commission),
        may_flag=rules.can(subject, "flag_commitment", commission),
        update_form=update_form,
        hand_over_form=hand_over_form,
        flag_form=forms.get("flag_form") or FlagForm(formdata=None, prefix="flag"),
        answer_forms=answer_forms,
        publish_form=PublishForm(formdata=None),
        STATUSES=rules.COMMITMENT_STATUSES,
        stories_behind=story_uses.stories_behind(
            "commitment", commitment.id, commission, current_user._get_current_object()
        ),
    )


@bp.get("/<slug>/commitments/<int:commitment_id>")
@login_required
def commitment(slug: str, commitment_id: int):
    commission = _load(slug)
    return _commitment_page(commission, _commitment(commission, commitment_id))


@bp.post("/<slug>/commitments/<int:commitment_id>/update")
@login_required
def commitment_update(slug: str, commitment_id: int):
    """The facilitators or the person holding it say where it has got to."""
    commission = _load(slug)
    commitment = _commitment(commission, commitment_id)
    if not rules.can_update_commitment(acting_subject(commission), commitment, commission):
        abort(404)
    form = CommitmentUpdateForm(prefix="update")
    if form.validate_on_submit():
        _field_problems(
            form,
            rules.check_commitment_update(
                commitment.status,
                commitment.evidence,
                form.status.data,
                form.evidence.data,
                form.note.data,
            ),
        )
    if not form.is_submitted() or form.errors:
        return _commitment_page(commission, commitment, 422, block="update_form", update_form=form)
    before, after = commitment.status, form.status.data
    evidence = (form.evidence.data or "").strip() or None
    evidence_changed = evidence != ((commitment.evidence or "").strip() or None)
    commitment.status, commitment.evidence = after, evidence
    commitment.updated_at = utcnow()
    acting = acting_for_here(commission)
    db.session.add(
        CommitmentUpdate(
            commitment_id=commitment.id,
            status=after if after != before else None,
            evidence=evidence if evidence_changed else None,
            note=(form.note.data or "").strip() or None,
            by_id=current_user.id,
            on_behalf_of_id=acting.id if acting is not None else None,
        )
    )
    record(
        "commitment.updated",
        f"Updated a commitment ({commitment.owner_role})"
        + (f": {before} → {after}" if after != before else ""),
        commitment,
        space=commission.space,
        # Status changes of published commitments are public, like the page that shows them.
        visibility=_visibility(commitment) if after != before else "space",
        detail={"from": before, "to": after, "evidence_changed": evidence_changed},
    )
    db.session.commit()
    flash(_("The update is saved."), "success")
    return see_other(url_for("commissions.commitment", slug=slug, commitment_id=commitment.id))


@bp.post("/<slug>/commitments/<int:commitment_id>/hand-over")
@login_required
def commitment_hand_over(slug: str, commitment_id: int):
    """Someone moves on: the role stays, a new person holds it."""
    commission = _load(slug, "manage")
    commitment = _commitment(commission, commitment_id)
    form = HandOverForm(prefix="handover")
    form.new_holder_id.choices = _people_choices(commission, _("Nobody for now"))
    if form.validate_on_submit():
        problem = rules.check_hand_over(
            commitment.owner_person_id,
            form.new_holder_id.data,
            [p.id for p in [m.person for m in members(commission)]],
        )
        if problem:
            form.new_holder_id.errors = [_(problem)]
    if not form.is_submitted() or form.errors:
        return _commitment_page(
            commission, commitment, 422, block="hand_over_form", hand_over_form=form
        )
    before = commitment.owner_person
    commitment.owner_person_id = form.new_holder_id.data
    commitment.updated_at = utcnow()
    db.session.add(
        CommitmentUpdate(
            commitment_id=commitment.id,
            handed_from_id=before.id if before is not None else None,
            handed_to_id=commitment.owner_person_id,
            note=(form.note.data or "").strip() or None,
            by_id=current_user.id,
        )
    )
    db.session.flush()
    db.session.refresh(commitment)
    after = commitment.owner_person
    record(
        "commitment.handed_over",
        f"Handed over a commitment ({commitment.owner_role}) from "
        f"{before.chosen_name if before else 'nobody'} to "
        f"{after.chosen_name if after else 'nobody'}",
        commitment,
        space=commission.space,
        visibility="space",
        detail={"from": before.id if before else None, "to": after.id if after else None},
    )
    db.session.commit()
    flash(_("The commitment is handed over."), "success")
    return see_other(url_for("commissions.commitment", slug=slug, commitment_id=commitment.id))


@bp.post("/<slug>/commitments/<int:commitment_id>/flag")
@login_required
def commitment_flag(slug: str, commitment_id: int):
    """A community commissioner says: this hasn't happened."""
    commission = _load(slug, "flag_commitment")
    commitment = _commitment(commission, commitment_id)
    form = FlagForm(prefix="flag")
    if not form.validate_on_submit():
        return _commitment_page(commission, commitment, 422, block="flag_form", flag_form=form)
    flag = CommitmentFlag(
        commitment_id=commitment.id,
        person_id=acting_subject(commission).id,
        note=(form.note.data or "").strip() or None,
    )
    db.session.add(flag)
    db.session.flush()
    record(
        "commitment.flagged",
        f"Said this hasn't happened: {_short(commitment.what)}",
        commitment,
        space=commission.space,
        visibility="space",
        detail={"flag": flag.id},
    )
    db.session.commit()
    flash(_("Thank you. The facilitators will see this and answer you."), "success")
    return see_other(url_for("commissions.commitment", slug=slug, commitment_id=commitment.id))


@bp.post("/<slug>/commitments/<int:commitment_id>/flags/<int:flag_id>/answer")
@login_required
def commitment_answer(slug: str, commitment_id: int, flag_id: int):
    commission = _load(slug, "manage")
    commitment = _commitment(commission, commitment_id)
    flag = db.session.get(CommitmentFlag, flag_id)
    if flag is None or flag.commitment_id != commitment.id or flag.answered_at is not None:
        abort(404)
    form = FlagAnswerForm(prefix=f"answer{flag.id}")
    if not form.validate_on_submit():
        return _commitment_page(
            commission, commitment, 422, block="flags", answer_forms={flag.id: form}
        )
    flag.answer = form.answer.data.strip()
    flag.answered_by_id = current_user.id
    flag.answered_at = utcnow()
    record(
        "commitment.flag_answered",
        f"Answered a 'this hasn't happened' on: {_short(commitment.what)}",
        commitment,
        space=commission.space,
        visibility="space",
        detail={"flag": flag.id},
    )
    db.session.commit()
    flash(_("Your answer is saved."), "success")
    return see_other(url_for("commissions.commitment", slug=slug, commitment_id=commitment.id))


@bp.post("/<slug>/commitments/<int:commitment_id>/publish")
@login_required
def commitment_publish(slug: str, commitment_id: int):
    """Show it on the public page once the commission agrees, or take it off again."""
    commission = _load(slug, "manage")
    commitment = _commitment(commission, commitment_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    published = form.published.data == "yes"
    if published != commitment.published:
        commitment.published = published
        record(
            "commitment.published" if published else "commitment.unpublished",
            (
                "Showed a commitment on the public page"
                if published
                else "Took a commitment off the public page"
            )
            + f" ({commitment.owner_role})",
            commitment,
            space=commission.space,
            visibility="public" if published else "space",
        )
        db.session.commit()
        flash(
            _("It is on the public page now.")
            if published
            else _("It is off the public page now."),
            "success",
        )
    return see_other(url_for("commissions.commitment", slug=slug, commitment_id=commitment.id))


# --- the public page -------------------------------------------------------------------------


def public_register(commission: Commission) -> list[Commitment]:
    """The commitments on the commission's "you said, we did" page (and in its open data):
    the published ones, soonest due first, as ``rules.public_register`` lets them out."""
    return rules.public_register(
        commission,
        db.session.scalars(
            select(Commitment)
            .where(Commitment.commission_id == commission.id, Commitment.published.is_(True))
            .options(selectinload(Commitment.flags))
            .order_by(Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
        ).all(),
    )


@bp.get("/<slug>/you-said-we-did")
def public_commitments(slug: str):
    """'You said, we did': only what the commission agreed to publish. No sign-in, and no
    names of community commissioners."""
    commission = db.session.scalar(
        select(Commission).join(Commission.space).where(Space.slug == slug)
    )
    if commission is None:
        abort(404)
    shown = public_register(commission)
    if not shown:
        abort(404)
    today = local_today()
    return render_template(
        "commissions/commitments/public.html",
        commission=commission,
        commitments=shown,
        tally=rules.commitment_tally(shown, today),
        flags={c.id: rules.flag_summary(c.flags) for c in shown},
        overdue={c.id: rules.is_overdue(c, today) for c in shown},
        STATUSES=rules.COMMITMENT_STATUSES,
    )
