"""Forms for setting up a grant round and its pots. Labels and messages are plain words;
the round's own rules (``budgeting.rules``) are checked in the view, next to each field."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from participate.accounts.forms import choices, int_or_none, labelled, strip_whitespace
from participate.budgeting import rules
from participate.text import N_

VISIBILITY = {
    "public": N_("Anyone can see it, signed in or not"),
    "members": N_("Only the people in its space can see it"),
}
CURRENCIES = {
    "GBP": N_("Pounds (£)"),
    "EUR": N_("Euros (€)"),
    "USD": N_("US dollars ($)"),
    "PLN": N_("Złoty (PLN)"),
}
# The settings that are fixed once voting opens (rules.setup_locked).
LOCKED_FIELDS = ("ballot_type", "min_picks", "max_picks", "points", "min_spend_percent", "rule")
DATE_FIELDS = tuple(rules.PHASE_DATES.values())

_NUMBER_NOISE = re.compile(r"[\s,_£€$]")


class WholeNumberField(IntegerField):
    """A whole number, with a plain message when it isn't one. Spaces, commas and a currency
    sign are allowed ('£5,000'); what was typed comes back as it was when it is wrong."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        typed = _NUMBER_NOISE.sub("", valuelist[0])
        if not re.fullmatch(r"-?\d+", typed):
            self.data = None
            raise ValueError(self.message or _("Enter a whole number, like 3."))
        self.data = int(typed)


class DayField(DateField):
    """A date (the browser's date picker sends 2026-03-14), with a plain message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Enter a date like 2026-03-14.")) from None


class NewRoundForm(FlaskForm):
    title = StringField(
        _l("Name of the round"),
        description=_l("For example: Northside Neighbourhood Fund 2026."),
        validators=[DataRequired(_l("Give the round a name.")), Length(max=160)],
        filters=[strip_whitespace],
    )
    visibility = RadioField(
        _l("Who can see it once it opens"),
        description=_l("While you set it up, only council officers can see it."),
        choices=labelled(VISIBILITY),
        default="public",
        validators=[InputRequired(_l("Choose who can see it."))],
    )


def _optional_count(label, description):
    """A count the round's rules check (``rules.setup_problems``), so no range here."""
    return WholeNumberField(label, description=description, validators=[Optional()])


class RoundForm(FlaskForm):
    title = StringField(
        _l("Name of the round"),
        validators=[DataRequired(_l("Give the round a name.")), Length(max=160)],
        filters=[strip_whitespace],
    )
    summary = TextAreaField(
        _l("What the round is for"),
        description=_l("A few sentences a resident reads first: what the money is for."),
        validators=[Optional(), Length(max=3000)],
        filters=[strip_whitespace],
    )
    # Where
    area_kind = RadioField(
        _l("Which area it covers"),
        choices=labelled(rules.AREA_KINDS),
        default="whole",
        validators=[InputRequired(_l("Choose the area."))],
    )
    area_name = StringField(
        _l("Name of the area or place"),
        description=_l("For example: Northside ward, or Mill Field for a distance around it."),
        validators=[Optional(), Length(max=200)],
        filters=[strip_whitespace],
    )
    radius_metres = WholeNumberField(
        _l("Distance from the place, in metres"),
        description=_l("Only for a distance around a place."),
        validators=[Optional()],
        message=_l("Enter the distance as a whole number of metres, like 800."),
    )
    # Who
    who_proposes = RadioField(
        _l("Who can suggest ideas"),
        choices=labelled(rules.WHO_PROPOSES),
        default="residents",
        validators=[InputRequired(_l("Choose who can suggest ideas."))],
    )
    who_votes = RadioField(
        _l("Who can vote"),
        choices=labelled(rules.WHO_VOTES),
        default="residents",
        validators=[InputRequired(_l("Choose who can vote."))],
    )
    members_space_id = SelectField(
        _l("The group whose members take part"),
        description=_l("Only when members of a group suggest ideas or vote."),
        coerce=int_or_none,
        validators=[Optional()],
    )
    vote_age_from = WholeNumberField(
        _l("Youngest age to vote (optional)"),
        description=_l("Leave it empty if there is no age limit. For example: 11."),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Use an age from 0 to 120.")),
        ],
    )
    # The ballot and the count (fixed once voting opens)
    ballot_type = RadioField(
        _l("How people vote"),
        choices=labelled(rules.BALLOT_LABELS),
        default="approval",
        validators=[InputRequired(_l("Choose how people vote."))],
    )
    min_picks = _optional_count(_l("Fewest projects to tick"), _l("Leave it empty for no fewest."))
    max_picks = _optional_count(_l("Most projects to tick"), _l("Leave it empty for no limit."))
    min_spend_percent = WholeNumberField(
        _l("Least share of the money each voter must choose (per cent)"),
        description=_l("Optional. For example 50: choices must add up to half the pot."),
        validators=[Optional()],
    )
    points = WholeNumberField(
        _l("Points each voter shares out"),
        description=_l("For example: 10."),
        validators=[Optional()],
    )
    rule = RadioField(
        _l("How the votes are counted"),
        choices=labelled(rules.RULE_LABELS),
        default="mes-add1",
        validators=[InputRequired(_l("Choose how the votes are counted."))],
    )
    # When
    ideas_from = DayField(_l("Ideas open on"), validators=[Optional()])
    feasibility_from = DayField(_l("Checking ideas starts on"), validators=[Optional()])
    voting_from = DayField(_l("Voting opens on"), validators=[Optional()])
    results_from = DayField(
        _l("Results on"), description=_l("Voting closes the day before."), validators=[Optional()]
    )
    delivery_from = DayField(_l("Making it happen starts on"), validators=[Optional()])
    ends_on = DayField(_l("The round ends on"), validators=[Optional()])
    # Money
    currency = SelectField(
        _l("Currency"),
        choices=labelled(CURRENCIES),
        default="GBP",
        validators=[InputRequired(_l("Choose the currency."))],
    )
    unspent = TextAreaField(
        _l("What happens to money that is not spent"),
        description=_l("For example: it goes into next year's fund."),
        validators=[Optional(), Length(max=2000)],
        filters=[strip_whitespace],
    )

    def set_choices(self, spaces, currency: str) -> None:
        """The groups of the round's council to choose from, and the round's currency even
        if it is not one of ours (a round brought in from a file)."""
        self.members_space_id.choices = choices(
            [("", _("Choose a group"))] + [(str(s.id), s.name) for s in spaces]
        )
        if currency and currency not in CURRENCIES:
            self.currency.choices = [*self.currency.choices, *choices([(currency, currency)])]


class PotForm(FlaskForm):
    name = StringField(
        _l("Name of the pot"),
        description=_l("For example: Young people, or The whole of Northside."),
        validators=[DataRequired(_l("Give the pot a name.")), Length(max=160)],
        filters=[strip_whitespace],
    )
    amount = WholeNumberField(
        _l("How much money it holds"),
        description=_l("Whole pounds, euros or złoty, no pence: for example 10000."),
        validators=[
            InputRequired(_l("Say how much money the pot holds.")),
            NumberRange(min=1, message=_l("The amount must be more than nothing.")),
        ],
        message=_l("Enter the amount as a whole number, like 10000 (no pence)."),
    )
    area_or_theme = StringField(
        _l("Area or theme (optional)"),
        description=_l("For example: Northside ward, or ideas by and for young people."),
        validators=[Optional(), Length(max=200)],
        filters=[strip_whitespace],
    )


class MoveForm(FlaskForm):
    """An officer moves the round to the next phase (or back one, before voting)."""

    to = SelectField(choices=choices((p, p) for p in rules.PHASES), validators=[InputRequired()])


class RemovePotForm(FlaskForm):
    pass
