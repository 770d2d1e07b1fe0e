"""Forms for telling a story, changing its consent and withdrawing it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from participate.accounts.forms import int_or_none, labelled, strip_whitespace
from participate.stories import rules


class StoryForm(FlaskForm):
    """The story's words and every consent choice. All of it can be changed at any time."""

    template = RadioField(
        _l("How would you like to tell it?"),
        choices=labelled(rules.TEMPLATES),
        default="free",
        validators=[InputRequired(_l("Choose how you'd like to tell it."))],
    )
    title = StringField(
        _l("Title"),
        description=_l("A few words, for example: Getting to the hub."),
        validators=[InputRequired(_l("Give your story a title.")), Length(max=200)],
        filters=[strip_whitespace],
    )
    body = TextAreaField(
        _l("Your story"),
        description=_l(
            "Write it as you would say it. You can use **bold**, *italics*, "
            "- for a list and a blank line between paragraphs."
        ),
        validators=[Optional(), Length(max=20000)],
    )
    content_note = StringField(
        _l("Content note (optional)"),
        description=_l(
            "Shown before your story, so people can choose when to read it. "
            "For example: talks about homelessness."
        ),
        validators=[Optional(), Length(max=300)],
        filters=[strip_whitespace],
    )
    audience = RadioField(
        _l("Who can read it"),
        choices=labelled(rules.AUDIENCES),
        default="only_me",
        validators=[InputRequired(_l("Choose who can read it."))],
    )
    attribution = RadioField(
        _l("How you are named"),
        choices=labelled(rules.ATTRIBUTIONS),
        default="first_name",
        validators=[InputRequired(_l("Choose how you are named."))],
    )
    pseudonym = StringField(
        _l("The made-up name"),
        description=_l("Only if you chose a made-up name."),
        validators=[Optional(), Length(max=80)],
        filters=[strip_whitespace],
    )
    quoting = RadioField(
        _l("Quoting parts of it"),
        choices=labelled(rules.QUOTING),
        default="none",
        validators=[InputRequired(_l("Choose whether people may quote it."))],
    )
    expires_on = DateField(
        _l("Take it down on this date (optional)"),
        description=_l("After this date it disappears, as if you had withdrawn it."),
        validators=[Optional()],
    )
    leave_withdrawn_line = BooleanField(
        _l('If it is withdrawn, leave a line saying "A story was withdrawn by its teller."')
    )
    wants_support = BooleanField(_l("I'd like support after sharing"))


class NewStoryForm(StoryForm):
    """A facilitator may write a story down with a member who is there and agrees."""

    teller_id = SelectField(_l("Whose story is it?"), coerce=int_or_none, validators=[Optional()])
    consent = BooleanField(_l("They are here and agreed that I write this down with them"))


class WithdrawForm(FlaskForm):
    leave_withdrawn_line = BooleanField(
        _l('Leave a line saying "A story was withdrawn by its teller."')
    )


class ButtonForm(FlaskForm):
    """Nothing to fill in: a button that changes something, with its CSRF token."""
