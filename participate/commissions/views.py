"""Commission pages: set-up, overview, timeline and phases, charter, people.

Sessions, commitments and recompense have their own modules on the same blueprint.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from participate.accounts import rules as account_rules
from participate.accounts import spaces
from participate.accounts.forms import choices
from participate.accounts.models import Membership, Organisation, Person, Space
from participate.accounts.rules import ROLES
from participate.audit import record
from participate.clock import local_today
from participate.columns import utcnow
from participate.commissions import rules
from participate.commissions.forms import (
    AdvanceForm,
    CharterForm,
    CommissionForm,
    MemberForm,
    phase_plan_form,
)
from participate.commissions.models import (
    CharterVersion,
    Commission,
    CommissionHost,
    CommissionSession,
    Commitment,
    ContactLogEntry,
    Lifebuoy,
    PhaseChange,
    Recompense,
)
from participate.extensions import db
from participate.slugs import slugify
from participate.text import N_
from participate.web.home import TASK_PROVIDERS, Task
from participate.web.htmx import form_errors, render_page_or_block, see_other

bp = Blueprint("commissions", __name__, url_prefix="/commissions")


bp.add_app_template_filter(rules.phase_number, "phase_number")


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def load_commission(slug: str, action: str = "view") -> Commission:
    """The commission, or 404 when it doesn't exist or this person may not ``action`` it.

    People who may know it exists but not see it yet (civic commissioners during the
    community-only phase) also get 404 from every page but the overview, which tells them
    when they'll join.
    """
    commission = db.session.scalar(
        select(Commission).join(Commission.space).where(Space.slug == slug)
    )
    if commission is None or not rules.can(viewer(), action, commission):
        abort(404)
    return commission


def render(
    template: str, commission: Commission, status: int = 200, block: str | None = None, **context
):
    """Render a commission page with what its layout needs: the commission, the viewer's
    role and a ``may`` dict of every commission permission (for the sub-navigation)."""
    person = viewer()
    context.update(
        commission=commission,
        my_role=rules.role_in(person, commission),
        may={action: rules.can(person, action, commission) for action in rules.POLICY},
        phase=rules.PHASES_BY_KEY[commission.phase],
        PHASES=rules.PHASES_BY_KEY,
    )
    if block is None:
        return render_template(template, **context), status
    return render_page_or_block(template, block, status=status, **context)


def _commission_for(space: Space) -> Commission | None:
    return db.session.scalar(select(Commission).where(Commission.space_id == space.id))


def _role_limit(space: Space, current_roles: list[str]) -> list[str]:
    commission = _commission_for(space)
    if commission is None:
        return list(ROLES)  # a commission space never set up as one: no cohort caps to apply
    return rules.roles_with_room(commission, current_roles)


def _own_page(space: Space) -> str | None:
    commission = _commission_for(space)
    return url_for("commissions.show", slug=space.slug) if commission else None


def _home_tasks(person) -> list[Task]:
    """What a commission asks of someone today: payments to approve, calls for support, the
    next session."""
    tasks: list[Task] = []
    for commission in db.session.scalars(select(Commission)):
        if rules.access(person, commission) is None:
            continue
        args, name = {"slug": commission.space.slug}, commission.space.name
        if rules.can(person, "approve_recompense", commission):
            waiting = db.session.scalars(
                select(Recompense).where(
                    Recompense.commission_id == commission.id, Recompense.status == "recorded"
                )
            )
            if any(rules.can_decide_recompense(person, r, commission) for r in waiting):
                tasks.append(
                    Task(N_("Approve payments for %(space)s"), "commissions.recompense", args, name)
                )
        if rules.can(person, "see_lifebuoys", commission) and db.session.scalar(
            select(func.count())
            .select_from(Lifebuoy)
            .where(Lifebuoy.commission_id == commission.id, Lifebuoy.acknowledged_at.is_(None))
        ):
            tasks.append(
                Task(
                    N_("Someone in %(space)s asked for support"), "commissions.sessions", args, name
                )
            )
        if rules.can(person, "view", commission):
            upcoming = db.session.scalars(
                select(CommissionSession)
                .where(
                    CommissionSession.commission_id == commission.id,
                    CommissionSession.ends_at >= utcnow(),
                )
                .order_by(CommissionSession.starts_at)
                .limit(1)
            ).first()
            if upcoming is not None:
                tasks.append(
                    Task(
                        N_("See the next session of %(space)s"),
                        "commissions.session",
                        {**args, "session_id": upcoming.id},
                        name,
                    )
                )
    return tasks


TASK_PROVIDERS.append(_home_tasks)
spaces.role_limits["commission"] = _role_limit
spaces.space_pages["commission"] = _own_page


# --- set-up and overview -------------------------------------------------------------------


def _organisation_choices():
    return choices(
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    )


@bp.get("/")
@login_required
def index():
    """The commissions this person may know about, and a way to set up a new one."""
    person = viewer()
    found = [
        c
        for c in db.session.scalars(select(Commission).join(Commission.space).order_by(Space.name))
        if rules.can(person, "know_exists", c)
    ]
    return render_template(
        "commissions/index.html",
        commissions=found,
        can_set_up=rules.can_set_up(person),
        PHASES=rules.PHASES_BY_KEY,
    )


def _create_commission(form: CommissionForm, person: Person) -> Commission:
    hosts = [db.session.get(Organisation, oid) for oid in form.hosts.data]
    space = Space(
        name=form.name.data.strip(),
        kind="commission",
        organisation=hosts[0],
        visibility="members",
        slug=slugify(form.name.data, Space),
    )
    commission = Commission(
        space=space,
        place=form.place.data.strip(),
        starts_on=form.starts_on.data,
        phase=form.phase.data,
        phase_started_on=form.phase_started_on.data,
        phase_plan=dict(rules.DEFAULT_PLAN),
        north_star=(form.north_star.data or "").strip() or None,
    )
    commission.hosts = [CommissionHost(organisation=o) for o in hosts]
    db.session.add(commission)
    if form.i_facilitate.data:
        db.session.add(
            Membership(
                person=person, space=space, role="facilitator", focus=form.focus.data or None
            )
        )
    db.session.flush()
    if commission.north_star:
        db.session.add(
            CharterVersion(
                commission_id=commission.id,
                north_star=commission.north_star,
                note=_("Written when the commission was set up."),
                edited_by_id=person.id,
            )
        )
    record(
        "commission.created", f"Set up {space.name}", commission, space=space, visibility="space"
    )
    return commission


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    person = viewer()
    if not rules.can_set_up(person):
        abort(404)
    form = CommissionForm()
    form.hosts.choices = _organisation_choices()
    if request.method == "GET":
        form.starts_on.data = form.phase_started_on.data = local_today()
    if form.validate_on_submit():
        if form.phase_started_on.data < form.starts_on.data:
            form.phase_started_on.errors = [_("This can't be before the start date.")]
        else:
            commission = _create_commission(form, person)
            db.session.commit()
            flash(
                _(
                    "%(name)s is set up. Next: invite its first community commissioners.",
                    name=commission.space.name,
                ),
                "success",
            )
            return see_other(url_for("commissions.show", slug=commission.space.slug))
    if form.is_submitted():
        return form_errors("commissions/new.html", "commission_form", "commission-form", form=form)
    return render_template("commissions/new.html", form=form)


@bp.get("/<slug>")
@login_required
def show(slug: str):
    commission = load_commission(slug, "know_exists")
    person = viewer()
    if rules.access(person, commission) == "waiting":
        shared = rules.first_shared_phase()
        planned = {row.phase.key: row for row in _timeline(commission)}
        return render(
            "commissions/waiting.html",
            commission,
            shared=shared,
            shared_from=planned[shared.key].starts_on,
            can_approve=rules.can(person, "approve_recompense", commission),
        )
    upcoming = db.session.scalars(
        select(CommissionSession)
        .where(
            CommissionSession.commission_id == commission.id, CommissionSession.ends_at >= utcnow()
        )
        .order_by(CommissionSession.starts_at)
        .limit(1)
    ).first()
    open_lifebuoys = 0
    if rules.can(person, "see_lifebuoys", commission):
        open_lifebuoys = db.session.scalar(
            select(func.count())
            .select_from(Lifebuoy)
            .where(Lifebuoy.commission_id == commission.id, Lifebuoy.acknowledged_at.is_(None))
        )
    promised = db.session.execute(
        select(Commitment.status, func.count())
        .where(Commitment.commission_id == commission.id)
        .group_by(Commitment.status)
    ).all()
    return render(
        "commissions/show.html",
        commission,
        next_session=upcoming,
        open_lifebuoys=open_lifebuoys,
        commitment_counts=dict(promised),
        counts=rules.cohort_counts(m.role for m in members(commission)),
    )


# --- phases --------------------------------------------------------------------------------


def _timeline(commission: Commission):
    return rules.timeline(
        commission.starts_on, commission.phase_plan, commission.phase, commission.phase_started_on
    )


def _timeline_page(
    commission: Commission,
    status: int = 200,
    advance_form=None,
    plan_form=None,
    advance_check=None,
    plan_check=None,
):
    changes = db.session.scalars(
        select(PhaseChange)
        .where(PhaseChange.commission_id == commission.id)
        .order_by(PhaseChange.at.desc())
    ).all()
    return render(
        "commissions/timeline.html",
        commission,
        status=status,
        rows=_timeline(commission),
        changes=changes,
        advance_form=advance_form or AdvanceForm(prefix="advance"),
        plan_form=plan_form or phase_plan_form(commission.phase_plan),
        advance_check=advance_check
        or rules.check_advance(commission.phase, commission.phase_started_on, local_today()),
        plan_check=plan_check,
        next_phase=rules.next_phase(commission.phase),
    )


@bp.get("/<slug>/phases")
@login_required
def timeline(slug: str):
    return _timeline_page(load_commission(slug))


@bp.post("/<slug>/phases/next")
@login_required
def timeline_advance(slug: str):
    """Move to the next phase: a recorded act, with a reason when it cuts a phase short."""
    commission = load_commission(slug, "manage")
    form = AdvanceForm(prefix="advance")
    check = rules.check_advance(commission.phase, commission.phase_started_on, local_today())
    if not form.validate_on_submit() or not check.allowed:
        return _timeline_page(commission, 422, advance_form=form, advance_check=check)
    reason = (form.reason.data or "").strip()
    if check.needs_reason and not reason:
        form.reason.errors = [_("Say why you are moving on early. This is recorded.")]
        return _timeline_page(commission, 422, advance_form=form, advance_check=check)
    before, after = commission.phase, rules.next_phase(commission.phase)
    commission.phase, commission.phase_started_on = after, local_today()
    db.session.add(
        PhaseChange(
            commission_id=commission.id,
            from_phase=before,
            to_phase=after,
            reason=reason or None,
            overrode_guardrail=check.needs_reason,
            by_id=current_user.id,
        )
    )
    record(
        "commission.phase_moved",
        f"Moved from {before} to {after}"
        + (" before the usual time" if check.needs_reason else ""),
        commission,
        space=commission.space,
        visibility="space",
        detail={
            "from": before,
            "to": after,
            "reason": reason or None,
            "overrode_guardrail": check.needs_reason,
        },
    )
    db.session.commit()
    flash(
        _(
            "The commission is now in the phase: %(phase)s.",
            phase=_(rules.PHASES_BY_KEY[after].label),
        ),
        "success",
    )
    return see_other(url_for("commissions.timeline", slug=slug))


@bp.post("/<slug>/phases/plan")
@login_required
def timeline_plan(slug: str):
    """Change the planned months per phase; shortening a guarded phase needs a reason."""
    commission = load_commission(slug, "manage")
    form = phase_plan_form(commission.phase_plan, formdata=request.form)
    if not form.validate_on_submit():
        return _timeline_page(commission, 422, plan_form=form)
    new_plan = {p.key: getattr(form, f"months_{p.key}").data for p in rules.PHASES}
    check = rules.check_plan(commission.phase_plan, new_plan)
    reason = (form.reason.data or "").strip()
    if not check.allowed or (check.needs_reason and not reason):
        if check.needs_reason:
            form.reason.errors = [_("Say why you are shortening it. This is recorded.")]
        return _timeline_page(commission, 422, plan_form=form, plan_check=check)
    before = dict(commission.phase_plan)
    if before == new_plan:
        return see_other(url_for("commissions.timeline", slug=slug))
    commission.phase_plan = new_plan
    db.session.add(
        PhaseChange(
            commission_id=commission.id,
            plan_before=before,
            plan_after=new_plan,
            reason=reason or None,
            overrode_guardrail=check.needs_reason,
            by_id=current_user.id,
        )
    )
    record(
        "commission.plan_changed",
        "Changed the phase plan",
        commission,
        space=commission.space,
        visibility="space",
        detail={"before": before, "after": new_plan, "reason": reason or None},
    )
    db.session.commit()
    flash(_("The phase plan is saved."), "success")
    return see_other(url_for("commissions.timeline", slug=slug))


# --- charter -------------------------------------------------------------------------------


@bp.route("/<slug>/charter", methods=["GET", "POST"])
@login_required
def charter(slug: str):
    commission = load_commission(slug)
    may_edit = rules.can(viewer(), "edit_charter", commission)
    form = CharterForm(obj=commission)
    if request.method == "POST":
        if not may_edit:
            abort(404)
        if form.validate_on_submit():
            north_star = (form.north_star.data or "").strip() or None
            principles = (form.principles.data or "").strip() or None
            if (north_star, principles) != (commission.north_star, commission.principles):
                commission.north_star, commission.principles = north_star, principles
                acting_for = g.get("acting_for")
                db.session.add(
                    CharterVersion(
                        commission_id=commission.id,
                        north_star=north_star,
                        principles=principles,
                        note=(form.note.data or "").strip() or None,
                        edited_by_id=current_user.id,
                        on_behalf_of_id=acting_for.id if acting_for else None,
                    )
                )
                record(
                    "commission.charter_changed",
                    "Changed the charter",
                    commission,
                    space=commission.space,
                    visibility="space",
                )
                db.session.commit()
                flash(_("The charter is saved. Everyone can see what changed."), "success")
            return see_other(url_for("commissions.charter", slug=slug))
    history = db.session.scalars(
        select(CharterVersion)
        .where(CharterVersion.commission_id == commission.id)
        .order_by(CharterVersion.edited_at.desc(), CharterVersion.id.desc())
    ).all()
    return render(
        "commissions/charter.html",
        commission,
        status=422 if form.errors else 200,
        block="charter_form" if form.errors else None,
        form=form,
        may_edit=may_edit,
        history=history,
    )


# --- people --------------------------------------------------------------------------------


def members(commission: Commission, statuses=("active", "stepping_back")) -> list[Membership]:
    """The commission's memberships with these statuses, by chosen name, people still active."""
    rows = db.session.scalars(
        select(Membership)
        .join(Membership.person)
        .where(Membership.space_id == commission.space_id, Membership.status.in_(statuses))
        .order_by(Person.chosen_name, Person.id)
    ).all()
    return [m for m in rows if m.person.active]


def acting_for_here(commission: Commission):
    """The person a facilitator is acting for in this commission (assisted mode), if any."""
    acting, space = g.get("acting_for"), g.get("acting_in")
    if acting is not None and space is not None and space.id == commission.space_id:
        return acting
    return None


def acting_subject(commission: Commission):
    """Whose view these pages show: in assisted mode, the person the facilitator is acting
    for here (so they can do only what that person may); otherwise whoever is signed in."""
    return acting_for_here(commission) or viewer()


COHORTS = [
    ("community", N_("Community commissioners"), ("community_commissioner",)),
    (
        "civic_business",
        N_("Civic and business commissioners"),
        ("civic_commissioner", "business_commissioner"),
    ),
    ("facilitators", N_("Facilitators"), ("facilitator",)),
    ("others", N_("Observers"), ("observer",)),
]


@bp.get("/<slug>/people")
@login_required
def people(slug: str):
    commission = load_commission(slug)
    person = viewer()
    current = members(commission)
    manage = rules.can(person, "manage", commission)
    last_contact = {}
    if manage:
        last_contact = dict(
            db.session.execute(
                select(ContactLogEntry.person_id, func.max(ContactLogEntry.on))
                .where(ContactLogEntry.commission_id == commission.id)
                .group_by(ContactLogEntry.person_id)
            ).all()
        )
    today = local_today()
    room = set(rules.roles_with_room(commission, [m.role for m in current]))
    return render(
        "commissions/people.html",
        commission,
        cohorts=[
            (key, label, [m for m in current if m.role in roles]) for key, label, roles in COHORTS
        ],
        counts=rules.cohort_counts(m.role for m in current),
        caps={
            "community": commission.community_cap,
            "civic_business": commission.civic_business_cap,
            "facilitators": rules.MAX_FACILITATORS,
        },
        room=room,
        manage=manage,
        can_assist={
            m.person_id: account_rules.can(person, "assist", (commission.space, m.person))
            for m in current
        },
        sees_needs={
            m.person_id: account_rules.can(person, "see_access_needs", m.person) for m in current
        },
        gentle_hello={
            m.person_id: rules.needs_gentle_hello(m.status, last_contact.get(m.person_id), today)
            for m in current
        },
        last_contact=last_contact,
        FOCUSES=rules.FACILITATOR_FOCUSES,
        forms={m.id: MemberForm(prefix=f"m{m.id}", obj=m) for m in current} if manage else {},
    )


@bp.post("/<slug>/people/<int:membership_id>")
@login_required
def people_update(slug: str, membership_id: int):
    """A facilitator notes that someone is stepping back or has left, or changes a focus."""
    commission = load_commission(slug, "manage")
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.space_id != commission.space_id:
        abort(404)
    form = MemberForm(prefix=f"m{membership.id}")
    if not form.validate_on_submit():
        abort(400)
    changes = {}
    if form.status.data != membership.status:
        changes["status"] = (membership.status, form.status.data)
        membership.status = form.status.data
    focus = form.focus.data or None
    if membership.role == "facilitator" and focus != membership.focus:
        changes["focus"] = (membership.focus, focus)
        membership.focus = focus
    if changes:
        record(
            "membership.changed",
            f"Updated {membership.person.chosen_name}: "
            + ", ".join(f"{k} {a} → {b}" for k, (a, b) in changes.items()),
            membership.person,
            space=commission.space,
            visibility="private",
            detail={k: list(v) for k, v in changes.items()},
        )
        db.session.commit()
        flash(_("Saved for %(name)s.", name=membership.person.chosen_name), "success")
    return see_other(url_for("commissions.people", slug=slug, _anchor=f"member-{membership.id}"))


# The other commission pages register their routes on ``bp`` when imported.
from participate.commissions import commitments, printing, recompense, sessions  # noqa: E402, F401
from participate.stories import views as _story_views  # noqa: E402, F401
