"""The one place that decides who may see a story, a quote or an excerpt.

Pages, search, exports, storybooks and any API all ask these functions. Pure: no Flask, no
database. ``story`` has the fields of ``stories.models.Story``; ``commission`` and ``person``
are as in ``commissions.rules``; ``today`` is the place's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from participate.commissions import rules as commission_rules
from participate.text import N_

AUDIENCES = {
    "only_me": N_("Only me"),
    "facilitators": N_("Me and the facilitators"),
    "cohort": N_("My group of commissioners"),
    "commission": N_("Everyone in the commission"),
    "public": N_("Anyone, in public"),
}
ATTRIBUTIONS = {
    "full_name": N_("My name"),
    "first_name": N_("My first name only"),
    "pseudonym": N_("A made-up name"),
    "anonymous": N_("No name: anonymous"),
}
QUOTING = {
    "none": N_("No one may quote it"),
    "commission": N_("People in the commission may quote parts, inside the commission"),
    "public": N_("Parts may be quoted inside the commission and in public reports"),
}
TEMPLATES = {
    "self": N_("Story of self: why I'm here, what I care about"),
    "us": N_("Story of us: what we share"),
    "now": N_("Story of now: what's possible if we act, what's at risk if we don't"),
    "free": N_("In my own way"),
}
OPEN_PROMPTS = [
    N_("What keeps you well?"),
    N_("How's your life at the moment?"),
    N_("What else do you think is important to mention?"),
]

# The two cohorts of a commission: people see their own cohort's 'cohort' stories.
COHORT_OF = {
    "community_commissioner": "community",
    "civic_commissioner": "civic_business",
    "business_commissioner": "civic_business",
}


def is_consented(story, today: date) -> bool:
    """Shared by its teller, not withdrawn and not past its expiry date."""
    return (
        story.status == "shared"
        and story.withdrawn_at is None
        and (story.expires_on is None or today < story.expires_on)
    )


def is_live(story, today: date) -> bool:
    """Shared, not withdrawn, not past its expiry date, not hidden by a facilitator."""
    return is_consented(story, today) and story.hidden_at is None


def is_gone(story, today: date) -> bool:
    """Withdrawn, or expired (which behaves exactly as withdrawn)."""
    return story.status == "withdrawn" or (
        story.expires_on is not None and today >= story.expires_on
    )


def _is_teller(person, story) -> bool:
    return person is not None and person.id == story.teller_id


def _facilitates(person, commission) -> bool:
    return commission_rules.role_in(person, commission) == "facilitator"


def _member(person, commission) -> bool:
    """Someone with a role in the commission who sees its pages now. Hosts' officers and
    site admins are not members: 'everyone in the commission' does not include them."""
    return (
        commission_rules.access(person, commission) == "full"
        and commission_rules.role_in(person, commission) is not None
    )


def can_see_story(person, story, commission, today: date) -> bool:
    """May ``person`` read this story's text?"""
    if _is_teller(person, story):
        return True  # always, whatever its state: it is theirs
    if story.status == "draft":
        # A gatherer who is writing it down with the teller sees the draft they are writing.
        return person is not None and person.id == story.recorded_by_id
    if not is_consented(story, today):
        return False
    if story.hidden_at is not None:
        # Hidden by a facilitator: the teller and the facilitators (to look at it again).
        return (
            story.audience != "only_me"
            and _member(person, commission)
            and _facilitates(person, commission)
        )
    if story.audience == "public":
        return True
    # Everything else happens inside the commission, to its members as they may see it now.
    if not _member(person, commission):
        return False
    if story.audience == "only_me":
        return False
    if _facilitates(person, commission):
        return True
    if story.audience == "facilitators":
        return False
    if story.audience == "cohort":
        teller_cohort = COHORT_OF.get(commission_rules.role_in(story.teller, commission))
        viewer_cohort = COHORT_OF.get(commission_rules.role_in(person, commission))
        return teller_cohort is not None and teller_cohort == viewer_cohort
    return story.audience == "commission"


def may_quote(person, story, reach: str, commission, today: date) -> bool:
    """May ``person`` take an excerpt of this story to show at ``reach``
    ('commission' or 'public')?"""
    return (
        quote_allowed(story, reach, today)
        and can_see_story(person, story, commission, today)
        and _member(person, commission)
    )


def quote_allowed(story, reach: str, today: date) -> bool:
    """Does the story's current consent allow quotes shown at ``reach``?"""
    if not is_live(story, today):
        return False
    if story.quoting == "public":
        return reach in ("commission", "public")
    return story.quoting == "commission" and reach == "commission"


def can_see_quote(person, quote, story, commission, today: date) -> bool:
    """Shown only while the story's consent still allows it, to people the place it is
    shown in reaches. Re-checked every time a quote is shown."""
    if quote.hidden_at is not None or not quote_allowed(story, quote.reach, today):
        return False
    if quote.reach == "public":
        return True
    return _member(person, commission)


def shows_withdrawn_line(story, today: date) -> bool:
    """Where a story or quote was, say 'a story was withdrawn by its teller' (if they chose)."""
    return is_gone(story, today) and bool(story.leave_withdrawn_line)


def sees_withdrawn_line(person, story, commission, today: date) -> bool:
    """Where a gone story used to be, 'a story was withdrawn by its teller' (if they chose):
    for people in the commission, and only for stories that were shared beyond the teller."""
    return (
        shows_withdrawn_line(story, today)
        and story.shared_at is not None
        and story.audience != "only_me"
        and _member(person, commission)
    )


def waits_for_support(story) -> bool:
    """A shared story whose teller asked for support afterwards, not yet answered."""
    return (
        bool(story.wants_support)
        and story.status == "shared"
        and (story.support_acknowledged_at is None)
    )


@dataclass(frozen=True)
class Byline:
    name: str | None  # None: anonymous
    recorded_by: str | None  # "recorded by X with Y": the gatherer's name


def byline(story, teller_name: str, gatherer_name: str | None) -> Byline:
    """How the teller is named, as they chose. Chosen names only; never a title."""
    if story.attribution == "full_name":
        name = teller_name
    elif story.attribution == "first_name":
        name = (teller_name.split() or [teller_name])[0]
    elif story.attribution == "pseudonym":
        name = (story.pseudonym or "").strip() or None
    else:
        name = None
    # Naming the gatherer could identify an anonymous teller, so they go unnamed then too.
    return Byline(name, gatherer_name if name is not None else None)


def can_manage_story(person, story) -> bool:
    """Change consent, edit, withdraw: the teller, and only the teller."""
    return _is_teller(person, story)


def can_record_for(gatherer, teller, commission) -> bool:
    """A facilitator may write a story down for a member, with their consent."""
    return (
        gatherer is not None
        and teller is not None
        and gatherer.id != teller.id
        and _facilitates(gatherer, commission)
        and commission_rules.role_in(teller, commission) is not None
    )


# --- storybooks ------------------------------------------------------------------------------

STORYBOOK_AUDIENCES = {
    "commission": N_("Everyone in the commission"),
    "public": N_("Anyone, in public"),
}


def can_see_storybook(person, storybook, commission) -> bool:
    """A public storybook is for anyone, signed in or not; the others for members."""
    return storybook.audience == "public" or _member(person, commission)


def can_make_storybook(person, commission) -> bool:
    return _member(person, commission)


def can_curate_storybook(person, storybook, commission) -> bool:
    """Whoever made it, and the facilitators."""
    return _member(person, commission) and (
        _facilitates(person, commission)
        or (person is not None and storybook.created_by_id == person.id)
    )


def story_fits_storybook(story, audience: str, today: date) -> bool:
    """Does the story's consent, now, allow the whole story to be shown to the storybook's
    audience ('commission' or 'public')? The same answer for every reader of the storybook."""
    if not is_live(story, today):
        return False
    if audience == "public":
        return story.audience == "public"
    return story.audience in ("commission", "public")


def quote_fits_storybook(quote, story, audience: str, today: date) -> bool:
    return quote.hidden_at is None and quote_allowed(story, audience, today)


# --- quoting into other pages ----------------------------------------------------------------

# Where a quote can be taken, and how far that place reaches.
QUOTE_PLACES = {
    "session_note": N_("The notes of a session"),
    "storybook": N_("A storybook"),
    "proposal": N_("A proposal"),
}


def may_place_quote_in_session(person, commission) -> bool:
    """Session notes are the facilitators' to keep."""
    return _member(person, commission) and _facilitates(person, commission)


def may_place_quote_in_proposal(person, proposal, commission) -> bool:
    """A proposal still being decided: its proposer and the facilitators add quotes to it."""
    return (
        _member(person, commission)
        and proposal.state in ("draft", "clarifying", "reaction", "consent", "integrating")
        and (_facilitates(person, commission) or person.id == proposal.proposer_id)
    )


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def excerpt_is_from(excerpt: str, story_text: str) -> bool:
    """A quote must be the teller's own words: a part of the story, spaces aside."""
    words = _words(excerpt)
    return bool(words) and words in _words(story_text)


# --- links to themes, sessions, commitments, proposals and decisions ------------------------

LINK_KINDS = {
    "theme": N_("Theme"),
    "session": N_("Session"),
    "commitment": N_("Commitment"),
    "proposal": N_("Proposal"),
    "decision": N_("Decision"),
}


def can_link_story(person, story, commission, today: date) -> bool:
    """The teller links their own story; facilitators link the stories they can read."""
    if can_manage_story(person, story):
        return _member(person, commission)
    return _facilitates(person, commission) and can_see_story(person, story, commission, today)


def can_manage_themes(person, commission) -> bool:
    return _member(person, commission) and _facilitates(person, commission)


# --- safety: flags, hiding and the moderation log --------------------------------------------


def can_flag(person, story, commission, today: date) -> bool:
    """Members who can read a story (not its teller, who can change or withdraw it)."""
    return (
        not _is_teller(person, story)
        and _member(person, commission)
        and can_see_story(person, story, commission, today)
        and story.hidden_at is None
    )


def can_moderate(person, commission) -> bool:
    """Hide or show again, and decide on flags: the facilitators."""
    return _member(person, commission) and _facilitates(person, commission)


def can_read_moderation_log(person, commission) -> bool:
    """Every member: what was hidden and why, never the words."""
    return _member(person, commission)


def can_acknowledge_support(person, commission) -> bool:
    return _member(person, commission) and _facilitates(person, commission)


# --- safety (more) ---------------------------------------------------------------------------


def can_flag_quote(person, quote, story, commission, today: date) -> bool:
    """Members who can see a quote where it is shown (not the teller: it is their story)."""
    return (
        not _is_teller(person, story)
        and _member(person, commission)
        and can_see_quote(person, quote, story, commission, today)
    )


# --- uses (more) -----------------------------------------------------------------------------


def can_see_themes(person, commission) -> bool:
    """The commission's themes and the pages listing the stories linked to them: members."""
    return _member(person, commission)


def _story_state(story, today: date) -> str | None:
    """Why nothing of the story is shown now, or None while it is live."""
    if story.status == "withdrawn" or story.withdrawn_at is not None:
        return "withdrawn"
    if is_gone(story, today):
        return "expired"
    if story.status != "shared":
        return "not_shared"
    if story.hidden_at is not None:
        return "story_hidden"
    return None


# What the teller reads under "where your story has been used", for a quote or a storybook.
USE_STATES = {
    "shown": N_("Shown now"),
    "withdrawn": N_("Not shown: your story is withdrawn"),
    "expired": N_("Not shown: the date you chose to take your story down has passed"),
    "not_shared": N_("Not shown: your story is not shared at the moment"),
    "story_hidden": N_("Not shown: your story is hidden by a facilitator"),
    "quote_hidden": N_("Not shown: hidden by a facilitator"),
    "no_quoting": N_("Not shown: you don't allow quoting now"),
    "inside_only": N_("Not shown: you allow quoting only inside the commission now"),
    "audience": N_("Not shown: your story isn't shared with this storybook's readers now"),
}


def quote_state(quote, story, today: date) -> str:
    """A key of USE_STATES: 'shown' exactly when the quote's own consent check passes
    (``quote_fits_storybook``/``can_see_quote`` for someone it reaches)."""
    state = _story_state(story, today)
    if state is not None:
        return state
    if quote.hidden_at is not None:
        return "quote_hidden"
    if quote_allowed(story, quote.reach, today):
        return "shown"
    return "inside_only" if story.quoting == "commission" else "no_quoting"


def storybook_story_state(story, audience: str, today: date) -> str:
    """A key of USE_STATES for a whole story in a storybook for ``audience``."""
    state = _story_state(story, today)
    if state is not None:
        return state
    return "shown" if story_fits_storybook(story, audience, today) else "audience"


# --- storybooks (more) -----------------------------------------------------------------------


def can_add_story_to_storybook(person, story, storybook, commission, today: date) -> bool:
    """A curator puts in a whole story of the same commission that they can read and whose
    teller's choices, now, allow the storybook's audience."""
    return (
        story.commission_id == storybook.commission_id
        and can_curate_storybook(person, storybook, commission)
        and story_fits_storybook(story, storybook.audience, today)
        and can_see_story(person, story, commission, today)
    )


def storybook_withdrawn_line(story, audience: str, is_quote: bool, today: date) -> bool:
    """In a storybook, where a story or quote has gone and its teller asked for a line: only
    if the consent it was given reached this storybook's readers, so that the line tells
    them nothing they could not already have seen."""
    if not shows_withdrawn_line(story, today):
        return False
    reach = story.quoting if is_quote else story.audience
    return reach == "public" or (audience == "commission" and reach == "commission")


# --- a story's state, as its teller and the facilitators see it -------------------------------


def own_story_state(story, today: date) -> str:
    """How a story stands for someone who may read it whatever its state (its teller, or the
    gatherer writing a draft down): 'draft', 'withdrawn' (withdrawn, or past its date),
    'hidden' (by a facilitator) or 'shared'."""
    if story.status == "draft":
        return "draft"
    if is_gone(story, today):
        return "withdrawn"
    if story.hidden_at is not None:
        return "hidden"
    return "shared"


def is_deletable_draft(story) -> bool:
    """A draft never shared: its teller may throw it away. (A shared story is withdrawn.)"""
    return story.status == "draft" and story.shared_at is None


def asked_for_support(story) -> bool:
    """A shared story whose teller asked for support afterwards, answered or not."""
    return bool(story.wants_support) and story.status == "shared"


def flag_needs_a_look(person, story, quote, commission, today: date) -> bool:
    """Is an open flag on a story (``quote`` None) or on one of its quotes still for this
    facilitator to act on? Only while they can see it and it is not hidden already."""
    if quote is not None:
        return can_see_quote(person, quote, story, commission, today)
    return can_see_story(person, story, commission, today) and story.hidden_at is None


def may_continue_story(person, subject, story) -> bool:
    """May the story form carry on with a story it saved already (a draft saved as they
    typed)? Its gatherer may, and its teller (``subject``: the person a facilitator is acting
    for, or ``person`` themself)."""
    return person.id == story.recorded_by_id or subject.id == story.teller_id
