"""Story pages on the commission: the list, telling, reading, changing consent, withdrawing.

Whether anyone may see a story is asked of ``stories.rules`` for every story shown: the
pages never filter with a query of their own.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import delete, select

from participate.accounts.models import Person
from participate.audit import record
from participate.clock import local_today, place_zone
from participate.columns import utcnow
from participate.commissions import rules as commission_rules
from participate.commissions.forms import people_choices
from participate.commissions.models import Commission
from participate.commissions.views import (
    acting_subject,
    bp,
    load_commission,
    members,
    render,
    viewer,
)
from participate.extensions import db
from participate.stories import markdown, rules
from participate.stories.forms import NewStoryForm, StoryForm, WithdrawForm
from participate.stories.models import Story, StoryLink
from participate.web.downloads import csv_response
from participate.web.htmx import see_other

EXCERPT_CHARS = 180
# The consent choices, compared and logged when a teller changes them.
CONSENT_FIELDS = (
    "audience",
    "attribution",
    "pseudonym",
    "quoting",
    "expires_on",
    "leave_withdrawn_line",
    "wants_support",
)
# The words: logged only as "changed", never copied into the log.
TEXT_FIELDS = ("template", "title", "body", "content_note")

# Other parts of stories (quotes, links, moderation) add sections to a story's page and to the
# list of stories. Each is a function(story_or_None, commission, person, today) returning None
# or a dict with "template" (included where the page lists its panels) and that template's
# context. STORY_PANELS show under a story; LIST_PANELS near the top of the list.
STORY_PANELS: list = []
LIST_PANELS: list = []


def panels(hooks: list, story, commission: Commission, person, today: date) -> list[dict]:
    return [panel for hook in hooks if (panel := hook(story, commission, person, today))]


# --- helpers ---------------------------------------------------------------------------------


def _stories(commission: Commission) -> list[Story]:
    """Every story of the commission, newest first. Callers filter with ``rules``."""
    return db.session.scalars(
        select(Story)
        .where(Story.commission_id == commission.id)
        .order_by(Story.created_at.desc(), Story.id.desc())
    ).all()


def _load_story(commission: Commission, story_id: int, today: date) -> Story:
    """The story, or 404 unless the person signed in may read it."""
    story = db.session.get(Story, story_id)
    if (
        story is None
        or story.commission_id != commission.id
        or not rules.can_see_story(viewer(), story, commission, today)
    ):
        abort(404)
    return story


def byline_for(story: Story) -> rules.Byline:
    return rules.byline(
        story,
        story.teller.chosen_name,
        story.recorded_by.chosen_name if story.recorded_by is not None else None,
    )


def excerpt(story: Story) -> str:
    text = " ".join(markdown.excerpt_text(story.body).split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _record_choices(commission: Commission, gatherer) -> list:
    """Members a facilitator may write a story down for; empty for everyone else."""
    people = [
        m.person
        for m in members(commission, ("active",))
        if rules.can_record_for(gatherer, m.person, commission)
    ]
    return people_choices(people, _("It is my own story")) if people else []


def _stories_url(commission: Commission) -> str:
    return url_for("commissions.stories", slug=commission.space.slug)


def _story_url(commission: Commission, story: Story, **kwargs) -> str:
    """The story's page; ``kwargs`` for ``url_for`` (``_anchor``, ``_external``)."""
    return url_for("commissions.story", slug=commission.space.slug, story_id=story.id, **kwargs)


def _status_from_button(current: str) -> str:
    action = request.form.get("action")
    if current == "withdrawn":
        return current  # sharing it again is a separate act, not a side effect of editing
    if action == "share":
        return "shared"
    if action == "draft":
        return "draft"
    return current


def _check(form: StoryForm, status: str, today: date) -> bool:
    """The checks that depend on more than one field. True when all is well."""
    if form.attribution.data == "pseudonym" and not form.pseudonym.data:
        form.pseudonym.errors = [*form.pseudonym.errors, _("Write the made-up name to use.")]
    if form.expires_on.data is not None and form.expires_on.data <= today:
        form.expires_on.errors = [*form.expires_on.errors, _("Choose a date after today.")]
    if status == "shared" and markdown.is_blank(form.body.data):
        form.body.errors = [*form.body.errors, _("Write your story before you share it.")]
    return not form.errors


def _fill(story: Story, form: StoryForm, only_valid: bool = False) -> None:
    """Copy the form onto the story; ``only_valid`` skips fields with errors (autosave keeps
    what it can of a half-finished draft)."""
    for name in TEXT_FIELDS + CONSENT_FIELDS:
        if only_valid and getattr(form, name).errors:
            continue
        value = getattr(form, name).data
        if isinstance(value, str):
            value = (value.strip() or None) if name in ("content_note", "pseudonym") else value
        setattr(story, name, value)
    if story.body is None:
        story.body = ""
    if story.title is None:
        story.title = ""
    if story.attribution != "pseudonym":
        story.pseudonym = None


def _form_page(commission, form, story=None, status=200):
    return render(
        "stories/form.html",
        commission,
        status=status,
        block="story_form" if status == 422 else None,
        form=form,
        story=story,
        form_key=None if story is not None else _form_key(),
        OPEN_PROMPTS=rules.OPEN_PROMPTS,
    )


def _form_key() -> str:
    """The new-story form's key, as sent back with it (or a new one for a fresh form)."""
    sent = request.form.get("form_key", "")
    return sent if len(sent) == 32 and sent.isalnum() else uuid4().hex


def _new_form_key() -> str:
    """The key for a story this form is saving for the first time: the form's own, unless
    another story already has it (a tampered form), then a new one."""
    key = _form_key()
    taken = db.session.scalar(select(Story.id).where(Story.form_key == key))
    return uuid4().hex if taken else key


def _continued_story(commission: Commission, person, subject) -> Story | None:
    """The story this form has already saved (as a draft while the person typed), if it is
    theirs to continue: one they tell, or one they are writing down. Found by the draft's id
    (on a draft's own edit page) or by the new-story form's key."""
    if request.form.get("draft_id", "").isdigit():
        story = db.session.get(Story, int(request.form["draft_id"]))
    elif request.form.get("form_key"):
        story = db.session.scalar(select(Story).where(Story.form_key == request.form["form_key"]))
    else:
        return None
    if story is None or story.commission_id != commission.id:
        return None
    return story if rules.may_continue_story(person, subject, story) else None


def _teller_and_recorder(form: NewStoryForm, commission: Commission, person, subject):
    """Whose story it is and who is writing it down. 404 for a teller the person may not
    record for; a consent error on the form if they have not said the teller agreed."""
    if form.teller_id.data is None:
        return subject, (person if subject.id != person.id else None)
    chosen = db.session.get(Person, form.teller_id.data)
    if chosen is None or not rules.can_record_for(person, chosen, commission):
        abort(404)
    if not form.consent.data:
        form.consent.errors = [_("Check with them first, then tick this box.")]
    return chosen, person


def _new_story_form(commission: Commission, person, subject) -> NewStoryForm:
    form = NewStoryForm()
    record_choices = _record_choices(commission, person) if subject.id == person.id else []
    form.teller_id.choices = record_choices or people_choices([], _("It is my own story"))
    return form


def _record_recording(commission: Commission, story: Story, teller, recorder) -> None:
    record(
        "story.recorded",
        f"Wrote down a story with {teller.chosen_name}",
        story,
        space=commission.space,
        visibility="private",
        actor=recorder,
        on_behalf_of=teller,
    )


def matches(story: Story, words: str) -> bool:
    """Does a story's title, content note or text contain all of these words?"""
    haystack = " ".join(
        [story.title or "", story.content_note or "", markdown.excerpt_text(story.body)]
    ).casefold()
    return all(word in haystack for word in words.casefold().split())


# --- the list --------------------------------------------------------------------------------


@bp.get("/<slug>/stories")
@login_required
def stories(slug: str):
    commission = load_commission(slug)
    person, today = viewer(), local_today()
    words = request.args.get("q", "").strip()[:200]
    everything = _stories(commission)
    readable, gone_lines, recording = [], [], []
    for story in everything:
        if rules.can_see_story(person, story, commission, today):
            if story.teller_id == person.id:
                continue  # under "Your stories"
            if story.status == "draft":
                recording.append(story)  # a gatherer writing it down with its teller
            elif not words or matches(story, words):
                readable.append(story)
        elif rules.sees_withdrawn_line(person, story, commission, today):
            gone_lines.append(story)  # where it was, a line (its teller chose that)
    support = []
    if rules.can_acknowledge_support(acting_subject(commission), commission):
        # Facilitators only. Names, not stories: an anonymous story stays anonymous.
        support = [s for s in everything if rules.waits_for_support(s)]
    return render(
        "stories/index.html",
        commission,
        panels=panels(LIST_PANELS, None, commission, person, today),
        words=words,
        readable=readable,
        gone_lines=gone_lines,
        recording=recording,
        mine=[s for s in everything if s.teller_id == person.id],
        support=support,
        may_tell=commission_rules.can(acting_subject(commission), "take_part", commission),
        byline_for=byline_for,
        excerpt=excerpt,
        own_state=lambda s: rules.own_story_state(s, today),
    )


@bp.get("/<slug>/stories.csv")
@login_required
def stories_csv(slug: str):
    """The shared stories this person may read, named as their tellers chose, for a
    spreadsheet. The same rule as the page decides every row."""
    commission = load_commission(slug)
    person, today = viewer(), local_today()
    rows = []
    for story in _stories(commission):
        if story.status == "draft" or not rules.can_see_story(person, story, commission, today):
            continue
        b = byline_for(story)
        rows.append(
            [
                story.title,
                b.name if b.name is not None else _("Anonymous"),
                b.recorded_by or "",
                _(rules.TEMPLATES[story.template]),
                story.content_note or "",
                story.shared_at.astimezone(place_zone()).date().isoformat()
                if story.shared_at
                else "",
                markdown.excerpt_text(story.body),
            ]
        )
    header = [
        _("Title"),
        _("Told by"),
        _("Recorded by"),
        _("Told as"),
        _("Content note"),
        _("Shared on"),
        _("Story"),
    ]
    return csv_response(f"{commission.space.slug}-stories.csv", header, rows)


# --- telling ---------------------------------------------------------------------------------


@bp.route("/<slug>/stories/new", methods=["GET", "POST"])
@login_required
def story_new(slug: str):
    commission = load_commission(slug)
    person, subject, today = viewer(), acting_subject(commission), local_today()
    if not commission_rules.can(subject, "take_part", commission):
        abort(404)
    form = _new_story_form(commission, person, subject)
    if request.method == "GET":
        return _form_page(commission, form)
    draft = _continued_story(commission, person, subject)
    if draft is not None and draft.status != "draft":
        # Already saved by this very form (sent twice): show it rather than make a copy.
        return see_other(_story_url(commission, draft))
    valid = form.validate_on_submit()
    status = _status_from_button("draft")
    teller, recorder = subject, (person if subject.id != person.id else None)
    if valid:
        teller, recorder = _teller_and_recorder(form, commission, person, subject)
    if not _check(form, status, today) or not valid:
        return _form_page(commission, form, status=422)

    # The draft saved while they typed becomes this story; otherwise a new one.
    story = draft or Story(commission_id=commission.id, form_key=_new_form_key())
    story.teller_id = teller.id
    story.recorded_by_id = recorder.id if recorder else None
    story.status = status
    _fill(story, form)
    story.updated_at = utcnow()
    if status == "shared":
        story.shared_at = utcnow()
    db.session.add(story)
    db.session.flush()
    if recorder is not None and draft is None:
        _record_recording(commission, story, teller, recorder)
    if status == "shared":
        record(
            "story.shared",
            "Shared a story",
            story,
            space=commission.space,
            visibility="private",
            on_behalf_of=teller if recorder else None,
            detail={"audience": story.audience},
        )
    db.session.commit()
    flash(
        _("Your story is shared.")
        if status == "shared"
        else _("Your story is saved as a draft. Only you can see it."),
        "success",
    )
    if story.teller_id != person.id:
        flash(
            _(
                "It belongs to %(name)s: only they can change or withdraw it.",
                name=teller.chosen_name,
            ),
            "success",
        )
    return see_other(_story_url(commission, story))


@bp.post("/<slug>/stories/autosave")
@login_required
def story_autosave(slug: str):
    """Save a draft as the person types (htmx, every few seconds). Keeps whatever is valid;
    never shares anything. The answer says when it saved and carries the draft's id."""
    commission = load_commission(slug)
    person, subject = viewer(), acting_subject(commission)
    if not commission_rules.can(subject, "take_part", commission):
        abort(404)
    draft = _continued_story(commission, person, subject)
    if (draft is None and request.form.get("draft_id")) or (
        draft is not None and draft.status != "draft"
    ):
        return render_template(
            "stories/_autosaved.html",
            saved=None,
            message=_("Not saved automatically. Use the buttons below to save."),
        )
    form = _new_story_form(commission, person, subject)
    form.validate()
    if not (form.title.data or "").strip() and markdown.is_blank(form.body.data):
        return render_template("stories/_autosaved.html", saved=None, message="")
    teller, recorder = _teller_and_recorder(form, commission, person, subject)
    if form.consent.errors:
        return render_template(
            "stories/_autosaved.html",
            saved=None,
            message=_("Tick the box to say they agreed, and it will save as you go."),
        )
    story = draft or Story(
        commission_id=commission.id,
        teller_id=teller.id,
        recorded_by_id=recorder.id if recorder else None,
        status="draft",
        form_key=_new_form_key(),
    )
    _fill(story, form, only_valid=True)
    story.updated_at = utcnow()
    db.session.add(story)
    db.session.flush()
    if recorder is not None and draft is None:
        _record_recording(commission, story, teller, recorder)
    db.session.commit()
    return render_template("stories/_autosaved.html", saved=story, message="")


# --- reading ---------------------------------------------------------------------------------


@bp.get("/<slug>/stories/<int:story_id>")
@login_required
def story(slug: str, story_id: int):
    commission = load_commission(slug)
    person, today = viewer(), local_today()
    found = _load_story(commission, story_id, today)
    return render(
        "stories/show.html",
        commission,
        panels=panels(STORY_PANELS, found, commission, person, today),
        story=found,
        byline=byline_for(found),
        body=markdown.render(found.body),
        manage=rules.can_manage_story(person, found),
        state=rules.own_story_state(found, today),
        deletable=rules.is_deletable_draft(found),
        withdraw_form=WithdrawForm(leave_withdrawn_line=found.leave_withdrawn_line),
        AUDIENCES=rules.AUDIENCES,
        ATTRIBUTIONS=rules.ATTRIBUTIONS,
        QUOTING=rules.QUOTING,
        TEMPLATES=rules.TEMPLATES,
    )


# --- changing it -----------------------------------------------------------------------------


def _managed(slug: str, story_id: int):
    commission = load_commission(slug)
    today = local_today()
    found = _load_story(commission, story_id, today)
    if not rules.can_manage_story(viewer(), found):
        abort(404)
    return commission, found, today


@bp.route("/<slug>/stories/<int:story_id>/edit", methods=["GET", "POST"])
@login_required
def story_edit(slug: str, story_id: int):
    """The teller changes the words or any consent choice, at any time."""
    commission, found, today = _managed(slug, story_id)
    form = StoryForm(obj=found)
    if request.method == "GET":
        return _form_page(commission, form, found)
    status = _status_from_button(found.status)
    valid = form.validate_on_submit()
    if not _check(form, status, today) or not valid:
        return _form_page(commission, form, found, status=422)

    before = {name: getattr(found, name) for name in TEXT_FIELDS + CONSENT_FIELDS}
    before_status = found.status
    _fill(found, form)
    found.status = status
    if status == "shared" and found.shared_at is None:
        found.shared_at = utcnow()
    changes = {
        name: [_plain(before[name]), _plain(getattr(found, name))]
        for name in CONSENT_FIELDS
        if before[name] != getattr(found, name)
    }
    changed_text = [name for name in TEXT_FIELDS if before[name] != getattr(found, name)]
    if before_status != found.status:
        changes["status"] = [before_status, found.status]
    if changes or changed_text:
        found.updated_at = utcnow()
        record(
            "story.consent_changed",
            "Changed a story: " + ", ".join([*changes, *changed_text]),
            found,
            space=commission.space,
            visibility="private",
            detail={"changed": changes, "text_changed": changed_text},
        )
        db.session.commit()
        flash(_("Saved. The change applies everywhere straight away."), "success")
    return see_other(_story_url(commission, found))


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@bp.post("/<slug>/stories/<int:story_id>/delete")
@login_required
def story_delete(slug: str, story_id: int):
    """A draft never shared can be thrown away. (Shared stories are withdrawn instead.)"""
    commission, found, _today = _managed(slug, story_id)
    if not rules.is_deletable_draft(found) or not WithdrawForm().validate():
        abort(404)
    db.session.execute(delete(StoryLink).where(StoryLink.story_id == found.id))
    db.session.delete(found)
    db.session.commit()
    flash(_("Your draft is deleted."), "success")
    return see_other(_stories_url(commission))


@bp.post("/<slug>/stories/<int:story_id>/withdraw")
@login_required
def story_withdraw(slug: str, story_id: int):
    """The teller takes the story back: from now on only they can see it, anywhere."""
    commission, found, _today = _managed(slug, story_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    if found.status != "withdrawn":
        found.status, found.withdrawn_at = "withdrawn", utcnow()
        found.leave_withdrawn_line = bool(form.leave_withdrawn_line.data)
        found.updated_at = utcnow()
        record(
            "story.withdrawn",
            "Withdrew a story",
            found,
            space=commission.space,
            visibility="private",
            detail={"leave_withdrawn_line": found.leave_withdrawn_line},
        )
        db.session.commit()
        flash(_("Your story is withdrawn. Nobody but you can see it now."), "success")
    return see_other(_stories_url(commission))


# The other story pages register their routes and panels on import.
from participate.stories import moderation, storybooks, uses  # noqa: E402, F401
