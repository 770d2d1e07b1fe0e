"""Paper ballots: batches typed in by one person and checked by a second before they count;
a spoilt ballot cannot be entered, and each printed ballot number is entered once per pot.

Every decision asks ``budgeting.rules``; a ballot is saved by ``budgeting.ballots``, as online
and assisted votes are.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from participate.accounts.models import Person
from participate.audit import record
from participate.budgeting import ballots, counting, rules, voting
from participate.budgeting.forms.voting import (
    ActionForm,
    NewBatchForm,
    PaperBallotForm,
    ReturnBatchForm,
    typed_points,
)
from participate.budgeting.models import Ballot, GrantRound, PaperBatch, Pot
from participate.budgeting.views import (
    allow,
    bp,
    load_pot,
    load_round,
    viewer,
)
from participate.columns import utcnow
from participate.extensions import db
from participate.web.htmx import see_other

# --- paper ballots ---------------------------------------------------------------------------


def _names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(Person.id, Person.chosen_name).where(Person.id.in_(ids)))
    return {pid: name for pid, name in rows}


def _batches(rnd: GrantRound) -> list[PaperBatch]:
    pot_ids = [p.id for p in rnd.pots]
    return list(
        db.session.scalars(
            select(PaperBatch)
            .where(PaperBatch.pot_id.in_(pot_ids))
            .order_by(PaperBatch.created_at.desc(), PaperBatch.id.desc())
        )
    )


def _new_batch_form(rnd: GrantRound) -> NewBatchForm:
    form = NewBatchForm()
    form.pot_id.choices = [(p.id, p.name) for p in rnd.pots]
    return form


def _paper_page(rnd: GrantRound, form: NewBatchForm, status: int = 200, print_form=None):
    from participate.budgeting import printing  # printed ballots: their form and history

    batches = _batches(rnd)
    names = _names([b.entered_by_id for b in batches] + [b.checked_by_id for b in batches])
    sizes = ballots.batch_sizes([b.id for b in batches])
    pots = {p.id: p for p in rnd.pots}
    return voting.ballot_page(
        "budgeting/paper.html",
        rnd,
        "batch_form",
        "batch-form",
        status,
        tab="paper",
        batches=batches,
        names=names,
        sizes=sizes,
        pots=pots,
        figures={p.id: voting.figures_text(counting.ballot_figures(p)) for p in rnd.pots},
        form=form,
        **printing.print_section(rnd, print_form),
    )


@bp.get("/<slug>/paper/")
def paper(slug: str):
    rnd = load_round(slug)
    allow(rules.can_enter_paper(viewer(), rnd))
    return _paper_page(rnd, _new_batch_form(rnd))


@bp.post("/<slug>/paper/new")
def paper_new(slug: str):
    rnd = load_round(slug)
    person = viewer()
    allow(rules.can_enter_paper(person, rnd))
    form = _new_batch_form(rnd)
    if not form.validate_on_submit():
        return _paper_page(rnd, form, 422)
    pot = load_pot(rnd, form.pot_id.data)
    batch = PaperBatch(pot_id=pot.id, entered_by_id=person.id, note=form.note.data)
    db.session.add(batch)
    db.session.flush()
    record(
        "budgeting.batch_started",
        f"Started paper batch {batch.id} for {pot.name}: {batch.note}",
        batch,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    return see_other(url_for("budgeting.paper_batch", slug=slug, batch_id=batch.id))


def _load_batch(rnd: GrantRound, batch_id: int) -> tuple[PaperBatch, Pot]:
    allow(rules.can_enter_paper(viewer(), rnd))
    batch = db.session.get(PaperBatch, batch_id)
    allow(batch is not None)
    return batch, load_pot(rnd, batch.pot_id)


def _may_edit(person, batch: PaperBatch) -> bool:
    """Only the person who typed a batch in adds or removes its ballots, until it is checked."""
    return person is not None and batch.entered_by_id == person.id and batch.checked_by_id is None


def _batch_page(rnd, batch, pot, form=None, return_form=None, status=200, **context):
    person = viewer()
    entries = ballots.batch_ballots(batch)
    titles = {p.id: p.title for p in pot.projects}
    form = form or PaperBallotForm()
    context.setdefault("choices", {})
    context.setdefault("typed", {})
    context.setdefault("point_errors", {})
    projects = counting.on_ballot(pot)
    return voting.ballot_page(
        "budgeting/paper_batch.html",
        rnd,
        "paper_form",
        "paper-form",
        status,
        tab="paper",
        batch=batch,
        pot=pot,
        projects=projects,
        entries=[
            (
                e,
                ballots.serial_of(e),
                [(titles.get(pid, "?"), n) for pid, n in ballots.chosen(e).items()],
            )
            for e in entries
        ],
        names=_names([batch.entered_by_id, batch.checked_by_id]),
        form=form,
        return_form=return_form or ReturnBatchForm(formdata=None),
        action_form=ActionForm(formdata=None),
        may_edit=_may_edit(person, batch),
        may_check=rules.can_check_batch(person, batch, rnd),
        is_enterer=person is not None and batch.entered_by_id == person.id,
        total=voting.running_total(rnd, pot, projects, context["choices"]),
        **context,
    )


@bp.route("/<slug>/paper/<int:batch_id>", methods=["GET", "POST"])
def paper_batch(slug: str, batch_id: int):
    rnd = load_round(slug)
    batch, pot = _load_batch(rnd, batch_id)
    person = viewer()
    if request.method == "GET":
        return _batch_page(rnd, batch, pot, form=PaperBallotForm(formdata=None))
    allow(_may_edit(person, batch))
    form = PaperBallotForm()
    projects = counting.on_ballot(pot)
    ids = [p.id for p in projects]
    choices, point_errors, ok = voting.read_ballot(rnd, pot, form)
    if not ok and form.form_errors and not point_errors and not form.serial.errors:
        form.form_errors.insert(
            0, _("This ballot is spoilt, so it cannot be entered: it would not count.")
        )
    if ok:
        try:
            cast = ballots.cast(
                pot,
                ballots.paper_key(form.serial.data),
                choices,
                source="paper",
                recorded_by_id=person.id,
                batch_id=batch.id,
                replace=False,
            )
        except ballots.AlreadyEntered as already:
            ok = False
            other = already.ballot.batch_id
            message = (
                _(
                    "Ballot %(serial)s is already entered in batch %(batch)s.",
                    serial=form.serial.data,
                    batch=other,
                )
                if other
                else _("Ballot %(serial)s is already entered.", serial=form.serial.data)
            )
            form.serial.errors = [*form.serial.errors, message]
            form._errors = None
    if not ok:
        return _batch_page(
            rnd,
            batch,
            pot,
            form=form,
            status=422,
            choices=choices,
            typed=typed_points(request.form, ids),
            point_errors={pid: _(m) for pid, m in point_errors.items()},
        )
    record(
        "budgeting.paper_entered",
        f"Entered paper ballot {form.serial.data} into batch {batch.id} ({pot.name})",
        cast.ballot,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("Ballot %(serial)s is entered.", serial=form.serial.data), "success")
    return see_other(url_for("budgeting.paper_batch", slug=slug, batch_id=batch.id))


@bp.post("/<slug>/paper/<int:batch_id>/remove/<int:ballot_id>")
def paper_remove(slug: str, batch_id: int, ballot_id: int):
    rnd = load_round(slug)
    batch, pot = _load_batch(rnd, batch_id)
    allow(_may_edit(viewer(), batch))
    entry = db.session.get(Ballot, ballot_id)
    allow(entry is not None and entry.batch_id == batch.id)
    serial = ballots.serial_of(entry)
    record(
        "budgeting.paper_removed",
        f"Removed paper ballot {serial} from batch {batch.id} ({pot.name})",
        batch,
        space=rnd.space,
        visibility="space",
    )
    db.session.delete(entry)
    db.session.commit()
    flash(_("Ballot %(serial)s is removed from this batch.", serial=serial), "success")
    return see_other(url_for("budgeting.paper_batch", slug=slug, batch_id=batch.id))


@bp.post("/<slug>/paper/<int:batch_id>/check")
def paper_check(slug: str, batch_id: int):
    rnd = load_round(slug)
    batch, pot = _load_batch(rnd, batch_id)
    person = viewer()
    here = url_for("budgeting.paper_batch", slug=slug, batch_id=batch.id)
    if not rules.can_check_batch(person, batch, rnd):
        if batch.entered_by_id == person.id and batch.checked_by_id is None:
            flash(_("Someone else must check this batch."), "error")
        else:
            flash(_("This batch is already checked."), "error")
        return see_other(here)
    if not ActionForm().validate_on_submit():
        flash(_("This form had expired. Please send it again."), "error")
        return see_other(here)
    batch.checked_by_id = person.id
    batch.checked_at = utcnow()
    record(
        "budgeting.batch_checked",
        f"Checked paper batch {batch.id} ({pot.name}); its ballots now count",
        batch,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("Batch %(n)s is checked. Its ballots now count.", n=batch.id), "success")
    return see_other(here)


@bp.post("/<slug>/paper/<int:batch_id>/return")
def paper_return(slug: str, batch_id: int):
    rnd = load_round(slug)
    batch, pot = _load_batch(rnd, batch_id)
    person = viewer()
    allow(rules.can_check_batch(person, batch, rnd))
    form = ReturnBatchForm()
    if not form.validate_on_submit():
        return _batch_page(rnd, batch, pot, return_form=form, status=422)
    batch.returned_note = form.note.data
    record(
        "budgeting.batch_returned",
        f"Sent paper batch {batch.id} ({pot.name}) back: {form.note.data}",
        batch,
        space=rnd.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("Batch %(n)s is sent back with your note.", n=batch.id), "success")
    return see_other(url_for("budgeting.paper", slug=slug))
