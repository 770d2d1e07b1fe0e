"""Sessions: planning, the live page (check-in, attendance, lifebuoy, pairs, check-out,
notes), summaries for people who couldn't come, and the contact log between meetings.

Everything that changes during a session lives in one block of the session page ("live",
``<section id="session-live">``). The page polls it every ten seconds with htmx; its forms
post normally and redirect back, and with htmx they swap the block in place instead.
"""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from participate.accounts.mail import send
from participate.accounts.models import Person
from participate.audit import record
from participate.clock import local_today, place_zone
from participate.columns import utcnow
from participate.commissions import rules
from participate.commissions.forms import (
    AnswerForForm,
    ContactForm,
    GroupsForm,
    NotesForm,
    ReplyForForm,
    ReplyForm,
    SessionForm,
    SummaryForm,
    answer_form,
    people_choices,
    prompt_fields,
    prompt_text,
)
from participate.commissions.models import (
    AgendaItem,
    Attendance,
    Commission,
    CommissionSession,
    ContactLogEntry,
    Lifebuoy,
    PairDraw,
    RoundResponse,
    SummaryReply,
)
from participate.commissions.views import (
    acting_subject,
    bp,
    load_commission,
    members,
    render,
    viewer,
)
from participate.extensions import db
from participate.text import N_
from participate.web.htmx import is_htmx, see_other

# --- loading ---------------------------------------------------------------------------------


def _load(slug: str, session_id: int, action: str = "view"):
    commission = load_commission(slug, action)
    s = db.session.get(CommissionSession, session_id)
    if s is None or s.commission_id != commission.id:
        abort(404)
    return commission, s


def _taking_part(commission: Commission) -> list[Person]:
    """Active members who take part in sessions (everyone but observers)."""
    return [m.person for m in members(commission, ("active",)) if m.role != "observer"]


def _attendance(s: CommissionSession) -> dict[int, str]:
    return {
        a.person_id: a.status
        for a in db.session.scalars(select(Attendance).where(Attendance.session_id == s.id))
    }


def _session_url(commission: Commission, s: CommissionSession, anchor: str | None = None):
    return url_for(
        "commissions.session", slug=commission.space.slug, session_id=s.id, _anchor=anchor
    )


# --- the list of sessions --------------------------------------------------------------------


@bp.get("/<slug>/sessions")
@login_required
def sessions(slug: str):
    commission = load_commission(slug)
    rows = db.session.scalars(
        select(CommissionSession)
        .where(CommissionSession.commission_id == commission.id)
        .order_by(CommissionSession.starts_at)
    ).all()
    now = utcnow()
    open_lifebuoys: dict[int, int] = {}
    if rules.can(viewer(), "see_lifebuoys", commission):
        for buoy in db.session.scalars(
            select(Lifebuoy).where(
                Lifebuoy.commission_id == commission.id, Lifebuoy.acknowledged_at.is_(None)
            )
        ):
            open_lifebuoys[buoy.session_id] = open_lifebuoys.get(buoy.session_id, 0) + 1
    return render(
        "commissions/sessions/index.html",
        commission,
        upcoming=[s for s in rows if not rules.is_past(s.status, s.ends_at, now)],
        past=[s for s in reversed(rows) if rules.is_past(s.status, s.ends_at, now)],
        open_lifebuoys=open_lifebuoys,
        STATUSES=rules.SESSION_STATUSES,
    )


# --- planning --------------------------------------------------------------------------------


def _form_timing(form: SessionForm):
    """The plan's minutes against the session's length, when the form says enough to tell."""
    times = form.times()
    items, problems = rules.parse_agenda(form.agenda.data)
    minutes = (
        form.checkin_minutes.data,
        form.introductions_minutes.data,
        form.reflection_minutes.data,
    )
    if times is None or problems or any(m is None or m < 0 for m in minutes):
        return None
    return rules.timing(times[0], times[1], items, *minutes)


def _form_data(s: CommissionSession) -> dict:
    zone = place_zone()
    starts, ends = rules.to_local(s.starts_at, zone), rules.to_local(s.ends_at, zone)
    checkin, checkin_own = prompt_fields(s.checkin_prompt, rules.CHECK_IN_PROMPTS)
    checkout, checkout_own = prompt_fields(s.checkout_prompt, rules.CHECK_OUT_PROMPTS)
    return {
        "title": s.title,
        "day": starts.date().isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "place": s.place or "",
        "online_link": s.online_link or "",
        "agenda": rules.format_agenda(s.agenda),
        "accessibility_notes": s.accessibility_notes or "",
        "checkin_minutes": s.checkin_minutes,
        "introductions_minutes": s.introductions_minutes,
        "reflection_minutes": s.reflection_minutes,
        "checkin_prompt": checkin,
        "checkin_own": checkin_own,
        "checkout_prompt": checkout,
        "checkout_own": checkout_own,
    }


def _apply(form: SessionForm, s: CommissionSession) -> None:
    s.title = form.title.data
    s.starts_at, s.ends_at = form.times()
    s.place = form.place.data or None
    s.online_link = form.online_link.data or None
    s.accessibility_notes = (form.accessibility_notes.data or "").strip() or None
    s.checkin_minutes = form.checkin_minutes.data
    s.introductions_minutes = form.introductions_minutes.data
    s.reflection_minutes = form.reflection_minutes.data
    s.checkin_prompt = prompt_text(
        form.checkin_prompt.data, form.checkin_own.data, rules.CHECK_IN_PROMPTS
    )
    s.checkout_prompt = prompt_text(
        form.checkout_prompt.data, form.checkout_own.data, rules.CHECK_OUT_PROMPTS
    )
    items, _problems = rules.parse_agenda(form.agenda.data)
    s.agenda = [
        AgendaItem(position=i, title=item.title, minutes=item.minutes)
        for i, item in enumerate(items, start=1)
    ]


def _plan_page(
    commission: Commission, form: SessionForm, s: CommissionSession | None, status: int = 200
):
    response = render(
        "commissions/sessions/form.html",
        commission,
        status=status,
        block="session_form",
        form=form,
        planned=s,
        timing=_form_timing(form),
    )
    if status == 422 and is_htmx():
        response.headers["HX-Retarget"] = "#session-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def _plan(commission: Commission, s: CommissionSession | None):
    """Plan a new session (``s`` is None) or change one. "Check the timings" shows the
    minutes against the session's length without saving."""
    if request.method == "GET":
        form = SessionForm(data=_form_data(s)) if s is not None else SessionForm()
        return _plan_page(commission, form, s)
    form = SessionForm()
    if not form.validate_on_submit():
        return _plan_page(commission, form, s, status=422)
    if "check" in request.form:
        return _plan_page(commission, form, s)
    creating = s is None
    if creating:
        s = CommissionSession(commission_id=commission.id, created_by_id=current_user.id)
        db.session.add(s)
    _apply(form, s)
    db.session.flush()
    record(
        "session.planned" if creating else "session.edited",
        f"{'Planned' if creating else 'Changed the plan for'} the session {s.title!r}",
        s,
        space=commission.space,
        visibility="space",
    )
    db.session.commit()
    flash(_("Session planned.") if creating else _("Plan saved."), "success")
    return see_other(_session_url(commission, s))


@bp.route("/<slug>/sessions/new", methods=["GET", "POST"])
@login_required
def session_new(slug: str):
    commission = load_commission(slug, "manage")
    return _plan(commission, None)


@bp.route("/<slug>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(slug: str, session_id: int):
    commission, s = _load(slug, session_id, "manage")
    if not rules.session_allows(s.status, "edit"):
        abort(404)
    return _plan(commission, s)


# --- the session page ------------------------------------------------------------------------


def _session_page(commission: Commission, s: CommissionSession, status: int = 200, **forms):
    """The session page, or just its live block for htmx (polling, or a form inside it)."""
    person, subject = viewer(), acting_subject(commission)
    manage = rules.can(person, "manage", commission)
    take_part = subject is not None and rules.can(subject, "take_part", commission)
    members = _taking_part(commission)
    attendance = _attendance(s)
    present = [p for p in members if attendance.get(p.id) == "present"]
    responses = db.session.scalars(
        select(RoundResponse).where(RoundResponse.session_id == s.id).order_by(RoundResponse.at)
    ).all()
    answers = {key: [r for r in responses if r.round == key] for key in rules.ROUNDS}
    mine = {r.round: r for r in responses if subject is not None and r.person_id == subject.id}

    lifebuoys, my_lifebuoy = [], None
    if rules.can(person, "see_lifebuoys", commission):
        lifebuoys = db.session.scalars(
            select(Lifebuoy).where(Lifebuoy.session_id == s.id).order_by(Lifebuoy.raised_at.desc())
        ).all()
    if take_part:
        my_lifebuoy = db.session.scalars(
            select(Lifebuoy)
            .where(Lifebuoy.session_id == s.id, Lifebuoy.person_id == subject.id)
            .order_by(Lifebuoy.raised_at.desc(), Lifebuoy.id.desc())
            .limit(1)
        ).first()

    draw = db.session.scalars(
        select(PairDraw)
        .where(PairDraw.session_id == s.id)
        .order_by(PairDraw.drawn_at.desc(), PairDraw.id.desc())
        .limit(1)
    ).first()
    groups = []
    if draw is not None:
        names = {p.id: p.chosen_name for p in members}
        missing = {pid for group in draw.groups for pid in group} - names.keys()
        if missing:
            names.update(
                (p.id, p.chosen_name)
                for p in db.session.scalars(select(Person).where(Person.id.in_(missing)))
            )
        groups = [sorted(names.get(pid, "?") for pid in group) for group in draw.groups]

    replies = db.session.scalars(
        select(SummaryReply).where(SummaryReply.session_id == s.id).order_by(SummaryReply.at)
    ).all()
    recorders = {
        p.id: p.chosen_name
        for p in db.session.scalars(
            select(Person).where(
                Person.id.in_(
                    {r.recorded_by_id for r in [*responses, *replies] if r.recorded_by_id}
                )
            )
        )
    }

    not_here = []
    if manage:
        ids = set(rules.summary_recipients([p.id for p in members], attendance))
        not_here = [p for p in members if p.id in ids]

    # Forms not handed in are fresh, never filled from this request's form data: after an
    # answer is saved, its box shows the saved answer, not the text just sent.
    fresh = {"formdata": None}
    for key in rules.ROUNDS:
        mine_now = {"response": mine[key].response} if key in mine else None
        forms.setdefault(f"{key}_form", answer_form(key, data=mine_now, **fresh))
        if manage:
            for_form = forms.setdefault(
                f"{key}_for_form", AnswerForForm(prefix=f"{key}-for", **fresh)
            )
            for_form.person_id.choices = people_choices(present)
        else:
            forms.setdefault(f"{key}_for_form", None)
    forms.setdefault("groups_form", GroupsForm(**fresh))
    forms.setdefault("notes_form", NotesForm(data={"notes": s.notes or ""}, **fresh))
    forms.setdefault("summary_form", SummaryForm(data={"summary": s.summary or ""}, **fresh))
    forms.setdefault("reply_form", ReplyForm(**fresh))
    reply_for = forms.setdefault("reply_for_form", ReplyForForm(prefix="for", **fresh))
    reply_for.person_id.choices = people_choices(members)

    from participate.stories import uses as story_uses  # stories built on the blueprint

    zone = place_zone()
    return render(
        "commissions/sessions/show.html",
        commission,
        status=status,
        block="live",
        s=s,
        manage=manage,
        take_part=take_part,
        subject=subject,
        members=members,
        attendance=attendance,
        present=present,
        answers=answers,
        mine=mine,
        lifebuoys=lifebuoys,
        my_lifebuoy=my_lifebuoy,
        draw=draw,
        groups=groups,
        replies=replies,
        recorders=recorders,
        not_here=not_here,
        emailed=[p for p in not_here if _gets_summary_email(p)],
        not_emailed=[p for p in not_here if not _gets_summary_email(p)],
        attendance_names={
            key: [p.chosen_name for p in members if attendance.get(p.id) == key]
            for key in rules.ATTENDANCE
        },
        slots=rules.schedule(
            s.starts_at,
            s.agenda,
            s.checkin_minutes,
            s.introductions_minutes,
            s.reflection_minutes,
        ),
        timing=rules.timing(
            s.starts_at,
            s.ends_at,
            s.agenda,
            s.checkin_minutes,
            s.introductions_minutes,
            s.reflection_minutes,
        ),
        same_day=rules.to_local(s.starts_at, zone).date() == rules.to_local(s.ends_at, zone).date(),
        allows=lambda what: rules.session_allows(s.status, what),
        now=utcnow(),
        STATUSES=rules.SESSION_STATUSES,
        NEXT=rules.SESSION_NEXT,
        ATTENDANCE=rules.ATTENDANCE,
        LIFEBUOY_KINDS=rules.LIFEBUOY_KINDS,
        ROUNDS=rules.ROUNDS,
        story_quotes=story_uses.quotes_in("session_note", s.id, commission, person),
        stories_behind=story_uses.stories_behind("session", s.id, commission, person),
        **forms,
    )


@bp.get("/<slug>/sessions/<int:session_id>")
@login_required
def session(slug: str, session_id: int):
    commission, s = _load(slug, session_id)
    return _session_page(commission, s)


def _changed(commission: Commission, s: CommissionSession, anchor: str):
    """After a change on the session page: the live block again for htmx, otherwise back to
    the page at the part that changed."""
    if is_htmx():
        return _session_page(commission, s)
    return see_other(_session_url(commission, s, anchor))


def _not_now(commission: Commission, s: CommissionSession, anchor: str):
    """That part of the session isn't open (it finished, say, while the form was open)."""
    if not is_htmx():
        flash(_("That part of the session isn't open now."), "error")
    return _changed(commission, s, anchor)


@bp.post("/<slug>/sessions/<int:session_id>/status")
@login_required
def session_status(slug: str, session_id: int):
    commission, s = _load(slug, session_id, "manage")
    to = request.form.get("to")
    if to is None or rules.SESSION_NEXT.get(s.status) != to:
        return _not_now(commission, s, "session-live")
    before, s.status = s.status, to
    record(
        "session.status_changed",
        f"Session {s.title!r}: {before} → {to}",
        s,
        space=commission.space,
        visibility="space",
        detail={"from": before, "to": to},
    )
    db.session.commit()
    return _changed(commission, s, "session-live")


# --- check-in and check-out ------------------------------------------------------------------


def _save_answer(s: CommissionSession, person: Person, round_: str, text: str, by: Person):
    row = db.session.scalar(
        select(RoundResponse).filter_by(session_id=s.id, person_id=person.id, round=round_)
    )
    if row is None:
        row = RoundResponse(session_id=s.id, person_id=person.id, round=round_)
        db.session.add(row)
    row.response = text
    row.recorded_by_id = by.id if by.id != person.id else None
    row.at = utcnow()
    db.session.flush()
    return row


@bp.post("/<slug>/sessions/<int:session_id>/rounds/<round_>")
@login_required
def session_answer(slug: str, session_id: int, round_: str):
    """A member gives, or changes, their one answer in the check-in or check-out round."""
    commission, s = _load(slug, session_id)
    subject = acting_subject(commission)
    if round_ not in rules.ROUNDS or not rules.can(subject, "take_part", commission):
        abort(404)
    anchor = round_.replace("_", "-")
    if not rules.session_allows(s.status, "answer"):
        return _not_now(commission, s, anchor)
    form = answer_form(round_)
    if not form.validate_on_submit():
        return _session_page(commission, s, status=422, **{f"{round_}_form": form})
    row = _save_answer(s, subject, round_, form.response.data, current_user)
    if subject.id != current_user.id:
        record(
            "session.answer_recorded_for",
            f"Wrote down {subject.chosen_name}'s {round_.replace('_', '-')} answer",
            row,
            space=commission.space,
            visibility="space",
            on_behalf_of=subject,
        )
    db.session.commit()
    return _changed(commission, s, anchor)


@bp.post("/<slug>/sessions/<int:session_id>/rounds/<round_>/for")
@login_required
def session_answer_for(slug: str, session_id: int, round_: str):
    """A facilitator writes down the answer of someone in the room, who asked them to."""
    commission, s = _load(slug, session_id, "manage")
    if round_ not in rules.ROUNDS:
        abort(404)
    anchor = round_.replace("_", "-")
    if not rules.session_allows(s.status, "answer_for"):
        return _not_now(commission, s, anchor)
    form = AnswerForForm(prefix=f"{round_}-for")
    attendance = _attendance(s)
    present = [p for p in _taking_part(commission) if attendance.get(p.id) == "present"]
    form.person_id.choices = people_choices(present)
    if not form.validate_on_submit():
        if not present:
            form.person_id.errors = [_("Mark who's here first.")]
        return _session_page(commission, s, status=422, **{f"{round_}_for_form": form})
    member = next(p for p in present if p.id == form.person_id.data)
    row = _save_answer(s, member, round_, form.response.data, current_user)
    record(
        "session.answer_recorded_for",
        f"Wrote down {member.chosen_name}'s {anchor} answer",
        row,
        space=commission.space,
        visibility="space",
        on_behalf_of=member,
    )
    db.session.commit()
    return _changed(commission, s, anchor)


# --- attendance ------------------------------------------------------------------------------


@bp.post("/<slug>/sessions/<int:session_id>/attendance")
@login_required
def session_attendance(slug: str, session_id: int):
    """Who was here, who sent apologies, who wasn't: one form for everyone."""
    commission, s = _load(slug, session_id, "manage")
    if not rules.session_allows(s.status, "attendance"):
        return _not_now(commission, s, "attendance")
    rows = {
        a.person_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.session_id == s.id))
    }
    changes = {}
    for person in _taking_part(commission):
        value = request.form.get(f"attendance-{person.id}")
        if not value:
            continue
        if value not in rules.ATTENDANCE:
            abort(400)
        row = rows.get(person.id)
        if row is not None and row.status == value:
            continue
        if row is None:
            row = Attendance(session_id=s.id, person_id=person.id)
            db.session.add(row)
        row.status, row.recorded_by_id, row.recorded_at = value, current_user.id, utcnow()
        changes[str(person.id)] = value
    if changes:
        counts = {k: sum(v == k for v in changes.values()) for k in rules.ATTENDANCE}
        record(
            "session.attendance_recorded",
            f"Recorded who was at {s.title!r}: "
            + ", ".join(f"{n} {k}" for k, n in counts.items() if n),
            s,
            space=commission.space,
            visibility="space",
            detail=changes,
        )
        db.session.commit()
    return _changed(commission, s, "attendance")


# --- lifebuoys -------------------------------------------------------------------------------


@bp.post("/<slug>/sessions/<int:session_id>/lifebuoy")
@login_required
def session_lifebuoy(slug: str, session_id: int):
    """A member asks, privately, for a moment or for someone to check in on them."""
    commission, s = _load(slug, session_id)
    subject = acting_subject(commission)
    if not rules.can(subject, "take_part", commission):
        abort(404)
    kind = request.form.get("kind")
    if kind not in rules.LIFEBUOY_KINDS:
        abort(400)
    if not rules.session_allows(s.status, "lifebuoy"):
        return _not_now(commission, s, "lifebuoy")
    already = db.session.scalar(
        select(Lifebuoy).where(
            Lifebuoy.session_id == s.id,
            Lifebuoy.person_id == subject.id,
            Lifebuoy.kind == kind,
            Lifebuoy.acknowledged_at.is_(None),
        )
    )
    if already is None:  # pressed twice: one call is enough
        buoy = Lifebuoy(
            commission_id=commission.id, session_id=s.id, person_id=subject.id, kind=kind
        )
        db.session.add(buoy)
        db.session.flush()
        record(
            "lifebuoy.raised",
            "Asked the facilitators for support",
            buoy,
            space=commission.space,
            visibility="private",
            detail={"kind": kind},
        )
        db.session.commit()
    return _changed(commission, s, "lifebuoy")


@bp.post("/<slug>/sessions/<int:session_id>/lifebuoys/<int:lifebuoy_id>/acknowledge")
@login_required
def session_lifebuoy_acknowledge(slug: str, session_id: int, lifebuoy_id: int):
    """A facilitator says "I'm on it"."""
    commission, s = _load(slug, session_id, "see_lifebuoys")
    buoy = db.session.get(Lifebuoy, lifebuoy_id)
    if buoy is None or buoy.session_id != s.id:
        abort(404)
    if buoy.acknowledged_at is None:
        buoy.acknowledged_by_id, buoy.acknowledged_at = current_user.id, utcnow()
        record(
            "lifebuoy.acknowledged",
            f"Went to support {buoy.person.chosen_name}",
            buoy,
            space=commission.space,
            visibility="private",
        )
        db.session.commit()
    return _changed(commission, s, "lifebuoy")


# --- pairs and small groups ------------------------------------------------------------------


@bp.post("/<slug>/sessions/<int:session_id>/groups")
@login_required
def session_groups(slug: str, session_id: int):
    commission, s = _load(slug, session_id, "manage")
    if not rules.session_allows(s.status, "draw_groups"):
        return _not_now(commission, s, "groups")
    form = GroupsForm()
    attendance = _attendance(s)
    present = [p.id for p in _taking_part(commission) if attendance.get(p.id) == "present"]
    if form.validate_on_submit():
        problem = rules.group_problem(len(present), int(form.size.data))
        if problem:
            form.size.errors = [_(problem)]
    if form.errors:
        return _session_page(commission, s, status=422, groups_form=form)
    size = int(form.size.data)
    draw = PairDraw(
        session_id=s.id,
        group_size=size,
        groups=rules.draw_groups(present, size),
        drawn_by_id=current_user.id,
    )
    db.session.add(draw)
    db.session.flush()
    record(
        "session.groups_drawn",
        f"Drew {len(draw.groups)} groups of {size} at {s.title!r}",
        draw,
        space=commission.space,
        visibility="space",
    )
    db.session.commit()
    return _changed(commission, s, "groups")


# --- notes, summary and replies --------------------------------------------------------------


@bp.post("/<slug>/sessions/<int:session_id>/notes")
@login_required
def session_notes(slug: str, session_id: int):
    commission, s = _load(slug, session_id, "manage")
    form = NotesForm()
    if not form.validate_on_submit():
        return _session_page(commission, s, status=422, notes_form=form)
    s.notes = (form.notes.data or "").strip() or None
    record(
        "session.notes_saved",
        f"Saved notes for {s.title!r}",
        s,
        space=commission.space,
        visibility="space",
    )
    db.session.commit()
    return _changed(commission, s, "session-notes")


def _gets_summary_email(person: Person) -> bool:
    return bool(person.email) and person.notification_choice != "none"


@bp.post("/<slug>/sessions/<int:session_id>/summary")
@login_required
def session_summary(slug: str, session_id: int):
    """Save the summary; "send" also emails it to everyone not marked as here."""
    commission, s = _load(slug, session_id, "manage")
    if not rules.session_allows(s.status, "summary"):
        return _not_now(commission, s, "session-summary")
    form = SummaryForm()
    sending = "send" in request.form
    if form.validate_on_submit() and sending:
        if not (form.summary.data or "").strip():
            form.summary.errors = [_("Write the summary before sending it.")]
        elif s.summary_sent_at is not None:
            form.summary.errors = [_("The summary has already been sent.")]
    if form.errors:
        return _session_page(commission, s, status=422, summary_form=form)
    s.summary = (form.summary.data or "").strip() or None
    if not sending:
        db.session.commit()
        return _changed(commission, s, "session-summary")

    members = _taking_part(commission)
    attendance = _attendance(s)
    ids = set(rules.summary_recipients([p.id for p in members], attendance))
    recipients = [p for p in members if p.id in ids and _gets_summary_email(p)]
    link = url_for(
        "commissions.session",
        slug=commission.space.slug,
        session_id=s.id,
        _anchor="replies",
        _external=True,
    )
    for person in recipients:
        send(
            person.email,
            N_("What happened at %(session)s"),
            "commissions/email/summary.txt",
            person.language,
            subject_args={"session": s.title},
            person=person,
            commission=commission,
            s=s,
            link=link,
        )
    s.summary_sent_at = utcnow()
    record(
        "session.summary_sent",
        f"Sent the summary of {s.title!r} to {len(recipients)} people who weren't there",
        s,
        space=commission.space,
        visibility="space",
        detail={"to": [p.id for p in recipients]},
    )
    db.session.commit()
    if not is_htmx():
        flash(
            ngettext(
                "Summary sent to %(num)s person.",
                "Summary sent to %(num)s people.",
                len(recipients),
            )
            if recipients
            else _("Summary saved. Nobody who wasn't here has an email address to send it to."),
            "success",
        )
    return _changed(commission, s, "session-summary")


def _reply_open(s: CommissionSession) -> bool:
    return rules.session_allows(s.status, "reply") and s.summary_sent_at is not None


@bp.post("/<slug>/sessions/<int:session_id>/replies")
@login_required
def session_reply(slug: str, session_id: int):
    """Someone who read the summary adds their view."""
    commission, s = _load(slug, session_id)
    subject = acting_subject(commission)
    if not rules.can(subject, "take_part", commission):
        abort(404)
    if not _reply_open(s):
        return _not_now(commission, s, "replies")
    form = ReplyForm()
    if not form.validate_on_submit():
        return _session_page(commission, s, status=422, reply_form=form)
    reply = SummaryReply(
        session_id=s.id,
        person_id=subject.id,
        body=form.body.data,
        recorded_by_id=current_user.id if subject.id != current_user.id else None,
    )
    db.session.add(reply)
    db.session.flush()
    record(
        "session.reply_added",
        f"Added a view on {s.title!r}",
        reply,
        space=commission.space,
        visibility="space",
    )
    db.session.commit()
    return _changed(commission, s, "replies")


@bp.post("/<slug>/sessions/<int:session_id>/replies/for")
@login_required
def session_reply_for(slug: str, session_id: int):
    """A facilitator adds the view of someone with no email, who told them in person."""
    commission, s = _load(slug, session_id, "manage")
    if not _reply_open(s):
        return _not_now(commission, s, "replies")
    form = ReplyForForm(prefix="for")
    members = _taking_part(commission)
    form.person_id.choices = people_choices(members)
    if not form.validate_on_submit():
        return _session_page(commission, s, status=422, reply_for_form=form)
    member = next(p for p in members if p.id == form.person_id.data)
    reply = SummaryReply(
        session_id=s.id, person_id=member.id, body=form.body.data, recorded_by_id=current_user.id
    )
    db.session.add(reply)
    db.session.flush()
    record(
        "session.reply_added",
        f"Added {member.chosen_name}'s view on {s.title!r}",
        reply,
        space=commission.space,
        visibility="space",
        on_behalf_of=member,
    )
    db.session.commit()
    return _changed(commission, s, "replies")


# --- keeping in touch between meetings -------------------------------------------------------


@bp.route("/<slug>/contacts", methods=["GET", "POST"])
@login_required
def contacts(slug: str):
    """The contact log: one-to-ones, calls, coffee. Facilitators only."""
    commission = load_commission(slug, "see_contact_log")
    memberships = members(commission)
    people = {m.person_id: m.person for m in memberships}
    form = ContactForm()
    form.person_id.choices = people_choices(m.person for m in memberships)
    if form.validate_on_submit():
        entry = ContactLogEntry(
            commission_id=commission.id,
            person_id=form.person_id.data,
            by_id=current_user.id,
            kind=form.kind.data,
            on=rules.parse_day(form.on.data),
            note=(form.note.data or "").strip() or None,
            follow_up_on=rules.parse_day(form.follow_up_on.data),
        )
        db.session.add(entry)
        db.session.flush()
        record(
            "contact.logged",
            f"Noted a {entry.kind} with {people[entry.person_id].chosen_name}",
            entry,
            space=commission.space,
            visibility="private",
        )
        db.session.commit()
        flash(_("Noted."), "success")
        return see_other(
            url_for("commissions.contacts", slug=slug, person=request.args.get("person") or None)
        )

    status = 422 if form.is_submitted() else 200
    shown = request.args.get("person", type=int)
    if shown not in people:
        shown = None
    if not form.is_submitted():
        form.on.data = local_today().isoformat()
        if shown:
            form.person_id.data = shown
    entries = db.session.scalars(
        select(ContactLogEntry)
        .where(ContactLogEntry.commission_id == commission.id)
        .order_by(ContactLogEntry.on.desc(), ContactLogEntry.id.desc())
    ).all()
    last_contact: dict[int, object] = {}
    for entry in entries:
        last_contact.setdefault(entry.person_id, entry.on)
    today = local_today()
    response = render(
        "commissions/sessions/contacts.html",
        commission,
        status=status,
        block="contact_form",
        form=form,
        entries=[e for e in entries if shown is None or e.person_id == shown],
        shown=people.get(shown),
        people=sorted(people.values(), key=lambda p: p.chosen_name.lower()),
        gentle_hello=[
            (m.person, last_contact.get(m.person_id))
            for m in memberships
            if rules.needs_gentle_hello(m.status, last_contact.get(m.person_id), today)
        ],
        follow_ups=[e for e in rules.follow_ups_due(entries, today) if e.person_id in people],
        today=today,
        KINDS=rules.CONTACT_KINDS,
    )
    if status == 422 and is_htmx():
        response.headers["HX-Retarget"] = "#contact-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response
