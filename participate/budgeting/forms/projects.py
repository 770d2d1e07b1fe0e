"""Forms for project ideas: suggesting and changing one, the officers' check, the author's
reply, comments, hiding a comment, and offers to join up or work together."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from participate.accounts.forms import choices, int_or_none, strip_whitespace

_WHOLE = re.compile(r"^\d+$")


def whole_amount(text: str | None) -> int | None:
    """'£12,000', '12000', ' 12 000 ' -> 12000; None when it isn't a whole number."""
    cleaned = re.sub(r"[\s,£€$]", "", text or "")
    if cleaned.endswith(".00"):
        cleaned = cleaned[:-3]
    return int(cleaned) if _WHOLE.match(cleaned) and len(cleaned) <= 12 else None


class WholeAmount:
    """A cost in whole pounds (or euros...), more than nothing."""

    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        amount = whole_amount(field.data)
        if amount is None:
            raise ValidationError(
                _l("Write the cost as a whole number, without pence, for example 2500.")
            )
        if amount == 0:
            raise ValidationError(_l("The cost must be more than nothing."))


class ProjectForm(FlaskForm):
    pot_id = SelectField(_l("Which pot of money is it for?"), coerce=int_or_none)
    title = StringField(
        _l("Name your idea"),
        description=_l("A few words, for example: Benches on Harbour Walk."),
        validators=[DataRequired(_l("Give your idea a name.")), Length(max=300)],
        filters=[strip_whitespace],
    )
    what = TextAreaField(
        _l("What is it?"),
        description=_l("Say what would happen or be made, as you'd tell a neighbour."),
        validators=[DataRequired(_l("Say what your idea is.")), Length(max=5000)],
    )
    where_text = StringField(
        _l("Where would it be?"),
        description=_l("A street, a building or a part of the area."),
        validators=[DataRequired(_l("Say where it would be.")), Length(max=300)],
        filters=[strip_whitespace],
    )
    who_for = StringField(
        _l("Who is it for?"),
        validators=[DataRequired(_l("Say who it is for.")), Length(max=300)],
        filters=[strip_whitespace],
    )
    cost = StringField(
        _l("Roughly how much would it cost?"),
        description=_l("A whole number, for example 2500. A guess is fine: the council checks it."),
        validators=[DataRequired(_l("Give a rough cost, for example 2500.")), WholeAmount()],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    hope = TextAreaField(
        _l("What do you hope will change? (optional)"),
        validators=[Optional(), Length(max=3000)],
    )
    group_name = StringField(
        _l("Are you suggesting this with a group? (optional)"),
        description=_l("If so, give the group's name. Leave it empty if it is just you."),
        validators=[Optional(), Length(max=200)],
        filters=[strip_whitespace],
    )
    image = FileField(
        _l("A picture (optional)"),
        description=_l("A JPEG, PNG or WebP picture up to 5 MB. We remove any location from it."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    image_alt = StringField(
        _l("What does the picture show? (needed with a picture)"),
        description=_l(
            "For people who cannot see it, for example: The broken bench by the bus stop."
        ),
        validators=[Optional(), Length(max=300)],
        filters=[strip_whitespace],
    )
    declaration = BooleanField(
        validators=[InputRequired(_l("Tick this to say you live, work or study in the area."))]
    )

    def cost_amount(self) -> int | None:
        return whole_amount(self.cost.data)


class WithdrawForm(FlaskForm):
    pass


FEASIBILITY_VERDICTS = {
    "feasible": _l("It can go to the vote"),
    "not_feasible": _l("It cannot go to the vote"),
}


class FeasibilityForm(FlaskForm):
    verdict = RadioField(
        _l("Can it go to the vote?"),
        choices=choices(FEASIBILITY_VERDICTS),
        validators=[InputRequired(_l("Choose whether it can go to the vote."))],
    )
    reason = TextAreaField(
        _l("Why"),
        description=_l("The author and everyone else see this. Plain words."),
        validators=[DataRequired(_l("Say why, so the author understands.")), Length(max=3000)],
    )
    cost = StringField(
        _l("The council's estimate of the cost (optional)"),
        description=_l("Only if it differs from the cost given. A whole number."),
        validators=[Optional(), WholeAmount()],
    )
    cost_note = TextAreaField(
        _l("Why the cost is different"),
        description=_l("Needed when you change the cost."),
        validators=[Optional(), Length(max=3000)],
    )


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        _l("Your reply"),
        description=_l("Everyone can read it."),
        validators=[DataRequired(_l("Write your reply.")), Length(max=2000)],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        description=_l("Everyone who can see this project can read it. Up to 2000 characters."),
        validators=[
            DataRequired(_l("Write your comment.")),
            Length(max=2000, message=_l("Keep it to 2000 characters or fewer.")),
        ],
    )


class HideCommentForm(FlaskForm):
    reason = StringField(
        _l("Why hide it?"),
        description=_l("Everyone sees this reason in place of the comment."),
        validators=[DataRequired(_l("Say why it is hidden.")), Length(max=300)],
        filters=[strip_whitespace],
    )


OFFER_KINDS = {
    "merge": _l("Join our idea into theirs, so one project goes to the vote"),
    "partner": _l("Work together, keeping both projects"),
}


class OfferForm(FlaskForm):
    to_project_id = SelectField(
        _l("Which project?"),
        coerce=int_or_none,
        validators=[InputRequired(_l("Choose a project."))],
    )
    kind = RadioField(
        _l("What are you offering?"),
        choices=choices(OFFER_KINDS),
        validators=[InputRequired(_l("Choose what you are offering."))],
    )
    message = TextAreaField(
        _l("Your message to its author"),
        validators=[DataRequired(_l("Write a message to its author.")), Length(max=2000)],
    )


class AnswerOfferForm(FlaskForm):
    answer = RadioField(
        _l("Your answer"),
        choices=choices([("accept", _l("Yes, let's")), ("decline", _l("No, thank you"))]),
        validators=[InputRequired(_l("Choose yes or no."))],
    )
    note = TextAreaField(_l("A note (optional)"), validators=[Optional(), Length(max=2000)])


class WithdrawOfferForm(FlaskForm):
    pass
