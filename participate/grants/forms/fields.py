"""Fields every grants form uses: an amount of money typed in pounds (kept as pence)."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import StringField

from participate.budgeting.forms.rounds import (  # noqa: F401 - shared with grant rounds
    DayField,
    WholeNumberField,
)
from participate.money import format_amount, parse_money


class MoneyField(StringField):
    """An amount like 250, 250.50 or £1,250 typed in pounds; ``data`` is pence (an int), or
    ``None`` when empty. What was typed comes back as it was when it is wrong."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        if not self.raw.strip():
            self.data = None
            return
        pence = parse_money(self.raw)
        if pence is None:
            self.data = None
            raise ValueError(_("Write an amount of money, like 250 or 250.50."))
        self.data = pence

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return format_amount(self.data) if self.data is not None else ""
