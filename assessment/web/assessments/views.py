"""The officer's assessments: list, start, answer section by section, review, complete, results
and downloads. Thin views: read the request, call a service or build a page, answer.

Every route loads its assessment through ``services.assessments.get_assessment``, which filters
by the user's organisation: another organisation's id is a 404, for reads and writes alike.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assessment import i18n
from assessment.db import get_session
from assessment.i18n import LANGUAGES
from assessment.report import exports
from assessment.services import assessments as service
from assessment.services import moves, records, reports

from ..common import throttle
from ..common.downloads import download
from ..common.pagination import paginate
from ..common.security import bounded_int, is_safe_next
from . import pages
from .blueprint import bp
from .forms import AssessmentLanguageForm, StartAssessmentForm


def _load(assessment_id: int):
    """The assessment, if the user may see it; its pages appear in its language."""
    try:
        assessment = service.get_assessment(get_session(), current_user, assessment_id)
    except service.NotFound:
        abort(404)
    i18n.use_page_language(assessment.language)
    return assessment


def _page(assessment_id: int) -> pages.Page:
    return pages.Page.load(get_session(), _load(assessment_id))


def _editable(assessment) -> None:
    if current_user.is_admin and assessment.organisation_id != current_user.organisation_id:
        abort(403)  # administrators read every organisation's assessments; officers answer


@bp.get("/")
def index():
    """Most recently changed first, a page at a time (an administrator sees every
    organisation's: thousands at scale)."""
    db = get_session()
    pagination = paginate(service.count_assessments(db, current_user))
    listed = service.page_of_assessments(db, current_user, pagination.offset, pagination.per_page)
    return render_template(
        "assessments/index.html",
        rows=pages.list_rows(db, current_user, listed),
        row_html=pages.row_html,
        pagination=pagination,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    if current_user.organisation_id is None:
        flash(_("Only officers of an organisation start assessments."), "info")
        return redirect(url_for("assessments.index"))
    db = get_session()
    form = StartAssessmentForm()
    form.fill_choices(service.published_versions(db), service.previous_candidates(db, current_user))
    if request.method == "GET":
        form.preselect(request.args.get("from", type=bounded_int))
    if form.validate_on_submit():
        try:
            created = service.start_assessment(
                db,
                current_user,
                form.title.data,
                form.scope.data or "",
                form.question_set_version_id.data,
                form.previous_id.data or None,
                language=form.language.data,
            )
        except service.AssessmentError as exc:
            form.title.errors.append(str(exc))
        except service.NotFound:
            abort(404)
        else:
            flash(_("Assessment '%(title)s' started.", title=created.title), "success")
            return redirect(url_for("assessments.overview", assessment_id=created.id))
    return render_template(
        "assessments/new.html", form=form, no_versions=not form.question_set_version_id.choices
    )


@bp.post("/<int:assessment_id>/language")
def change_language(assessment_id: int):
    """Show the assessment (pages, report, downloads) in another language from now on."""
    assessment = _load(assessment_id)
    _editable(assessment)
    form = AssessmentLanguageForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the languages in the list."), "error")
    else:
        service.set_language(get_session(), current_user, assessment, form.language.data)
        i18n.use_page_language(form.language.data)
        flash(
            _(
                "This assessment now appears in %(language)s.",
                language=LANGUAGES[form.language.data],
            ),
            "success",
        )
    target = request.form.get("next", "")
    return redirect(
        target
        if is_safe_next(target)
        else url_for("assessments.overview", assessment_id=assessment_id)
    )


@bp.get("/<int:assessment_id>")
def overview(assessment_id: int):
    page = _page(assessment_id)
    if page.assessment.is_completed:  # nothing left to answer: what it found
        return redirect(url_for("assessments.results", assessment_id=assessment_id))
    target = page.next_section_to_answer()
    if target is None:
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    return redirect(url_for("assessments.section", assessment_id=assessment_id, section_id=target))


@bp.route("/<int:assessment_id>/sections/<section_id>", methods=["GET", "POST"])
def section(assessment_id: int, section_id: str):
    page = _page(assessment_id)
    if not page.has_section(section_id):
        abort(404)
    if request.method == "GET":
        return render_template(
            "assessments/section.html", **pages.section_context(page, section_id)
        )
    _editable(page.assessment)
    outcome = pages.save_section(page, current_user, section_id, request.form)
    if outcome.refused:
        if not (outcome.problems or outcome.conflicts):
            flash(outcome.message, "error")
        return render_template("assessments/section.html", **outcome.context), 422
    flash(outcome.message, "success")
    target = page.next_section_after(section_id) if "continue" in request.form else section_id
    if target is None:
        return redirect(url_for("assessments.review", assessment_id=assessment_id))
    return redirect(url_for("assessments.section", assessment_id=assessment_id, section_id=target))


@bp.post("/<int:assessment_id>/sections/<section_id>/autosave")
def autosave(assessment_id: int, section_id: str):
    """Background save of the questions a script sends; JSON in the page's own words."""
    page = _page(assessment_id)
    _editable(page.assessment)
    if not page.has_section(section_id):
        abort(404)
    outcome = pages.save_section(page, current_user, section_id, request.form)
    status = 409 if outcome.conflicts else (422 if outcome.refused else 200)
    return jsonify(outcome.as_json()), status


@bp.get("/<int:assessment_id>/review")
def review(assessment_id: int):
    context = pages.review_context(_page(assessment_id), request.args.get("show", "all"))
    return render_template("assessments/review.html", **context)


LIFECYCLE = {
    # action: (service call, success message, where to go next)
    "complete": (
        service.complete,
        _l("The assessment is completed and now read-only."),
        "assessments.results",
    ),
    "reopen": (
        service.reopen,
        _l("The assessment is reopened; answers can be changed again."),
        "assessments.review",
    ),
}


def _lifecycle(assessment_id: int, action: str):
    """GET asks for confirmation; POST completes or reopens."""
    assessment = _load(assessment_id)
    if action == "complete":
        _editable(assessment)  # administrators may reopen, but only officers complete
    if request.method == "POST":
        change, message, target = LIFECYCLE[action]
        try:
            change(get_session(), current_user, assessment)
        except service.AssessmentError as exc:
            flash(str(exc), "error")
        else:
            flash(str(message), "success")  # the session stores text, not a lazy string
            if action == "complete":  # its report is made in advance, for when it is asked
                request_current_report(_load(assessment_id))
        return redirect(url_for(target, assessment_id=assessment_id))
    page = pages.Page.load(get_session(), assessment)
    return render_template("assessments/confirm.html", **pages.confirm_context(page, action))


@bp.route("/<int:assessment_id>/complete", methods=["GET", "POST"])
def complete(assessment_id: int):
    return _lifecycle(assessment_id, "complete")


@bp.route("/<int:assessment_id>/reopen", methods=["GET", "POST"])
def reopen(assessment_id: int):
    return _lifecycle(assessment_id, "reopen")


@bp.route("/<int:assessment_id>/move", methods=["GET", "POST"])
def move(assessment_id: int):
    """Move to a newer version of the question set: a summary first, then the move."""
    assessment = _load(assessment_id)
    db = get_session()
    targets = moves.newer_versions(db, assessment)
    chosen = request.values.get("version", type=bounded_int) or (targets[0].id if targets else None)
    target = next((v for v in targets if v.id == chosen), None)
    if targets and target is None:
        abort(404)
    plan = moves.plan_move(db, assessment, target) if target else None
    if request.method == "POST" and target is not None:
        try:
            moves.move_to_version(db, current_user, assessment, target)
        except service.AssessmentError as exc:
            flash(str(exc), "error")
        else:
            counts = {
                "version": target.version,
                "carried": len(plan.carried),
                "recheck": len(plan.recheck),
                "to_answer": len(plan.new) + len(plan.refit),
            }
            if plan.recheck:
                moved = _(
                    "The assessment now uses version %(version)s: %(carried)s answers carried "
                    "over (%(recheck)s of them to re-check: their question changed), "
                    "%(to_answer)s questions to answer.",
                    **counts,
                )
            else:
                moved = _(
                    "The assessment now uses version %(version)s: %(carried)s answers carried "
                    "over, %(to_answer)s questions to answer.",
                    **counts,
                )
            flash(moved, "success")
            return redirect(url_for("assessments.overview", assessment_id=assessment_id))
    page = pages.Page.load(db, assessment)
    return render_template(
        "assessments/move.html",
        **page.header(),
        page=page,
        targets=targets,
        plan=plan,
        target=target,
        history=moves.moves_of(db, assessment),
    )


@bp.get("/<int:assessment_id>/history/<int:move_id>/report.pdf")
@throttle.report_limit
def history_report(assessment_id: int, move_id: int):
    """The report as it was on the version the assessment was moved from."""
    assessment = _load(assessment_id)
    move = moves.get_move(get_session(), assessment, move_id)
    if move is None:
        abort(404)
    report = reports.request_history_report(
        get_session(),
        current_user,
        assessment,
        move,
        current_app.config["CLASSIFICATION"],
        pages.filename(assessment, f"report-v{move.from_version.version}", "pdf"),
        enqueue_report,
    )
    return _report_or_status(assessment_id, report)


@bp.get("/<int:assessment_id>/results")
def results(assessment_id: int):
    return render_template(
        "assessments/results.html", **pages.results_context(_page(assessment_id))
    )


def _texts(assessment) -> tuple[str, str] | None:
    """The question set's texts in the page's language (the downloads follow it too)."""
    return records.texts_of(assessment.question_set_version, i18n.current_language())


@bp.get("/<int:assessment_id>/result.json")
def result_json(assessment_id: int):
    assessment = _load(assessment_id)
    result = records.result_of(get_session(), assessment, _texts(assessment))
    meta = reports.report_meta(assessment, current_app.config["CLASSIFICATION"])
    return download(
        exports.result_json(result, exports.about_assessment(meta, assessment)),
        pages.filename(assessment, "result", "json"),
        "application/json",
    )


@bp.get("/<int:assessment_id>/action-plan.csv")
def action_plan_csv(assessment_id: int):
    assessment = _load(assessment_id)
    result = records.result_of(get_session(), assessment, _texts(assessment))
    return download(
        exports.action_plan_csv(result),
        pages.filename(assessment, "action-plan", "csv"),
        "text/csv",
    )


@bp.get("/<int:assessment_id>/answers.csv")
def answers_csv(assessment_id: int):
    assessment = _load(assessment_id)
    db = get_session()
    texts = _texts(assessment)
    question_set = records.question_set_in(assessment.question_set_version, texts, db)
    return download(
        exports.answers_csv(
            question_set,
            records.result_of(db, assessment, texts),
            records.records_of(db, assessment),
        ),
        pages.filename(assessment, "answers", "csv"),
        "text/csv",
    )


@bp.get("/<int:assessment_id>/report.pdf")
@throttle.report_limit
def report_pdf(assessment_id: int):
    """The PDF weakness report of the assessment as it is now: sent at once if it is made,
    otherwise asked of a report worker (once per state) and followed on its status page."""
    assessment = _load(assessment_id)
    report = request_current_report(assessment)
    return _report_or_status(assessment_id, report)


def request_current_report(assessment):
    return reports.request_report(
        get_session(),
        current_user,
        assessment,
        current_app.config["CLASSIFICATION"],
        pages.filename(assessment, "report", "pdf"),
        enqueue_report,
        sector_min_group=current_app.config["SECTOR_MIN_GROUP"],
    )


def enqueue_report(report_id: int) -> None:
    current_app.extensions["jobs"].enqueue_report(report_id)


def _report_or_status(assessment_id: int, report):
    if report.is_ready:
        return download(reports.pdf_of(get_session(), report), report.filename, "application/pdf")
    return redirect(
        url_for("assessments.report_status", assessment_id=assessment_id, report_id=report.id),
        303,
    )


def _report_of(assessment_id: int, report_id: int):
    _load(assessment_id)
    try:
        report = reports.get_report(get_session(), current_user, report_id)
    except reports.NotFound:
        abort(404)
    if report.assessment_id != assessment_id:
        abort(404)
    return report


@bp.get("/<int:assessment_id>/reports/<int:report_id>")
def report_status(assessment_id: int, report_id: int):
    """Where a report stands; the page refreshes itself until it is made (no script needed)."""
    report = _report_of(assessment_id, report_id)
    page = _page(assessment_id)
    return render_template(
        "assessments/report.html",
        **page.header(),
        report=report,
        waiting=reports.queue_position(get_session(), report),
    )


@bp.get("/<int:assessment_id>/reports/<int:report_id>/download")
def report_download(assessment_id: int, report_id: int):
    report = _report_of(assessment_id, report_id)
    return _report_or_status(assessment_id, report)
