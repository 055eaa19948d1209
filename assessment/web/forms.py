"""Forms for accounts and administration (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

import pycountry
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from assessment.models import ORGANISATION_KIND_LABELS, Role

COUNTRIES = [
    SelectChoice(c.alpha_2, c.name) for c in sorted(pycountry.countries, key=lambda c: c.name)
]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=1024)]
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=256)],
        description="At least 12 characters. A few unrelated words make a strong password.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two passwords differ.")],
    )


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=200)],
        description="For example 'Port of Example - Container Terminal North'.",
    )
    kind = SelectField(
        "Type", choices=[SelectChoice(k.value, v) for k, v in ORGANISATION_KIND_LABELS.items()]
    )
    country = SelectField("Country", choices=COUNTRIES)
    require_mfa = BooleanField(
        "Its officers must use multi-factor authentication",
        description="Administrators always must. Officers who have not set it up are asked "
        "to at their next login.",
    )


class UserForm(FlaskForm):
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    display_name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        "Role",
        choices=[
            SelectChoice(Role.OFFICER.value, "Officer"),
            SelectChoice(Role.ADMIN.value, "Administrator"),
        ],
    )
    organisation_id = SelectField("Organisation", coerce=int, validate_choice=True)
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(max=256)],
        description="Leave empty to generate one; it is shown once, to pass on.",
    )

    def set_organisations(self, organisations: list, *, allow_none: bool = True) -> None:
        choices = [SelectChoice(0, "(none: administrators only)")] if allow_none else []
        self.organisation_id.choices = choices + [SelectChoice(o.id, o.name) for o in organisations]


class StartAssessmentForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=200)],
        description="For example 'Annual cyber self-assessment 2026'.",
    )
    scope = TextAreaField(
        "Scope",
        validators=[Optional(), Length(max=5000)],
        description="What is assessed: the whole port, a terminal, a facility, particular systems.",
    )
    question_set_version_id = SelectField("Question set", coerce=int, validate_choice=True)
    previous_id = SelectField(
        "Start from",
        coerce=int,
        validate_choice=True,
        description="Copy the answers and comments of an earlier assessment of your "
        "organisation. Each copied answer is marked 'to re-check' until you confirm it.",
    )

    def fill_choices(self, versions: list, previous: list) -> None:
        self.question_set_version_id.choices = [
            SelectChoice(v.id, f"{v.title} (version {v.version})") for v in versions
        ]
        self.previous_id.choices = [SelectChoice(0, "Nothing: start empty")] + [
            SelectChoice(
                a.id,
                f"{a.title} ({a.updated_at:%Y-%m-%d}, "
                f"{'completed' if a.is_completed else 'in progress'})",
            )
            for a in previous
        ]

    def preselect(self, previous_id: int | None) -> None:
        if previous_id and any(c.value == previous_id for c in self.previous_id.choices):
            self.previous_id.data = previous_id


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired(), Length(max=32)],
    )


class EnrolForm(FlaskForm):
    code = StringField(
        "The 6-digit code your app shows now", validators=[DataRequired(), Length(max=12)]
    )


class PasswordConfirmForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=1024)])
