"""Using stories: quotes taken into session notes and storybooks, links to themes, sessions and
commitments, and the teller's "where my story has been used" and "what happened".

Every quote and every linked story is shown only after ``stories.rules`` said yes for this
reader, now: the pages load candidates and ask about each one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import abort, flash, g, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from participate.accounts.forms import strip_whitespace
from participate.accounts.models import Person
from participate.audit import record
from participate.clock import local_today
from participate.commissions import rules as commission_rules
from participate.commissions.models import Commission, CommissionSession, Commitment
from participate.commissions.views import bp, load_commission, render, viewer
from participate.decisions.models import Decision, Proposal
from participate.extensions import db
from participate.stories import markdown, rules
from participate.stories import views as story_views
from participate.stories.forms import ButtonForm
from participate.stories.models import Quote, Story, Storybook, StorybookItem, StoryLink, Theme
from participate.stories.storybooks import add_to_storybook, storybook_url
from participate.stories.views import (
    LIST_PANELS,
    STORY_PANELS,
    _load_story,
    _story_url,
    byline_for,
    excerpt,
)
from participate.web.htmx import is_htmx, see_other

# --- forms -----------------------------------------------------------------------------------


class QuoteForm(FlaskForm):
    excerpt = TextAreaField(
        _l("The words you are quoting"),
        description=_l(
            "Copy them from the story just as the teller wrote them: a quote is always the "
            "teller's own words."
        ),
        validators=[
            InputRequired(_l("Write or paste the words you want to quote.")),
            Length(max=5000),
        ],
    )
    place = SelectField(
        _l("Where it goes"),
        validate_choice=False,  # checked against the places this person may use, below
        validators=[InputRequired(_l("Choose where the quote goes."))],
    )


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("A few words, for example: Getting to appointments."),
        validators=[InputRequired(_l("Give the theme a name.")), Length(max=120)],
        filters=[strip_whitespace],
    )
    description = TextAreaField(
        _l("What it is about (optional)"), validators=[Optional(), Length(max=2000)]
    )


class LinkForm(FlaskForm):
    target = SelectField(
        _l("Link it to"),
        validate_choice=False,  # checked against what this story may be linked to, below
        validators=[InputRequired(_l("Choose what to link it to."))],
    )
    note = StringField(
        _l("How it connects (optional)"),
        description=_l("A few words, for example: this is why we asked for a named contact."),
        validators=[Optional(), Length(max=300)],
        filters=[strip_whitespace],
    )


# --- what a story can be linked to -----------------------------------------------------------


@dataclass(frozen=True)
class TargetKind:
    """One kind of thing a story can be linked to. Proposals and decisions add theirs here."""

    load_all: Callable[[Commission], list]
    title: Callable[[object], str]
    url: Callable[[Commission, object], str]
    model: type
    # Is this object part of the commission? (Most things carry its id.)
    belongs: Callable[[object, Commission], bool] = lambda obj, c: obj.commission_id == c.id


def _sessions(commission: Commission) -> list[CommissionSession]:
    return db.session.scalars(
        select(CommissionSession)
        .where(CommissionSession.commission_id == commission.id)
        .order_by(CommissionSession.starts_at.desc(), CommissionSession.id.desc())
    ).all()


def _commitments(commission: Commission) -> list[Commitment]:
    return db.session.scalars(
        select(Commitment).where(Commitment.commission_id == commission.id).order_by(Commitment.id)
    ).all()


def _themes(commission: Commission) -> list[Theme]:
    return db.session.scalars(
        select(Theme).where(Theme.commission_id == commission.id).order_by(Theme.name)
    ).all()


def _theme_url(commission: Commission, theme: Theme) -> str:
    return url_for("commissions.story_theme", slug=commission.space.slug, theme_id=theme.id)


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def session_title(s: CommissionSession) -> str:
    return _("%(title)s, %(day)s", title=s.title, day=format_datetime(s.starts_at, "d MMMM yyyy"))


def _session_quotes_url(commission: Commission, s: CommissionSession) -> str:
    """Where a session's page shows the quotes in its notes."""
    return url_for(
        "commissions.session", slug=commission.space.slug, session_id=s.id, _anchor="story-quotes"
    )


def _proposals(commission: Commission) -> list[Proposal]:
    return db.session.scalars(
        select(Proposal)
        .where(Proposal.space_id == commission.space_id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    ).all()


def _decisions(commission: Commission) -> list[Decision]:
    return db.session.scalars(
        select(Decision)
        .join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.space_id == commission.space_id)
        .order_by(Decision.adopted_at.desc(), Decision.id.desc())
    ).all()


def _decision_title(d: Decision) -> str:
    return _(
        "%(title)s, agreed %(day)s",
        title=d.proposal.title,
        day=format_datetime(d.adopted_at, "d MMMM yyyy"),
    )


TARGET_KINDS: dict[str, TargetKind] = {
    "theme": TargetKind(
        _themes,
        lambda t: t.name,
        _theme_url,
        Theme,
    ),
    "session": TargetKind(
        _sessions,
        session_title,
        lambda c, s: url_for("commissions.session", slug=c.space.slug, session_id=s.id),
        CommissionSession,
    ),
    "commitment": TargetKind(
        _commitments,
        lambda c: _short(c.what),
        lambda c, t: url_for("commissions.commitment", slug=c.space.slug, commitment_id=t.id),
        Commitment,
    ),
    "proposal": TargetKind(
        _proposals,
        lambda p: p.title,
        lambda c, p: url_for("decisions.show", slug=c.space.slug, proposal_id=p.id),
        Proposal,
        lambda p, c: p.space_id == c.space_id,
    ),
    "decision": TargetKind(
        _decisions,
        _decision_title,
        lambda c, d: url_for("decisions.record_page", slug=c.space.slug, proposal_id=d.proposal_id),
        Decision,
        lambda d, c: d.proposal.space_id == c.space_id,
    ),
}


@dataclass(frozen=True)
class Target:
    kind: str
    obj: object
    title: str
    url: str


def _target(commission: Commission, kind: str, target_id: int) -> Target | None:
    """What a link points at, if it is still there and in this commission."""
    known = TARGET_KINDS.get(kind)
    obj = db.session.get(known.model, target_id) if known is not None else None
    if obj is None or not known.belongs(obj, commission):
        return None
    return Target(kind, obj, known.title(obj), known.url(commission, obj))


def _link_choices(commission: Commission, story: Story) -> dict[str, Target]:
    """Everything this story could be linked to and isn't yet, keyed by the form's value."""
    taken = {(link.target_kind, link.target_id) for link in _links_of(story)}
    return {
        f"{kind}-{obj.id}": Target(kind, obj, known.title(obj), known.url(commission, obj))
        for kind, known in TARGET_KINDS.items()
        for obj in known.load_all(commission)
        if (kind, obj.id) not in taken
    }


def _grouped(options: dict[str, object], label_of, group_of, nothing: str) -> list:
    """Select options after a 'choose' option, in groups (rendered as optgroups)."""
    return [SelectChoice("", nothing)] + [
        SelectChoice(value, label_of(option), optgroup=group_of(option))
        for value, option in options.items()
    ]


def _links_of(story: Story) -> list[StoryLink]:
    return db.session.scalars(
        select(StoryLink)
        .where(StoryLink.story_id == story.id)
        .order_by(StoryLink.created_at, StoryLink.id)
    ).all()


def _linked(commission: Commission, story: Story) -> list[dict]:
    """The story's links whose targets are still there, in this commission, with them."""
    rows = []
    for link in _links_of(story):
        target = _target(commission, link.target_kind, link.target_id)
        if target is not None:
            rows.append({"link": link, "target": target})
    return rows


# --- where a quote can go --------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    used_in: str  # a key of rules.QUOTE_PLACES
    target: object
    reach: str  # 'commission' or 'public'
    label: str


def _may_quote_at_all(person, story: Story, commission: Commission, today: date) -> bool:
    return any(
        rules.may_quote(person, story, reach, commission, today)
        for reach in ("commission", "public")
    )


def _quote_places(person, story: Story, commission: Commission, today: date) -> dict[str, Place]:
    """The session notes and storybooks this person may put a quote of this story into: only
    those whose reach the story's quoting allows."""
    places: dict[str, Place] = {}
    if rules.may_place_quote_in_session(person, commission) and rules.may_quote(
        person, story, "commission", commission, today
    ):
        for s in _sessions(commission):
            places[f"session-{s.id}"] = Place("session_note", s, "commission", session_title(s))
    if rules.may_quote(person, story, "commission", commission, today):
        for proposal in _proposals(commission):
            if rules.may_place_quote_in_proposal(person, proposal, commission):
                places[f"proposal-{proposal.id}"] = Place(
                    "proposal", proposal, "commission", proposal.title
                )
    storybooks = db.session.scalars(
        select(Storybook)
        .where(Storybook.commission_id == commission.id)
        .order_by(Storybook.title, Storybook.id)
    ).all()
    for book in storybooks:
        if rules.can_curate_storybook(person, book, commission) and rules.may_quote(
            person, story, book.audience, commission, today
        ):
            places[f"storybook-{book.id}"] = Place(
                "storybook",
                book,
                book.audience,
                _(
                    "%(title)s (for: %(audience)s)",
                    title=book.title,
                    audience=_(rules.STORYBOOK_AUDIENCES[book.audience]),
                ),
            )
    return places


# --- quoting ---------------------------------------------------------------------------------


def _quote_page(commission, story, form, places, status=200):
    return render(
        "stories/quote_form.html",
        commission,
        status=status,
        block="quote_form" if status == 422 else None,
        story=story,
        form=form,
        has_places=bool(places),
        byline=byline_for(story),
        body=markdown.render(story.body),
        QUOTING=rules.QUOTING,
    )


@bp.route("/<slug>/stories/<int:story_id>/quote", methods=["GET", "POST"])
@login_required
def story_quote(slug: str, story_id: int):
    """Take a few of the teller's own words into the notes of a session or a storybook."""
    commission = load_commission(slug)
    person, today = viewer(), local_today()
    story = _load_story(commission, story_id, today)
    if not _may_quote_at_all(person, story, commission, today):
        abort(404)
    places = _quote_places(person, story, commission, today)
    form = QuoteForm()
    form.place.choices = _grouped(
        places,
        lambda p: p.label,
        lambda p: _(rules.QUOTE_PLACES[p.used_in]),
        _("Choose where it goes"),
    )
    if form.validate_on_submit():
        if not rules.excerpt_is_from(form.excerpt.data, markdown.excerpt_text(story.body)):
            form.excerpt.errors = [
                _(
                    "These words aren't in the story as the teller wrote them. Copy them from "
                    "the story exactly: a quote must be the teller's own words."
                )
            ]
        if form.place.data not in places:
            form.place.errors = [_("Choose one of the places in the list.")]
    if not form.is_submitted() or form.errors:
        return _quote_page(commission, story, form, places, 422 if form.is_submitted() else 200)

    place = places[form.place.data]
    quote = Quote(
        story_id=story.id,
        excerpt=form.excerpt.data.strip(),
        reach=place.reach,
        used_in=place.used_in,
        used_in_id=place.target.id,
        created_by_id=person.id,
    )
    db.session.add(quote)
    db.session.flush()
    if place.used_in == "storybook":
        add_to_storybook(place.target, quote=quote, added_by=person)
    record(
        "story.quoted",
        "Quoted part of a story in "
        + {"session_note": "the notes of a session", "proposal": "a proposal"}.get(
            place.used_in, "a storybook"
        ),
        quote,
        space=commission.space,
        visibility="private",
        detail={
            "story": story.id,
            "used_in": place.used_in,
            "used_in_id": place.target.id,
            "reach": place.reach,
        },
    )
    db.session.commit()
    if place.used_in == "session_note":
        flash(_("The quote is in the notes of %(title)s.", title=place.target.title), "success")
        return see_other(_session_quotes_url(commission, place.target))
    if place.used_in == "proposal":
        flash(_("The quote is in the proposal %(title)s.", title=place.target.title), "success")
        return see_other(
            url_for(
                "decisions.show",
                slug=slug,
                proposal_id=place.target.id,
                _anchor="story-quotes",
            )
        )
    flash(_("The quote is in the storybook %(title)s.", title=place.target.title), "success")
    return see_other(storybook_url(commission, place.target))


def quotes_in(used_in: str, used_in_id: int, commission: Commission, person, today=None) -> list:
    """The quotes shown in a place (``used_in``: a session's notes...) for this reader, each
    checked against its story's consent now. A story gone with its teller's line leaves the
    line (once), where the reader is one of those who sees it; anything else leaves nothing."""
    today = today or local_today()
    rows, lines_for = [], set()
    quotes = db.session.scalars(
        select(Quote)
        .where(Quote.used_in == used_in, Quote.used_in_id == used_in_id)
        .order_by(Quote.created_at, Quote.id)
    ).all()
    for quote in quotes:
        story = quote.story
        if story.commission_id != commission.id:
            continue
        if rules.can_see_quote(person, quote, story, commission, today):
            rows.append(
                {
                    "quote": quote,
                    "byline": byline_for(story),
                    # The story's title and a way to it, only for people who may read it.
                    "story": story
                    if rules.can_see_story(person, story, commission, today)
                    else None,
                    # Members worried about it can tell a facilitator.
                    "flag": rules.can_flag_quote(person, quote, story, commission, today),
                }
            )
        elif story.id not in lines_for and rules.sees_withdrawn_line(
            person, story, commission, today
        ):
            lines_for.add(story.id)
            rows.append({"quote": None})
    return rows


# --- stories linked to a theme, a session or a commitment ------------------------------------


def stories_behind(kind: str, target_id: int, commission: Commission, person, today=None) -> list:
    """The stories linked to something, for this reader: each story they may read (with the
    byline as its teller chose), a line where a gone one was if its teller chose that, and
    nothing for the rest."""
    today = today or local_today()
    rows = []
    links = db.session.scalars(
        select(StoryLink)
        .where(StoryLink.target_kind == kind, StoryLink.target_id == target_id)
        .order_by(StoryLink.created_at, StoryLink.id)
    ).all()
    for link in links:
        story = link.story
        if story.commission_id != commission.id:
            continue
        if rules.can_see_story(person, story, commission, today):
            # Gone before draft here: an expired draft says "withdrawn" (on its own page, "draft").
            if rules.is_gone(story, today):
                state = _("Withdrawn: only you can see it.")
            else:
                state = {
                    "draft": _("Draft: not shared yet."),
                    "hidden": _("Hidden by a facilitator."),
                }.get(rules.own_story_state(story, today))
            rows.append(
                {
                    "story": story,
                    "link": link,
                    "byline": byline_for(story),
                    "excerpt": excerpt(story),
                    "state": state,
                }
            )
        elif rules.sees_withdrawn_line(person, story, commission, today):
            rows.append({"story": None})
    return rows


def _linkable(slug: str, story_id: int):
    commission = load_commission(slug)
    person, today = viewer(), local_today()
    story = _load_story(commission, story_id, today)
    if not rules.can_link_story(person, story, commission, today):
        abort(404)
    return commission, story, person


@bp.post("/<slug>/stories/<int:story_id>/links")
@login_required
def story_link_add(slug: str, story_id: int):
    commission, story, person = _linkable(slug, story_id)
    choices = _link_choices(commission, story)
    form = _link_form(choices)
    if form.validate_on_submit() and form.target.data not in choices:
        form.target.errors = [_("Choose one of the things in the list.")]
    if not form.is_submitted() or form.errors:
        return _link_errors(slug, commission, story, form)
    target = choices[form.target.data]
    link = StoryLink(
        story_id=story.id,
        target_kind=target.kind,
        target_id=target.obj.id,
        note=form.note.data or None,
        created_by_id=person.id,
    )
    db.session.add(link)
    db.session.flush()
    record(
        "story.linked",
        f"Linked a story to a {target.kind}",
        link,
        space=commission.space,
        visibility="private",
        detail={"story": story.id, "target_kind": target.kind, "target_id": target.obj.id},
    )
    db.session.commit()
    flash(_("The story is linked to %(title)s.", title=target.title), "success")
    # (htmx loads the page again only when the address changes by more than its #part.)
    return see_other(_story_url(commission, story, _anchor=None if is_htmx() else "story-links"))


@bp.post("/<slug>/stories/<int:story_id>/links/<int:link_id>/remove")
@login_required
def story_link_remove(slug: str, story_id: int, link_id: int):
    commission, story, _person = _linkable(slug, story_id)
    link = db.session.get(StoryLink, link_id)
    if link is None or link.story_id != story.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    detail = {"story": story.id, "target_kind": link.target_kind, "target_id": link.target_id}
    db.session.delete(link)
    record(
        "story.unlinked",
        f"Removed the link from a story to a {detail['target_kind']}",
        story,
        space=commission.space,
        visibility="private",
        detail=detail,
    )
    db.session.commit()
    flash(_("The link is removed."), "success")
    return see_other(_story_url(commission, story, _anchor="story-links"))


def _link_form(choices: dict[str, Target], **kwargs) -> LinkForm:
    form = LinkForm(**kwargs)
    form.target.choices = _grouped(
        choices,
        lambda t: t.title,
        lambda t: _(rules.LINK_KINDS[t.kind]),
        _("Choose a theme, a session or a commitment"),
    )
    return form


def _link_errors(slug: str, commission: Commission, story: Story, form: LinkForm):
    """The link form, filled in, with its messages: the form alone for htmx (it swaps itself
    in place), the whole story page without JavaScript."""
    g.story_link_form = form
    if is_htmx():
        panel = _links_panel(story, commission, viewer(), local_today())
        response = render_template("stories/_links_form.html", panel=panel, commission=commission)
        return response, 422, {"Vary": "HX-Request"}
    page, _status = story_views.story(slug=slug, story_id=story.id)
    return page, 422


# --- themes ----------------------------------------------------------------------------------


def _themes_commission(slug: str) -> Commission:
    commission = load_commission(slug)
    if not rules.can_see_themes(viewer(), commission):
        abort(404)
    return commission


def _theme(commission: Commission, theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.commission_id != commission.id:
        abort(404)
    return theme


def _name_taken(form: ThemeForm, commission: Commission, theme: Theme | None) -> None:
    name = (form.name.data or "").casefold()
    if any(
        t.name.casefold() == name and (theme is None or t.id != theme.id)
        for t in _themes(commission)
    ):
        form.name.errors = [*form.name.errors, _("There is already a theme with this name.")]


@bp.route("/<slug>/stories/themes", methods=["GET", "POST"])
@login_required
def story_themes(slug: str):
    """The commission's themes; facilitators add new ones here."""
    commission = _themes_commission(slug)
    person, today = viewer(), local_today()
    manage = rules.can_manage_themes(person, commission)
    form = ThemeForm() if manage else None
    if request.method == "POST":
        if not manage:
            abort(404)
        if form.validate_on_submit():
            _name_taken(form, commission, None)
        if not form.errors:
            theme = Theme(
                commission_id=commission.id,
                name=form.name.data,
                description=(form.description.data or "").strip() or None,
                created_by_id=person.id,
            )
            db.session.add(theme)
            db.session.flush()
            record(
                "story.theme_created",
                f"Made the theme {theme.name!r}",
                theme,
                space=commission.space,
                visibility="private",
            )
            db.session.commit()
            flash(_("The theme is made. Link stories to it from each story's page."), "success")
            return see_other(_theme_url(commission, theme))
    themes = _themes(commission)
    return render(
        "stories/themes.html",
        commission,
        status=422 if request.method == "POST" else 200,
        block="theme_form" if request.method == "POST" else None,
        themes=themes,
        counts={
            t.id: sum(
                1
                for row in stories_behind("theme", t.id, commission, person, today)
                if row["story"] is not None
            )
            for t in themes
        },
        form=form,
        manage=manage,
    )


@bp.get("/<slug>/stories/themes/<int:theme_id>")
@login_required
def story_theme(slug: str, theme_id: int):
    commission = _themes_commission(slug)
    theme = _theme(commission, theme_id)
    person = viewer()
    return render(
        "stories/theme.html",
        commission,
        theme=theme,
        stories_behind=stories_behind("theme", theme.id, commission, person),
        manage=rules.can_manage_themes(person, commission),
    )


@bp.route("/<slug>/stories/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@login_required
def story_theme_edit(slug: str, theme_id: int):
    commission = _themes_commission(slug)
    if not rules.can_manage_themes(viewer(), commission):
        abort(404)
    theme = _theme(commission, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        _name_taken(form, commission, theme)
    if not form.is_submitted() or form.errors:
        status = 422 if form.is_submitted() else 200
        return render(
            "stories/theme_form.html",
            commission,
            status=status,
            block="theme_form" if status == 422 else None,
            theme=theme,
            form=form,
        )
    description = (form.description.data or "").strip() or None
    changed = [
        name
        for name, value in (("name", form.name.data), ("description", description))
        if getattr(theme, name) != value
    ]
    if changed:
        before = theme.name
        theme.name, theme.description = form.name.data, description
        record(
            "story.theme_changed",
            f"Changed the theme {before!r}"
            + (f" (now {theme.name!r})" if "name" in changed else ""),
            theme,
            space=commission.space,
            visibility="private",
            detail={"changed": changed},
        )
        db.session.commit()
        flash(_("The theme is saved."), "success")
    return see_other(_theme_url(commission, theme))


# --- sections on a story's page and on the list ----------------------------------------------


def _quote_panel(story, commission, person, today):
    """For people who may quote the story: a way to the quote form."""
    if story is None or not _may_quote_at_all(person, story, commission, today):
        return None
    has_places = bool(_quote_places(person, story, commission, today))
    mine = rules.can_manage_story(person, story)
    if mine and not has_places:
        return None  # the teller has their whole story; nothing to say unless they can
    return {
        "template": "stories/_uses_quote.html",
        "has_places": has_places,
        "mine": mine,
        "quoting": _(rules.QUOTING[story.quoting]),
    }


def _links_panel(story, commission, person, today):
    """For people who may link the story: its links, and a form to add one."""
    if story is None or not rules.can_link_story(person, story, commission, today):
        return None
    choices = _link_choices(commission, story)
    return {
        "template": "stories/_links.html",
        "story": story,
        "links": _linked(commission, story),
        "form": g.get("story_link_form") or _link_form(choices, formdata=None),
        "has_choices": bool(choices),
        "button_form": ButtonForm(formdata=None),
        "may_make_themes": rules.can_manage_themes(person, commission),
        "LINK_KINDS": rules.LINK_KINDS,
    }


def _latest_update(commitment: Commitment):
    return max(commitment.updates, key=lambda u: (u.at, u.id), default=None)


def _where(commission: Commission, quote: Quote) -> tuple[str, str | None]:
    """Where a quote was taken, in words, and a link there when there is a page for it."""
    if quote.used_in == "session_note":
        s = db.session.get(CommissionSession, quote.used_in_id) if quote.used_in_id else None
        if s is not None and s.commission_id == commission.id:
            return _("The notes of %(title)s", title=session_title(s)), _session_quotes_url(
                commission, s
            )
        return _("The notes of a session"), None
    if quote.used_in == "storybook":
        book = db.session.get(Storybook, quote.used_in_id) if quote.used_in_id else None
        if book is not None and book.commission_id == commission.id:
            return _("The storybook %(title)s", title=book.title), storybook_url(commission, book)
        return _("A storybook"), None
    return _(USED_IN_ELSEWHERE.get(quote.used_in, USED_IN_ELSEWHERE["report"])), None


USED_IN_ELSEWHERE = {
    "proposal": _l("A proposal"),
    "decision": _l("A decision"),
    "report": _l("A report"),
}


def _teller_panel(story, commission, person, today):
    """For the teller: every place their story has been used, whether it shows now and why
    not; and what it is linked to (what happened because they shared it)."""
    if story is None or not rules.can_manage_story(person, story):
        return None
    quotes = sorted(story.quotes, key=lambda q: (q.created_at, q.id), reverse=True)
    names = {
        p.id: p.chosen_name
        for p in db.session.scalars(
            select(Person).where(Person.id.in_({q.created_by_id for q in quotes} - {None}))
        )
    }
    quote_rows = []
    for quote in quotes:
        where, where_url = _where(commission, quote)
        state = rules.quote_state(quote, story, today)
        quote_rows.append(
            {
                "quote": quote,
                "where": where,
                "where_url": where_url,
                "by": names.get(quote.created_by_id),
                "shown": state == "shown",
                "state": _(rules.USE_STATES[state]),
                "reach": _(rules.STORYBOOK_AUDIENCES[quote.reach]),
            }
        )
    items = db.session.scalars(
        select(StorybookItem).where(StorybookItem.story_id == story.id)
    ).all()
    book_rows = []
    for item in items:
        book = db.session.get(Storybook, item.storybook_id)
        if book is None or book.commission_id != commission.id:
            continue
        state = rules.storybook_story_state(story, book.audience, today)
        book_rows.append(
            {
                "book": book,
                "url": storybook_url(commission, book),
                "audience": _(rules.STORYBOOK_AUDIENCES[book.audience]),
                "shown": state == "shown",
                "state": _(rules.USE_STATES[state]),
            }
        )
    linked: dict[str, list] = {kind: [] for kind in TARGET_KINDS}
    for row in _linked(commission, story):
        linked[row["target"].kind].append(row)
    for row in linked["commitment"]:
        row["latest"] = _latest_update(row["target"].obj)
    if story.status == "draft" and not (quote_rows or book_rows or any(linked.values())):
        return None
    return {
        "template": "stories/_uses_teller.html",
        "quotes": quote_rows,
        "books": book_rows,
        "linked": linked,
        "COMMITMENT_STATUSES": commission_rules.COMMITMENT_STATUSES,
    }


def _themes_list_panel(story, commission, person, today):
    """On the list of stories: the way to the themes."""
    if not rules.can_see_themes(person, commission):
        return None
    return {"template": "stories/_uses_themes_link.html", "theme_count": len(_themes(commission))}


# The teller reads first where their story went; others first how they can use it.
STORY_PANELS.extend([_teller_panel, _quote_panel, _links_panel])
LIST_PANELS.append(_themes_list_panel)
