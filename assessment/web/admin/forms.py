"""The forms of the organisations' and users' administration (each carries its CSRF token)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from assessment.i18n import format_locale
from assessment.models import ORGANISATION_KIND_LABELS, Role
from assessment.services.organisations import country_names_in
from assessment.web.common.languages import LANGUAGE_CHOICES


def country_choices() -> list[SelectChoice]:
    """Every country in the page's language and its order. No country is chosen for the
    administrator: the blank first entry must be replaced, so an untouched form cannot store
    the first country of the list."""
    names = country_names_in(format_locale())
    return [SelectChoice("", _l("Choose a country"))] + [
        SelectChoice(code, name) for code, name in names.items()
    ]


# Each language in its own name (and marked as such, for screen readers), as i18n.LANGUAGES
# gives it: an administrator setting a port's language may not read the current one.
ORGANISATION_LANGUAGES = [SelectChoice("", _l("Browser's language")), *LANGUAGE_CHOICES]


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For example 'Port of Example - Container Terminal North'."),
    )
    kind = SelectField(
        _l("Type"),
        choices=[SelectChoice(k.value, v) for k, v in ORGANISATION_KIND_LABELS.items()],
    )
    country = SelectField(
        _l("Country"),
        choices=country_choices,
        validators=[DataRequired(_l("Choose the country the organisation is in."))],
    )
    language = SelectField(
        _l("Default language"),
        choices=ORGANISATION_LANGUAGES,
        default="",
        # AnyOf rather than the field's own check, for a message that says what to do.
        validate_choice=False,
        validators=[
            AnyOf(
                [choice.value for choice in ORGANISATION_LANGUAGES],
                message=_l("Choose one of the languages in the list."),
            )
        ],
        description=_l(
            "The language of the pages of its users who have not chosen one. With the "
            "browser's language, each of them gets the language their browser asks for."
        ),
    )
    require_mfa = BooleanField(
        _l("Its officers must use multi-factor authentication"),
        description=_l(
            "Administrators always must. Officers who have not set it up are asked to at "
            "their next login."
        ),
    )


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.OFFICER.value, _l("Officer")),
            SelectChoice(Role.ADMIN.value, _l("Administrator")),
            SelectChoice(Role.ANALYST.value, _l("Sector analyst")),
        ],
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, validate_choice=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(max=256)],
        description=_l("Leave empty to generate one; it is shown once, to pass on."),
    )

    def set_organisations(self, organisations: list, *, allow_none: bool = True) -> None:
        choices = [SelectChoice(0, _("(none: administrators, analysts)"))] if allow_none else []
        self.organisation_id.choices = choices + [SelectChoice(o.id, o.name) for o in organisations]
