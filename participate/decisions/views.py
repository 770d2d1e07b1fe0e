"""Proposal pages: the circle's list, making a proposal, the rounds, answers, objections,
amendments, paper cards, the decision record and its review.

Every step asks ``decisions.rules``; ``decisions.steps`` does it. A person who may not know a
circle or a proposal exists gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from flask import Blueprint, abort, flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from participate.accounts.models import Person, Space
from participate.audit import record
from participate.clock import local_today, place_zone
from participate.commissions import rules as commission_rules
from participate.commissions.forms import people_choices
from participate.decisions import rules, steps
from participate.decisions.forms import (
    AmendForm,
    AnswerForm,
    CardsForm,
    ConsentForm,
    IntegrationNoteForm,
    ObjectionForm,
    OpenEarlyForm,
    ProposalForm,
    PublishForm,
    QuestionForm,
    ReactionForm,
    StepForm,
)
from participate.decisions.models import Objection, Proposal, Question
from participate.decisions.steps import Circle
from participate.extensions import db
from participate.text import N_
from participate.web.home import TASK_PROVIDERS, Task
from participate.web.htmx import form_errors, is_htmx, see_other

bp = Blueprint("decisions", __name__, url_prefix="/decide")

VERSION_FIELDS = ("driver", "text", "red_lines", "review_on")
STOP_POLLING = 286  # htmx stops polling an element when its answer has this status


# --- loading ---------------------------------------------------------------------------------


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def load_circle(slug: str) -> Circle:
    """The circle, or 404 for anyone who isn't in it (or may not see its commission now)."""
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or space.kind not in rules.DECIDING_ROLES:
        abort(404)
    circle = steps.circle_for(space)
    person = viewer()
    if not rules.can_view(person, circle):
        abort(404)
    if circle.commission is not None and (
        commission_rules.access(person, circle.commission) != "full"
    ):
        abort(404)
    return circle


def load_proposal(circle: Circle, proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.space_id != circle.space_id:
        abort(404)
    return proposal


def subject(circle: Circle):
    """Whose answers these are: the member a facilitator is acting for here, or the viewer."""
    acting, space = g.get("acting_for"), g.get("acting_in")
    if acting is not None and space is not None and space.id == circle.space_id:
        return acting
    return viewer()


def render(template: str, circle: Circle, status: int = 200, **context):
    """A decisions page, inside its commission's navigation when the circle is one."""
    context.update(circle=circle, space=circle.space, STATES=rules.STATES)
    if circle.commission is not None:
        from participate.commissions.views import render as commission_render

        return commission_render(
            template,
            circle.commission,
            status=status,
            layout="commissions/_layout.html",
            **context,
        )
    return render_template(template, layout="decisions/_space_layout.html", **context), status


def _proposal_url(circle: Circle, proposal: Proposal, anchor: str = "") -> str:
    url = url_for("decisions.show", slug=circle.space.slug, proposal_id=proposal.id)
    return f"{url}#{anchor}" if anchor else url


def _end_of(day) -> datetime | None:
    """The end of a day at the place, as the moment answers close."""
    if day is None:
        return None
    return datetime.combine(day, time(23, 59), place_zone())


def _deciders_choices(circle: Circle, first: str) -> list:
    return people_choices(steps.deciders(circle), first)


def _who(form, circle: Circle):
    """Whose answer a form is: a member chosen by a facilitator in the room, the person acted
    for (assisted mode), or the viewer. Returns (member, recorded_by) or 404."""
    person, acting = viewer(), subject(circle)
    chosen = getattr(form, "for_person", None)
    if chosen is not None and chosen.data:
        member = db.session.get(Person, chosen.data)
        if member is None or not rules.can_record_for(person, member, circle):
            abort(404)
        return member, person
    if acting.id != person.id:
        return acting, person
    return person, None


def _recording(circle: Circle) -> bool:
    """A facilitator writing down, in the room, what members say (not acting for one)."""
    person = viewer()
    return rules.is_facilitator(person, circle) and subject(circle).id == person.id


def _record_choices(circle: Circle, done=frozenset()) -> list:
    """Whose question, reaction or answer a facilitator is writing down (leaving out the
    people in ``done``, who have been heard or have answered)."""
    own = _("My own") if rules.decides(viewer(), circle) else _("Choose someone")
    return people_choices([p for p in steps.deciders(circle) if p.id not in done], own)


@dataclass
class _Turn:
    """Someone's question, reaction or consent answer as sent: the round it is for, whose it
    is (a member a facilitator chose, the member acted for, or the viewer), who wrote it down,
    and whether the form is fine so far."""

    rnd: object
    is_open: bool
    member: Person
    recorded_by: Person | None
    valid: bool
    unchosen: bool  # a facilitator sent it without choosing whose it is (the field says so)


def _turn(circle: Circle, proposal: Proposal, kind: str, form, message: str) -> _Turn:
    form.for_person.choices = _record_choices(circle)
    rnd = steps.current_round(proposal, kind)
    is_open = steps.round_open(rnd)
    valid = form.validate_on_submit()
    member, recorded_by = _who(form, circle)
    unchosen = recorded_by is None and _recording(circle) and not rules.decides(member, circle)
    if unchosen:
        form.for_person.errors = [*form.for_person.errors, message]
    if (
        rnd is not None
        and unchosen
        and not rules.can_record_in_round(viewer(), circle, proposal, kind, is_open)
    ):
        abort(404)
    return _Turn(rnd, is_open, member, recorded_by, valid and not unchosen, unchosen)


# --- the list --------------------------------------------------------------------------------


@bp.get("/<slug>/")
@login_required
def index(slug: str):
    circle = load_circle(slug)
    today = local_today()
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.space_id == circle.space_id)
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    ).all()
    reviews = {}
    for p in proposals:
        if p.state == "adopted":
            decision = steps.latest_decision(p)
            reviews[p.id] = steps.current_review_on(decision) if decision else None
    return render(
        "decisions/index.html",
        circle,
        in_progress=[p for p in proposals if p.state in rules.OPEN_STATES],
        agreed=[p for p in proposals if p.state == "adopted"],
        closed=[p for p in proposals if p.state in ("withdrawn", "ended")],
        reviews=reviews,
        today=today,
        may_propose=rules.can_propose(subject(circle), circle),
        unlocked=rules.unlocked(circle),
        may_open_early=circle.commission is not None
        and not rules.unlocked(circle)
        and rules.is_facilitator(viewer(), circle),
        open_form=OpenEarlyForm(),
    )


@bp.post("/<slug>/open-early")
@login_required
def open_early(slug: str):
    """A facilitator records that the community commissioners agreed to open proposals
    before the action phase."""
    circle = load_circle(slug)
    if circle.commission is None or not rules.is_facilitator(viewer(), circle):
        abort(404)
    form = OpenEarlyForm()
    if not form.validate_on_submit():
        flash(_("Say when and how they agreed."), "error")
        return see_other(url_for("decisions.index", slug=slug))
    circle.commission.proposals_opened_on = local_today()
    circle.commission.proposals_opened_note = form.note.data.strip()
    record(
        "commission.proposals_opened",
        "Opened proposals before the action phase, as the community commissioners agreed",
        circle.commission,
        space=circle.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("Proposals are open."), "success")
    return see_other(url_for("decisions.index", slug=slug))


# --- a new proposal --------------------------------------------------------------------------


@bp.route("/<slug>/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    circle = load_circle(slug)
    person, acting, today = viewer(), subject(circle), local_today()
    if not rules.can_propose(acting, circle):
        abort(404)
    form = ProposalForm()
    recording = rules.is_facilitator(person, circle) and acting.id == person.id
    form.proposer_id.choices = (
        _deciders_choices(circle, _("It is my own proposal"))
        if recording
        else people_choices([], _("It is my own proposal"))
    )
    if request.method == "GET":
        return render("decisions/form.html", circle, form=form, proposal=None)
    valid = form.validate_on_submit()
    if form.review_on.data is not None and form.review_on.data <= today:
        form.review_on.errors = [*form.review_on.errors, _("Choose a date after today.")]
        valid = False
    if not valid:
        return _form_errors("decisions/form.html", circle, form=form, proposal=None)
    proposer = acting
    if form.proposer_id.data:
        proposer = db.session.get(Person, form.proposer_id.data)
        if proposer is None or not recording or not rules.decides(proposer, circle):
            abort(404)
    proposal = steps.propose(
        circle,
        proposer,
        person,
        form.title.data,
        **{name: _clean(getattr(form, name).data) for name in VERSION_FIELDS},
    )
    proposal.quorum_percent = form.quorum_percent.data
    proposal.hide_results = bool(form.hide_results.data)
    db.session.commit()
    flash(_("The proposal is saved. A facilitator opens the questions round."), "success")
    return see_other(_proposal_url(circle, proposal))


def _clean(value):
    return (value.strip() or None) if isinstance(value, str) else value


def _form_errors(template: str, circle: Circle, **context):
    if is_htmx():
        context.update(circle=circle, space=circle.space, STATES=rules.STATES)
        if circle.commission is not None:
            from participate.commissions.views import render as commission_render

            return commission_render(
                template,
                circle.commission,
                status=422,
                block="proposal_form",
                layout="commissions/_layout.html",
                **context,
            )
        return form_errors(
            template,
            "proposal_form",
            "proposal-form",
            layout="decisions/_space_layout.html",
            **context,
        )
    return render(template, circle, status=422, **context)


# --- the proposal page -----------------------------------------------------------------------


def _page_context(circle: Circle, proposal: Proposal, **forms):
    person, acting, today = viewer(), subject(circle), local_today()
    rnd = proposal.current_round
    is_open = steps.round_open(rnd)
    deciders = steps.deciders(circle, proposal)
    facilitating = rules.is_facilitator(person, circle)
    mine = None
    reacted = set()
    answered = {}
    if rnd is not None:
        reacted = {r.person_id for r in rnd.reactions}
        answered = {r.person_id: r for r in rnd.responses}
        mine = answered.get(acting.id)
    situation = steps.situation(proposal, circle, today)
    everyone = bool(deciders) and all(p.id in answered for p in deciders)
    order = []
    if rnd is not None and rnd.kind == "reaction":
        by_id = {p.id: p for p in deciders}
        ids = [pid for pid in (rnd.speaking_order or []) if pid in by_id]
        ids += [p.id for p in deciders if p.id not in ids]
        order = [by_id[pid] for pid in ids]
    recording = _recording(circle)
    not_yet = {  # whose turn a facilitator may still write down, in each form
        "question_form": _record_choices(circle) if recording else [],
        "reaction_form": _record_choices(circle, reacted) if recording else [],
        "consent_form": _record_choices(circle, set(answered)) if recording else [],
    }
    forms.setdefault("question_form", QuestionForm())
    forms.setdefault("reaction_form", ReactionForm())
    forms.setdefault("consent_form", ConsentForm())
    for name, choices in not_yet.items():
        forms[name].for_person.choices = choices or people_choices([], _("My own"))
    # The first choice is "Choose someone": more than one means someone is left to record.
    may_record = {
        name: len(choices) > 1
        and rules.can_record_in_round(person, circle, proposal, kind, is_open)
        for (name, choices), kind in zip(
            not_yet.items(), ("clarifying", "reaction", "consent"), strict=True
        )
    }
    visible = rules.results_visible(person, circle, proposal.hide_results, everyone)
    hidden_round = (
        rnd.id if rnd is not None and proposal.state == "consent" and not visible else None
    )
    objections = [o for o in proposal.objections if rules.sees_objection(acting, o, hidden_round)]
    decision = steps.latest_decision(proposal)
    return dict(
        proposal=proposal,
        version=proposal.version,
        rnd=rnd,
        round_open=is_open,
        deciders=deciders,
        order=order,
        reacted=reacted,
        answered=answered,
        everyone_answered=everyone,
        results_visible=visible,
        situation=situation,
        quorum_met=rules.quorum_met(proposal, situation),
        quorum_needed=rules.quorum_needed(proposal, situation.members),
        steps_here=rules.next_steps(person, circle, proposal, situation),
        facilitating=facilitating,
        recording=recording,
        may_ask=rules.can_ask(acting, circle, proposal, is_open) or may_record["question_form"],
        may_answer_questions=rules.can_answer_question(acting, circle, proposal),
        may_react=rules.can_react(acting, circle, proposal, is_open, acting.id in reacted)
        or may_record["reaction_form"],
        may_respond=rules.can_respond(
            acting, circle, proposal, is_open, mine is not None, steps.stepped_out(proposal)
        )
        or may_record["consent_form"],
        may_amend=rules.can_amend(acting, circle, proposal),
        mine=mine,
        acting=acting,
        objections=objections,
        may_close={o.id: rules.can_resolve(acting, o) for o in objections},
        may_note={
            o.id: rules.can_note_objection(person, acting, circle, proposal, o) for o in objections
        },
        decision=decision,
        review_on=steps.current_review_on(decision) if decision else None,
        today=today,
        step_form=StepForm(),
        answer_form=AnswerForm(),
        objection_form=ObjectionForm(),
        note_form=IntegrationNoteForm(),
        publish_form=PublishForm(published=proposal.published),
        INTEGRATION_PROMPTS=rules.INTEGRATION_PROMPTS,
        REASON_NEEDED=rules.REQUIREMENTS["reason"][1],
        ANSWERS=rules.ANSWERS,
        OBJECTION_STATUSES=rules.OBJECTION_STATUSES,
        **forms,
    )


def _stories(circle: Circle, kind: str, target_id: int) -> dict:
    """In a commission: the stories behind this and the quotes in it, each through its
    teller's consent now (stories.uses asks stories.rules)."""
    if circle.commission is None:
        return {"story_quotes": [], "stories_behind": []}
    from participate.stories import uses

    person = viewer()
    return {
        "story_quotes": uses.quotes_in(kind, target_id, circle.commission, person)
        if kind == "proposal"
        else [],
        "stories_behind": uses.stories_behind(kind, target_id, circle.commission, person),
    }


@bp.get("/<slug>/<int:proposal_id>")
@login_required
def show(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    return render(
        "decisions/show.html",
        circle,
        **_page_context(circle, proposal),
        **_stories(circle, "proposal", proposal.id),
    )


@bp.get("/<slug>/<int:proposal_id>/progress")
def progress(slug: str, proposal_id: int):
    """The round's progress, for everyone in the room: htmx asks every few seconds. Signed
    out meanwhile: an empty answer with htmx's "stop polling" status, not a sign-in page."""
    if not current_user.is_authenticated:
        return "", STOP_POLLING
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    context = _page_context(circle, proposal)
    rnd = proposal.current_round
    seen_round = request.args.get("round", type=int)
    seen_state = request.args.get("state")
    moved_on = (seen_round is not None and (rnd is None or rnd.id != seen_round)) or (
        seen_state is not None and seen_state != proposal.state
    )
    context.update(circle=circle, space=circle.space, STATES=rules.STATES, moved_on=moved_on)
    return render_template("decisions/_progress.html", **context)


def _again(circle: Circle, proposal: Proposal, form_name: str, form, anchor: str):
    """A form on the proposal page that didn't validate: the page again, with the form as
    it was typed and its messages (422)."""
    if is_htmx():
        return see_other(_proposal_url(circle, proposal, anchor))
    context = _page_context(circle, proposal, **{form_name: form})
    context.update(_stories(circle, "proposal", proposal.id))
    return render("decisions/show.html", circle, status=422, **context)


# --- moving it on ----------------------------------------------------------------------------


@bp.post("/<slug>/<int:proposal_id>/step")
@login_required
def step(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    person, today = viewer(), local_today()
    form = StepForm()
    if not form.validate_on_submit() or form.action.data not in rules.TRANSITIONS:
        abort(400)
    action = form.action.data
    verdict = rules.check(
        action, person, circle, proposal, steps.situation(proposal, circle, today)
    )
    if not verdict and not verdict.reasons:
        abort(404)  # not theirs to take, or not from here
    if action == "keep" and (form.next_review_on.data is None or form.next_review_on.data <= today):
        flash(_("Choose the next review date, after today."), "error")
        return see_other(_proposal_url(circle, proposal, "steps"))
    done = steps.take(
        action,
        proposal,
        person,
        circle,
        today,
        reason=form.reason.data or "",
        closes_at=_end_of(form.closes_on.data),
        order=_chosen_order(circle),
        next_review_on=form.next_review_on.data,
    )
    if not done:
        for reason in done.reasons:
            flash(_(reason), "error")
        return see_other(_proposal_url(circle, proposal, "steps"))
    db.session.commit()
    flash(_("Done: %(state)s.", state=_(rules.STATES[proposal.state])), "success")
    return see_other(_proposal_url(circle, proposal))


def _chosen_order(circle: Circle) -> list[int] | None:
    """The speaking order a facilitator numbered (``order-<person id>`` fields), or None for
    a random one. Numbers that aren't whole numbers are ignored."""
    numbered = []
    for person in steps.deciders(circle):
        value = request.form.get(f"order-{person.id}", "").strip()
        if value.isdigit():
            numbered.append((int(value), person.chosen_name, person.id))
    return [pid for _n, _name, pid in sorted(numbered)] or None


# --- questions -------------------------------------------------------------------------------


@bp.post("/<slug>/<int:proposal_id>/questions")
@login_required
def ask(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    form = QuestionForm()
    turn = _turn(circle, proposal, "clarifying", form, _("Choose who asked it."))
    member, recorded_by = turn.member, turn.recorded_by
    if turn.rnd is None or not (
        turn.unchosen or rules.can_ask(member, circle, proposal, turn.is_open)
    ):
        abort(404)
    if not turn.valid:
        return _again(circle, proposal, "question_form", form, "questions")
    steps.ask(turn.rnd, member, form.text.data.strip(), recorded_by)
    db.session.commit()
    flash(
        _("%(name)s's question is asked.", name=member.chosen_name)
        if recorded_by is not None
        else _("Your question is asked."),
        "success",
    )
    return see_other(_proposal_url(circle, proposal, "questions"))


@bp.post("/<slug>/<int:proposal_id>/questions/<int:question_id>")
@login_required
def answer(slug: str, proposal_id: int, question_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    question = db.session.get(Question, question_id)
    rnd = steps.current_round(proposal, "clarifying")
    if question is None or rnd is None or question.round_id != rnd.id:
        abort(404)
    if not rules.can_answer_question(subject(circle), circle, proposal):
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Write the answer."), "error")
        return see_other(_proposal_url(circle, proposal, f"question-{question.id}"))
    steps.answer_question(question, viewer(), form.answer.data.strip())
    db.session.commit()
    return see_other(_proposal_url(circle, proposal, f"question-{question.id}"))


# --- reactions -------------------------------------------------------------------------------


@bp.post("/<slug>/<int:proposal_id>/reactions")
@login_required
def react(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    form = ReactionForm()
    turn = _turn(circle, proposal, "reaction", form, _("Choose whose reaction it is."))
    rnd, member, recorded_by = turn.rnd, turn.member, turn.recorded_by
    already = rnd is not None and any(r.person_id == member.id for r in rnd.reactions)
    if rnd is None or not (
        turn.unchosen or rules.can_react(member, circle, proposal, turn.is_open, already)
    ):
        if already:
            flash(
                _("%(name)s has already been heard in this round.", name=member.chosen_name),
                "error",
            )
            return see_other(_proposal_url(circle, proposal, "reactions"))
        abort(404)
    if not turn.valid:
        return _again(circle, proposal, "reaction_form", form, "reactions")
    try:
        steps.react(rnd, member, form.text.data.strip(), recorded_by)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # sent twice at once: the first one counts
    flash(
        _("%(name)s has been heard.", name=member.chosen_name)
        if recorded_by is not None
        else _("Thank you: you have been heard."),
        "success",
    )
    return see_other(_proposal_url(circle, proposal, "reactions"))


# --- consent ---------------------------------------------------------------------------------


@bp.post("/<slug>/<int:proposal_id>/answers")
@login_required
def respond(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    form = ConsentForm()
    turn = _turn(circle, proposal, "consent", form, _("Choose whose answer it is."))
    rnd, member, recorded_by = turn.rnd, turn.member, turn.recorded_by
    already = rnd is not None and any(r.person_id == member.id for r in rnd.responses)
    if rnd is None or not (
        turn.unchosen
        or rules.can_respond(
            member, circle, proposal, turn.is_open, already, steps.stepped_out(proposal)
        )
    ):
        if already or (rnd is not None and not turn.is_open):
            flash(
                _("%(name)s has already answered in this round.", name=member.chosen_name)
                if already
                else _("This round has closed: answers are no longer taken."),
                "error",
            )
            return see_other(_proposal_url(circle, proposal, "consent"))
        abort(404)
    problems = rules.response_problems(form.answer.data or "", form.reason.data or "")
    if turn.valid and problems:
        form.reason.errors = [*form.reason.errors, *(_(p) for p in problems)]
    if not turn.valid or problems:
        return _again(circle, proposal, "consent_form", form, "consent")
    try:
        steps.respond(
            proposal,
            rnd,
            member,
            form.answer.data,
            form.reason.data or "",
            paramount=bool(form.paramount.data),
            name_in_public=bool(form.name_in_public.data),
            source="assisted" if recorded_by is not None else "online",
            recorded_by=recorded_by,
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_("%(name)s has already answered in this round.", name=member.chosen_name), "error")
        return see_other(_proposal_url(circle, proposal, "consent"))
    flash(
        _("%(name)s's answer is in.", name=member.chosen_name)
        if recorded_by is not None
        else _("Your answer is in."),
        "success",
    )
    return see_other(_proposal_url(circle, proposal, "consent"))


# --- amending --------------------------------------------------------------------------------


@bp.route("/<slug>/<int:proposal_id>/amend", methods=["GET", "POST"])
@login_required
def amend(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    if not rules.can_amend(subject(circle), circle, proposal):
        abort(404)
    form = AmendForm(obj=proposal.version) if request.method == "GET" else AmendForm()
    if request.method == "GET":
        form.change_note.data = ""
        return render("decisions/form.html", circle, form=form, proposal=proposal)
    if not form.validate_on_submit():
        return _form_errors("decisions/form.html", circle, form=form, proposal=proposal)
    steps.amend(
        proposal,
        viewer(),
        form.change_note.data.strip(),
        **{name: _clean(getattr(form, name).data) for name in VERSION_FIELDS},
    )
    db.session.commit()
    flash(_("Version %(n)s is saved.", n=proposal.version.number), "success")
    return see_other(_proposal_url(circle, proposal))


@bp.get("/<slug>/<int:proposal_id>/versions")
@login_required
def versions(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    return render(
        "decisions/versions.html",
        circle,
        proposal=proposal,
        changes=version_changes(proposal),
    )


def version_changes(proposal: Proposal) -> list[dict]:
    """Each version beside the one before: which parts changed."""
    out, before = [], None
    for version in proposal.versions:
        changed = [
            name
            for name in VERSION_FIELDS
            if before is not None and getattr(before, name) != getattr(version, name)
        ]
        out.append({"version": version, "changed": changed})
        before = version
    return list(reversed(out))


# --- objections ------------------------------------------------------------------------------


def _objection(proposal: Proposal, objection_id: int) -> Objection:
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.proposal_id != proposal.id:
        abort(404)
    return objection


@bp.post("/<slug>/<int:proposal_id>/objections/<int:objection_id>")
@login_required
def close_objection(slug: str, proposal_id: int, objection_id: int):
    """The objector says the amended version meets their objection, or withdraws it."""
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    objection = _objection(proposal, objection_id)
    if not rules.can_resolve(subject(circle), objection):
        abort(404)
    form = ObjectionForm()
    if not form.validate_on_submit():
        flash(_("Choose whether the amended proposal meets it, or you withdraw it."), "error")
        return see_other(_proposal_url(circle, proposal, f"objection-{objection.id}"))
    steps.close_objection(
        objection, form.outcome.data, form.note.data or "", proposal.version.number
    )
    db.session.commit()
    flash(
        _(
            "Thank you. The objection is %(status)s.",
            status=_(rules.OBJECTION_STATUSES[objection.status]).lower(),
        ),
        "success",
    )
    return see_other(_proposal_url(circle, proposal, f"objection-{objection.id}"))


@bp.post("/<slug>/<int:proposal_id>/objections/<int:objection_id>/note")
@login_required
def objection_note(slug: str, proposal_id: int, objection_id: int):
    """Facilitators and the proposer write down how an objection is being worked on."""
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    objection = _objection(proposal, objection_id)
    if not rules.can_note_objection(viewer(), subject(circle), circle, proposal, objection):
        abort(404)
    form = IntegrationNoteForm()
    if not form.validate_on_submit():
        flash(_("Write a note."), "error")
    else:
        objection.integration_note = form.note.data.strip()
        db.session.commit()
    return see_other(_proposal_url(circle, proposal, f"objection-{objection.id}"))


# --- publishing ------------------------------------------------------------------------------


@bp.post("/<slug>/<int:proposal_id>/publish")
@login_required
def publish(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    if proposal.state != "adopted" or not rules.can_publish(viewer(), circle):
        abort(404)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    proposal.published = bool(form.published.data)
    record(
        "decision.published" if proposal.published else "decision.unpublished",
        f"{'Published' if proposal.published else 'Unpublished'} the decision {proposal.title}",
        proposal,
        space=circle.space,
        visibility="space",
    )
    db.session.commit()
    flash(
        _("It is on the public decisions page.")
        if proposal.published
        else _("It is no longer on the public decisions page."),
        "success",
    )
    return see_other(_proposal_url(circle, proposal, "decision"))


# --- paper consent cards ---------------------------------------------------------------------


@bp.route("/<slug>/<int:proposal_id>/cards", methods=["GET", "POST"])
@login_required
def cards(slug: str, proposal_id: int):
    """A facilitator types in the cards people held up (green, amber, red). They count once a
    second facilitator has checked them against the cards."""
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    person = viewer()
    rnd = steps.current_round(proposal, "consent")
    facilitating = rules.is_facilitator(person, circle)
    if rnd is None or not (facilitating or rules.decides(person, circle)):
        abort(404)
    if request.method == "POST" and not facilitating:
        abort(404)  # members check cards; facilitators type them in
    deciders = steps.deciders(circle, proposal)
    answered = {r.person_id: r for r in rnd.responses}
    errors: dict[int, str] = {}
    typed: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        if not CardsForm().validate_on_submit():
            abort(400)
        if not steps.round_open(rnd):
            flash(_("This round has closed: answers are no longer taken."), "error")
            return see_other(_proposal_url(circle, proposal, "consent"))
        entries = []
        for member in deciders:
            card = request.form.get(f"card-{member.id}", "")
            reason = request.form.get(f"reason-{member.id}", "").strip()
            if not card or member.id in answered:
                continue
            typed[member.id] = (card, reason)
            answer = rules.CARD_ANSWERS.get(card)
            problems = rules.response_problems(answer or "", reason)
            if problems:
                errors[member.id] = _(problems[0])
            else:
                entries.append((member, answer, reason))
        if not errors and entries:
            for member, answer, reason in entries:
                steps.respond(
                    proposal, rnd, member, answer, reason, source="paper", recorded_by=person
                )
            db.session.commit()
            flash(_cards_entered(len(entries)), "success")
            return see_other(url_for("decisions.cards", slug=slug, proposal_id=proposal.id))
        if not errors:
            flash(_("Choose a card for at least one person."), "error")
    unchecked = [r for r in rnd.responses if not r.counts]
    status = 422 if errors else 200
    return render(
        "decisions/cards.html",
        circle,
        status=status,
        proposal=proposal,
        deciders=deciders,
        answered=answered,
        errors=errors,
        typed=typed,
        unchecked=unchecked,
        may_check=[r for r in unchecked if rules.can_check_paper(person, r.recorded_by_id, circle)],
        form=CardsForm(),
        facilitating=facilitating,
        ANSWERS=rules.ANSWERS,
        CARD_ANSWERS=rules.CARD_ANSWERS,
    )


def _cards_entered(count: int) -> str:
    return ngettext(
        "%(num)d card entered. Someone else checks it before it counts.",
        "%(num)d cards entered. Someone else checks them before they count.",
        count,
    )


@bp.post("/<slug>/<int:proposal_id>/cards/check")
@login_required
def check_cards(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    person = viewer()
    rnd = steps.current_round(proposal, "consent")
    if rnd is None or not rules.can_check_paper(person, None, circle):
        abort(404)
    if not CardsForm().validate_on_submit():
        abort(400)
    checked = steps.check_paper(rnd, person)
    if checked:
        record(
            "proposal.cards_checked",
            f"Checked {checked} paper cards on {proposal.title}",
            proposal,
            space=circle.space,
            visibility="space",
        )
        db.session.commit()
        flash(_("Checked. They count now."), "success")
    else:
        flash(
            _("There are no cards for you to check: someone else checks the ones you entered."),
            "error",
        )
    return see_other(url_for("decisions.cards", slug=slug, proposal_id=proposal.id))


# --- the decision record ---------------------------------------------------------------------


@bp.get("/<slug>/<int:proposal_id>/decision")
@login_required
def record_page(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    decision = steps.latest_decision(proposal)
    if decision is None:
        abort(404)
    return render(
        "decisions/record.html",
        circle,
        proposal=proposal,
        decision=decision,
        review_on=steps.current_review_on(decision),
        reviews=steps.reviews(decision),
        public=False,
        ANSWERS=rules.ANSWERS,
        OBJECTION_STATUSES=rules.OBJECTION_STATUSES,
        **_stories(circle, "decision", decision.id),
    )


# --- the public record -----------------------------------------------------------------------

public_bp = Blueprint("public_decisions", __name__, url_prefix="/decisions")


def _published() -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.published.is_(True), Proposal.state == "adopted")
            .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        )
    )


@public_bp.get("/")
def public_index():
    """Decisions circles chose to publish, with their review dates. No sign-in."""
    rows = []
    for proposal in _published():
        decision = steps.latest_decision(proposal)
        if decision is not None:
            rows.append((proposal, decision, steps.current_review_on(decision)))
    return render_template("decisions/public_index.html", rows=rows, today=local_today())


@public_bp.get("/<int:proposal_id>")
def public_record(proposal_id: int):
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.published or proposal.state != "adopted":
        abort(404)
    decision = steps.latest_decision(proposal)
    if decision is None:
        abort(404)
    return render_template(
        "decisions/public_record.html",
        proposal=proposal,
        decision=decision,
        review_on=steps.current_review_on(decision),
        reviews=steps.reviews(decision),
        public=True,
        ANSWERS=rules.ANSWERS,
        OBJECTION_STATUSES=rules.OBJECTION_STATUSES,
    )


# --- on the home page ------------------------------------------------------------------------


def _home_tasks(person) -> list[Task]:
    """Rounds waiting for this person's answer, amended proposals waiting for an objector,
    and decisions due for review (everyone in the circle is reminded)."""
    tasks: list[Task] = []
    spaces = {
        m.space_id for m in person.memberships if m.space_id is not None and m.status == "active"
    }
    if not spaces:
        return tasks
    today = local_today()
    proposals = db.session.scalars(
        select(Proposal).where(
            Proposal.space_id.in_(spaces),
            Proposal.state.in_(("reaction", "consent", "integrating", "adopted")),
        )
    ).all()
    for proposal in proposals:
        circle = steps.circle_for(proposal.space)
        if circle.commission is not None and (
            commission_rules.access(person, circle.commission) != "full"
        ):
            continue
        args = {"slug": proposal.space.slug, "proposal_id": proposal.id}
        rnd = proposal.current_round
        is_open = steps.round_open(rnd)
        if proposal.state == "consent" and rules.can_respond(
            person,
            circle,
            proposal,
            is_open,
            any(r.person_id == person.id for r in rnd.responses),
            steps.stepped_out(proposal),
        ):
            tasks.append(
                Task(
                    N_("Answer the consent round in %(space)s"),
                    "decisions.show",
                    args,
                    proposal.space.name,
                )
            )
        elif proposal.state == "reaction" and rules.can_react(
            person, circle, proposal, is_open, any(r.person_id == person.id for r in rnd.reactions)
        ):
            tasks.append(
                Task(
                    N_("Give your reaction to a proposal in %(space)s"),
                    "decisions.show",
                    args,
                    proposal.space.name,
                )
            )
        elif proposal.state == "integrating" and any(
            rules.can_resolve(person, o) and proposal.version.number > o.version_number
            for o in proposal.objections
        ):
            tasks.append(
                Task(
                    N_("Say whether the amended proposal meets your objection in %(space)s"),
                    "decisions.show",
                    args,
                    proposal.space.name,
                )
            )
        elif proposal.state == "adopted":
            decision = steps.latest_decision(proposal)
            if decision is not None and rules.review_due(steps.current_review_on(decision), today):
                tasks.append(
                    Task(
                        N_("A decision in %(space)s is due for review"),
                        "decisions.show",
                        args,
                        proposal.space.name,
                    )
                )
    return tasks


TASK_PROVIDERS.append(_home_tasks)

# Printed consent cards register on ``bp`` when imported.
from participate.decisions import printing  # noqa: E402, F401
