"""Forms for the grant's Updates tab: a spend update, a note in the contact log, asking to
move money between budget lines, and deciding on such a request. Rules that need the grant
(the line's amount, the fund's limit, no date in the future) are checked in the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participate.accounts.forms import choices, int_or_none, labelled, strip_whitespace
from participate.grants import rules
from participate.grants.forms.fields import DayField, MoneyField
from participate.text import N_


class SpendUpdateForm(FlaskForm):
    amount = MoneyField(
        _l("How much have you spent since your last update?"),
        description=_l("In pounds, like 120 or 120.50. Write 0 if you have not spent any."),
        validators=[InputRequired(_l("Say how much you have spent: 0 if nothing."))],
    )
    note = TextAreaField(
        _l("What was it for?"),
        description=_l("A line or two is plenty, like: Bought the tables and paid the hall."),
        validators=[
            DataRequired(_l("Say in a few words what the money went on.")),
            Length(max=1000, message=_l("Keep it to 1000 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )


class ContactForm(FlaskForm):
    on = DayField(
        _l("When"),
        description=_l("The day you spoke or wrote, like 2026-03-14."),
        validators=[InputRequired(_l("Give the day."))],
    )
    how = RadioField(
        _l("How"),
        choices=labelled(rules.CONTACT_KINDS),
        validators=[InputRequired(_l("Choose how you were in touch."))],
    )
    note = TextAreaField(
        _l("What was said"),
        description=_l("The grantee can read this log: it is about them."),
        validators=[
            DataRequired(_l("Write a short note of what was said.")),
            Length(max=2000, message=_l("Keep it to 2000 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )


class ReallocationForm(FlaskForm):
    from_line = SelectField(
        _l("Move money from"),
        coerce=int_or_none,
        validate_choice=False,  # checked against the grant's own lines in the view
        validators=[DataRequired(_l("Choose the line to move money from."))],
    )
    to_line = SelectField(
        _l("Move it to"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[DataRequired(_l("Choose the line to move money to."))],
    )
    amount = MoneyField(
        _l("How much"),
        description=_l("In pounds, like 50 or 50.25."),
        validators=[InputRequired(_l("Give the amount to move."))],
    )
    reason = TextAreaField(
        _l("Why"),
        description=_l("For example: The hall cost less than we thought, so we need more paint."),
        validators=[
            DataRequired(_l("Say why, so the fund understands.")),
            Length(max=1000, message=_l("Keep it to 1000 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )

    def set_lines(self, rows, placeholder: str) -> None:
        """``rows``: (line id, label shown) pairs for both selects."""
        options = [(None, placeholder), *rows]
        self.from_line.choices = choices(options)
        self.to_line.choices = choices(options)


DECISIONS = {
    "approve": N_("Yes, move it"),
    "refuse": N_("No, keep the lines as they are"),
}


class DecideReallocationForm(FlaskForm):
    decision = RadioField(
        _l("Your decision"),
        choices=labelled(DECISIONS),
        validators=[InputRequired(_l("Choose yes or no."))],
    )
    note = TextAreaField(
        _l("Note to the grantee"),
        description=_l("Needed when you say no: say why."),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Keep it to 1000 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )
