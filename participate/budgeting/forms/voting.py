"""Forms for voting: a ballot (with the residents' declaration), a vote entered for someone
at a drop-in, paper batches and the paper ballots typed into them.

The projects on a ballot differ from pot to pot, so their ticks and points are read from the
posted data by ``read_choices`` rather than declared as fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from participate.accounts.forms import int_or_none, strip_whitespace
from participate.budgeting.numbering import as_printed
from participate.text import N_

REFERENCE = r"^[A-Za-z0-9-]+$"


def upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def ballot_number(value):
    """The number as printed on the paper: "42" and "0042" are the same ballot."""
    return as_printed(upper(value)) if isinstance(value, str) else value


class BallotForm(FlaskForm):
    """The declaration a resident ticks (labels set by the view: they name the area, the age
    and, with a facilitator's help, the voter)."""

    declare_area = BooleanField(_l("I live, work or study in the area"))
    declare_age = BooleanField(_l("I am old enough to vote"))


class AssistedBallotForm(BallotForm):
    ref = StringField(
        _l("Their reference from the sign-in sheet"),
        description=_l("As written on the drop-in's sign-in sheet, for example HUB-0042."),
        validators=[
            InputRequired(_l("Write the reference from the sign-in sheet.")),
            Length(max=40, message=_l("Use 40 letters or numbers at most.")),
            Regexp(REFERENCE, message=_l("Use only letters, numbers and dashes, like HUB-0042.")),
        ],
        filters=[upper],
    )


class PaperBallotForm(FlaskForm):
    serial = StringField(
        _l("Number printed on the ballot paper"),
        description=_l("For example 0042. Each paper ballot is entered once."),
        validators=[
            InputRequired(_l("Write the number printed on the ballot paper.")),
            Length(max=40, message=_l("Use 40 letters or numbers at most.")),
            Regexp(REFERENCE, message=_l("Use only letters, numbers and dashes, like 0042.")),
        ],
        filters=[ballot_number],
    )


class NewBatchForm(FlaskForm):
    pot_id = SelectField(_l("Which pot are the ballots for?"), coerce=int_or_none)
    note = StringField(
        _l("Where the ballots came from"),
        description=_l("For example: Ballot box from the library."),
        validators=[
            InputRequired(_l("Say where the ballots came from.")),
            Length(max=300, message=_l("Use 300 characters at most.")),
        ],
        filters=[strip_whitespace],
    )


class ReturnBatchForm(FlaskForm):
    note = TextAreaField(
        _l("What needs putting right"),
        description=_l("For example: ballot 0107 has two ticks for the skate ramps."),
        validators=[
            InputRequired(_l("Say what needs putting right.")),
            Length(max=2000, message=_l("Use 2,000 characters at most.")),
        ],
        filters=[strip_whitespace],
    )


class ActionForm(FlaskForm):
    """A button that changes something (check a batch, remove a ballot): CSRF only."""


def points_field(project_id: int) -> str:
    return f"points-{project_id}"


NOT_A_NUMBER = N_("Use a whole number of points, such as 3, or leave it empty.")


def read_choices(
    data: Mapping, ballot_type: str, project_ids: Iterable[int]
) -> tuple[dict, dict[int, str]]:
    """What a voter chose, from posted ``data`` (a MultiDict): project id -> points (1 for a
    tick), and a message (``N_``) by project id for points that are not a whole number.
    Ticks for projects not on the ballot are kept so that ``rules.ballot_problems`` says so."""
    project_ids = list(project_ids)
    if ballot_type != "cumulative":
        choices: dict = {}
        for value in data.getlist("choice"):
            key = int(value) if str(value).isdigit() else str(value)
            choices[key] = 1
        return choices, {}
    choices, problems = {}, {}
    for pid in project_ids:
        typed = (data.get(points_field(pid)) or "").strip()
        if not typed:
            continue
        try:
            points = int(typed)
        except ValueError:
            problems[pid] = NOT_A_NUMBER
            continue
        if points:
            choices[pid] = points
    return choices, problems


def typed_points(data: Mapping, project_ids: Iterable[int]) -> dict[int, str]:
    """Points exactly as typed, to fill the form again."""
    return {pid: data.get(points_field(pid), "") for pid in project_ids}
