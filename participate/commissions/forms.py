"""Forms for setting up a commission, its phases, its charter and its people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from participate.accounts.forms import choices
from participate.accounts.rules import MEMBERSHIP_STATUSES
from participate.commissions import rules


def _labelled(mapping: dict):
    return choices((key, _l(label)) for key, label in mapping.items())


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (a multi-select is hard to use, especially on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CommissionForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("For example: Porthaven Poverty Truth Commission."),
        validators=[DataRequired(_l("Enter a name.")), Length(max=160)],
    )
    place = StringField(
        _l("Place"),
        description=_l("The town, city or area it is for."),
        validators=[DataRequired(_l("Enter the place.")), Length(max=120)],
    )
    hosts = MultiCheckboxField(
        _l("Host organisations"),
        description=_l("Who owns it locally. Choose at least one."),
        coerce=int,
        validators=[InputRequired(_l("Choose at least one host organisation."))],
    )
    starts_on = DateField(
        _l("Start date"),
        description=_l("When the first phase, deciding to go ahead, began or begins."),
        validators=[InputRequired(_l("Enter a date, like 2026-11-22."))],
    )
    phase = RadioField(
        _l("Where it is now"),
        choices=choices((p.key, _l(p.label)) for p in rules.PHASES),
        default="decide",
        validators=[InputRequired()],
    )
    phase_started_on = DateField(
        _l("When this phase began"),
        validators=[InputRequired(_l("Enter a date, like 2026-11-22."))],
    )
    north_star = TextAreaField(
        _l("North Star (optional)"),
        description=_l(
            "What the commission hopes for, in a sentence or two. Members can change "
            "it together later."
        ),
        validators=[Optional(), Length(max=2000)],
    )
    i_facilitate = BooleanField(_l("I will be one of its facilitators"), default=True)
    focus = RadioField(
        _l("My focus as a facilitator"),
        choices=_labelled(rules.FACILITATOR_FOCUSES),
        default="administration",
        validators=[Optional()],
    )


class AdvanceForm(FlaskForm):
    reason = TextAreaField(
        _l("Why now? (recorded)"),
        validators=[Optional(), Length(max=2000)],
    )


def phase_plan_form(plan: dict, formdata=None):
    """A form with one 'months' field per phase, filled with the current plan."""

    class PhasePlanForm(FlaskForm):
        reason = TextAreaField(
            _l("Why are you changing the plan? (recorded)"),
            validators=[Optional(), Length(max=2000)],
        )

    for phase in rules.PHASES:
        setattr(
            PhasePlanForm,
            f"months_{phase.key}",
            IntegerField(
                _l(phase.label),
                default=plan.get(phase.key, phase.default_months),
                validators=[
                    InputRequired(_l("Enter a number of months.")),
                    NumberRange(
                        1, rules.MAX_PHASE_MONTHS, _l("Each phase needs between 1 and 60 months.")
                    ),
                ],
            ),
        )
    return PhasePlanForm(formdata=formdata) if formdata is not None else PhasePlanForm()


class CharterForm(FlaskForm):
    north_star = TextAreaField(
        _l("North Star"),
        description=_l("What we hope for together, in a sentence or two."),
        validators=[Optional(), Length(max=2000)],
    )
    principles = TextAreaField(
        _l("Shared principles"),
        description=_l("How we agree to be with each other. One per line works well."),
        validators=[Optional(), Length(max=5000)],
    )
    note = StringField(
        _l("What changed and why (optional)"),
        validators=[Optional(), Length(max=300)],
    )


class MemberForm(FlaskForm):
    status = SelectField(_l("Taking part"), choices=_labelled(MEMBERSHIP_STATUSES))
    focus = SelectField(
        _l("Focus"),
        choices=choices([("", _l("No particular focus"))]) + _labelled(rules.FACILITATOR_FOCUSES),
        validators=[Optional()],
    )
