"""Editor pages for sets and versions: list, new draft, overview, metadata, sections,
catalogue entries, publish, retire, delete, import and export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from assessment.db import get_session
from assessment.i18n import LANGUAGES, languages_besides
from assessment.models import QuestionSetVersion
from assessment.questionset import QUESTION_TYPES, QuestionSetInvalid
from assessment.questionset import editing as edit
from assessment.services import drafts, publishing, question_sets, set_translations

from ..common.downloads import download
from ..common.phrases import problem_line, say
from ..common.security import bounded_int
from ..question_types.editor_rows import EXTRA_ROWS, BadNumber, field_number
from . import wording
from .blueprint import bp
from .forms import ENTRY_FORMS, ENTRY_NAMES, ImportForm, MetadataForm, NewSetForm, SectionForm
from .question_form import attach_problems, clean_text
from .support import (
    condition_choices,
    problems_by_object,
    show_if_data,
)


def version_or_404(version_id: int) -> QuestionSetVersion:
    try:
        return question_sets.get_version(get_session(), version_id)
    except question_sets.NotFound:
        abort(404)


def draft_or_404(version_id: int) -> QuestionSetVersion:
    version = version_or_404(version_id)
    if not version.is_draft:
        abort(404)
    return version


def overview_url(version: QuestionSetVersion, anchor: str = "") -> str:
    return url_for("question_sets.overview", version_id=version.id) + (
        f"#{anchor}" if anchor else ""
    )


def save(
    draft: QuestionSetVersion, change, what: str, form, anchor: str = "", rows=None, *, done: str
):
    """Apply an edit; on success say ``done`` and go back to the overview, else return the
    problems (in the page's language). ``what`` goes in the audit log, which is stored, so in
    English whatever the page's language; ``done`` is the sentence the administrator reads."""
    try:
        drafts.apply_edit(get_session(), current_user, draft, change, what=what)
    except drafts.EditRefused as refused:
        general = [say(message) for message in refused.general]
        general += attach_problems(form, refused.by_field, rows or {})
        return general
    except edit.NotInDraft:
        abort(404)
    flash(done, "success")
    return redirect(overview_url(draft, anchor))


@bp.get("/")
def index():
    session = get_session()
    sets = drafts.versions_by_set(session)
    ids = [version.id for versions in sets.values() for version, _used in versions]
    return render_template(
        "question_sets/index.html",
        sets=sets,
        translations=set_translations.languages_of(session, ids),
        language_names=LANGUAGES,
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewSetForm()
    if form.validate_on_submit():
        try:
            draft = drafts.new_draft(
                get_session(), current_user, form.set_id.data.strip(), form.title.data.strip()
            )
        except drafts.DraftError as exc:
            form.set_id.errors.append(str(exc))
        else:
            flash(
                _("Draft created: add sections, questions and mitigations, then publish."),
                "success",
            )
            return redirect(overview_url(draft))
    return render_template("question_sets/new.html", form=form)


@bp.post("/<int:version_id>/copy")
def copy(version_id: int):
    source = version_or_404(version_id)
    try:
        draft = drafts.copy_to_draft(get_session(), current_user, source)
    except drafts.DraftError as exc:
        flash(str(exc), "error")
        return redirect(url_for("question_sets.index"))
    flash(
        _(
            "Draft of version %(version)d created from version %(source)d.",
            version=draft.version,
            source=source.version,
        ),
        "success",
    )
    return redirect(overview_url(draft))


@bp.get("/<int:version_id>")
def overview(version_id: int):
    version = version_or_404(version_id)
    data, problems = drafts.content_of(version)
    return render_template(
        "question_sets/overview.html",
        version=version,
        data=data,
        problems=problems,
        by_object=problems_by_object(problems),
        catalogues=wording.catalogue_words(data),
        # Every type, in the registry's order, by its name in the current language.
        question_types={name: wording.type_label(name) for name in QUESTION_TYPES},
        type_labels=wording.TYPE_LABELS,
        severity_labels=wording.SEVERITY_LABELS,
        effort_labels=wording.EFFORT_LABELS,
        horizon_labels=wording.HORIZON_LABELS,
        new_question_name=wording.new_question_heading,
        either=wording.either,
        translated=dict(set_translations.languages_of(get_session(), [version.id])[version.id]),
        translatable=languages_besides(data.get("language")),
    )


@bp.route("/<int:version_id>/metadata", methods=["GET", "POST"])
def metadata(version_id: int):
    draft = draft_or_404(version_id)
    data = drafts.data_of(draft)
    form = MetadataForm(data=data if request.method == "GET" else None)
    general: list[str] = []
    if form.validate_on_submit():
        outcome = save(
            draft,
            edit.set_metadata(
                clean_text(form.title.data),
                clean_text(form.description.data),
                form.language.data.strip(),
            ),
            "the set's title and description",
            form,
            done=_("Saved: the set's title and description."),
        )
        if isinstance(outcome, Response):
            return outcome
        general = outcome
    return render_template(
        "question_sets/simple_form.html",
        version=draft,
        form=form,
        general=general,
        heading=_("Title, description and language"),
    ), 422 if request.method == "POST" else 200


@bp.route("/<int:version_id>/sections/new", methods=["GET", "POST"], defaults={"section_id": None})
@bp.route("/<int:version_id>/sections/<section_id>/edit", methods=["GET", "POST"])
def section(version_id: int, section_id: str | None):
    draft = draft_or_404(version_id)
    data = drafts.data_of(draft)
    existing = None
    if section_id is not None:
        existing = next((s for s in data.get("sections") or [] if s.get("id") == section_id), None)
        if existing is None:
            abort(404)
    form = SectionForm()
    form.show_if_question.choices = condition_choices(data, before_section=section_id)
    if request.method == "GET" and existing:
        form.process(
            data={
                **existing,
                "weight": f"{existing.get('weight', 1):g}",
                "show_if_question": (existing.get("show_if") or {}).get("question"),
                "show_if_in": ", ".join((existing.get("show_if") or {}).get("in", [])),
            }
        )
    general: list[str] = []
    if form.validate_on_submit():
        try:
            weight = field_number(form.weight)
        except BadNumber:
            weight = None
        else:
            entry = {"id": form.id.data.strip(), "title": clean_text(form.title.data)}
            if clean_text(form.description.data):
                entry["description"] = clean_text(form.description.data)
            if weight is not None and weight != 1:
                entry["weight"] = weight
            entry |= show_if_data(form)
            outcome = save(
                draft,
                edit.put_section(entry, section_id),
                f"section '{section_id or entry['id']}'",
                form,
                f"section-{section_id or entry['id']}",
                done=_("Saved: section '%(id)s'.", id=section_id or entry["id"]),
            )
            if isinstance(outcome, Response):
                return outcome
            general = outcome
    return render_template(
        "question_sets/simple_form.html",
        version=draft,
        form=form,
        general=general,
        fixed_id=section_id,
        heading=_("Section '%(id)s'", id=section_id) if section_id else _("New section"),
    ), 422 if request.method == "POST" else 200


@bp.post("/<int:version_id>/sections/<section_id>/move/<int(signed=True):offset>")
def move_section(version_id: int, section_id: str, offset: int):
    draft = draft_or_404(version_id)
    outcome = save(
        draft,
        edit.move_section(section_id, offset),
        f"section '{section_id}' moved",
        None,
        f"section-{section_id}",
        done=_("Saved: section '%(id)s' moved.", id=section_id),
    )
    return after_list_change(draft, outcome)


def after_list_change(draft: QuestionSetVersion, outcome):
    """Moves and deletions have no form: their problems become a flash message."""
    if isinstance(outcome, Response):
        return outcome
    # Each problem is escaped Markup (common.phrases.say): joined and put in as Markup.
    flash(escape(_("Not changed: %(problems)s")) % {"problems": Markup(" ").join(outcome)}, "error")
    return redirect(overview_url(draft))


@bp.route("/<int:version_id>/sections/<section_id>/delete", methods=["GET", "POST"])
def delete_section(version_id: int, section_id: str):
    draft = draft_or_404(version_id)
    if request.method == "POST":
        return after_list_change(
            draft,
            save(
                draft,
                edit.remove_section(section_id),
                f"section '{section_id}' deleted",
                None,
                done=_("Saved: section '%(id)s' deleted.", id=section_id),
            ),
        )
    return render_template(
        "admin/confirm.html",
        action_url=request.path,
        title=_("Delete section '%(id)s' and its questions?", id=section_id),
        explanation=_(
            "The section and every question in it are removed from this draft. Published "
            "versions and the answers given to them are not affected."
        ),
        button=_("Delete"),
        danger=True,
        back=overview_url(draft),
    )


@bp.route(
    "/<int:version_id>/<any(mitigations, threats, references, frameworks):kind>/new",
    methods=["GET", "POST"],
    defaults={"entry_id": None},
)
@bp.route(
    "/<int:version_id>/<any(mitigations, threats, references, frameworks):kind>/<entry_id>/edit",
    methods=["GET", "POST"],
)
def entry(version_id: int, kind: str, entry_id: str | None):
    draft = draft_or_404(version_id)
    data = drafts.data_of(draft)
    form = ENTRY_FORMS[kind]()
    if request.method == "GET" and entry_id is not None:
        try:
            form.process(data=edit.find_entry(data, kind, entry_id))
        except edit.NotInDraft:
            abort(404)
    if kind == "threats":
        while len(form.incidents.entries) < EXTRA_ROWS + (1 if entry_id else 0):
            form.incidents.append_entry()
    general: list[str] = []
    if form.validate_on_submit():
        try:
            entry_data = _entry_data(kind, form)
        except BadNumber:
            entry_data = None
        if entry_data is not None:
            saved_id = entry_id or entry_data["id"]
            outcome = save(
                draft,
                edit.put_entry(kind, entry_data, entry_id),
                f"{ENTRY_NAMES[kind]} '{saved_id}'",
                form,
                f"{kind}",
                done=wording.entry_saved(kind, saved_id),
            )
            if isinstance(outcome, Response):
                return outcome
            general = outcome
    return render_template(
        "question_sets/simple_form.html",
        version=draft,
        form=form,
        general=general,
        fixed_id=entry_id,
        heading=wording.entry_heading(kind, entry_id),
    ), 422 if request.method == "POST" else 200


def _entry_data(kind: str, form) -> dict:
    skip = {"csrf_token", "incidents"}
    entry = {
        name: clean_text(field.data) if isinstance(field.data, str) else field.data
        for name, field in form._fields.items()
        if name not in skip and field.data
    }
    if kind == "threats":
        entry["incidents"] = []
        for row in form.incidents.entries:
            if not (row.form.title.data or "").strip():
                continue
            incident = {
                "year": field_number(row.form.year, whole=True),
                "title": row.form.title.data.strip(),
            }
            until = field_number(row.form.until, whole=True)
            if until is not None:
                incident["until"] = until
            entry["incidents"].append(incident)
        if not entry["incidents"]:
            entry.pop("incidents")
    return entry


@bp.route(
    "/<int:version_id>/<any(mitigations, threats, references, frameworks):kind>/<entry_id>/delete",
    methods=["GET", "POST"],
)
def delete_entry(version_id: int, kind: str, entry_id: str):
    draft = draft_or_404(version_id)
    if request.method == "POST":
        return after_list_change(
            draft,
            save(
                draft,
                edit.remove_entry(kind, entry_id),
                f"{ENTRY_NAMES[kind]} '{entry_id}' deleted",
                None,
                kind,
                done=wording.entry_deleted(kind, entry_id),
            ),
        )
    return render_template(
        "admin/confirm.html",
        action_url=request.path,
        title=wording.entry_delete_question(kind, entry_id),
        explanation=_(
            "It is removed from this draft. A question that still refers to it keeps the "
            "draft from saving this change."
        ),
        button=_("Delete"),
        danger=True,
        back=overview_url(draft, kind),
    )


@bp.route("/<int:version_id>/publish", methods=["GET", "POST"])
def publish(version_id: int):
    """GET lists what the draft changes against the previous published version (or its
    problems); POST publishes the revision that list was made from."""
    draft = draft_or_404(version_id)
    problems = drafts.problems_of(draft)
    if request.method == "POST" and not problems:
        try:
            drafts.publish(
                get_session(),
                current_user,
                draft,
                request.form.get("revision", type=bounded_int),
            )
        except QuestionSetInvalid:  # pragma: no cover - problems_of said it was valid
            abort(409)
        except drafts.DraftError as exc:
            flash(str(exc), "error")
            return redirect(url_for("question_sets.publish", version_id=draft.id))
        flash(
            _(
                "Version %(version)d of '%(set_id)s' is published: officers can choose it for "
                "new assessments.",
                version=draft.version,
                set_id=draft.set_id,
            ),
            "success",
        )
        return redirect(overview_url(draft))
    preview = None if problems else publishing.preview(get_session(), draft)
    return render_template(
        "question_sets/publish.html", version=draft, problems=problems, preview=preview
    ), 422 if request.method == "POST" else 200


@bp.route("/<int:version_id>/<any(retire, reinstate):action>", methods=["GET", "POST"])
def retire(version_id: int, action: str):
    version = version_or_404(version_id)
    if version.is_draft:
        abort(404)
    retiring = action == "retire"
    if request.method == "POST":
        drafts.set_retired(get_session(), current_user, version, retiring)
        if retiring:
            flash(_("Version %(version)d is retired.", version=version.version), "success")
        else:
            flash(_("Version %(version)d is published.", version=version.version), "success")
        return redirect(url_for("question_sets.index"))
    names = {"version": version.version, "set_id": version.set_id}
    return render_template(
        "admin/confirm.html",
        action_url=request.path,
        title=_("Retire version %(version)d of '%(set_id)s'?", **names)
        if retiring
        else _("Reinstate version %(version)d of '%(set_id)s'?", **names),
        explanation=_(
            "Retired versions are not offered for new assessments; the assessments that use "
            "it are not changed."
        )
        if retiring
        else _("It will be offered for new assessments again."),
        button=_("Retire") if retiring else _("Reinstate"),
        danger=False,
        back=url_for("question_sets.index"),
    )


@bp.route("/<int:version_id>/delete", methods=["GET", "POST"])
def delete(version_id: int):
    draft = draft_or_404(version_id)
    if request.method == "POST":
        drafts.delete_draft(get_session(), current_user, draft)
        flash(_("Draft deleted."), "success")
        return redirect(url_for("question_sets.index"))
    return render_template(
        "admin/confirm.html",
        action_url=request.path,
        title=_(
            "Delete the draft of '%(set_id)s' version %(version)d?",
            set_id=draft.set_id,
            version=draft.version,
        ),
        explanation=_(
            "Every change made in this draft is lost. Published versions are not affected."
        ),
        button=_("Delete the draft"),
        danger=True,
        back=overview_url(draft),
    )


@bp.get("/<int:version_id>/export.yaml")
def export(version_id: int):
    version = version_or_404(version_id)
    name = f"{version.set_id}-v{version.version}{'-draft' if version.is_draft else ''}.yaml"
    return download(drafts.export_text(version), name, "application/yaml")


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        filename = (upload.filename or "upload.yaml").rsplit("/", 1)[-1][:100]
        try:
            version = drafts.import_file(
                get_session(),
                current_user,
                upload.read(),
                filename,
                as_draft=form.mode.data == "draft",
            )
        except QuestionSetInvalid as exc:
            problems = [problem_line(p) for p in exc.problems]
        except (drafts.DraftError, ValueError) as exc:
            problems = [str(exc)]
        else:
            names = {"set_id": version.set_id, "version": version.version}
            if version.is_draft:
                done = _("Imported '%(set_id)s' version %(version)d as a draft.", **names)
            else:
                done = _(
                    "Imported '%(set_id)s' version %(version)d as a published version.", **names
                )
            flash(done, "success")
            return redirect(overview_url(version))
    return render_template(
        "question_sets/import.html", form=form, problems=problems
    ), 422 if problems else 200
