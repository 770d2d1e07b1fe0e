"""Forms for setting up a fund, its settings, moving it on and adding money to it. The fund's
own checks (``grants.fund_rules.settings_problems``) are put next to each field in the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from participate.accounts.forms import labelled, strip_whitespace
from participate.budgeting.forms.rounds import CURRENCIES, VISIBILITY
from participate.grants import rules
from participate.grants.forms.fields import DayField, MoneyField, WholeNumberField

# The settings the forms share with ``Fund`` columns (total is only in the new-fund form:
# afterwards money comes in through "add money", which the ledger records).
SETTINGS = (
    "name",
    "summary",
    "currency",
    "opens_on",
    "ends_on",
    "closure_window_months",
    "reminder_months",
    "micro_limit",
    "max_grant",
    "two_approvals_above",
    "reallocation_limit",
    "decides_by",
)


class FundSettingsForm(FlaskForm):
    name = StringField(
        _l("Name of the fund"),
        description=_l("For example: Porthaven Community Chest 2026."),
        validators=[DataRequired(_l("Give the fund a name.")), Length(max=160)],
        filters=[strip_whitespace],
    )
    summary = TextAreaField(
        _l("What the fund is for"),
        description=_l(
            "A few sentences people read first: what the money is for and who can apply."
        ),
        validators=[Optional(), Length(max=3000)],
        filters=[strip_whitespace],
    )
    currency = SelectField(_l("Currency"), choices=labelled(CURRENCIES), default="GBP")
    opens_on = DayField(
        _l("Opens for applications on (optional)"),
        description=_l("Leave it empty to take applications as soon as you open the fund."),
        validators=[Optional()],
    )
    ends_on = DayField(
        _l("The fund ends on"),
        description=_l("Every grant is closed by then."),
        validators=[InputRequired(_l("Give the date the fund ends."))],
    )
    closure_window_months = WholeNumberField(
        _l("Closure window, in months"),
        message=_l("Enter a whole number of months, like 6."),
        description=_l(
            "Grants close this many months before the fund ends, so there is time "
            "to close them well."
        ),
        default=6,
        validators=[
            InputRequired(_l("Give the number of months, like 6.")),
            NumberRange(0, 36, _l("Choose between 0 and 36 months.")),
        ],
    )
    reminder_months = WholeNumberField(
        _l("Reminders, in months"),
        message=_l("Enter a whole number of months, like 3."),
        description=_l(
            "Grantees and officers are reminded of the closing steps this many months "
            "before a grant ends."
        ),
        default=3,
        validators=[
            InputRequired(_l("Give the number of months, like 3.")),
            NumberRange(0, 24, _l("Choose between 0 and 24 months.")),
        ],
    )
    micro_limit = MoneyField(
        _l("Micro-grants up to (optional)"),
        description=_l(
            "Applications up to this amount take the lightest path. Leave it empty "
            "for no micro-grants."
        ),
        validators=[Optional()],
    )
    max_grant = MoneyField(
        _l("The most one grant may get (optional)"),
        description=_l("Leave it empty for up to what the fund has left."),
        validators=[Optional()],
    )
    two_approvals_above = MoneyField(
        _l("Payments above this need two approvals (optional)"),
        description=_l(
            "Leave it empty for one approval on every payment. The person who asks "
            "for a payment never approves it."
        ),
        validators=[Optional()],
    )
    reallocation_limit = MoneyField(
        _l("Small moves between budget lines, up to"),
        description=_l(
            "A grantee may move up to this between the lines of their budget with "
            "one officer's approval. 0 means every move needs a new agreement."
        ),
        default=0,
        validators=[InputRequired(_l("Give an amount, or 0."))],
    )
    decides_by = RadioField(
        _l("How applications are decided"),
        choices=labelled(rules.DECIDED_BY),
        default="panel",
        validators=[InputRequired(_l("Choose how applications are decided."))],
    )


class NewFundForm(FundSettingsForm):
    total = MoneyField(
        _l("Money in the fund"),
        description=_l(
            "What the fund starts with. You can add more later; the ledger records "
            "every payment in."
        ),
        validators=[Optional()],
    )
    visibility = RadioField(
        _l("Who can see it once it opens"),
        description=_l(
            "While you set it up, only the people who run the council's funds can see it."
        ),
        choices=labelled(VISIBILITY),
        default="public",
        validators=[InputRequired(_l("Choose who can see it."))],
    )


class MoveFundForm(FlaskForm):
    to = HiddenField(validators=[InputRequired()])


class AddMoneyForm(FlaskForm):
    amount = MoneyField(
        _l("Amount to add"),
        validators=[InputRequired(_l("Give the amount to add."))],
    )
    note = StringField(
        _l("Where it comes from"),
        description=_l("For example: Second payment from the council."),
        validators=[DataRequired(_l("Say where the money comes from.")), Length(max=300)],
        filters=[strip_whitespace],
    )
    reference = StringField(
        _l("Bank or payment reference (optional)"),
        validators=[Optional(), Length(max=80)],
        filters=[strip_whitespace],
    )
