"""The editor's small forms: a new set, the set's metadata, sections, catalogue entries,
importing a file. Every one carries its CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from assessment.limits import MAX_TEXT, MAX_TITLE
from assessment.questionset.document import HORIZON_LABELS

from ..question_types.editor_rows import EXTRA_ROWS

ID_HINT = "Stable: lower-case letters, digits, '-' and '_'; it cannot change later."


class NewSetForm(FlaskForm):
    set_id = StringField(
        "Id of the new question set",
        description=ID_HINT,
        validators=[DataRequired(), Length(max=80)],
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])


class MetadataForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=MAX_TEXT)])
    language = StringField(
        "Language (BCP 47, e.g. en, nl, fr-BE)",
        validators=[DataRequired(), Length(max=20)],
        default="en",
    )


class SectionForm(FlaskForm):
    id = StringField("Id", description=ID_HINT, validators=[DataRequired(), Length(max=80)])
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField("Introduction", validators=[Optional(), Length(max=MAX_TEXT)])
    weight = StringField("Weight", default="1", validators=[Length(max=20)])
    show_if_question = SelectField("Shown only if this profile question…", choices=[])
    show_if_in = StringField(
        "…is answered with one of these choice ids (comma-separated)",
        validators=[Optional(), Length(max=500)],
    )


class MitigationForm(FlaskForm):
    id = StringField("Id", description=ID_HINT, validators=[DataRequired(), Length(max=80)])
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=MAX_TITLE)],
        description="What to do, as an instruction: 'Replace PIN-based release "
        "with identity-based release'.",
    )
    how = TextAreaField(
        "How",
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description="Concrete enough to start on Monday.",
    )
    effort = SelectField(
        "Effort", choices=[SelectChoice(e, e.title()) for e in ("low", "medium", "high")]
    )
    horizon = SelectField(
        "Horizon", choices=[SelectChoice(k, v) for k, v in HORIZON_LABELS.items()]
    )


class IncidentRow(Form):
    year = StringField("Year", validators=[Optional(), Length(max=4)])
    until = StringField("Until", validators=[Optional(), Length(max=4)])
    title = StringField("What happened", validators=[Optional(), Length(max=MAX_TEXT)])


class ThreatForm(FlaskForm):
    id = StringField("Id", description=ID_HINT, validators=[DataRequired(), Length(max=80)])
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField("Description", validators=[DataRequired(), Length(max=MAX_TEXT)])
    incidents = FieldList(FormField(IncidentRow), min_entries=EXTRA_ROWS)


class ReferenceForm(FlaskForm):
    id = StringField(
        "Id",
        description="The framework's id, a dash, then the item, e.g. NIS2-21.2.a or CSF-PR.AA.",
        validators=[DataRequired(), Length(max=60)],
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])
    group = StringField(
        "Group (optional, e.g. a NIST CSF function)", validators=[Optional(), Length(max=MAX_TITLE)]
    )


class FrameworkForm(FlaskForm):
    id = StringField(
        "Id",
        description="Upper-case letters and digits, e.g. NIS2.",
        validators=[DataRequired(), Length(max=30)],
    )
    title = StringField("Title", validators=[DataRequired(), Length(max=MAX_TITLE)])


ENTRY_FORMS = {
    "mitigations": MitigationForm,
    "threats": ThreatForm,
    "references": ReferenceForm,
    "frameworks": FrameworkForm,
}
ENTRY_NAMES = {
    "mitigations": "mitigation",
    "threats": "threat scenario",
    "references": "reference",
    "frameworks": "framework",
}


class ImportForm(FlaskForm):
    file = FileField("Question-set file (YAML, at most 2 MB)", validators=[FileRequired()])
    mode = RadioField(
        "Import as",
        default="draft",
        choices=[
            SelectChoice("draft", "A draft of the set's next version, to check and publish"),
            SelectChoice("publish", "A published version, with the version number in the file"),
        ],
    )


class SampleReportForm(FlaskForm):
    pattern = RadioField(
        "Answers",
        default="mixed",
        choices=[
            SelectChoice("worst", "Every question at its worst answer"),
            SelectChoice("mixed", "A mix of good and weak answers"),
            SelectChoice("best", "Every question at its best answer"),
        ],
    )
