"""Forms for deciding on an application: a panel member's declaration of interest and view,
the award and the decline, taking it to a consent round, and awards from residents' votes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participate.accounts.forms import int_or_none, labelled, strip_whitespace
from participate.grants.deciding_rules import INTEREST_CHOICES, VIEW_CHOICES
from participate.grants.forms.fields import DayField, MoneyField


class DeclareForm(FlaskForm):
    declared = RadioField(
        _l("Do you have an interest in this application?"),
        description=_l(
            "An interest is anything that could make people think you are not neutral: you "
            "know the people, you would gain from it, or you help run the group."
        ),
        choices=labelled(INTEREST_CHOICES),
        validators=[InputRequired(_l("Say whether you have an interest in this application."))],
    )
    interest = TextAreaField(
        _l("What is your interest? (needed if you have one)"),
        description=_l("For example: My sister runs this group."),
        validators=[Optional(), Length(max=2000)],
        filters=[strip_whitespace],
    )


class ViewForm(FlaskForm):
    view = RadioField(
        _l("Your view"),
        choices=labelled(VIEW_CHOICES),
        validators=[InputRequired(_l("Choose whether to fund it."))],
    )
    view_note = TextAreaField(
        _l("Why? (optional)"),
        description=_l("A sentence or two the rest of the panel will read."),
        validators=[Optional(), Length(max=2000)],
        filters=[strip_whitespace],
    )


class AwardForm(FlaskForm):
    amount = MoneyField(
        _l("Amount to award"),
        description=_l("In pounds, for example 250 or 250.50. No more than was asked for."),
        validators=[InputRequired(_l("Give the amount to award, more than nothing."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    conditions = TextAreaField(
        _l("Conditions of the offer (optional)"),
        description=_l("Anything the group agrees to by accepting, in plain words."),
        validators=[Optional(), Length(max=5000)],
        filters=[strip_whitespace],
    )
    ends_on = DayField(
        _l("When should the work be done? (optional)"),
        description=_l("Leave it empty to use the end date in the application."),
        validators=[Optional()],
    )
    award_note = TextAreaField(
        _l("A note for the applicant (optional)"),
        description=_l("What the panel said, in a few words the applicant will read."),
        validators=[Optional(), Length(max=3000)],
        filters=[strip_whitespace],
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it not being funded?"),
        description=_l("The applicant will read this. Be kind and clear, and say what might help."),
        validators=[DataRequired(_l("Give the reason the applicant will read.")), Length(max=3000)],
        filters=[strip_whitespace],
    )


class ButtonForm(FlaskForm):
    """A form that is only a button (its CSRF token)."""


class FromRoundForm(FlaskForm):
    round_id = SelectField(
        _l("Which vote?"),
        description=_l("Grant rounds run by the same council, with their results published."),
        coerce=int_or_none,
        validators=[InputRequired(_l("Choose a round."))],
    )
