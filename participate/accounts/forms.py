"""Forms for signing in, profiles, spaces and invitations. Labels are plain words."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from participate.accounts import rules


def choices(pairs) -> list[SelectChoice]:
    """Options for a select or radio field from (value, label) pairs or a {value: label} dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def labelled(mapping: dict) -> list[SelectChoice]:
    """Options from a {value: N_ label} dict, the labels translated when shown."""
    return choices((key, _l(label)) for key, label in mapping.items())


def int_or_none(value) -> int | None:
    """A select's value as a whole number; None for 'nobody chosen' or anything else."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _NewPassword:
    """Checks a new password against the rules, in plain words."""

    def __call__(self, form, field):
        if field.data:
            email = getattr(getattr(form, "email", None), "data", None)
            problem = rules.password_problem(field.data, email)
            if problem:
                raise ValidationError(gettext(problem))


def strip_whitespace(value):
    return value.strip() if isinstance(value, str) else value


EMAIL = [
    InputRequired(_l("Enter your email address.")),
    Email(_l("Enter an email address like name@example.org.")),
    Length(max=254),
]


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL, filters=[strip_whitespace])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class EmailForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL, filters=[strip_whitespace])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Your sign-in code"),
        description=_l("Eight letters and numbers, like ABCD-7KPQ. Small letters are fine."),
        validators=[DataRequired(_l("Enter the code from your paper.")), Length(max=20)],
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. Three random words work well."),
        validators=[InputRequired(_l("Enter a new password.")), _NewPassword()],
    )


class ProfileForm(FlaskForm):
    chosen_name = StringField(
        _l("Your name"),
        description=_l("The name people see. It can be a first name or a nickname."),
        validators=[DataRequired(_l("Enter the name you'd like people to see.")), Length(max=80)],
    )
    pronouns = StringField(
        _l("Pronouns (optional)"),
        description=_l("For example: she/her, they/them."),
        validators=[Optional(), Length(max=40)],
    )
    language = RadioField(
        _l("Language"),
        choices=choices([("en", "English"), ("cy", "Cymraeg")]),
        validators=[InputRequired()],
    )
    access_needs = TextAreaField(
        _l("What helps you take part (optional)"),
        description=_l(
            "For example: large print, a hearing loop, breaks, childcare, step-free "
            "access. Only the facilitators of your spaces see this."
        ),
        validators=[Optional(), Length(max=2000)],
    )
    notification_choice = RadioField(
        _l("Emails from us"),
        choices=labelled(rules.NOTIFICATION_CHOICES),
        validators=[InputRequired()],
    )


class AddPersonForm(FlaskForm):
    chosen_name = StringField(
        _l("Their name"),
        description=_l("The name they'd like people to see."),
        validators=[DataRequired(_l("Enter the name they'd like people to see.")), Length(max=80)],
    )
    pronouns = StringField(_l("Pronouns (optional)"), validators=[Optional(), Length(max=40)])
    role = RadioField(_l("Their role here"), validators=[InputRequired(_l("Choose a role."))])
    access_needs = TextAreaField(
        _l("What helps them take part (optional)"), validators=[Optional(), Length(max=2000)]
    )
    consent = BooleanField(
        _l("They are here, and they agree to me making this account for them"),
        validators=[InputRequired(_l("Check with them first, then tick this box."))],
    )


class InviteForm(FlaskForm):
    email = EmailField(_l("Their email address"), validators=EMAIL, filters=[strip_whitespace])
    role = RadioField(_l("Their role here"), validators=[InputRequired(_l("Choose a role."))])


class AcceptInvitationForm(FlaskForm):
    chosen_name = StringField(
        _l("Your name"),
        description=_l("The name people see. It can be a first name or a nickname."),
        validators=[DataRequired(_l("Enter the name you'd like people to see.")), Length(max=80)],
    )
    pronouns = StringField(_l("Pronouns (optional)"), validators=[Optional(), Length(max=40)])
    password = PasswordField(
        _l("Password (optional)"),
        description=_l("Leave this empty if you'd rather sign in with a link we email you."),
        validators=[Optional(), _NewPassword()],
    )


class AssistForm(FlaskForm):
    person_id = HiddenField(validators=[InputRequired()])
    consent = BooleanField(
        _l("They are here with me and agree to me acting for them"),
        validators=[InputRequired(_l("Check with them first, then tick this box."))],
    )


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=160)])
    kind = RadioField(
        _l("Kind of organisation"),
        choices=labelled(rules.ORGANISATION_KINDS),
        validators=[InputRequired(_l("Choose a kind."))],
    )
    description = TextAreaField(
        _l("About it (optional)"), validators=[Optional(), Length(max=2000)]
    )


class SpaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=160)])
    # Commissions are set up from their own page, which adds the phase plan and charter.
    kind = RadioField(
        _l("Kind of space"),
        choices=labelled({k: v for k, v in rules.SPACE_KINDS.items() if k != "commission"}),
        validators=[InputRequired(_l("Choose a kind."))],
    )
    organisation_id = SelectField(
        _l("Hosted by"), coerce=int, validators=[InputRequired(_l("Choose who hosts it."))]
    )
    visibility = RadioField(
        _l("Who can see it"),
        choices=choices([("members", _l("Only its members")), ("public", _l("Anyone"))]),
        default="members",
        validators=[InputRequired()],
    )
    description = TextAreaField(
        _l("About it (optional)"), validators=[Optional(), Length(max=2000)]
    )
