"""The section form's protocol: the fields a section page sends for each question (names in
``web/question_types/fields.py``) read into answer inputs, and what a question's fields show,
stored or as submitted when a save was refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from assessment.limits import AnswerStatus
from assessment.models import AnswerRecord
from assessment.questionset import QuestionSet
from assessment.questionset.document import Section
from assessment.services.answers import AnswerInput

from ..question_types import NONE_OF_THESE, FieldProblem, fingerprint, read_answer


class FormTampered(BadRequest):
    """A form that no page of ours could have sent; the message says what to do."""

    def __init__(self, message: str):
        super().__init__()
        self.user_message = _(
            "%(problem)s Nothing was saved; reload the page and try again.", problem=message
        )


@dataclass
class QuestionState:
    """What a question's fields show: stored, or as submitted when a save was refused."""

    selected: list[str] = field(default_factory=list)
    text: str = ""
    specials: list[str] = field(default_factory=list)
    comment: str = ""
    evidence: str = ""
    checked: str = ""  # YYYY-MM-DD, as the date field shows it
    marked: bool = False
    needs_recheck: bool = False
    revision: int = 0
    fingerprint: str = ""
    changed_by: str = ""
    changed_at: Any = None

    def key(self) -> tuple:
        """Every field, hashable: the state's part of the key its drawn HTML is kept under
        (``web/common/fragments``). Built from the instance's attributes themselves, so a
        field added later is in the key without anyone remembering to add it."""
        return tuple(
            tuple(value) if isinstance(value, list) else value for value in vars(self).values()
        )

    @classmethod
    def stored(cls, record: AnswerRecord | None) -> QuestionState:
        if record is None:
            return cls(fingerprint=fingerprint(None, "", False))
        raw = None if record.status == AnswerStatus.UNANSWERED else record.value
        checked = record.evidence_checked.isoformat() if record.evidence_checked else ""
        state = cls(
            comment=record.comment,
            evidence=record.evidence,
            checked=checked,
            marked=record.marked_for_review,
            needs_recheck=record.needs_recheck,
            revision=record.revision,
            fingerprint=fingerprint(
                raw, record.comment, record.marked_for_review, record.evidence, checked
            ),
            changed_by=record.updated_by.display_name if record.updated_by else "",
            changed_at=record.updated_at,
        )
        if isinstance(raw, list):
            state.selected = [str(v) for v in raw] or [NONE_OF_THESE]
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            state.selected, state.text = [str(raw)], f"{raw:g}"
        elif isinstance(raw, str):
            state.selected, state.text, state.specials = [raw], raw, [raw]
        return state

    @classmethod
    def submitted(cls, question_id: str, form: MultiDict, stored: QuestionState) -> QuestionState:
        return cls(
            selected=form.getlist(f"a:{question_id}"),
            text=form.get(f"a:{question_id}", ""),
            specials=form.getlist(f"x:{question_id}"),
            comment=form.get(f"c:{question_id}", ""),
            evidence=form.get(f"e:{question_id}", ""),
            checked=form.get(f"d:{question_id}", ""),
            marked=form.get(f"r:{question_id}") == "1",
            needs_recheck=stored.needs_recheck,
            revision=stored.revision,
            fingerprint=form.get(f"o:{question_id}", ""),
            changed_by=stored.changed_by,
            changed_at=stored.changed_at,
        )


def read_date(text: str) -> date | None:
    """The date a date field sent (YYYY-MM-DD); a clear problem otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldProblem(
            _("Give the date the evidence was last checked as YYYY-MM-DD.")
        ) from None


def clean_comment(text: str) -> str:
    """A comment as people mean it: Windows line ends made plain, outer blank space removed."""
    return text.replace("\r\n", "\n").strip()


@dataclass
class SectionForm:
    """A section's submitted form, read: the questions it named, the inputs of those the person
    changed, and the questions whose fields contradict each other."""

    on_form: list[str]
    inputs: list[AnswerInput]
    problems: dict[str, str]


def read_section_form(question_set: QuestionSet, section: Section, form: MultiDict) -> SectionForm:
    """Raise FormTampered for a form no page of ours sends (questions of another section,
    altered revisions); questions sent back unchanged are not inputs (not this person's
    change, so they never conflict with a colleague's)."""
    on_form = form.getlist("q")
    allowed = {q.id for q in section.questions}
    if len(on_form) != len(set(on_form)) or not set(on_form) <= allowed:
        raise FormTampered(_("The form named questions that are not in this section."))
    inputs, problems = [], {}
    for question_id in on_form:
        question = question_set.question(question_id)
        try:
            raw = read_answer(question, form)
            base = int(form.get(f"v:{question_id}", "0"))
            checked = read_date(form.get(f"d:{question_id}", ""))
        except FieldProblem as exc:
            problems[question_id] = str(exc)
            continue
        except ValueError:
            raise FormTampered(_("The form's revision numbers were altered.")) from None
        comment = clean_comment(form.get(f"c:{question_id}", ""))
        evidence = clean_comment(form.get(f"e:{question_id}", ""))
        marked = form.get(f"r:{question_id}") == "1"
        confirm = form.get(f"k:{question_id}") == "1"
        shown = form.get(f"o:{question_id}")
        day = checked.isoformat() if checked else ""
        if shown == fingerprint(raw, comment, marked, evidence, day) and not confirm:
            continue
        inputs.append(
            AnswerInput(question_id, raw, comment, marked, confirm, base, evidence, checked)
        )
    return SectionForm(on_form, inputs, problems)
