"""Forms of the grant's Money tab and the fund's ledger page. Amounts are typed in pounds
(``MoneyField`` keeps pence); how much may move is checked in the view, by the rules, next to
each field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from participate.accounts.forms import strip_whitespace
from participate.grants.forms.fields import DayField, MoneyField


class ActionForm(FlaskForm):
    """A button with nothing to type (approve, withdraw): only the form's protection."""


class PaymentRequestForm(FlaskForm):
    amount = MoneyField(_l("Amount to pay"), description=_l("In pounds, like 250 or 250.50."))
    note = TextAreaField(
        _l("What this payment is for (optional)"),
        description=_l("For example: the first half, to buy the equipment."),
        validators=[Optional(), Length(max=2000)],
        filters=[strip_whitespace],
    )


def _reason(label, message):
    return TextAreaField(
        label,
        validators=[DataRequired(message), Length(max=2000)],
        filters=[strip_whitespace],
    )


class RefuseForm(FlaskForm):
    """Not approving a payment: always with a reason the person who asked reads."""

    reason = _reason(_l("Why it is not approved"), _l("Say why it is not approved."))


class ReleaseForm(FlaskForm):
    reason = _reason(_l("Why the money is not needed"), _l("Say why the money is not needed."))


class CancelForm(FlaskForm):
    reason = _reason(_l("Why the grant is cancelled"), _l("Say why the grant is cancelled."))


class CorrectForm(FlaskForm):
    reason = _reason(_l("What was wrong"), _l("Say what was wrong."))


class MarkPaidForm(FlaskForm):
    paid_on = DayField(_l("Date paid"), validators=[Optional()])
    reference = StringField(
        _l("Payment reference"),
        description=_l("The bank's reference for the payment, so it can be found again."),
        validators=[DataRequired(_l("Give the payment reference.")), Length(max=80)],
        filters=[strip_whitespace],
    )


class ReturnForm(FlaskForm):
    amount = MoneyField(_l("Amount given back"), description=_l("In pounds, like 250 or 250.50."))
    occurred_on = DayField(_l("Date it came back"), validators=[Optional()])
    reference = StringField(
        _l("Payment reference (optional)"),
        validators=[Optional(), Length(max=80)],
        filters=[strip_whitespace],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("For example: what was not spent, and why."),
        validators=[Optional(), Length(max=2000)],
        filters=[strip_whitespace],
    )
