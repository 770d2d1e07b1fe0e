"""Safety: flags on stories and quotes, hiding and showing again with a reason, telling the
teller, the commission's moderation log, and answering calls for support.

Who may do each thing is asked of ``stories.rules``. Nothing here copies the words of a story
or a quote into the audit log, the moderation log or an email: only the title reaches the
teller's own email.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from participate.accounts.forms import strip_whitespace
from participate.accounts.mail import send
from participate.audit import record
from participate.clock import local_today
from participate.columns import utcnow
from participate.commissions import rules as commission_rules
from participate.commissions.models import Commission
from participate.commissions.views import acting_subject, bp, load_commission, render
from participate.extensions import db
from participate.stories import rules
from participate.stories.forms import ButtonForm
from participate.stories.models import ModerationEntry, Quote, Story, StoryFlag
from participate.stories.views import (
    LIST_PANELS,
    STORY_PANELS,
    _load_story,
    _stories,
    _stories_url,
    _story_url,
)
from participate.text import N_
from participate.web.home import TASK_PROVIDERS, Task
from participate.web.htmx import see_other
from participate.web.urls import safe_next

# --- forms -----------------------------------------------------------------------------------

_READ_BY_ALL = _l(
    "The teller is told this reason, and everyone in the commission can read it in the "
    "moderation log. Don't repeat the words of the story or say who told it."
)


class FlagForm(FlaskForm):
    reason = TextAreaField(
        _l("What worries you about it?"),
        description=_l(
            "Only the facilitators read this. They see who raised it; the teller is not told."
        ),
        validators=[
            DataRequired(_l("Say what worries you, so a facilitator knows what to look at.")),
            Length(max=500, message=_l("Keep it to 500 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )


def _reason_field(label, required) -> TextAreaField:
    """A facilitator's reason: members read it in the moderation log, the teller is told."""
    return TextAreaField(
        label,
        description=_READ_BY_ALL,
        validators=[
            DataRequired(required),
            Length(max=300, message=_l("Keep it to 300 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )


class HideForm(FlaskForm):
    reason = _reason_field(_l("Why hide it?"), _l("Write why it is hidden: the teller is told."))


class ShowAgainForm(FlaskForm):
    reason = _reason_field(_l("Why show it again?"), _l("Write why it can show again."))


def hide_form(**kwargs) -> HideForm:
    return HideForm(prefix="hide", **kwargs)


def show_again_form(**kwargs) -> ShowAgainForm:
    return ShowAgainForm(prefix="again", **kwargs)


# --- helpers ---------------------------------------------------------------------------------


def _moderator(slug: str):
    """The commission, the facilitator and today; 404 for everyone else."""
    commission = load_commission(slug)
    person = acting_subject(commission)
    if not rules.can_moderate(person, commission):
        abort(404)
    return commission, person, local_today()


def _quote(commission: Commission, quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.story.commission_id != commission.id:
        abort(404)
    return quote


def _open_flags(story: Story, quote: Quote | None) -> list[StoryFlag]:
    """Undecided flags on a story itself (``quote`` None) or on one of its quotes."""
    query = select(StoryFlag).where(StoryFlag.story_id == story.id, StoryFlag.outcome.is_(None))
    if quote is None:
        query = query.where(StoryFlag.quote_id.is_(None))
    else:
        query = query.where(StoryFlag.quote_id == quote.id)
    return db.session.scalars(query.order_by(StoryFlag.raised_at, StoryFlag.id)).all()


def _decide(flags: list[StoryFlag], outcome: str, person, now) -> None:
    for flag in flags:
        flag.outcome, flag.decided_by_id, flag.decided_at = outcome, person.id, now


def _log(commission, story, quote, action: str, reason: str, person, now) -> ModerationEntry:
    entry = ModerationEntry(
        commission_id=commission.id,
        story_id=story.id,
        quote_id=quote.id if quote is not None else None,
        action=action,
        reason=reason,
        by_id=person.id,
        at=now,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _gets_email(person) -> bool:
    return bool(person.email) and person.notification_choice != "none"


def _tell_teller(commission: Commission, story: Story, quote: Quote | None, reason: str) -> None:
    """Email the teller what was hidden and why: the title, never the words."""
    teller = story.teller
    if not _gets_email(teller):
        return  # the notice on their story and the task on their home page still tell them
    send(
        teller.email,
        N_("A facilitator hid one of your stories in %(space)s"),
        "stories/email/hidden.txt",
        teller.language,
        subject_args={"space": commission.space.name},
        teller=teller,
        commission=commission,
        story=story,
        quote=quote,
        reason=reason,
        link=_story_url(commission, story, _external=True),
        people_link=url_for("commissions.people", slug=commission.space.slug, _external=True),
    )


def _reason_page(commission, mode: str, form, story: Story, quote: Quote | None):
    """The page for hiding or showing again, with the reason to give (a 422 with the form's
    messages when it was sent and isn't right)."""
    status = 422 if form.is_submitted() else 200
    if quote is None:
        args = {"slug": commission.space.slug, "story_id": story.id}
        action = url_for(f"commissions.story_{mode}", **args)
        back = _story_url(commission, story)
    else:
        args = {"slug": commission.space.slug, "quote_id": quote.id}
        action = url_for(f"commissions.quote_{mode}", **args)
        back = _stories_url(commission)
    return render(
        "stories/moderation_reason.html",
        commission,
        status=status,
        block="reason_form" if status == 422 else None,
        mode=mode,
        form=form,
        form_id="hide-form" if mode == "hide" else "show-again-form",
        action=action,
        back_url=back,
        story=story,
        quote=quote,
        flags=_open_flags(story, quote) if mode == "hide" else [],
    )


# --- flagging --------------------------------------------------------------------------------


def _flag_page(commission, form, story, quote, **context):
    nxt = request.args.get("next")
    status = 422 if form.is_submitted() else 200
    if quote is None:
        action = url_for(
            "commissions.story_flag", slug=commission.space.slug, story_id=story.id, next=nxt
        )
    else:
        action = url_for(
            "commissions.quote_flag", slug=commission.space.slug, quote_id=quote.id, next=nxt
        )
    return render(
        "stories/flag.html",
        commission,
        status=status,
        block="flag_form" if status == 422 else None,
        form=form,
        story=story,
        quote=quote,
        action=action,
        back_url=_after_flag(commission, story, quote),
        **context,
    )


def _after_flag(commission, story, quote) -> str:
    nxt = request.args.get("next")
    if nxt:
        return safe_next(nxt)
    return _story_url(commission, story) if quote is None else _stories_url(commission)


def _flag(commission, person, story: Story, quote: Quote | None, **context):
    form = FlagForm()
    if not form.validate_on_submit():
        return _flag_page(commission, form, story, quote, **context)
    flag = StoryFlag(
        story_id=story.id,
        quote_id=quote.id if quote is not None else None,
        raised_by_id=person.id,
        reason=form.reason.data,
    )
    db.session.add(flag)
    db.session.flush()
    record(
        "quote.flagged" if quote is not None else "story.flagged",
        "Raised a worry about a quote" if quote is not None else "Raised a worry about a story",
        flag,
        space=commission.space,
        visibility="private",
        detail={"story_id": story.id, "quote_id": flag.quote_id},
    )
    db.session.commit()
    flash(_("Thank you for telling us. A facilitator will look at it soon."), "success")
    return see_other(_after_flag(commission, story, quote))


@bp.route("/<slug>/stories/<int:story_id>/flag", methods=["GET", "POST"])
@login_required
def story_flag(slug: str, story_id: int):
    """Someone worried about a story tells the facilitators why."""
    commission = load_commission(slug)
    person, today = acting_subject(commission), local_today()
    story = _load_story(commission, story_id, today)
    if not rules.can_flag(person, story, commission, today):
        abort(404)
    return _flag(commission, person, story, None)


@bp.route("/<slug>/stories/quotes/<int:quote_id>/flag", methods=["GET", "POST"])
@login_required
def quote_flag(slug: str, quote_id: int):
    """Someone worried about a quote, wherever they saw it, tells the facilitators why."""
    commission = load_commission(slug)
    person, today = acting_subject(commission), local_today()
    quote = _quote(commission, quote_id)
    story = quote.story
    if not rules.can_flag_quote(person, quote, story, commission, today):
        abort(404)
    # The excerpt is theirs to see; the story's title only if they may read the story.
    title_shown = rules.can_see_story(person, story, commission, today)
    return _flag(commission, person, story, quote, title_shown=title_shown)


# --- hiding and showing again ----------------------------------------------------------------


def _hide(commission, person, story: Story, quote: Quote | None, done: str, then: str):
    """Hide the story (``quote`` None) or one of its quotes, for the reason on the form: its
    open flags are closed, the log says why, and the teller is told. Until the form is right,
    the page asking for the reason."""
    form = hide_form()
    if not form.validate_on_submit():
        return _reason_page(commission, "hide", form, story, quote)
    now = utcnow()
    hidden, kind = (story, "story") if quote is None else (quote, "quote")
    hidden.hidden_at, hidden.hidden_reason = now, form.reason.data
    flags = _open_flags(story, quote)
    _decide(flags, "hidden", person, now)
    entry = _log(commission, story, quote, "hidden", form.reason.data, person, now)
    detail = {"moderation_entry": entry.id, "flags_closed": len(flags)}
    if quote is not None:
        detail["story_id"] = story.id
    record(
        f"{kind}.hidden",
        f"Hid a {kind}",
        hidden,
        space=commission.space,
        visibility="private",
        detail=detail,
    )
    db.session.commit()
    _tell_teller(commission, story, quote, entry.reason)
    flash(done, "success")
    return see_other(then)


def _show_again(commission, person, story: Story, quote: Quote | None, done: str):
    """Show the hidden story (``quote`` None) or quote again, for the reason on the form, which
    the log keeps. Until the form is right, the page asking for the reason."""
    form = show_again_form()
    if not form.validate_on_submit():
        return _reason_page(commission, "show_again", form, story, quote)
    shown, kind = (story, "story") if quote is None else (quote, "quote")
    shown.hidden_at, shown.hidden_reason = None, None
    entry = _log(commission, story, quote, "shown_again", form.reason.data, person, utcnow())
    detail = {"moderation_entry": entry.id}
    if quote is not None:
        detail["story_id"] = story.id
    record(
        f"{kind}.shown_again",
        f"Showed a hidden {kind} again",
        shown,
        space=commission.space,
        visibility="private",
        detail=detail,
    )
    db.session.commit()
    flash(done, "success")
    return see_other(_story_url(commission, story))


@bp.route("/<slug>/stories/<int:story_id>/hide", methods=["GET", "POST"])
@login_required
def story_hide(slug: str, story_id: int):
    """A facilitator hides a story, with a reason its teller is told."""
    commission, person, today = _moderator(slug)
    story = _load_story(commission, story_id, today)
    if not rules.is_consented(story, today):
        abort(404)  # a draft, withdrawn or expired story shows to nobody already
    if story.hidden_at is not None:
        flash(_("It is already hidden."), "success")
        return see_other(_story_url(commission, story))
    return _hide(
        commission,
        person,
        story,
        None,
        _("The story is hidden. Only its teller and the facilitators can see it now."),
        _story_url(commission, story),
    )


@bp.route("/<slug>/stories/<int:story_id>/show-again", methods=["GET", "POST"])
@login_required
def story_show_again(slug: str, story_id: int):
    """A facilitator shows a hidden story again, to everyone its teller chose."""
    commission, person, today = _moderator(slug)
    story = _load_story(commission, story_id, today)
    if story.hidden_at is None:
        return see_other(_story_url(commission, story))
    return _show_again(
        commission, person, story, None, _("The story shows again to everyone its teller chose.")
    )


@bp.route("/<slug>/stories/quotes/<int:quote_id>/hide", methods=["GET", "POST"])
@login_required
def quote_hide(slug: str, quote_id: int):
    """A facilitator hides a quote wherever it is shown; the story itself is not changed."""
    commission, person, today = _moderator(slug)
    quote = _quote(commission, quote_id)
    story = quote.story
    if quote.hidden_at is not None:
        flash(_("It is already hidden."), "success")
        return see_other(_stories_url(commission))
    if not rules.can_see_quote(person, quote, story, commission, today):
        abort(404)
    return _hide(
        commission,
        person,
        story,
        quote,
        _("The quote is hidden everywhere it was shown."),
        _stories_url(commission),
    )


@bp.route("/<slug>/stories/quotes/<int:quote_id>/show-again", methods=["GET", "POST"])
@login_required
def quote_show_again(slug: str, quote_id: int):
    commission, person, today = _moderator(slug)
    quote = _quote(commission, quote_id)
    story = quote.story
    if not rules.can_see_story(person, story, commission, today):
        abort(404)
    if quote.hidden_at is None:
        return see_other(_story_url(commission, story))
    return _show_again(
        commission,
        person,
        story,
        quote,
        _("The quote shows again wherever its teller's choices allow."),
    )


@bp.post("/<slug>/stories/flags/<int:flag_id>/keep")
@login_required
def story_flag_keep(slug: str, flag_id: int):
    """A facilitator looked and decided it can keep showing: the flag is closed."""
    commission, person, _today = _moderator(slug)
    flag = db.session.get(StoryFlag, flag_id)
    if flag is None or flag.story.commission_id != commission.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if flag.outcome is None:
        _decide([flag], "kept", person, utcnow())
        record(
            "story.flag_kept",
            "Looked at a worry and kept it showing",
            flag,
            space=commission.space,
            visibility="private",
            detail={"story_id": flag.story_id, "quote_id": flag.quote_id},
        )
        db.session.commit()
        flash(_("It keeps showing, and the worry is closed."), "success")
    return see_other(_stories_url(commission))


# --- the moderation log ----------------------------------------------------------------------


@bp.get("/<slug>/stories/moderation")
@login_required
def story_moderation(slug: str):
    """What was hidden or shown again, when, why and by whom: never what it said, or whose."""
    commission = load_commission(slug)
    if not rules.can_read_moderation_log(acting_subject(commission), commission):
        abort(404)
    entries = db.session.scalars(
        select(ModerationEntry)
        .where(ModerationEntry.commission_id == commission.id)
        .order_by(ModerationEntry.at.desc(), ModerationEntry.id.desc())
    ).all()
    return render("stories/moderation.html", commission, entries=entries)


# --- support after sharing -------------------------------------------------------------------


@bp.post("/<slug>/stories/<int:story_id>/support")
@login_required
def story_support_acknowledge(slug: str, story_id: int):
    """A facilitator says they have been in touch with a teller who asked for support."""
    commission = load_commission(slug)
    person = acting_subject(commission)
    if not rules.can_acknowledge_support(person, commission):
        abort(404)
    story = db.session.get(Story, story_id)
    if story is None or story.commission_id != commission.id or not story.wants_support:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if rules.waits_for_support(story):
        story.support_acknowledged_by_id, story.support_acknowledged_at = person.id, utcnow()
        record(
            "story.support_acknowledged",
            "Was in touch with someone who asked for support after sharing a story",
            story,
            space=commission.space,
            visibility="private",
        )
        db.session.commit()
        flash(_("Thank you. %(name)s is off the list.", name=story.teller.chosen_name), "success")
    return see_other(_stories_url(commission))


# --- panels on the story pages ---------------------------------------------------------------


def _untold(story: Story) -> list[ModerationEntry]:
    return db.session.scalars(
        select(ModerationEntry).where(
            ModerationEntry.story_id == story.id,
            ModerationEntry.action == "hidden",
            ModerationEntry.teller_told_at.is_(None),
        )
    ).all()


def _hidden_quotes(stories) -> list[Quote]:
    return [q for s in stories for q in s.quotes if q.hidden_at is not None]


def _teller_panel(story, commission, person, today: date):
    """For the teller: what a facilitator hid and why (seeing it is being told), and whether a
    facilitator has been in touch about support."""
    if story is None or not rules.can_manage_story(person, story):
        return None
    hidden_quotes = _hidden_quotes([story])
    support = rules.asked_for_support(story)
    if story.hidden_at is None and not hidden_quotes and not support:
        return None
    untold = _untold(story)
    if untold:
        now = utcnow()
        for entry in untold:
            entry.teller_told_at = now
        db.session.commit()
    return {
        "template": "stories/_moderation_teller.html",
        "story": story,
        "hidden_quotes": hidden_quotes,
        "support": support,
    }


def _worried_panel(story, commission, person, today: date):
    """For members who can read someone else's story: a way to tell a facilitator."""
    subject = acting_subject(commission)
    if story is None or not rules.can_flag(subject, story, commission, today):
        return None
    if rules.can_moderate(subject, commission):
        return None  # facilitators hide it themselves, in "Keeping it safe"
    return {"template": "stories/_moderation_worried.html", "story": story}


def _hidden_by(story: Story) -> ModerationEntry | None:
    return db.session.scalars(
        select(ModerationEntry)
        .where(
            ModerationEntry.story_id == story.id,
            ModerationEntry.quote_id.is_(None),
            ModerationEntry.action == "hidden",
        )
        .order_by(ModerationEntry.at.desc(), ModerationEntry.id.desc())
        .limit(1)
    ).first()


def _facilitator_panel(story, commission, person, today: date):
    """For facilitators: worries raised about this story, hiding it or showing it again, and
    its hidden quotes."""
    subject = acting_subject(commission)
    if story is None or not rules.can_moderate(subject, commission):
        return None
    if not rules.is_consented(story, today):
        return None  # drafts, withdrawn and expired stories show to nobody else anyway
    return {
        "template": "stories/_moderation_story.html",
        "story": story,
        "flags": _open_flags(story, None),
        "hidden_by": _hidden_by(story) if story.hidden_at is not None else None,
        "hidden_quotes": _hidden_quotes([story]),
        "hide_form": hide_form(formdata=None),
        "show_again_form": show_again_form(formdata=None),
    }


def _to_look_at(commission: Commission, person, today: date) -> list[dict]:
    """Open flags a facilitator can act on: on stories and quotes they can still see."""
    flags = db.session.scalars(
        select(StoryFlag)
        .join(StoryFlag.story)
        .where(Story.commission_id == commission.id, StoryFlag.outcome.is_(None))
        .order_by(StoryFlag.raised_at, StoryFlag.id)
    ).all()
    return [
        {"flag": flag, "story_visible": rules.can_see_story(person, flag.story, commission, today)}
        for flag in flags
        if rules.flag_needs_a_look(person, flag.story, flag.quote, commission, today)
    ]


def _flags_panel(_story, commission, person, today: date):
    """For facilitators, on the list: worries to look at, and what is hidden for now."""
    subject = acting_subject(commission)
    if not rules.can_moderate(subject, commission):
        return None
    items = _to_look_at(commission, subject, today)
    visible = [
        s for s in _stories(commission) if rules.can_see_story(subject, s, commission, today)
    ]
    hidden = [s for s in visible if s.hidden_at is not None]
    hidden_quotes = _hidden_quotes(visible)
    if not items and not hidden and not hidden_quotes:
        return None
    return {
        "template": "stories/_moderation_flags.html",
        "worries": items,
        "hidden": hidden,
        "hidden_quotes": hidden_quotes,
    }


def _log_link_panel(_story, commission, person, today: date):
    if not rules.can_read_moderation_log(acting_subject(commission), commission):
        return None
    return {"template": "stories/_moderation_log_link.html"}


STORY_PANELS.extend([_teller_panel, _worried_panel, _facilitator_panel])
LIST_PANELS.extend([_flags_panel, _log_link_panel])


# --- home page tasks -------------------------------------------------------------------------


def _still_hidden(entry: ModerationEntry, story: Story) -> bool:
    if entry.quote_id is None:
        return story.hidden_at is not None
    quote = db.session.get(Quote, entry.quote_id)
    return quote is not None and quote.hidden_at is not None


def _home_tasks(person) -> list[Task]:
    """Tellers: a facilitator hid something of theirs (until they have seen why).
    Facilitators: worries to look at."""
    tasks: list[Task] = []
    untold = db.session.execute(
        select(ModerationEntry, Story)
        .join(Story, Story.id == ModerationEntry.story_id)
        .where(
            Story.teller_id == person.id,
            ModerationEntry.action == "hidden",
            ModerationEntry.teller_told_at.is_(None),
        )
        .order_by(ModerationEntry.at, ModerationEntry.id)
    ).all()
    named: set[int] = set()
    for entry, story in untold:
        if story.commission_id in named or not _still_hidden(entry, story):
            continue
        commission = db.session.get(Commission, story.commission_id)
        if not commission_rules.can(person, "view", commission):
            continue
        named.add(commission.id)
        tasks.append(
            Task(
                N_("A facilitator hid one of your stories in %(space)s"),
                "commissions.story",
                {"slug": commission.space.slug, "story_id": story.id},
                commission.space.name,
            )
        )
    commission_ids = db.session.scalars(
        select(Story.commission_id)
        .join(StoryFlag, StoryFlag.story_id == Story.id)
        .where(StoryFlag.outcome.is_(None))
        .distinct()
    ).all()
    for commission_id in sorted(commission_ids):
        commission = db.session.get(Commission, commission_id)
        if rules.can_moderate(person, commission) and _to_look_at(
            commission, person, local_today()
        ):
            tasks.append(
                Task(
                    N_("Look at worries people raised about stories in %(space)s"),
                    "commissions.stories",
                    {"slug": commission.space.slug, "_anchor": "to-look-at"},
                    commission.space.name,
                )
            )
    return tasks


TASK_PROVIDERS.append(_home_tasks)
