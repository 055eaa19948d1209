"""The editor's small forms: a new set, the set's metadata, sections, catalogue entries,
importing a file. Every one carries its CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
from assessment.questionset.document import HORIZONS

from ..question_types.editor_rows import EXTRA_ROWS
from . import wording

ID_HINT = _l("Stable: lower-case letters, digits, '-' and '_'; it cannot change later.")


class NewSetForm(FlaskForm):
    set_id = StringField(
        _l("Id of the new question set"),
        description=ID_HINT,
        validators=[DataRequired(), Length(max=80)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=MAX_TEXT)])
    language = StringField(
        _l("Language (BCP 47, e.g. en, nl, fr-BE)"),
        validators=[DataRequired(), Length(max=20)],
        default="en",
    )


class SectionForm(FlaskForm):
    id = StringField(_l("Id"), description=ID_HINT, validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=MAX_TEXT)])
    weight = StringField(_l("Weight"), default="1", validators=[Length(max=20)])
    show_if_question = SelectField(_l("Shown only if this profile question…"), choices=[])
    show_if_in = StringField(
        _l("…is answered with one of these choice ids (comma-separated)"),
        validators=[Optional(), Length(max=500)],
    )


class MitigationForm(FlaskForm):
    id = StringField(_l("Id"), description=ID_HINT, validators=[DataRequired(), Length(max=80)])
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=MAX_TITLE)],
        description=_l(
            "What to do, as an instruction: 'Replace PIN-based release with identity-based "
            "release'."
        ),
    )
    how = TextAreaField(
        _l("How"),
        validators=[DataRequired(), Length(max=MAX_TEXT)],
        description=_l("Concrete enough to start on Monday."),
    )
    effort = SelectField(
        _l("Effort"), choices=[SelectChoice(k, v) for k, v in wording.EFFORT_LABELS.items()]
    )
    horizon = SelectField(
        # Every horizon of the format, each with its words (a new one without is a KeyError).
        _l("Horizon"),
        choices=[SelectChoice(k, wording.HORIZON_LABELS[k]) for k in HORIZONS],
    )


class IncidentRow(Form):
    year = StringField(_l("Year"), validators=[Optional(), Length(max=4)])
    until = StringField(_l("Until"), validators=[Optional(), Length(max=4)])
    title = StringField(_l("What happened"), validators=[Optional(), Length(max=MAX_TEXT)])


class ThreatForm(FlaskForm):
    id = StringField(_l("Id"), description=ID_HINT, validators=[DataRequired(), Length(max=80)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=MAX_TEXT)]
    )
    incidents = FieldList(FormField(IncidentRow), min_entries=EXTRA_ROWS, label=_l("Incidents"))


class ReferenceForm(FlaskForm):
    id = StringField(
        _l("Id"),
        description=_l("The framework's id, a dash, then the item, e.g. NIS2-21.2.a or CSF-PR.AA."),
        validators=[DataRequired(), Length(max=60)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    group = StringField(
        _l("Group (optional, e.g. a NIST CSF function)"),
        validators=[Optional(), Length(max=MAX_TITLE)],
    )


class FrameworkForm(FlaskForm):
    id = StringField(
        _l("Id"),
        description=_l("Upper-case letters and digits, e.g. NIS2."),
        validators=[DataRequired(), Length(max=30)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=MAX_TITLE)])


ENTRY_FORMS = {
    "mitigations": MitigationForm,
    "threats": ThreatForm,
    "references": ReferenceForm,
    "frameworks": FrameworkForm,
}
# In the audit log's "what" (stored, so in English whatever the page's language); the pages
# say it with wording.py's sentences.
ENTRY_NAMES = {
    "mitigations": "mitigation",
    "threats": "threat scenario",
    "references": "reference",
    "frameworks": "framework",
}


class ImportForm(FlaskForm):
    file = FileField(_l("Question-set file (YAML, at most 2 MB)"), validators=[FileRequired()])
    mode = RadioField(
        _l("Import as"),
        default="draft",
        choices=[
            SelectChoice("draft", _l("A draft of the set's next version, to check and publish")),
            SelectChoice("publish", _l("A published version, with the version number in the file")),
        ],
    )


class SampleReportForm(FlaskForm):
    pattern = RadioField(
        _l("Answers"),
        default="mixed",
        choices=[
            SelectChoice("worst", _l("Every question at its worst answer")),
            SelectChoice("mixed", _l("A mix of good and weak answers")),
            SelectChoice("best", _l("Every question at its best answer")),
        ],
    )
