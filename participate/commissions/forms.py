"""Forms for commissions: set-up, phases, charter, people, sessions and the contact log."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from participate.accounts.forms import choices, int_or_none, labelled, strip_whitespace
from participate.accounts.rules import MEMBERSHIP_STATUSES
from participate.clock import place_zone
from participate.commissions import rules


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
        choices=labelled(rules.FACILITATOR_FOCUSES),
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
    status = SelectField(_l("Taking part"), choices=labelled(MEMBERSHIP_STATUSES))
    focus = SelectField(
        _l("Focus"),
        choices=choices([("", _l("No particular focus"))]) + labelled(rules.FACILITATOR_FOCUSES),
        validators=[Optional()],
    )


# --- sessions and the contact log ----------------------------------------------------------


class _Day:
    def __init__(self, message=None):
        self.message = message or _l("Enter a date like 14/03/2027.")

    def __call__(self, form, field):
        if field.data and rules.parse_day(field.data) is None:
            raise ValidationError(self.message)


class _Clock:
    def __call__(self, form, field):
        if field.data and rules.parse_clock(field.data) is None:
            raise ValidationError(_("Enter a time like 18:30 or 6:30pm."))


class _WebLink:
    def __call__(self, form, field):
        link = field.data or ""
        if link and not (
            link.lower().startswith(("https://", "http://")) and "." in link and " " not in link
        ):
            raise ValidationError(_("Enter the whole link, starting https://"))


class MinutesField(IntegerField):
    """Minutes as a whole number, with a plain message when it isn't one."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_("Enter a number of minutes, like 10.")) from None


def _minutes(label, default, most):
    return MinutesField(
        label,
        default=default,
        validators=[
            InputRequired(_l("Enter the minutes (0 if there are none).")),
            NumberRange(0, most, message=_l("Between 0 and %(most)s minutes.", most=most)),
        ],
    )


class PersonField(SelectField):
    """Choose a person from a list the view fills in; the first line asks to choose."""

    def __init__(self, label, message, **kwargs):
        super().__init__(label, coerce=int_or_none, validators=[InputRequired(message)], **kwargs)

    def pre_validate(self, form):
        if self.data is not None and self.data not in {c.value for c in self.choices}:
            raise ValidationError(_("Choose someone from the list."))


def people_choices(people, nobody: str | None = None) -> list:
    """Options for choosing one of ``people``, after a first 'nobody chosen' option."""
    return choices([("", nobody or _("Choose someone"))] + [(p.id, p.chosen_name) for p in people])


OWN = "own"


def _prompt_choices(bank: list[str]) -> list:
    return choices(
        [(str(i), _l(prompt)) for i, prompt in enumerate(bank)]
        + [(OWN, _l("I'll write my own (below)"))]
    )


def prompt_text(choice: str, own: str | None, bank: list[str]) -> str | None:
    if choice == OWN:
        return (own or "").strip() or None
    return bank[int(choice)] if choice and choice.isdigit() and int(choice) < len(bank) else None


def prompt_fields(prompt: str | None, bank: list[str]) -> tuple[str, str]:
    """The radio choice and the typed question that show a stored prompt again."""
    if prompt in bank:
        return str(bank.index(prompt)), ""
    return (OWN, prompt) if prompt else ("0", "")


class SessionForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("For example: Stories and tea."),
        validators=[InputRequired(_l("Give the session a title.")), Length(max=160)],
        filters=[strip_whitespace],
    )
    day = StringField(
        _l("Date"),
        description=_l("For example: 14/03/2027."),
        validators=[InputRequired(_l("Enter the date.")), _Day()],
        filters=[strip_whitespace],
    )
    starts = StringField(
        _l("Start time"),
        description=_l("UK time, for example 18:00."),
        validators=[InputRequired(_l("Enter the start time.")), _Clock()],
        filters=[strip_whitespace],
    )
    ends = StringField(
        _l("End time"),
        description=_l("UK time, for example 20:30."),
        validators=[InputRequired(_l("Enter the end time.")), _Clock()],
        filters=[strip_whitespace],
    )
    place = StringField(
        _l("Place"),
        description=_l(
            "Where people meet, and anything that helps find it. Leave empty if it's online only."
        ),
        validators=[Optional(), Length(max=300)],
        filters=[strip_whitespace],
    )
    online_link = StringField(
        _l("Online link"),
        description=_l("For people joining online. Leave empty if it's in person only."),
        validators=[Optional(), Length(max=500), _WebLink()],
        filters=[strip_whitespace],
    )
    agenda = TextAreaField(
        _l("Agenda"),
        description=_l(
            "One item a line, with its minutes first or last: “20 Stories from the last "
            "month” or “Stories from the last month - 20”. The check-in, introductions and "
            "reflection have their own times below."
        ),
        validators=[Optional(), Length(max=6000)],
    )
    accessibility_notes = TextAreaField(
        _l("Access and what to expect (optional)"),
        description=_l(
            "For example: step-free entrance, hearing loop, a quiet room, food, travel paid."
        ),
        validators=[Optional(), Length(max=3000)],
    )
    checkin_minutes = _minutes(_l("Minutes for the check-in"), 10, 120)
    introductions_minutes = _minutes(_l("Minutes for introductions"), 15, 240)
    reflection_minutes = _minutes(_l("Minutes for reflection and check-out"), 15, 240)
    checkin_prompt = RadioField(
        _l("Check-in question"),
        choices=_prompt_choices(rules.CHECK_IN_PROMPTS),
        default="0",
        validators=[InputRequired(_l("Choose a question, or write your own."))],
    )
    checkin_own = StringField(
        _l("Your own check-in question"),
        validators=[Optional(), Length(max=300)],
        filters=[strip_whitespace],
    )
    checkout_prompt = RadioField(
        _l("Check-out question"),
        choices=_prompt_choices(rules.CHECK_OUT_PROMPTS),
        default="0",
        validators=[InputRequired(_l("Choose a question, or write your own."))],
    )
    checkout_own = StringField(
        _l("Your own check-out question"),
        validators=[Optional(), Length(max=300)],
        filters=[strip_whitespace],
    )

    def times(self):
        """(start, end) in UTC when the date and both times make sense, else None."""
        day = rules.parse_day(self.day.data)
        starts, ends = rules.parse_clock(self.starts.data), rules.parse_clock(self.ends.data)
        if day is None or starts is None or ends is None:
            return None
        try:
            zone = place_zone()
            return rules.local_to_utc(day, starts, zone), rules.local_to_utc(day, ends, zone)
        except rules.NoSuchLocalTime:
            return None

    def validate_starts(self, field):
        day, clock = rules.parse_day(self.day.data), rules.parse_clock(field.data)
        if day is not None and clock is not None:
            try:
                rules.local_to_utc(day, clock, place_zone())
            except rules.NoSuchLocalTime:
                raise ValidationError(
                    _("The clocks go forward then, so that time doesn't happen. Choose another.")
                ) from None

    def validate_ends(self, field):
        day = rules.parse_day(self.day.data)
        starts, ends = rules.parse_clock(self.starts.data), rules.parse_clock(field.data)
        if day is not None and starts is not None and ends is not None and ends <= starts:
            raise ValidationError(_("The end time must be after the start time."))

    def validate_agenda(self, field):
        _items, problems = rules.parse_agenda(field.data)
        for problem in problems:
            field.errors.append(_(problem.message, line=problem.line))

    def validate(self, extra_validators=None):
        """Field by field, then what empty optional fields mean together (``Optional()``
        stops a field's own checks when it is empty, so these can't be field validators)."""
        valid = super().validate(extra_validators)
        if not self.place.data and not self.online_link.data:
            self.place.errors.append(_("Give a place, an online link, or both."))
            valid = False
        for choice, own in (
            (self.checkin_prompt, self.checkin_own),
            (self.checkout_prompt, self.checkout_own),
        ):
            if choice.data == OWN and not own.data:
                own.errors.append(_("Write your question, or choose one above."))
                valid = False
        return valid


class AnswerForm(FlaskForm):
    response = StringField(
        _l("Your answer"),
        validators=[
            InputRequired(_l("Write your answer, or leave this round out.")),
            Length(max=280, message=_l("Keep it to 280 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )


ANSWER_LABELS = {
    "check_in": _l("Your check-in"),
    "check_out": _l("Your check-out: one word or a feeling"),
}


def answer_form(round_: str, **kwargs) -> AnswerForm:
    """The answer box for one round, labelled for that round (both can be on the page)."""
    form = AnswerForm(prefix=round_, **kwargs)
    form.response.label.text = ANSWER_LABELS[round_]
    return form


class AnswerForForm(FlaskForm):
    person_id = PersonField(_l("Who it's from"), _l("Choose who it's from."))
    response = StringField(
        _l("Their answer"),
        validators=[
            InputRequired(_l("Write down their answer.")),
            Length(max=280, message=_l("Keep it to 280 characters or fewer.")),
        ],
        filters=[strip_whitespace],
    )
    consent = BooleanField(
        _l("They are here and asked me to write this for them"),
        validators=[InputRequired(_l("Check with them first, then tick this box."))],
    )


class GroupsForm(FlaskForm):
    size = RadioField(
        _l("Group size"),
        choices=choices([("2", _l("Pairs")), ("3", _l("Groups of three"))]),
        default="2",
        validators=[InputRequired(_l("Choose pairs or groups of three."))],
    )


class NotesForm(FlaskForm):
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)])


class SummaryForm(FlaskForm):
    summary = TextAreaField(
        _l("Summary"),
        description=_l(
            "What happened, in plain words, for people who couldn't come. Leave out anything "
            "personal that someone said in the room."
        ),
        validators=[Optional(), Length(max=10000)],
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your view"),
        validators=[InputRequired(_l("Write your view first.")), Length(max=5000)],
        filters=[strip_whitespace],
    )


class ReplyForForm(FlaskForm):
    person_id = PersonField(_l("Whose view it is"), _l("Choose whose view it is."))
    body = TextAreaField(
        _l("Their view"),
        validators=[InputRequired(_l("Write down their view.")), Length(max=5000)],
        filters=[strip_whitespace],
    )
    consent = BooleanField(
        _l("They told me this and asked me to add it"),
        validators=[InputRequired(_l("Check with them first, then tick this box."))],
    )


class ContactForm(FlaskForm):
    person_id = PersonField(_l("Who"), _l("Choose who you were in touch with."))
    kind = RadioField(
        _l("How"),
        choices=labelled(rules.CONTACT_KINDS),
        validators=[InputRequired(_l("Choose how you were in touch."))],
    )
    on = StringField(
        _l("When"),
        description=_l("For example: 14/03/2027."),
        validators=[InputRequired(_l("Enter the date.")), _Day()],
        filters=[strip_whitespace],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("Only facilitators see this. Write what helps you keep in touch well."),
        validators=[Optional(), Length(max=5000)],
    )
    follow_up_on = StringField(
        _l("Get back in touch by (optional)"),
        description=_l("For example: 28/03/2027."),
        validators=[Optional(), _Day()],
        filters=[strip_whitespace],
    )

    def validate_follow_up_on(self, field):
        on, follow = rules.parse_day(self.on.data), rules.parse_day(field.data)
        if on is not None and follow is not None and follow < on:
            raise ValidationError(_("The follow-up date can't be before the contact."))


# --- commitments ---------------------------------------------------------------------------


def optional_int(value):
    """For a select whose first option is 'none': '' means None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def _statuses():
    return choices((key, _l(label)) for key, label in rules.COMMITMENT_STATUSES.items())


class CommitmentForm(FlaskForm):
    what = TextAreaField(
        _l("What was promised"),
        description=_l("In the words the commission agreed."),
        validators=[DataRequired(_l("Say what was promised.")), Length(max=2000)],
    )
    owner_role = StringField(
        _l("The role that made the promise"),
        description=_l(
            "A role, not a person, so the promise carries on when people move on. "
            "For example: Head of housing. Choose the organisation below."
        ),
        validators=[DataRequired(_l("Enter the role that made the promise.")), Length(max=160)],
    )
    owner_organisation_id = SelectField(
        _l("Their organisation (optional)"), coerce=optional_int, validators=[Optional()]
    )
    owner_person_id = SelectField(
        _l("Who holds it now (optional)"),
        description=_l("Someone in the commission who answers for it today."),
        coerce=optional_int,
        validators=[Optional()],
    )
    due_on = DateField(
        _l("Due date (optional)"),
        description=_l("For example 2026-03-31."),
        validators=[Optional()],
    )
    published = RadioField(
        _l("Show it on the public page?"),
        choices=choices(
            [
                ("no", _l("No, keep it within the commission")),
                ("yes", _l("Yes, the commission agreed to publish it")),
            ]
        ),
        default="no",
        validators=[InputRequired(_l("Choose whether to show it on the public page."))],
    )


class CommitmentUpdateForm(FlaskForm):
    status = RadioField(
        _l("Where it has got to"),
        choices=_statuses(),
        validators=[InputRequired(_l("Choose where this has got to."))],
    )
    evidence = TextAreaField(
        _l("Evidence"),
        description=_l(
            "What shows it happened: a link, a document, or something people can now see "
            "or use. Needed for delivered."
        ),
        validators=[Optional(), Length(max=4000)],
    )
    note = TextAreaField(
        _l("A note for the history (optional)"), validators=[Optional(), Length(max=2000)]
    )


class HandOverForm(FlaskForm):
    new_holder_id = SelectField(
        _l("Who holds it now"),
        description=_l("The role stays the same. Only the person answering for it changes."),
        coerce=optional_int,
        validators=[Optional()],
    )
    note = TextAreaField(_l("A note (optional)"), validators=[Optional(), Length(max=2000)])


class FlagForm(FlaskForm):
    note = TextAreaField(
        _l("What you've seen (optional)"), validators=[Optional(), Length(max=2000)]
    )


class FlagAnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(_l("Write an answer.")), Length(max=2000)],
    )


class PublishForm(FlaskForm):
    published = HiddenField(validators=[AnyOf(["yes", "no"])])


# --- recompense ----------------------------------------------------------------------------


class ForWhomForm(FlaskForm):
    """Who it is for, and the session or activity it is for."""

    person_id = SelectField(
        _l("Who it is for"), coerce=optional_int, validators=[InputRequired(_l("Choose who."))]
    )
    session_id = SelectField(_l("Which session"), coerce=optional_int, validators=[Optional()])
    activity = StringField(
        _l("Or the activity, if it wasn't a session"),
        description=_l("For example: speaking at the council's housing committee."),
        validators=[Optional(), Length(max=200)],
    )
    happened_on = DateField(
        _l("Date of the activity"),
        description=_l("Only needed when it wasn't a session. For example 2026-03-14."),
        validators=[Optional()],
    )


class InvolvementForm(ForWhomForm):
    choice = RadioField(
        _l("What they chose"),
        description=_l("Ask them each time: it is their choice, and it can change."),
        validators=[InputRequired(_l("Choose what they chose."))],
    )
    note = StringField(_l("A note (optional)"), validators=[Optional(), Length(max=300)])


class ExpenseForm(ForWhomForm):
    expense_type = RadioField(
        _l("What it was for"),
        choices=choices((key, _l(label)) for key, label in rules.EXPENSE_TYPES.items()),
        validators=[InputRequired(_l("Choose what the expense was for."))],
    )
    amount = StringField(
        _l("Amount in pounds"),
        description=_l("What it cost, for example 4.80. Expenses are paid back at cost."),
        validators=[InputRequired(_l("Enter the amount in pounds and pence, like 4.80."))],
    )
    note = StringField(
        _l("A note (optional)"),
        description=_l("For example: bus fare there and back."),
        validators=[Optional(), Length(max=300)],
    )


class DecisionForm(FlaskForm):
    decision = StringField(validators=[AnyOf(list(rules.DECISIONS))])
    note = TextAreaField(
        _l("A note (needed if you don't approve it)"), validators=[Optional(), Length(max=300)]
    )


class RatesForm(FlaskForm):
    rate = StringField(
        _l("Payment for taking part, in pounds"),
        description=_l("For each session or activity, for example 25.00."),
        filters=[strip_whitespace],
    )
    reduced = StringField(
        _l("Reduced amount, in pounds"),
        description=_l("For anyone who prefers less, for example 10.00."),
        filters=[strip_whitespace],
    )
