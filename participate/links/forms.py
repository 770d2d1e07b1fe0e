"""The 'link this to…' form and the button that removes a link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from participate.accounts.forms import strip_whitespace
from participate.links.rules import MAX_NOTE


class LinkForm(FlaskForm):
    choice = SelectField(
        _l("Link it to"),
        description=_l(
            "Choose what this led to, or what it came from. Only the things you look after, "
            "or things linked to what you look after, are in the list."
        ),
        validate_choice=False,  # checked against what this person may link, in the view
        validators=[InputRequired(_l("Choose what to link it to."))],
    )
    note = StringField(
        _l("How it connects (optional)"),
        description=_l("A few words, for example: the grants carried out this decision."),
        validators=[Optional(), Length(max=MAX_NOTE)],
        filters=[strip_whitespace],
    )


class RemoveLinkForm(FlaskForm):
    """Nothing to fill in: the button that removes a link, with its CSRF token."""
