"""Forms for proposals, rounds, answers, objections, paper cards and reviews."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from participate.accounts.forms import choices, int_or_none, labelled, strip_whitespace
from participate.decisions import rules


class VersionFields(FlaskForm):
    """What every version of a proposal says."""

    driver = TextAreaField(
        _l("What prompts it"),
        description=_l("The need or the situation: what is happening, and why it matters."),
        validators=[InputRequired(_l("Say what need or situation prompts it.")), Length(max=5000)],
    )
    text = TextAreaField(
        _l("The proposal"),
        description=_l("What you propose the circle does. Plain words, as you'd say it."),
        validators=[InputRequired(_l("Write the proposal.")), Length(max=10000)],
    )
    red_lines = TextAreaField(
        _l("Red lines (optional)"),
        description=_l("Anything people have already said must not happen."),
        validators=[Optional(), Length(max=3000)],
    )
    review_on = DateField(
        _l("Review it on"),
        description=_l("Every decision has a date when the circle looks at it again."),
        validators=[InputRequired(_l("Choose a date to review it."))],
    )


class ProposalForm(VersionFields):
    title = StringField(
        _l("Title"),
        description=_l("A few words, for example: A named contact at the council."),
        validators=[InputRequired(_l("Give the proposal a title.")), Length(max=200)],
        filters=[strip_whitespace],
    )
    proposer_id = SelectField(
        _l("Whose proposal is it?"), coerce=int_or_none, validators=[Optional()]
    )
    quorum_percent = IntegerField(
        _l("How many of the circle must answer before it can be agreed (per cent)"),
        default=rules.DEFAULT_QUORUM_PERCENT,
        validators=[
            InputRequired(_l("Give a number from 1 to 100.")),
            NumberRange(1, 100, _l("Give a number from 1 to 100.")),
        ],
    )
    hide_results = BooleanField(
        _l("Hide how people answered until everyone has answered"), default=True
    )


class AmendForm(VersionFields):
    change_note = TextAreaField(
        _l("What changed and why"),
        description=_l("For example: Added a review after six months, to meet Owen's objection."),
        validators=[InputRequired(_l("Say what changed and why.")), Length(max=3000)],
    )


class StepForm(FlaskForm):
    """A facilitator moves the proposal on (or the proposer withdraws it)."""

    action = StringField(validators=[InputRequired()])
    reason = TextAreaField(_l("Why"), validators=[Optional(), Length(max=3000)])
    closes_on = DateField(
        _l("Answers close at the end of (optional)"),
        description=_l("For people taking part from home. Leave empty to close it in the room."),
        validators=[Optional()],
    )
    random_order = BooleanField(_l("Hear people in a random order"), default=True)
    next_review_on = DateField(_l("Next review on"), validators=[Optional()])


class QuestionForm(FlaskForm):
    for_person = SelectField(_l("Asked by"), coerce=int_or_none, validators=[Optional()])
    text = TextAreaField(
        _l("Your question"),
        description=_l("Questions only, to understand the proposal. Opinions come next."),
        validators=[InputRequired(_l("Write your question.")), Length(max=2000)],
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Answer"), validators=[InputRequired(_l("Write the answer.")), Length(max=4000)]
    )


class ReactionForm(FlaskForm):
    for_person = SelectField(_l("Whose reaction"), coerce=int_or_none, validators=[Optional()])
    text = TextAreaField(
        _l("Your reaction"),
        description=_l("How you feel about it, what you like, what worries you."),
        validators=[InputRequired(_l("Write your reaction.")), Length(max=4000)],
    )


class ConsentForm(FlaskForm):
    for_person = SelectField(_l("Whose answer"), coerce=int_or_none, validators=[Optional()])
    answer = RadioField(
        _l("Your answer"),
        choices=labelled(rules.ANSWERS),
        validators=[InputRequired(_l("Choose consent, stand aside or object."))],
    )
    reason = TextAreaField(
        _l("Your reason"),
        description=_l("Needed for an objection: how would it harm the aim or the circle?"),
        validators=[Optional(), Length(max=4000)],
    )
    paramount = BooleanField(_l("This objection is serious: it would harm our aim or the circle"))
    name_in_public = BooleanField(_l("If the decision is published, you may name me"))


class ObjectionForm(FlaskForm):
    outcome = RadioField(
        _l("Your objection"),
        choices=choices(
            [
                ("resolved", _l("The amended proposal meets it")),
                ("withdrawn", _l("I withdraw it")),
            ]
        ),
        validators=[InputRequired(_l("Choose one."))],
    )
    note = TextAreaField(
        _l("How it was met (optional)"),
        validators=[Optional(), Length(max=3000)],
    )


class IntegrationNoteForm(FlaskForm):
    note = TextAreaField(
        _l("Notes from working on it"),
        validators=[InputRequired(_l("Write a note.")), Length(max=3000)],
    )


class OpenEarlyForm(FlaskForm):
    note = TextAreaField(
        _l("When and how the community commissioners agreed"),
        description=_l("For example: At the session on 4 March, all eight present agreed."),
        validators=[InputRequired(_l("Say when and how they agreed.")), Length(max=2000)],
    )


class PublishForm(FlaskForm):
    published = BooleanField(_l("Show this decision on the public decisions page"))


class CardsForm(FlaskForm):
    """Paper cards: one card and reason per member, read from the request by the view."""
