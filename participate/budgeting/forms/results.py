"""Forms for counting, publishing and changing a result. Counting and publishing are buttons
(a form with only its CSRF token); a change needs a project, funded or not, and a reason that
is published next to the project."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from participate.accounts.forms import choices, strip_whitespace

REASON_MIN = 20  # characters: at least a short sentence


class ButtonForm(FlaskForm):
    """Count, re-count or publish: nothing to fill in but the CSRF token."""


def a_sentence(form, field) -> None:
    """A reason people can read: a sentence, not a word or two."""
    text = (field.data or "").strip()
    if len(text) < REASON_MIN or len(text.split()) < 4:
        raise ValidationError(
            _l(
                "Write at least a full sentence saying why: it is published next to the "
                "project for everyone to read."
            )
        )


class OverrideForm(FlaskForm):
    project = RadioField(
        _l("Which project"),
        validators=[InputRequired(message=_l("Choose the project the council is deciding on."))],
        choices=[],
    )
    funded = RadioField(
        _l("The council's decision"),
        validators=[InputRequired(message=_l("Say whether the project is funded or not."))],
        choices=choices([("yes", _l("Fund it")), ("no", _l("Do not fund it"))]),
    )
    reason = TextAreaField(
        _l("Why (published on the results page)"),
        description=_l(
            "Say plainly why the council is changing the result. Everyone who can see the "
            "results reads this next to the project, with your name and the date."
        ),
        filters=[strip_whitespace],
        validators=[
            InputRequired(message=_l("Say why the council is changing the result.")),
            a_sentence,
            Length(max=2000, message=_l("Keep it under 2,000 characters.")),
        ],
    )
