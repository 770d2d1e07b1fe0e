"""Storybooks: curated collections of stories and quotes, on screen, in print and as PDF.

What a storybook shows is worked out afresh every time it is shown, by ``contents`` (the
page and the PDF both use it): each story and quote is asked of ``stories.rules`` against its
teller's consent as it is now. Nothing here filters with a query of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participate.accounts.forms import choices, int_or_none, labelled, strip_whitespace
from participate.accounts.models import Space
from participate.audit import record
from participate.clock import local_today
from participate.columns import utcnow
from participate.commissions import rules as commission_rules
from participate.commissions.models import Commission
from participate.extensions import db, limiter
from participate.slugs import plain_slug
from participate.stories import markdown, rules
from participate.stories.forms import ButtonForm
from participate.stories.models import Quote, Story, Storybook, StorybookItem
from participate.web.htmx import see_other
from participate.web.pdf import pdf_response


def add_to_storybook(
    storybook: Storybook, *, story: Story | None = None, quote: Quote | None = None, added_by
) -> StorybookItem:
    """Put a whole story, or a quote, at the end of a storybook. The caller checks who may."""
    if (story is None) == (quote is None):
        raise ValueError("A storybook item is a story or a quote, not both")
    last = db.session.scalar(
        select(func.max(StorybookItem.position)).where(StorybookItem.storybook_id == storybook.id)
    )
    item = StorybookItem(
        storybook_id=storybook.id,
        position=(last or 0) + 1,
        story_id=story.id if story is not None else None,
        quote_id=quote.id if quote is not None else None,
        added_by_id=added_by.id,
    )
    storybook.updated_at = utcnow()
    db.session.add(item)
    return item


def storybook_url(commission: Commission, storybook: Storybook) -> str:
    return url_for("commissions.storybook", slug=commission.space.slug, storybook_id=storybook.id)


# The story pages import this module's neighbours, which call ``add_to_storybook`` and
# ``storybook_url``: so they are defined before the pages are imported, whichever module Python
# happens to load first.
from participate.commissions.views import bp, load_commission, render, viewer  # noqa: E402
from participate.stories.views import LIST_PANELS, _stories, byline_for  # noqa: E402

PUBLIC_LAYOUT = "stories/storybooks/_public_layout.html"
COMMISSION_LAYOUT = "commissions/_layout.html"


# --- what a storybook shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One item as it is shown now: a whole story, a quote, or the line a teller left."""

    item: StorybookItem
    kind: str  # "story", "quote" or "withdrawn"
    story: Story | None = None
    byline: rules.Byline | None = None
    body: Markup | None = None
    excerpt: str | None = None


@dataclass(frozen=True)
class Contents:
    entries: list[Entry]
    left_out: int  # items not shown at all right now (never which ones)


def _items(storybook: Storybook) -> list[StorybookItem]:
    return db.session.scalars(
        select(StorybookItem)
        .where(StorybookItem.storybook_id == storybook.id)
        .order_by(StorybookItem.position, StorybookItem.id)
    ).all()


def contents(storybook: Storybook, today: date) -> Contents:
    """What the storybook shows right now, the same for everyone who may read it.

    Each item is re-checked against its teller's current choices for the storybook's audience:
    a story that no longer fits, or a quote its teller no longer allows, is left out; where
    the story was withdrawn and its teller asked for it, a line says so instead.
    """
    entries, left_out = [], 0
    for item in _items(storybook):
        if item.story is not None:
            story = item.story
            if rules.story_fits_storybook(story, storybook.audience, today):
                entries.append(
                    Entry(item, "story", story, byline_for(story), markdown.render(story.body))
                )
                continue
        else:
            story = item.quote.story
            if rules.quote_fits_storybook(item.quote, story, storybook.audience, today):
                entries.append(
                    Entry(item, "quote", story, byline_for(story), excerpt=item.quote.excerpt)
                )
                continue
        if rules.storybook_withdrawn_line(story, storybook.audience, item.story is None, today):
            entries.append(Entry(item, "withdrawn"))
        else:
            left_out += 1
    return Contents(entries, left_out)


# --- forms -------------------------------------------------------------------------------------


class StorybookForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("For example: Voices from Northside."),
        validators=[
            DataRequired(_l("Give the storybook a title.")),
            Length(max=200, message=_l("Keep the title under 200 characters.")),
        ],
        filters=[strip_whitespace],
    )
    introduction = TextAreaField(
        _l("Introduction (optional)"),
        description=_l(
            "A few words before the stories: why you made it and who it is for. You can use "
            "**bold**, *italics* and a blank line between paragraphs."
        ),
        validators=[
            Optional(),
            Length(max=5000, message=_l("Keep the introduction under 5,000 characters.")),
        ],
    )
    audience = RadioField(
        _l("Who can read it"),
        description=_l(
            "Each story shows only while its teller's choices allow these readers. If a teller "
            "changes their mind or withdraws their story, it leaves the storybook straight away."
        ),
        choices=labelled(rules.STORYBOOK_AUDIENCES),
        default="commission",
        validators=[InputRequired(_l("Choose who can read it."))],
    )


class AddStoryForm(FlaskForm):
    story_id = SelectField(
        _l("Story"),
        description=_l("Only stories whose tellers' choices allow this storybook's readers now."),
        coerce=int_or_none,
        validate_choice=False,
    )


# --- helpers -----------------------------------------------------------------------------------


def _commission(slug: str) -> Commission:
    """The commission, without its view check: a public storybook is for anyone. Every
    storybook is checked with ``rules.can_see_storybook`` instead."""
    commission = db.session.scalar(
        select(Commission).join(Commission.space).where(Space.slug == slug)
    )
    if commission is None:
        abort(404)
    return commission


def _storybook(commission: Commission, storybook_id: int) -> Storybook:
    """The storybook, or 404 unless the person (signed in or not) may read it."""
    storybook = db.session.get(Storybook, storybook_id)
    if (
        storybook is None
        or storybook.commission_id != commission.id
        or not rules.can_see_storybook(viewer(), storybook, commission)
    ):
        abort(404)
    return storybook


def _curated(slug: str, storybook_id: int) -> tuple[Commission, Storybook]:
    commission = load_commission(slug)
    storybook = _storybook(commission, storybook_id)
    if not rules.can_curate_storybook(viewer(), storybook, commission):
        abort(404)
    return commission, storybook


def _visible(commission: Commission) -> list[Storybook]:
    person = viewer()
    everything = db.session.scalars(
        select(Storybook)
        .where(Storybook.commission_id == commission.id)
        .order_by(Storybook.updated_at.desc(), Storybook.id.desc())
    ).all()
    return [s for s in everything if rules.can_see_storybook(person, s, commission)]


def _addable(commission: Commission, storybook: Storybook, today: date) -> list[Story]:
    """Stories the curator may add now, newest first; not the ones already in it."""
    person = viewer()
    already = {i.story_id for i in _items(storybook) if i.story_id is not None}
    return [
        s
        for s in _stories(commission)
        if s.id not in already
        and rules.can_add_story_to_storybook(person, s, storybook, commission, today)
    ]


def _storybook_panel(story, commission: Commission, person, today: date):
    """On the list of stories: the commission's storybooks and a way to make one."""
    may_make = rules.can_make_storybook(person, commission)
    storybooks = _visible(commission)
    if not (may_make or storybooks):
        return None
    return {
        "template": "stories/storybooks/_panel.html",
        "storybooks": storybooks,
        "may_make": may_make,
    }


LIST_PANELS.append(_storybook_panel)


# --- the list and making one ---------------------------------------------------------------


@bp.get("/<slug>/storybooks")
@login_required
def storybooks(slug: str):
    commission = load_commission(slug)
    return render(
        "stories/storybooks/index.html",
        commission,
        storybooks=_visible(commission),
        may_make=rules.can_make_storybook(viewer(), commission),
    )


def _form_page(commission: Commission, form: StorybookForm, storybook=None, status=200):
    return render(
        "stories/storybooks/form.html",
        commission,
        status=status,
        block="storybook_form" if status == 422 else None,
        form=form,
        storybook=storybook,
    )


@bp.route("/<slug>/storybooks/new", methods=["GET", "POST"])
@login_required
def storybook_new(slug: str):
    commission = load_commission(slug)
    if not rules.can_make_storybook(viewer(), commission):
        abort(404)
    form = StorybookForm()
    if request.method == "GET":
        return _form_page(commission, form)
    if not form.validate_on_submit():
        return _form_page(commission, form, status=422)
    storybook = Storybook(commission_id=commission.id, created_by_id=viewer().id)
    _fill(storybook, form)
    db.session.add(storybook)
    db.session.flush()
    record(
        "storybook.created",
        f"Made a storybook: {storybook.title}",
        storybook,
        space=commission.space,
        visibility="private",
        detail={"audience": storybook.audience},
    )
    db.session.commit()
    flash(_("The storybook is made. Now add stories to it."), "success")
    return see_other(storybook_url(commission, storybook))


def _fill(storybook: Storybook, form: StorybookForm) -> None:
    storybook.title = form.title.data
    storybook.introduction = (form.introduction.data or "").strip() or None
    storybook.audience = form.audience.data


@bp.route("/<slug>/storybooks/<int:storybook_id>/edit", methods=["GET", "POST"])
@login_required
def storybook_edit(slug: str, storybook_id: int):
    commission, storybook = _curated(slug, storybook_id)
    form = StorybookForm(obj=storybook)
    if request.method == "GET":
        return _form_page(commission, form, storybook)
    if not form.validate_on_submit():
        return _form_page(commission, form, storybook, status=422)
    fields = ("title", "introduction", "audience")
    before = {name: getattr(storybook, name) for name in fields}
    _fill(storybook, form)
    changed = [name for name in fields if before[name] != getattr(storybook, name)]
    if changed:
        storybook.updated_at = utcnow()
        record(
            "storybook.changed",
            "Changed a storybook: " + ", ".join(changed),
            storybook,
            space=commission.space,
            visibility="private",
            detail={"changed": changed, "audience": [before["audience"], storybook.audience]},
        )
        db.session.commit()
        flash(_("Saved."), "success")
    return see_other(storybook_url(commission, storybook))


# --- reading -----------------------------------------------------------------------------------


def _page(commission, storybook, today, add_form=None, status=200, block=None):
    person = viewer()
    shown = contents(storybook, today)
    curate = rules.can_curate_storybook(person, storybook, commission)
    addable = _addable(commission, storybook, today) if curate else []
    if add_form is None:
        add_form = AddStoryForm(formdata=None)
    add_form.story_id.choices = choices(
        [("", _("Choose a story"))] + [(s.id, s.title) for s in addable]
    )
    may_view = commission_rules.can(person, "view", commission)
    return render(
        "stories/storybooks/show.html",
        commission,
        status=status,
        block=block,
        layout=COMMISSION_LAYOUT if may_view else PUBLIC_LAYOUT,
        storybook=storybook,
        introduction=markdown.render(storybook.introduction),
        entries=shown.entries,
        left_out=shown.left_out if curate else 0,
        curate=curate,
        addable=addable,
        add_form=add_form,
        may_list=may_view,
    )


@bp.get("/<slug>/storybooks/<int:storybook_id>")
def storybook(slug: str, storybook_id: int):
    """No sign-in needed for a public storybook; a commission's own is for its members."""
    commission = _commission(slug)
    found = _storybook(commission, storybook_id)
    return _page(commission, found, local_today())


@bp.get("/<slug>/storybooks/<int:storybook_id>.pdf")
@limiter.limit("20 per minute")
def storybook_pdf(slug: str, storybook_id: int):
    """The same storybook as a PDF to keep or print, with the same stories left out."""
    commission = _commission(slug)
    found = _storybook(commission, storybook_id)
    today = local_today()
    html = render_template(
        "stories/storybook_pdf.html",
        commission=commission,
        storybook=found,
        introduction=markdown.render(found.introduction),
        entries=contents(found, today).entries,
        made_on=format_date(today, "d MMMM yyyy"),
    )
    return pdf_response(html, f"{plain_slug(found.title, 'storybook')}.pdf")


# --- curating ----------------------------------------------------------------------------------


@bp.post("/<slug>/storybooks/<int:storybook_id>/stories")
@login_required
def storybook_add(slug: str, storybook_id: int):
    """Add a whole story that fits the storybook's readers now."""
    commission, found = _curated(slug, storybook_id)
    today = local_today()
    form = AddStoryForm()
    if not form.validate_on_submit():
        return _page(commission, found, today, form, status=422, block="add_story_form")
    story = db.session.get(Story, form.story_id.data) if form.story_id.data else None
    if story is None:
        form.story_id.errors = [_("Choose a story to add.")]
    elif story.id not in {s.id for s in _addable(commission, found, today)}:
        form.story_id.errors = [_("That story can't go in this storybook now. Choose another.")]
    if form.story_id.errors:
        return _page(commission, found, today, form, status=422, block="add_story_form")
    item = add_to_storybook(found, story=story, added_by=viewer())
    db.session.flush()
    record(
        "storybook.item_added",
        "Added a story to a storybook",
        found,
        space=commission.space,
        visibility="private",
        detail={"item_id": item.id, "story_id": story.id},
    )
    db.session.commit()
    flash(_("The story is added."), "success")
    # No "#item-…" here: htmx follows with a full load, which a change of fragment wouldn't do.
    return see_other(storybook_url(commission, found))


def _shown_item(found: Storybook, item_id: int) -> tuple[StorybookItem, list[StorybookItem]]:
    """The item, if the storybook shows it now (a curator never learns of the others), and
    the items shown now in their order."""
    shown = [e.item for e in contents(found, local_today()).entries]
    item = next((i for i in shown if i.id == item_id), None)
    if item is None:
        abort(404)
    return item, shown


@bp.post("/<slug>/storybooks/<int:storybook_id>/items/<int:item_id>/remove")
@login_required
def storybook_remove(slug: str, storybook_id: int, item_id: int):
    commission, found = _curated(slug, storybook_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    item, _shown = _shown_item(found, item_id)
    kind = "story" if item.story_id is not None else "quote"
    record(
        "storybook.item_removed",
        f"Took a {kind} out of a storybook",
        found,
        space=commission.space,
        visibility="private",
        detail={"item_id": item.id, "story_id": item.story_id, "quote_id": item.quote_id},
    )
    db.session.delete(item)
    found.updated_at = utcnow()
    db.session.commit()
    flash(_("Taken out of the storybook."), "success")
    return see_other(storybook_url(commission, found))


@bp.post("/<slug>/storybooks/<int:storybook_id>/items/<int:item_id>/move")
@login_required
def storybook_move(slug: str, storybook_id: int, item_id: int):
    """Swap an item with the one shown before or after it."""
    commission, found = _curated(slug, storybook_id)
    direction = request.form.get("direction")
    if not ButtonForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    item, shown = _shown_item(found, item_id)
    index = shown.index(item) + (-1 if direction == "up" else 1)
    if 0 <= index < len(shown):
        other = shown[index]
        item.position, other.position = other.position, item.position
        found.updated_at = utcnow()
        record(
            "storybook.item_moved",
            f"Moved an item {direction} in a storybook",
            found,
            space=commission.space,
            visibility="private",
            detail={"item_id": item.id, "direction": direction},
        )
        db.session.commit()
    return see_other(storybook_url(commission, found) + f"#item-{item.id}")
