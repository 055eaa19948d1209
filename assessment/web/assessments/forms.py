"""The form that starts an assessment (it carries its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from assessment.limits import MAX_ASSESSMENT_TITLE, MAX_TEXT


class StartAssessmentForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=MAX_ASSESSMENT_TITLE)],
        description="For example 'Annual cyber self-assessment 2026'.",
    )
    scope = TextAreaField(
        "Scope",
        validators=[Optional(), Length(max=MAX_TEXT)],
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
