"""The form for printing numbered paper ballots: which pot, the first number, how many.

It is sent with GET (printing changes nothing), so it carries no CSRF token. The numbers are
read by ``budgeting.numbering``, which puts its problems next to these fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from participate.accounts.forms import int_or_none, strip_whitespace


class PrintBallotsForm(FlaskForm):
    class Meta:
        csrf = False

    pot = SelectField(_l("Which pot are the ballots to print for?"), coerce=int_or_none)
    first = StringField(
        _l("First ballot number"),
        description=_l("The number on the first paper. Start after any numbers printed before."),
        filters=[strip_whitespace],
    )
    count = StringField(
        _l("How many ballots"),
        description=_l("One ballot on each page, each with its own number."),
        filters=[strip_whitespace],
    )
