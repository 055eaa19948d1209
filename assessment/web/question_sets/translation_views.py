"""A version's translation, edited side by side with its base texts.

Every text of the version is a row: the base text, and the translation in a text area, marked
"missing" (none yet) or "to review" (its base text was edited after it was translated, in a
draft copied from a translated version). Writing a text, or ticking "still correct", reviews
it against the base text as it is now. Pages and reports use a translation only when no text
is missing or to review (``services.set_translations.usable_translation``).
"""

from __future__ import annotations

from babel import Locale
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from assessment.db import get_session
from assessment.i18n import LANGUAGES, format_locale, languages_besides
from assessment.limits import MAX_TEXT
from assessment.services import set_translations

from . import wording
from .blueprint import bp
from .views import version_or_404


@bp.route("/<int:version_id>/translations/<language>", methods=["GET", "POST"])
def translation(version_id: int, language: str):
    """One page of the translation (``?group=``: the set's own texts, a section with its
    questions, or one kind of catalogue entry); the first page by default."""
    version = version_or_404(version_id)
    if language not in LANGUAGES or version.status == "retired":
        abort(404)
    session = get_session()
    editing = set_translations.editing(session, version, language)
    if language == editing.base_language:
        abort(404)
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
        return redirect(
            url_for(
                "question_sets.translation",
                version_id=version.id,
                language=language,
                group=group or None,
            )
        )
    return _page(editing, group)


def _numbered(form, prefix: str):
    for name, value in form.items():
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            yield name[len(prefix) :], value


def _page(editing: set_translations.Editing, group: str, typed: dict[str, str] | None = None):
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
    )
