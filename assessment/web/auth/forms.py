"""The forms of logging in and of one's own account (Flask-WTF: each carries its CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from assessment.web.common.languages import LANGUAGE_CHOICES


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=1024)]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 12 characters. A few unrelated words make a strong password."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords differ.")),
        ],
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(max=32)],
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("The 6-digit code your app shows now"), validators=[DataRequired(), Length(max=12)]
    )


class PasswordConfirmForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=1024)])


class LanguageForm(FlaskForm):
    """One's own interface language. Each is named in itself (and marked so for screen
    readers), so that someone who cannot read the current one still finds theirs; the empty
    choice follows the organisation's default, then the browser."""

    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("", _l("Organisation default / browser")), *LANGUAGE_CHOICES],
        validate_choice=False,  # services.users.set_language refuses an unknown one, by name
    )
