"""Forms for applying for a small grant (the short micro-grant form and the full form, with
up to six budget lines) and for accepting an offer."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participate.accounts.forms import labelled, strip_whitespace
from participate.grants.forms.fields import DayField, MoneyField
from participate.grants.rules import RECIPIENT_KINDS
from participate.money import format_money

MAX_LINES = 6
EMPTY_LINES = 3  # rows shown on a new form; "Add another line" adds one more, up to six


class LineForm(Form):
    """One budget line: what it pays for, and how much (inside the application form, which
    carries the CSRF token)."""

    label = StringField(
        _l("What it pays for"), validators=[Optional(), Length(max=200)], filters=[strip_whitespace]
    )
    amount = MoneyField(_l("Amount"), render_kw={"inputmode": "decimal", "autocomplete": "off"})


class SmallApplicationForm(FlaskForm):
    """The micro-grant form: what, who for, how much, and who receives the money."""

    title = StringField(
        _l("What is the money for? Give it a short name"),
        description=_l("A few words, for example: Saturday breakfast club."),
        validators=[DataRequired(_l("Give it a short name.")), Length(max=200)],
        filters=[strip_whitespace],
    )
    what = TextAreaField(
        _l("What would you do with the money?"),
        description=_l("Say it as you would tell a neighbour. A few lines are enough."),
        validators=[DataRequired(_l("Say what you would do with the money.")), Length(max=5000)],
    )
    who_for = TextAreaField(
        _l("Who does it help?"),
        description=_l(
            "For example: families on the Northside estate, or older people who live alone."
        ),
        validators=[DataRequired(_l("Say who it helps.")), Length(max=2000)],
    )
    amount_requested = MoneyField(
        _l("How much are you asking for?"),
        description=_l("In pounds, for example 450 or 450.50."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    recipient_kind = RadioField(
        _l("Who would receive the money?"),
        choices=labelled(RECIPIENT_KINDS),
        validators=[InputRequired(_l("Choose who would receive the money."))],
    )
    recipient_name = StringField(
        _l("The group's name, or your own name if the money is for you"),
        validators=[
            DataRequired(_l("Give the name of the group, or your own name.")),
            Length(max=200),
        ],
        filters=[strip_whitespace],
    )
    recipient_number = StringField(
        _l("Its charity or company number, if it has one (optional)"),
        validators=[Optional(), Length(max=40)],
        filters=[strip_whitespace],
    )
    host_name = StringField(
        _l("The host organisation that would hold the money"),
        description=_l(
            "For example a charity, a church or a community centre that looks "
            "after the money for your group."
        ),
        validators=[Length(max=200)],
        filters=[strip_whitespace],
    )
    host_number = StringField(
        _l("The host's charity or company number, if it has one (optional)"),
        validators=[Optional(), Length(max=40)],
        filters=[strip_whitespace],
    )
    name_public = BooleanField(
        _l("You may name me in public"),
        description=_l("If you leave this unticked, we never show your name in public."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines_errors: list[str] = []  # the lines as a whole (they must add up)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.recipient_kind.data == "hosted" and not self.host_name.data:
            self.host_name.errors = [
                *self.host_name.errors,
                _("Give the name of the host organisation that would hold the money."),
            ]
            valid = False
        return valid

    def recipient_fields(self) -> dict:
        """The recipient's columns, keeping only what belongs to the kind chosen."""
        kind = self.recipient_kind.data
        return {
            "recipient_kind": kind,
            "recipient_name": self.recipient_name.data,
            "recipient_number": (self.recipient_number.data or None)
            if kind == "organisation"
            else None,
            "host_name": (self.host_name.data or None) if kind == "hosted" else None,
            "host_number": (self.host_number.data or None) if kind == "hosted" else None,
            "name_public": bool(self.name_public.data) if kind == "individual" else False,
        }

    def grant_fields(self) -> dict:
        return {
            "title": self.title.data,
            "what": self.what.data.strip(),
            "who_for": (self.who_for.data or "").strip() or None,
            "amount_requested": self.amount_requested.data,
            **self.recipient_fields(),
        }

    def budget_lines(self) -> list[tuple[str, int]]:
        return []


class ApplicationForm(SmallApplicationForm):
    """The full form: the short one, plus where, roughly when, the optional questions and
    the budget lines."""

    where_text = StringField(
        _l("Where? A ward, a street or a place"),
        validators=[DataRequired(_l("Say where it would happen.")), Length(max=200)],
        filters=[strip_whitespace],
    )
    planned_start = DayField(_l("Roughly when would it start? (optional)"), validators=[Optional()])
    planned_end = DayField(_l("And end? (optional)"), validators=[Optional()])
    hope = TextAreaField(
        _l("What do you hope will change? (optional)"),
        validators=[Optional(), Length(max=3000)],
    )
    after_grant = TextAreaField(
        _l("What happens after the grant? (optional)"),
        description=_l("For example: it carries on with volunteers, or it was a one-off."),
        validators=[Optional(), Length(max=3000)],
    )
    lines = FieldList(FormField(LineForm), min_entries=EMPTY_LINES, max_entries=MAX_LINES)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.planned_start.data, self.planned_end.data
        if start and end and end < start:
            self.planned_end.errors = [
                *self.planned_end.errors,
                _("The end comes before the start: check the dates."),
            ]
            valid = False
        lines_ok = True
        for entry in self.lines:
            label, amount = entry.form.label, entry.form.amount
            if amount.data is not None and not label.data:
                label.errors = [*label.errors, _("Say what this line pays for.")]
            elif label.data and amount.data is None and not amount.errors:
                amount.errors = [*amount.errors, _("Give the amount for this line.")]
            if label.errors or amount.errors:
                lines_ok = valid = False
        asked = self.amount_requested.data
        given = self.budget_lines()
        if given and asked and lines_ok and not self.amount_requested.errors:
            total = sum(amount for _label, amount in given)
            if total != asked:
                self.lines_errors.append(
                    _(
                        "Your budget lines add up to %(total)s but you are asking for "
                        "%(asked)s: make them the same.",
                        total=self._money(total),
                        asked=self._money(asked),
                    )
                )
                valid = False
        self._errors = None
        return valid

    currency = "GBP"  # the view sets the fund's

    def _money(self, pence: int) -> str:
        return format_money(pence, self.currency)

    def grant_fields(self) -> dict:
        return {
            **super().grant_fields(),
            "where_text": self.where_text.data,
            "planned_start": self.planned_start.data,
            "planned_end": self.planned_end.data,
            "hope": (self.hope.data or "").strip() or None,
            "after_grant": (self.after_grant.data or "").strip() or None,
        }

    def budget_lines(self) -> list[tuple[str, int]]:
        """The lines filled in, as (what it pays for, pence); empty rows are left out."""
        return [
            (entry.form.label.data, entry.form.amount.data)
            for entry in self.lines
            if entry.form.label.data and entry.form.amount.data is not None
        ]

    def add_line(self) -> bool:
        """One more empty row (for "Add another line"), up to six."""
        if len(self.lines) >= MAX_LINES:
            return False
        self.lines.append_entry()
        return True


class AcceptForm(FlaskForm):
    agree = BooleanField(
        _l("I have read the offer and agree to it"),
        validators=[
            DataRequired(_l("Tick the box to say you have read the offer and agree to it."))
        ],
    )
