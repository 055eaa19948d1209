"""Editor pages for questions, and the preview of a draft as officers will see it."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from assessment.db import get_session
from assessment.questionset import QUESTION_TYPES, QuestionSetInvalid, load_question_set
from assessment.questionset import editing as edit
from assessment.questionset.document import QuestionSet
from assessment.report.document import render_report_html, sample_meta
from assessment.scoring import score
from assessment.scoring.samples import sample_answers
from assessment.services import drafts, reports

from ..assessments.pages import QuestionState
from ..common import throttle
from ..common.downloads import download
from ..question_types import ADAPTERS
from ..question_types.editor_rows import BadNumber
from . import wording
from .blueprint import bp
from .forms import SampleReportForm
from .question_form import (
    QuestionForm,
    fill_question_form,
    question_form_for,
    question_from_form,
)
from .support import condition_choices
from .views import after_list_change, draft_or_404, save, version_or_404


def _fill_catalogue_choices(form: QuestionForm, data: dict, question_id: str | None) -> None:
    form.mitigations.choices = [
        SelectChoice(m["id"], f"{m['id']}: {m.get('title', '')}")
        for m in data.get("mitigations") or []
        if m.get("id")
    ]
    form.threats.choices = [
        SelectChoice(t["id"], t.get("title", t["id"]))
        for t in data.get("threats") or []
        if t.get("id")
    ]
    form.references.choices = [
        SelectChoice(r["id"], f"{r['id']} {r.get('title', '')}")
        for r in data.get("references") or []
        if r.get("id")
    ]
    if "scale" in form:
        form.scale.choices = [SelectChoice("", _("(its own choices below)"))] + [
            SelectChoice(name, name) for name in (data.get("scales") or {})
        ]
    form.show_if_question.choices = (
        condition_choices(data, before_question=question_id)
        if question_id
        else condition_choices(data)
    )


@bp.route(
    "/<int:version_id>/sections/<section_id>/questions/new/<type_name>",
    methods=["GET", "POST"],
    defaults={"question_id": None},
)
@bp.route(
    "/<int:version_id>/questions/<question_id>/edit",
    methods=["GET", "POST"],
    defaults={"section_id": None, "type_name": None},
)
def question(
    version_id: int, section_id: str | None, type_name: str | None, question_id: str | None
):
    draft = draft_or_404(version_id)
    data = drafts.data_of(draft)
    existing = None
    if question_id is not None:
        try:
            section, existing = edit.find_question(data, question_id)
        except edit.NotInDraft:
            abort(404)
        section_id, type_name = section["id"], existing.get("type")
    if type_name not in QUESTION_TYPES or not any(
        s.get("id") == section_id for s in data.get("sections") or []
    ):
        abort(404)
    form = question_form_for(type_name)
    _fill_catalogue_choices(form, data, question_id)
    if request.method == "GET":
        fill_question_form(
            form,
            existing
            or {"id": "", "type": type_name, "text": "", **QUESTION_TYPES[type_name].starter()},
        )
    general: list[str] = []
    if form.validate_on_submit():
        try:
            question_data, rows = question_from_form(form, type_name)
        except BadNumber:
            question_data = rows = None
        if question_data is not None:
            saved_id = question_id or question_data["id"]
            outcome = save(
                draft,
                edit.put_question(section_id, question_data, question_id),
                f"question '{saved_id}'",
                form,
                f"question-{saved_id}",
                rows,
                done=_("Saved: question '%(id)s'.", id=saved_id),
            )
            if isinstance(outcome, Response):
                return outcome
            general = outcome
    return render_template(
        "question_sets/question_form.html",
        version=draft,
        form=form,
        general=general,
        question_id=question_id,
        section_id=section_id,
        type_name=type_name,
        type_label=wording.type_label(type_name),
        heading=_("Question '%(id)s'", id=question_id)
        if question_id
        else wording.new_question_heading(type_name, section_id),
        row_words=wording.editor_row_words(),
        fields=ADAPTERS[type_name].editor_fields,
    ), 422 if request.method == "POST" else 200


@bp.post("/<int:version_id>/questions/<question_id>/move/<int(signed=True):offset>")
def move_question(version_id: int, question_id: str, offset: int):
    draft = draft_or_404(version_id)
    return after_list_change(
        draft,
        save(
            draft,
            edit.move_question(question_id, offset),
            f"question '{question_id}' moved",
            None,
            f"question-{question_id}",
            done=_("Saved: question '%(id)s' moved.", id=question_id),
        ),
    )


@bp.route("/<int:version_id>/questions/<question_id>/delete", methods=["GET", "POST"])
def delete_question(version_id: int, question_id: str):
    draft = draft_or_404(version_id)
    if request.method == "POST":
        return after_list_change(
            draft,
            save(
                draft,
                edit.remove_question(question_id),
                f"question '{question_id}' deleted",
                None,
                done=_("Saved: question '%(id)s' deleted.", id=question_id),
            ),
        )
    return render_template(
        "admin/confirm.html",
        action_url=request.path,
        title=_("Delete question '%(id)s'?", id=question_id),
        explanation=_(
            "It is removed from this draft. Answers given to published versions are kept; if "
            "a later version drops the question, an assessment moved to it keeps the old "
            "answer in its history."
        ),
        button=_("Delete"),
        danger=True,
        back=url_for("question_sets.overview", version_id=draft.id),
    )


def _valid_set(version) -> QuestionSet | None:
    try:
        return load_question_set(version.source_yaml, f"{version.set_id} v{version.version}")
    except QuestionSetInvalid:
        return None


@bp.get("/<int:version_id>/preview", defaults={"section_id": None})
@bp.get("/<int:version_id>/preview/<section_id>")
def preview(version_id: int, section_id: str | None):
    """The section pages as an officer sees them (same widgets), read-only."""
    version = version_or_404(version_id)
    question_set = _valid_set(version)
    if question_set is None:
        return render_template(
            "question_sets/preview.html",
            version=version,
            question_set=None,
            problems=drafts.problems_of(version),
        ), 422
    section = next(
        (s for s in question_set.sections if s.id == section_id), question_set.sections[0]
    )
    items = [{"q": q, "state": QuestionState()} for q in section.questions]
    return render_template(
        "question_sets/preview.html",
        version=version,
        question_set=question_set,
        section=section,
        items=items,
        either=wording.either,
    )


@bp.get("/<int:version_id>/sample-report")
@throttle.report_limit
def sample_report(version_id: int):
    """A report from a chosen answer pattern: HTML in the browser, or the PDF (counted in the
    administrator's report budget, like an officer's reports)."""
    version = version_or_404(version_id)
    question_set = _valid_set(version)
    form = SampleReportForm(request.args, meta={"csrf": False})
    if question_set is None or not form.validate():
        abort(404)
    result = score(question_set, sample_answers(question_set, form.pattern.data))
    meta = sample_meta(question_set, form.pattern.data)
    if request.args.get("format") == "pdf":
        report = reports.request_sample_report(
            get_session(),
            current_user,
            version,
            question_set,
            result,
            meta,
            f"{version.set_id}-v{version.version}-sample.pdf",
            current_app.extensions["jobs"].enqueue_report,
        )
        return _sample_or_status(version, report)
    html = render_report_html(question_set, result, meta)
    response = Response(html, mimetype="text/html")
    # The report carries its own <style>; it has no script and loads nothing.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return response


def _sample_or_status(version, report):
    if report.is_ready:
        return download(reports.pdf_of(get_session(), report), report.filename, "application/pdf")
    return redirect(
        url_for("question_sets.sample_status", version_id=version.id, report_id=report.id), 303
    )


@bp.get("/<int:version_id>/sample-reports/<int:report_id>")
def sample_status(version_id: int, report_id: int):
    """Where a sample report stands; the page refreshes itself until it is made."""
    version = version_or_404(version_id)
    try:
        report = reports.get_report(get_session(), current_user, report_id)
    except reports.NotFound:
        abort(404)
    if report.question_set_version_id != version.id:
        abort(404)
    if report.is_ready and request.args.get("download"):
        return _sample_or_status(version, report)
    return render_template(
        "question_sets/sample_report.html",
        version=version,
        report=report,
        waiting=reports.queue_position(get_session(), report),
    )
