"""The forms of the organisations' and users' administration (each carries its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from assessment.models import ORGANISATION_KIND_LABELS, Role
from assessment.services.organisations import COUNTRY_NAMES

# No country is chosen for the administrator: the blank first entry must be replaced, so an
# untouched form cannot store the first country of the list.
COUNTRIES = [SelectChoice("", "Choose a country")] + [
    SelectChoice(code, name) for code, name in COUNTRY_NAMES.items()
]


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=200)],
        description="For example 'Port of Example - Container Terminal North'.",
    )
    kind = SelectField(
        "Type", choices=[SelectChoice(k.value, v) for k, v in ORGANISATION_KIND_LABELS.items()]
    )
    country = SelectField(
        "Country",
        choices=COUNTRIES,
        validators=[DataRequired("Choose the country the organisation is in.")],
    )
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
            SelectChoice(Role.ANALYST.value, "Sector analyst"),
        ],
    )
    organisation_id = SelectField("Organisation", coerce=int, validate_choice=True)
    password = PasswordField(
        "Password",
        validators=[Optional(), Length(max=256)],
        description="Leave empty to generate one; it is shown once, to pass on.",
    )

    def set_organisations(self, organisations: list, *, allow_none: bool = True) -> None:
        choices = [SelectChoice(0, "(none: administrators, analysts)")] if allow_none else []
        self.organisation_id.choices = choices + [SelectChoice(o.id, o.name) for o in organisations]
