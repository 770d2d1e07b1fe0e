"""Forms of the Closing tab: the final report, its review, the closing conversation, the
letter (drafting, editing a section, commenting on one, answering a comment), outstanding
issues (raising, settling) and the plain buttons (start closing, sign)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participate.accounts.forms import choices, labelled
from participate.grants.forms.fields import DayField
from participate.grants.rules import LETTER_SECTIONS, REPORT_KINDS

LONG = 10_000


class ButtonForm(FlaskForm):
    """A button that changes something (start closing, draft the letter, sign): CSRF only."""


class ReportForm(FlaskForm):
    kind = RadioField(
        _l("How are you sending the final report?"),
        choices=labelled(REPORT_KINDS),
        default="form",
        validators=[InputRequired(_l("Choose how you are sending the report."))],
    )
    happened = TextAreaField(
        _l("What happened?"),
        description=_l("What you did with the grant, in your own words."),
        validators=[Optional(), Length(max=LONG)],
    )
    changed = TextAreaField(
        _l("What changed?"),
        description=_l("For the people or the place it was for."),
        validators=[Optional(), Length(max=LONG)],
    )
    learned = TextAreaField(_l("What did you learn?"), validators=[Optional(), Length(max=LONG)])
    left_over = TextAreaField(
        _l("Is anything left over?"),
        description=_l("Money not spent, things still to do, or anything still to settle."),
        validators=[Optional(), Length(max=LONG)],
    )
    file = FileField(
        _l("The report file"),
        description=_l("A PDF, ODT or Word document, or a picture (JPEG, PNG or WebP)."),
    )
    notes = TextAreaField(
        _l("Notes of the conversation"),
        description=_l("When you talked, who was there, and what was said about the work."),
        validators=[Optional(), Length(max=LONG)],
    )


class ReviewForm(FlaskForm):
    note = TextAreaField(
        _l("What did you make of the report?"),
        description=_l("A short note: what went well, and anything to ask about."),
        validators=[DataRequired(_l("Write a short note about the report.")), Length(max=LONG)],
    )


class ConversationForm(FlaskForm):
    on = DayField(
        _l("When did you talk?"),
        description=_l("The day of the meeting or call."),
        validators=[InputRequired(_l("Say when the conversation happened."))],
    )
    notes = TextAreaField(
        _l("Notes of the meeting or call"),
        description=_l("Who was there, what the work made possible, and anything still open."),
        validators=[DataRequired(_l("Write a few notes of the conversation.")), Length(max=LONG)],
    )


class SectionForm(FlaskForm):
    """Editing one section of the letter (the form's prefix is the section)."""

    text = TextAreaField(
        _l("Wording"),
        validators=[DataRequired(_l("A section cannot be empty.")), Length(max=LONG)],
    )


class CommentForm(FlaskForm):
    section = SelectField(
        _l("Which part of the letter?"),
        choices=labelled(LETTER_SECTIONS),
        validators=[InputRequired(_l("Choose a part of the letter."))],
    )
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(_l("Write your comment.")), Length(max=LONG)],
    )
    suggested_text = TextAreaField(
        _l("Suggest new wording (optional)"),
        description=_l("If the fund accepts it, it replaces the whole of that part."),
        validators=[Optional(), Length(max=LONG)],
    )


ANSWERS = {"accept": _l("Accept it"), "decline": _l("Decline it")}


class AnswerForm(FlaskForm):
    """A manager's answer to one comment (the form's prefix is the comment)."""

    decision = RadioField(
        _l("Your answer"),
        choices=choices(ANSWERS),
        validators=[InputRequired(_l("Choose to accept or decline it."))],
    )
    answer = TextAreaField(
        _l("Why, or what you changed"),
        description=_l("Needed when you decline it."),
        validators=[Optional(), Length(max=LONG)],
    )


class IssueForm(FlaskForm):
    text = TextAreaField(
        _l("What needs settling?"),
        description=_l('For example: "Who owns the mural design?"'),
        validators=[DataRequired(_l("Say what needs settling.")), Length(max=LONG)],
    )


SETTLED = {"cleared": _l("It is settled"), "waived": _l("Let it go (waive it)")}


class SettleIssueForm(FlaskForm):
    """Settling one issue (the form's prefix is the issue)."""

    outcome = RadioField(
        _l("What happened to it?"),
        choices=choices(SETTLED),
        validators=[InputRequired(_l("Choose settled or waived."))],
    )
    resolution = TextAreaField(
        _l("How it was settled, or why it is waived"),
        validators=[
            DataRequired(_l("Say how it was settled, or why it is waived.")),
            Length(max=LONG),
        ],
    )
