"""The form that starts an assessment (it carries its CSRF token)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from assessment import i18n
from assessment.i18n import LANGUAGES
from assessment.limits import MAX_ASSESSMENT_TITLE, MAX_TEXT
from assessment.report.filters import day

# Each language named in itself, so one can find one's own whatever the page's language.
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGES.items()]


class StartAssessmentForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=MAX_ASSESSMENT_TITLE)],
        description=_l("For example 'Annual cyber self-assessment 2026'."),
    )
    scope = TextAreaField(
        _l("Scope"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l(
            "What is assessed: the whole port, a terminal, a facility, particular systems."
        ),
    )
    question_set_version_id = SelectField(_l("Question set"), coerce=int, validate_choice=True)
    previous_id = SelectField(
        _l("Start from"),
        coerce=int,
        validate_choice=True,
        description=_l(
            "Copy the answers and comments of an earlier assessment of your "
            "organisation. Each copied answer is marked 'to re-check' until you confirm it."
        ),
    )

    language = SelectField(
        _l("Language"),
        validate_choice=True,
        choices=LANGUAGE_CHOICES,
        validators=[Optional()],  # a script that leaves it out gets the question set's
        description=_l(
            "Its pages, its report and its downloads appear in this language; you can change "
            "it later."
        ),
    )

    def fill_choices(self, versions: list, previous: list) -> None:
        """The choices' labels, in the request's language (called from the view)."""
        if not self.language.data:
            self.language.data = i18n.current_language()
        self.question_set_version_id.choices = [
            SelectChoice(
                v.id, _("%(title)s (version %(version)s)", title=v.title, version=v.version)
            )
            for v in versions
        ]
        self.previous_id.choices = [SelectChoice(0, _("Nothing: start empty"))] + [
            SelectChoice(
                a.id,
                _("%(title)s (%(day)s, completed)", title=a.title, day=day(a.updated_at))
                if a.is_completed
                else _("%(title)s (%(day)s, in progress)", title=a.title, day=day(a.updated_at)),
            )
            for a in previous
        ]

    def preselect(self, previous_id: int | None) -> None:
        if previous_id and any(c.value == previous_id for c in self.previous_id.choices):
            self.previous_id.data = previous_id


class AssessmentLanguageForm(FlaskForm):
    """The language an assessment's pages, report and downloads appear in."""

    language = SelectField(_l("Language"), validate_choice=True, choices=LANGUAGE_CHOICES)
