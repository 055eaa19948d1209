"""What the assessment pages show, each doing only its own work.

A page starts from the assessment row (with its version and organisation, one query) and its
stored standing (score, level, progress per section, the questions not asked): the section
page then reads only its own section's answers, the list only the rows. The results and review
pages need the whole result, which is computed once per state of the assessment and reused
(``services.records.result_of``). Templates get plain values, never queries.

What is drawn is kept the same way: a question's HTML per state of its answer and language
(``web/common/fragments``), the results page's view per result and language, so a reload
draws again only what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from babel.lists import format_list
from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from assessment import i18n
from assessment.limits import AnswerStatus
from assessment.lru import LRUCache
from assessment.models import Assessment, User
from assessment.questionset import QuestionSet
from assessment.questionset.document import Section
from assessment.report import wording
from assessment.report.context import results_view
from assessment.report.filters import when
from assessment.scoring import compare
from assessment.scoring.standing import Standing
from assessment.services import answers as saving
from assessment.services import assessments as service
from assessment.services import records
from assessment.services.moves import latest_published, newest_published

from ..common import fragments
from ..common.downloads import safe_filename
from ..sector.comparison import sector_comparison
from .answer_form import QuestionState, read_section_form


@dataclass
class Page:
    """One assessment as its pages see it."""

    session: Session
    assessment: Assessment
    question_set: QuestionSet
    standing: Standing
    texts: tuple[str, str] | None = None  # records.texts_of: which translation, if any

    @classmethod
    def load(cls, session: Session, assessment: Assessment) -> Page:
        """The assessment in the page's language: its question set translated into it if a
        translation is stored (the page's language follows the assessment's own first)."""
        version = assessment.question_set_version
        texts = records.texts_of(version, i18n.current_language(), session)
        return cls(
            session,
            assessment,
            records.question_set_in(version, texts, session),
            records.standing_of(session, assessment),
            texts,
        )

    # Navigation

    def has_section(self, section_id: str) -> bool:
        return self.question_set.has_section(section_id)

    def shown_sections(self) -> list[str]:
        return self.standing.shown_sections()

    def next_section_to_answer(self) -> str | None:
        """The first shown section with unanswered questions; None when all are answered."""
        return next((sid for sid, s in self.standing.sections.items() if not s.complete), None)

    def next_section_after(self, section_id: str) -> str | None:
        shown = self.shown_sections()
        later = shown[shown.index(section_id) + 1 :] if section_id in shown else shown
        return later[0] if later else None

    def toc(self, current: str | None = None) -> list[dict]:
        # One url_for, not one per section: section ids are URL-safe by the format's rules.
        base = url_for("assessments.section", assessment_id=self.assessment.id, section_id="-")
        base = base[: -len("-")]
        items = []
        for section in self.question_set.sections:
            progress = self.standing.sections.get(section.id)
            items.append(
                {
                    "id": section.id,
                    "title": section.title,
                    "url": base + section.id,
                    "shown": bool(progress and progress.shown),
                    "answered": progress.answered if progress else 0,
                    "applicable": progress.applicable if progress else 0,
                    "current": section.id == current,
                    "complete": bool(progress and progress.complete),
                }
            )
        return items

    def progress(self) -> dict:
        return {
            "answered": self.standing.answered,
            "applicable": self.standing.applicable,
            "percent": self.standing.percent,
        }

    @property
    def cacheable(self) -> bool:
        """A published version's text never changes; a draft's does (no content hash)."""
        return bool(self.assessment.question_set_version.content_hash)

    @property
    def state_key(self) -> tuple:
        """The assessment's state and whether it can be changed: what its drawn parts show."""
        return (*records.state_key(self.assessment), self.assessment.is_completed, self.texts)

    def layout_drawer(self, current: str | None) -> Callable[[str, Callable], Markup]:
        """How the layout draws its head and its list of sections (``layout_html(name,
        macro)``): kept per state, page, current section, title and organisation name (both
        can be renamed without a save). Nothing of the viewer may be inside those macros."""
        key = None
        if self.cacheable:
            names = (self.assessment.title, self.assessment.organisation.name)
            key = (self.state_key, request.endpoint, current, names)

        def draw(name: str, macro: Callable) -> Markup:
            return fragments.cached(key and ("layout", name, *key), macro)

        return draw

    @property
    def newer_version(self) -> int | None:
        """The newest published version of the set, if newer than the assessment's."""
        version = self.assessment.question_set_version
        newest = newest_published(self.session, version.set_id)
        return newest if newest and newest > version.version else None

    def header(self, current: str | None = None) -> dict:
        """What every page of an assessment shows around its own content."""
        return {
            "layout_html": self.layout_drawer(current),
            "assessment": self.assessment,
            "question_set": self.question_set,
            "standing": self.standing,
            "progress": self.progress(),
            "toc": lambda: self.toc(current),  # drawn only when the kept list is not
            "recheck": self.standing.recheck,
            "editable": not self.assessment.is_completed,
            "newer_version": self.newer_version,
        }

    def result(self):
        return records.result_of(self.session, self.assessment, self.texts)


# The section page


def section_context(
    page: Page,
    section_id: str,
    states: dict[str, QuestionState] | None = None,
    problems: dict[str, str] | None = None,
    conflicts: dict[str, saving.Conflict] | None = None,
) -> dict:
    """The section page; with ``states``, ``problems`` or ``conflicts``, the page of a refused
    save, which shows what was typed and why it was refused."""
    section = page.question_set.section(section_id)
    progress = page.standing.sections.get(section_id)
    section_shown = bool(progress and progress.shown)

    def items() -> list[dict]:
        stored = records.records_of(
            page.session, page.assessment, question_ids=[q.id for q in section.questions]
        )
        return [
            {
                "q": question,
                "state": (states or {}).get(question.id)
                or QuestionState.stored(stored.get(question.id)),
                "shown": section_shown and question.id not in page.standing.hidden,
                "problem": (problems or {}).get(question.id),
                "conflict": (conflicts or {}).get(question.id),
            }
            for question in section.questions
        ]

    refused = items() if states is not None or problems or conflicts else None
    shown = page.shown_sections()
    position = shown.index(section_id) if section_id in shown else -1
    return {
        **page.header(section_id),
        "section": section,
        "section_shown": section_shown,
        "condition": condition_text(page.question_set, section),
        "questions": refused or [],
        "questions_html": _section_drawer(page, section_id, refused, items),
        "previous_id": shown[position - 1] if position > 0 else None,
        "next_id": page.next_section_after(section_id),
        "problems": problems or {},
        "conflicts": conflicts or {},
        "words_html": _words_html,
    }


def _section_drawer(
    page: Page, section_id: str, refused: list[dict] | None, items: Callable[[], list[dict]]
) -> Callable[[Callable], Markup]:
    """How the section template draws its questions: ``questions_html(macro)``.

    A reload of a section nobody changed reads no answer and draws nothing: the whole list's
    HTML is kept per state of the assessment (its revision, which every save raises, its
    completion and translation) and per ``names_revision`` (the "last changed by" names change
    without a save). A list drawn again still takes each unchanged question from its own
    keeping (``_question_drawer``), so a save redraws only the questions it changed. The page
    of a refused save is never kept: it shows what one person typed."""
    draw = _question_drawer(page)
    key = None
    if refused is None and page.cacheable:
        names = page.assessment.organisation.names_revision
        key = ("section", page.state_key, section_id, names)

    def draw_all(macro: Callable) -> Markup:
        listed = refused if refused is not None else items()
        return Markup("").join(draw(item, macro) for item in listed)

    return lambda macro: fragments.cached(key, lambda: draw_all(macro), fragments.SECTIONS)


def _question_drawer(page: Page) -> Callable[[dict, Callable], Markup]:
    """How the section template draws a question: ``question_html(item, macro)``, the macro's
    HTML kept per state (``web/common/fragments``), so a reload draws only the questions whose
    answers changed. A question showing this save's problem or conflict is drawn every time.
    A draft version has no content hash (its text changes): nothing of it is kept."""
    content = page.assessment.question_set_version.content_hash
    texts = page.texts
    editable = not page.assessment.is_completed

    def draw(item: dict, macro: Callable) -> Markup:
        key = None
        if content and not (item["problem"] or item["conflict"]):
            question = item["q"].id
            key = ("question", content, texts, question, editable, item["shown"])
            key += item["state"].key()
        return fragments.cached(key, lambda: macro(item))

    return draw


def _words_html(name: str, macro: Callable) -> Markup:
    """A part of the page made of interface words alone (the macro reads nothing but ``_()``,
    as its template says): the same for every page in a language, kept per language."""
    return fragments.cached(("words", name), macro)


def condition_text(question_set: QuestionSet, item) -> str | None:
    if item.show_if is None:
        return None
    target = question_set.question(item.show_if.question)
    labels = [c.label for c in target.answer_choices if c.id in item.show_if.in_]
    either = format_list(labels, style="or", locale=i18n.format_locale())
    return _(
        "Asked when “%(question)s” is answered “%(answers)s”.", question=target.text, answers=either
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
                    "evidence": c.evidence,
                    "revision": c.revision,
                    "changed_at": c.changed_at.strftime("%Y-%m-%d %H:%M"),
                    "changed_at_text": when(c.changed_at),  # as the page writes moments
                }
                for qid, c in self.conflicts.items()
            },
            "saved": self.saved,
            "progress": self.progress,
        }


def save_section(page: Page, user: User, section_id: str, form: MultiDict) -> SaveOutcome:
    """Save every valid answer the person changed; name each one that was not saved, and keep
    what they typed there."""
    section = page.question_set.section(section_id)
    submitted = read_section_form(page.question_set, section, form)
    try:
        saved = saving.save_answers(
            page.session, user, page.assessment, submitted.inputs, keep_valid=True
        )
    except saving.SaveRefused as refused:
        refused.problems = submitted.problems | refused.problems
        return _refused(page, section, submitted.on_form, form, refused, saving.Saved({}, None))
    except service.AssessmentError as exc:
        return SaveOutcome(
            refused=True, message=str(exc), context=section_context(page, section_id)
        )
    if saved.standing is not None:
        page.standing = saved.standing
    if submitted.problems or saved.refused:
        refused = saved.refused or saving.SaveRefused()
        refused.problems = submitted.problems | refused.problems
        return _refused(page, section, submitted.on_form, form, refused, saved)
    count = len(saved.records)
    return SaveOutcome(
        message=ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", count)
        if count
        else _("All answers saved."),
        saved=_saved_json(saved),
        progress=_progress_json(page),
    )


def _saved_json(saved: saving.Saved) -> dict:
    return {
        qid: {"revision": r.revision, "fingerprint": QuestionState.stored(r).fingerprint}
        for qid, r in saved.records.items()
    }


def _progress_json(page: Page) -> dict:
    progress = page.progress()
    return {
        **progress,
        # The progress bar's label, for the page script (it has no plural rules of its own).
        "label": ngettext(
            "Answered %(answered)s of %(num)d question",
            "Answered %(answered)s of %(num)d questions",
            progress["applicable"],
            answered=progress["answered"],
        ),
        "sections": {
            sid: [s.answered, s.applicable, s.shown] for sid, s in page.standing.sections.items()
        },
    }


def _refused(
    page: Page,
    section: Section,
    on_form: list[str],
    form: MultiDict,
    refused: saving.SaveRefused,
    saved: saving.Saved,
) -> SaveOutcome:
    """What was saved shows as stored; what was not, as typed, with its problem or conflict."""
    stored = records.records_of(page.session, page.assessment, question_ids=on_form)
    stored |= saved.records
    states = {
        qid: QuestionState.stored(stored.get(qid))
        if qid in saved.records
        else QuestionState.submitted(qid, form, QuestionState.stored(stored.get(qid)))
        for qid in on_form
    }
    for qid, conflict in refused.conflicts.items():
        # The next save is deliberate: it starts from the colleague's revision.
        states[qid].revision = conflict.revision
    context = section_context(page, section.id, states, refused.problems, refused.conflicts)
    context["saved_count"] = len(saved.records)
    return SaveOutcome(
        refused=True,
        message=_not_saved_message(page.question_set, refused, len(saved.records)),
        context=context,
        problems=refused.problems,
        conflicts=refused.conflicts,
        saved=_saved_json(saved),
        progress=_progress_json(page),
    )


def _not_saved_message(question_set: QuestionSet, refused: saving.SaveRefused, saved: int) -> str:
    """The status line's words: which questions were not saved, and why, by their text."""
    parts = [
        _(
            "“%(question)s”: %(problem)s",
            question=_short(question_set.question(qid).text),
            problem=problem,
        )
        for qid, problem in refused.problems.items()
    ] + [
        _(
            "“%(question)s”: changed by %(name)s while you were editing (see the question)",
            question=_short(question_set.question(qid).text),
            name=conflict.changed_by,
        )
        for qid, conflict in refused.conflicts.items()
    ]
    message = ngettext(
        "%(num)d answer was not saved: %(reasons)s",
        "%(num)d answers were not saved: %(reasons)s",
        len(parts),
        reasons="; ".join(parts),
    )
    if saved:
        message += " " + ngettext(
            "The other %(num)d was saved.", "The other %(num)d were saved.", saved
        )
    return message


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Review, results, confirmation


def _answered_scored(q) -> bool:
    return q.scored and q.status in (AnswerStatus.ANSWERED, AnswerStatus.DONT_KNOW)


def _evidence_is_old(record) -> bool:
    """Evidence given but last checked more than 12 months ago (or never dated)."""
    if not (record and record.evidence):
        return False
    checked = record.evidence_checked
    return checked is None or checked < date.today() - timedelta(days=365)


REVIEW_FILTERS = {
    "all": lambda q, r, unanswered: True,
    "unanswered": lambda q, r, unanswered: q.question_id in unanswered,
    "review": lambda q, r, unanswered: bool(r and r.marked_for_review),
    "dont_know": lambda q, r, unanswered: q.status == AnswerStatus.DONT_KNOW,
    "recheck": lambda q, r, unanswered: bool(r and r.needs_recheck),
    "no_evidence": lambda q, r, unanswered: _answered_scored(q) and not (r and r.evidence),
    "old_evidence": lambda q, r, unanswered: _evidence_is_old(r),
}


def review_context(page: Page, show: str) -> dict:
    result = page.result()
    stored = records.records_of(page.session, page.assessment)
    unanswered = set(result.unanswered)  # free text is optional, as in completeness
    keep = REVIEW_FILTERS.get(show, REVIEW_FILTERS["all"])
    asked = [q for q in result.questions if q.status != AnswerStatus.HIDDEN]
    sections = []
    for section in result.sections:
        items = [
            {
                "result": q,
                "record": stored.get(q.question_id),
                "question": page.question_set.question(q.question_id),
                "optional": q.question_id not in unanswered and q.status == AnswerStatus.UNANSWERED,
            }
            for q in asked
            if q.section_id == section.id and keep(q, stored.get(q.question_id), unanswered)
        ]
        if section.visible and (items or show == "all"):
            sections.append({"section": section, "items": items})
    counts = {
        name: sum(1 for q in asked if test(q, stored.get(q.question_id), unanswered))
        for name, test in REVIEW_FILTERS.items()
    }
    return {
        **page.header(),
        "sections": sections,
        "show": show,
        "counts": counts,
        # An answer in the page's words: the set's labels as they are, the scoring's English
        # words ("not applicable", a maturity level) translated.
        "answer_words": lambda q: wording.answer_words(
            page.question_set, q.question_id, q.status, q.answer
        ),
    }


# results_view is a pure function of the question set, the result and the language, and a
# result is one object for as long as its assessment's state lasts (``records.result_of``
# keeps it): its view is kept beside it. An entry holds both objects, so their ids cannot be
# reused by others while it lasts.
_RESULT_VIEWS = LRUCache(64)


def _kept_results_view(question_set: QuestionSet, result) -> dict:
    key = (id(question_set), id(result), i18n.current_language())
    kept = _RESULT_VIEWS.get(key)
    if kept is not None and kept[0] is question_set and kept[1] is result:
        return kept[2]
    view = results_view(question_set, result)
    _RESULT_VIEWS.put(key, (question_set, result, view))
    return view


def results_context(page: Page) -> dict:
    result = page.result()
    previous = service.previous_completed(page.session, page.assessment)
    comparison = None
    if previous is not None:  # its result in the page's language too
        version = previous.question_set_version
        texts = records.texts_of(version, i18n.current_language(), page.session)
        comparison = {
            "assessment": previous,
            "change": compare(records.result_of(page.session, previous, texts), result),
        }
    # The page's body is kept per state of the result and of the previous assessment it is
    # compared with; a draft version's text changes without a new state: never kept.
    key = None
    if page.cacheable:
        previous_key = records.state_key(previous) if previous is not None else None
        key = ("results", page.state_key, previous_key)
    return {
        **page.header(),
        "result": result,
        "view": _kept_results_view(page.question_set, result),
        "comparison": comparison,
        "results_html": lambda macro: fragments.cached(key, macro),
        "sector": sector_comparison(page.session, page.assessment, result),
        # The scoring's English keys, in the page's words (as the report says them).
        "severity_words": wording.severity_words(),
        "effort_labels": wording.effort_labels(),
        "effort_tags": wording.effort_tags(),
        "horizon_labels": wording.horizon_labels(),
    }


def confirm_context(page: Page, action: str) -> dict:
    return {**page.header(), "page": page, "result": page.result(), "action": action}


# The list and downloads


@dataclass
class ListRow:
    """One assessment of the list. Its HTML is kept under ``key`` (its state, and each text
    it shows that can change without a save); what only drawing needs is read on first use,
    so a kept row costs nothing but its key."""

    session: Session
    assessment: Assessment
    newer_version: int | None
    with_organisation: bool

    @property
    def key(self) -> tuple | None:
        a = self.assessment
        if not a.question_set_version.content_hash:
            return None
        return (
            "list row",
            records.state_key(a),
            a.is_completed,
            a.title,
            a.scope,
            a.updated_at,
            a.updated_by.display_name if a.updated_by else None,
            a.organisation.name if self.with_organisation else None,
            self.newer_version,
        )

    @cached_property
    def standing(self) -> Standing:
        return records.standing_of(self.session, self.assessment)

    @property
    def question_set(self) -> str:
        version = self.assessment.question_set_version
        return _("%(title)s (version %(version)s)", title=version.title, version=version.version)

    @property
    def url(self) -> str:
        return url_for("assessments.overview", assessment_id=self.assessment.id)


def list_rows(
    session: Session, user: User, listed: list[Assessment] | None = None
) -> list[ListRow]:
    """The assessments the user may see (or ``listed``, a page of them), each with its stored
    standing: no scoring here."""
    if listed is None:
        listed = service.list_assessments(session, user)
    # One query for every row: the newest published version of each set in the list.
    latest = latest_published(session, {a.question_set_version.set_id for a in listed})
    rows = []
    for assessment in listed:
        version = assessment.question_set_version
        newest = latest.get(version.set_id, 0)
        newer = newest if newest > version.version else None
        rows.append(ListRow(session, assessment, newer, user.is_admin))
    return rows


row_html = fragments.row_drawer(lambda row: row.key)


def filename(assessment: Assessment, kind: str, extension: str) -> str:
    """A download's name from the assessment's row alone: naming a file loads nothing more."""
    return safe_filename(assessment, kind, extension)
