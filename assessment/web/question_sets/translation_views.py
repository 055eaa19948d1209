"""A version's translation, edited side by side with its base texts.

Every text of the version is a row: the base text, and the translation in a text area, marked
"missing" (none yet) or "to review" (its base text was edited after it was translated, in a
draft copied from a translated version). Writing a text, or ticking "still correct", reviews
it against the base text as it is now. Pages and reports use a translation only when no text
is missing or to review (``services.set_translations.usable_translation``).

A whole translation file (one a translator returned) can replace the translation from the same
page: it is checked as ``port-assess questionnaire import`` checks the files beside a set, and
stored only when complete.
"""

from __future__ import annotations

from babel import Locale
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from assessment.db import get_session
from assessment.i18n import LANGUAGES, format_locale, languages_besides
from assessment.limits import MAX_TEXT
from assessment.questionset.translations import TranslationIncomplete
from assessment.questionset.yaml_io import MAX_BYTES
from assessment.services import set_translations

from ..common.downloads import download
from ..common.phrases import problem_line
from . import wording
from .blueprint import bp
from .views import version_or_404


class UploadForm(FlaskForm):
    # The limit is the reader's (questionset.yaml_io), as for a question-set import; a request
    # larger than MAX_UPLOAD_MB is refused (413) before any of it is read.
    file = FileField(
        _l("Translation file (YAML, at most %(mb)d MB)", mb=MAX_BYTES // (1024 * 1024)),
        validators=[FileRequired()],
        render_kw={"accept": ".yaml,.yml,application/yaml,text/yaml"},
    )


def _editable(version_id: int, language: str) -> set_translations.Editing:
    """The translation of a version that can have one (not retired) into a language of the
    interface other than the version's own, or 404."""
    version = version_or_404(version_id)
    if language not in LANGUAGES or version.status == "retired":
        abort(404)
    editing = set_translations.editing(get_session(), version, language)
    if language == editing.base_language:
        abort(404)
    return editing


@bp.route("/<int:version_id>/translations/<language>", methods=["GET", "POST"])
def translation(version_id: int, language: str):
    """One page of the translation (``?group=``: the set's own texts, a section with its
    questions, or one kind of catalogue entry); the first page by default."""
    editing = _editable(version_id, language)
    version = editing.version
    session = get_session()
    group = request.args.get("group", "")
    if request.method == "POST":
        texts = {
            request.form.get(f"k-{n}", ""): value[:MAX_TEXT]
            for n, value in _numbered(request.form, "t-")
        }
        still_correct = {request.form.get(f"k-{n}", "") for n, _v in _numbered(request.form, "r-")}
        revision = request.form.get("revision", "")
        try:
            changed = set_translations.save_texts(
                session,
                current_user,
                version,
                language,
                texts,
                still_correct,
                int(revision) if revision.isdigit() else None,
                confirmed=bool(request.form.get("confirmed")),
            )
        except set_translations.TranslationConflict:
            flash(
                _(
                    "Someone else saved this translation while you were editing it; nothing "
                    "was saved. Your texts are below: copy what you need, then reload."
                ),
                "error",
            )
            return _page(set_translations.editing(session, version, language), group, texts), 409
        flash(ngettext("%(num)d text saved.", "%(num)d texts saved.", changed), "success")
        return _back_to(version.id, language, group)
    return _page(editing, group)


@bp.get("/<int:version_id>/translations/<language>/file")
def translation_download(version_id: int, language: str):
    """The translation as a YAML file to give a translator, who sends it back to upload."""
    version = _editable(version_id, language).version
    text = set_translations.translation_file(get_session(), version, language)
    name = f"{version.set_id}-v{version.version}.{language}.yaml"
    return download(text, name, "application/yaml")


@bp.post("/<int:version_id>/translations/<language>/upload")
def translation_upload(version_id: int, language: str):
    """Replace the translation with a whole file. Refused (422, nothing stored) with every
    problem at its file:line, as the import page lists them; an incomplete file is refused as
    the CLI refuses it, since pages and reports use only a complete translation."""
    editing = _editable(version_id, language)
    version = editing.version
    group = request.args.get("group", "")
    if group and group not in editing.groups():
        abort(404)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(editing, group, upload=form), 422
    upload = form.file.data
    filename = _filename(upload.filename)
    session = get_session()
    try:
        row, changed = set_translations.store_translation(
            session, version, upload.read(), filename, current_user, language=language
        )
    except TranslationIncomplete as exc:
        problems = [problem_line(p) for p in exc.translation.problems]
        return _page(editing, group, upload=form, problems=problems), 422
    if changed:
        after = set_translations.editing(session, version, language)
        flash(_uploaded(row, filename, after), "success")
    else:
        flash(
            _(
                "%(file)s holds this translation exactly as it is stored: nothing changed.",
                file=filename,
            ),
            "info",
        )
    return _back_to(version.id, language, group)


def _back_to(version_id: int, language: str, group: str):
    """After a save or an upload, the same page of the translation again (a GET: reloadable)."""
    url = url_for(
        "question_sets.translation", version_id=version_id, language=language, group=group or None
    )
    return redirect(url)


def _filename(given: str | None) -> str:
    """The uploaded file's own name, for messages and the audit log (never a path)."""
    name = (given or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:100]
    return name or "upload.yaml"


def _uploaded(row, filename: str, after: set_translations.Editing) -> str:
    """What a stored file did, in one message: the texts it gave (a stored file is complete:
    one per text of the version), what is still missing or to review, and whether it is
    marked machine-drafted."""
    said = [
        ngettext(
            "%(file)s stored: %(num)d text.",
            "%(file)s stored: %(num)d texts.",
            len(after.rows),
            file=filename,
        )
    ]
    missing, review = after.count("missing"), after.count("review")
    if missing or review:
        said.append(ngettext("%(num)d text missing.", "%(num)d texts missing.", missing))
        said.append(ngettext("%(num)d text to review.", "%(num)d texts to review.", review))
    else:
        said.append(_("No text is missing or to review."))
    if row.machine_drafted:
        said.append(
            _(
                "The file marks it as machine-drafted: once a person has checked it, confirm it "
                "below."
            )
        )
    return " ".join(said)


def _numbered(form, prefix: str):
    for name, value in form.items():
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            yield name[len(prefix) :], value


def _page(
    editing: set_translations.Editing,
    group: str,
    typed: dict[str, str] | None = None,
    *,
    upload: UploadForm | None = None,
    problems: list[str] | None = None,
):
    groups = editing.groups()
    if group not in groups:
        if group:
            abort(404)
        group = groups[0] if groups else ""
    return render_template(
        "question_sets/translation.html",
        version=editing.version,
        editing=editing,
        language=editing.language,
        # The language as the page's language names it ("néerlandais" on a French page).
        language_name=Locale.parse(format_locale()).languages.get(
            editing.language, LANGUAGES[editing.language]
        ),
        base_language=editing.base_language,
        languages=languages_besides(editing.base_language),
        typed=typed or {},
        text_label=wording.text_label,
        group=group,
        groups=groups,
        group_label=wording.group_labeller(editing),
        rows=[row for row in editing.rows if row.group == group],
        limit=MAX_TEXT,
        upload_form=upload or UploadForm(formdata=None),
        upload_problems=problems or [],
    )
