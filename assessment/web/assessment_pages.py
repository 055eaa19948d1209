"""What the assessment pages show, built from one assessment: its question set, its stored
answers and its scored result. Views stay thin; templates get plain values, not ORM queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from assessment.models import AnswerRecord, Assessment, User
from assessment.questionset.model import Section
from assessment.questionset.types import Question
from assessment.scoring import compare, score
from assessment.services import answers as saving
from assessment.services import assessments as service
from assessment.services.moves import newer_versions

from . import exports
from .widgets import NONE_OF_THESE, FieldProblem, fingerprint, read_answer


class FormTampered(BadRequest):
    """A form that no page of ours could have sent; the message says what to do."""

    def __init__(self, message: str):
        super().__init__()
        self.user_message = message + " Nothing was saved; reload the page and try again."


@dataclass
class QuestionState:
    """What a question's fields show: stored, or as submitted when a save was refused."""

    selected: list[str] = field(default_factory=list)
    text: str = ""
    specials: list[str] = field(default_factory=list)
    comment: str = ""
    marked: bool = False
    needs_recheck: bool = False
    revision: int = 0
    fingerprint: str = ""
    changed_by: str = ""
    changed_at: Any = None

    @classmethod
    def stored(cls, record: AnswerRecord | None) -> QuestionState:
        if record is None:
            return cls(fingerprint=fingerprint(None, "", False))
        raw = None if record.status == service.UNANSWERED else record.value
        state = cls(
            comment=record.comment,
            marked=record.marked_for_review,
            needs_recheck=record.needs_recheck,
            revision=record.revision,
            fingerprint=fingerprint(raw, record.comment, record.marked_for_review),
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
            marked=form.get(f"r:{question_id}") == "1",
            needs_recheck=stored.needs_recheck,
            revision=stored.revision,
            fingerprint=form.get(f"o:{question_id}", ""),
            changed_by=stored.changed_by,
            changed_at=stored.changed_at,
        )


@dataclass
class SaveOutcome:
    refused: bool = False
    message: str = ""
    context: dict = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, saving.Conflict] = field(default_factory=dict)
    saved: dict[str, dict] = field(default_factory=dict)
    progress: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "ok": not self.refused,
            "message": self.message,
            "problems": self.problems,
            "conflicts": {
                qid: {
                    "changed_by": c.changed_by,
                    "answer": c.answer,
                    "comment": c.comment,
                    "revision": c.revision,
                    "changed_at": c.changed_at.strftime("%Y-%m-%d %H:%M"),
                }
                for qid, c in self.conflicts.items()
            },
            "saved": self.saved,
            "progress": self.progress,
        }


def _clean_comment(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


class AssessmentPage:
    def __init__(self, session: Session, assessment: Assessment):
        self.session = session
        self.assessment = assessment
        self.question_set = service.question_set_of(assessment.question_set_version)
        self._load()

    def _load(self) -> None:
        self.records = service.records_of(self.session, self.assessment)
        self.answers = service.answers_of(self.question_set, self.records)
        self.result = score(self.question_set, self.answers)

    # Navigation

    def has_section(self, section_id: str) -> bool:
        return any(s.id == section_id for s in self.question_set.sections)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.question_set.sections if s.id == section_id)

    def _shown_sections(self) -> list[str]:
        return [s.id for s in self.result.sections if s.visible]

    def next_section_to_answer(self) -> str | None:
        """The first shown section with unanswered questions; None when all are answered."""
        for section in self.result.sections:
            if section.visible and section.answered < section.applicable:
                return section.id
        return None

    def next_section_after(self, section_id: str) -> str | None:
        shown = self._shown_sections()
        later = (
            [s.id for s in self.result.sections if s.visible][shown.index(section_id) + 1 :]
            if section_id in shown
            else shown
        )
        return later[0] if later else None

    def toc(self, current: str | None = None) -> list[dict]:
        return [
            {
                "id": s.id,
                "title": s.title,
                "shown": s.visible,
                "answered": s.answered,
                "applicable": s.applicable,
                "current": s.id == current,
                "complete": s.visible and s.answered == s.applicable,
            }
            for s in self.result.sections
        ]

    def progress(self) -> dict:
        return {
            "answered": self.result.answered,
            "applicable": self.result.applicable,
            "percent": round(self.result.completeness * 100),
        }

    def common(self) -> dict:
        return {
            "assessment": self.assessment,
            "question_set": self.question_set,
            "progress": self.progress(),
            "result": self.result,
            "recheck": sum(r.needs_recheck for r in self.records.values()),
            "editable": not self.assessment.is_completed,
            "newer_versions": newer_versions(self.session, self.assessment),
        }

    # The section page

    def section_context(
        self,
        section_id: str,
        states: dict[str, QuestionState] | None = None,
        problems: dict[str, str] | None = None,
        conflicts: dict[str, saving.Conflict] | None = None,
    ) -> dict:
        section = self.section(section_id)
        shown = {q.question_id for q in self.result.questions if q.status != "hidden"}
        questions = []
        for question in section.questions:
            state = (states or {}).get(question.id) or QuestionState.stored(
                self.records.get(question.id)
            )
            questions.append(
                {
                    "q": question,
                    "state": state,
                    "shown": question.id in shown,
                    "problem": (problems or {}).get(question.id),
                    "conflict": (conflicts or {}).get(question.id),
                    "choices": choices_of(question),
                }
            )
        shown_sections = self._shown_sections()
        position = shown_sections.index(section_id) if section_id in shown_sections else -1
        return {
            **self.common(),
            "section": section,
            "section_shown": self.result.section(section_id).visible,
            "condition": _condition_text(self.question_set, section),
            "questions": questions,
            "toc": self.toc(section_id),
            "previous_id": shown_sections[position - 1] if position > 0 else None,
            "next_id": self.next_section_after(section_id),
            "problems": problems or {},
            "conflicts": conflicts or {},
        }

    def save_section(self, user: User, section_id: str, form: MultiDict) -> SaveOutcome:
        section = self.section(section_id)
        on_form = form.getlist("q")
        allowed = {q.id for q in section.questions}
        if len(on_form) != len(set(on_form)) or not set(on_form) <= allowed:
            raise FormTampered("The form named questions that are not in this section.")
        inputs, problems = [], {}
        for question_id in on_form:
            question = self.question_set.question(question_id)
            try:
                raw = read_answer(question, form)
                base = int(form.get(f"v:{question_id}", "0"))
            except FieldProblem as exc:
                problems[question_id] = str(exc)
                continue
            except ValueError:
                raise FormTampered("The form's revision numbers were altered.") from None
            comment = _clean_comment(form.get(f"c:{question_id}", ""))
            marked = form.get(f"r:{question_id}") == "1"
            confirm = form.get(f"k:{question_id}") == "1"
            if form.get(f"o:{question_id}") == fingerprint(raw, comment, marked) and not confirm:
                continue  # shown and sent back unchanged: not this person's change
            inputs.append(saving.AnswerInput(question_id, raw, comment, marked, confirm, base))
        try:
            if problems:
                raise saving.SaveRefused(problems=problems)
            written = saving.save_answers(self.session, user, self.assessment, inputs)
        except saving.SaveRefused as refused:
            return self._refused(section_id, on_form, form, refused)
        except service.AssessmentError as exc:
            return SaveOutcome(
                refused=True,
                message=str(exc),
                context=self.section_context(section_id),
                problems={},
            )
        self._load()
        saved = {
            qid: {"revision": r.revision, "fingerprint": QuestionState.stored(r).fingerprint}
            for qid, r in written.items()
        }
        message = (
            f"Saved {len(written)} answer{'s' if len(written) != 1 else ''}."
            if written
            else "No changes to save."
        )
        return SaveOutcome(
            message=message,
            saved=saved,
            progress={
                **self.progress(),
                "sections": {
                    t["id"]: [t["answered"], t["applicable"], t["shown"]] for t in self.toc()
                },
            },
        )

    def _refused(
        self,
        section_id: str,
        on_form: list[str],
        form: MultiDict,
        refused: saving.SaveRefused,
    ) -> SaveOutcome:
        states = {
            qid: QuestionState.submitted(qid, form, QuestionState.stored(self.records.get(qid)))
            for qid in on_form
        }
        for qid, conflict in refused.conflicts.items():
            # The next save is deliberate: it starts from the colleague's revision.
            states[qid].revision = conflict.revision
        context = self.section_context(section_id, states, refused.problems, refused.conflicts)
        return SaveOutcome(
            refused=True,
            message=str(refused),
            context=context,
            problems=refused.problems,
            conflicts=refused.conflicts,
        )

    # Review, results, exports

    def review_context(self, show: str) -> dict:
        unanswered = set(self.result.unanswered)  # free text is optional, as in completeness
        filters = {
            "all": lambda q, r: True,
            "unanswered": lambda q, r: q.question_id in unanswered,
            "review": lambda q, r: bool(r and r.marked_for_review),
            "dont_know": lambda q, r: q.status == "dont_know",
            "recheck": lambda q, r: bool(r and r.needs_recheck),
        }
        keep = filters.get(show, filters["all"])
        sections = []
        for section in self.result.sections:
            items = [
                {
                    "result": q,
                    "record": self.records.get(q.question_id),
                    "question": self.question_set.question(q.question_id),
                    "optional": q.question_id not in unanswered and q.status == "unanswered",
                }
                for q in self.result.questions
                if q.section_id == section.id
                and q.status != "hidden"
                and keep(q, self.records.get(q.question_id))
            ]
            if section.visible and (items or show == "all"):
                sections.append({"section": section, "items": items})
        counts = {
            name: sum(
                1
                for q in self.result.questions
                if q.status != "hidden" and test(q, self.records.get(q.question_id))
            )
            for name, test in filters.items()
        }
        return {
            **self.common(),
            "sections": sections,
            "show": show,
            "counts": counts,
            "toc": self.toc(),
        }

    def results_context(self) -> dict:
        from assessment.report.context import results_view

        previous = service.previous_completed(self.session, self.assessment)
        comparison = None
        if previous is not None:
            comparison = {
                "assessment": previous,
                "change": compare(service.result_of(self.session, previous), self.result),
            }
        return {
            **self.common(),
            "view": results_view(self.question_set, self.result),
            "comparison": comparison,
            "toc": self.toc(),
        }

    def filename(self, kind: str, extension: str) -> str:
        return exports.safe_filename(self.assessment, kind, extension)

    def result_json_text(self) -> str:
        return exports.result_json(self.assessment, self.result)

    def action_plan_csv(self) -> str:
        return exports.action_plan_csv(self.question_set, self.result)

    def answers_csv(self) -> str:
        return exports.answers_csv(self.question_set, self.result, self.records)


def choices_of(question: Question) -> list:
    from assessment.questionset.types import MultipleChoiceQuestion, SingleChoiceQuestion

    if isinstance(question, SingleChoiceQuestion):
        return list(question.options)
    if isinstance(question, MultipleChoiceQuestion):
        return list(question.choices)
    return []


def _condition_text(question_set, item) -> str | None:
    if item.show_if is None:
        return None
    target = question_set.question(item.show_if.question)
    labels = [c.label for c in choices_of(target) if c.id in item.show_if.in_]
    return f"Asked when “{target.text}” is answered “{' or '.join(labels)}”."


def list_row(session: Session, assessment: Assessment) -> dict:
    result = service.result_of(session, assessment)
    version = assessment.question_set_version
    return {
        "assessment": assessment,
        "result": result,
        "question_set": f"{version.title} (version {version.version})",
        "url": url_for("assessments.overview", assessment_id=assessment.id),
    }
