"""``port-assess report``: score an answers file against a question-set file, no database.

JSON gives the result object; HTML and PDF give the same report as the web download. The HTML
is self-contained (styles and charts inline): it opens offline, and WeasyPrint alone can render
it. The report is in the set's language, or the translation's with ``--language``: its words
come from that language's interface catalogue, as on the web, through a bare app of our own
(this command runs without the configured one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, has_app_context
from flask_babel import gettext as _

from assessment import i18n
from assessment.questionset import QuestionSetInvalid
from assessment.questionset.translations import (
    TranslationIncomplete,
    apply_translation,
    translations_beside,
)
from assessment.questionset.yaml_io import load_yaml
from assessment.report.document import ReportMeta, render_report_html, report_pdf_bytes
from assessment.report.exports import about_assessment, result_json
from assessment.report.pdf import RenderError
from assessment.scoring import AnswersInvalid, load_answers_file, score

from .questionnaire import read_question_set


@click.command("report")
@click.option(
    "--questionnaire",
    "questionnaire_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Question-set YAML file.",
)
@click.option(
    "--answers",
    "answers_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Answers file (YAML or JSON): question id -> answer.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "html", "pdf"]),
    default="json",
    show_default=True,
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Write here instead of stdout (required for pdf).",
)
@click.option("--organisation", help="Printed on the cover (default: “organisation not given”).")
@click.option("--title", help="Printed on the cover (default: “Cybersecurity self-assessment”).")
@click.option("--author", default="")
@click.option(
    "--classification",
    default="TLP:AMBER+STRICT",
    show_default=True,
    help="Marking printed on every page.",
)
@click.option(
    "--language",
    help="Use the set's translation into this language (QUESTIONNAIRE.<language>.yaml).",
)
def report_command(
    questionnaire_path: Path,
    answers_path: Path,
    output_format: str,
    out: Path | None,
    organisation: str | None,
    title: str | None,
    author: str,
    classification: str,
    language: str | None,
) -> None:
    """Score answers and write the result (json) or the report (html, pdf)."""
    if output_format == "pdf" and out is None:
        raise click.UsageError("--format pdf needs --out FILE")
    try:
        question_set = read_question_set(questionnaire_path)
        if language:
            question_set = _translated(questionnaire_path, language)
    except QuestionSetInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    try:
        answers = load_answers_file(question_set, answers_path.read_bytes(), str(answers_path))
    except OSError as exc:
        raise click.ClickException(f"{answers_path}: cannot read: {exc.strerror}") from None
    except AnswersInvalid as exc:
        for problem in exc.problems:
            click.echo(
                problem if problem.startswith(str(answers_path)) else f"{answers_path}: {problem}",
                err=True,
            )
        raise SystemExit(1) from None
    result = score(question_set, answers)
    with in_language(question_set.language):
        meta = ReportMeta(
            organisation=organisation or _("(organisation not given)"),
            title=title or _("Cybersecurity self-assessment"),
            author=author,
            classification=classification,
            status=_("from an answers file"),
            language=question_set.language,
        )
        if output_format == "json":
            _write(result_json(result, about_assessment(meta)), out)
            return
        html = render_report_html(question_set, result, meta)
    if output_format == "html":
        _write(html, out)
        return
    try:
        pdf = report_pdf_bytes(html, result, meta)
    except RenderError as exc:
        raise click.ClickException(f"the report could not be made: {exc}") from None
    out.write_bytes(pdf)
    click.echo(f"Wrote {out} ({len(pdf) // 1024} KB).", err=True)


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """``i18n.force_language``, in a bare app with Flask-Babel when no app is running (as when
    this command runs as ``port-assess report``): the catalogues are read as the web app reads
    them, and a language without one is English."""
    if has_app_context():
        with i18n.force_language(language):
            yield
        return
    app = Flask("assessment")
    i18n.init_app(app)
    with app.app_context(), i18n.force_language(language):
        yield


def _write(text: str, out: Path | None) -> None:
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}.", err=True)
    else:
        click.echo(text, nl=False)


def _translated(path: Path, language: str):
    """The set in a translation's language; every problem of an incomplete one, and exit 1."""
    raw = load_yaml(path.read_bytes())
    for file, translation in translations_beside(path, raw):
        if translation.language != language:
            continue
        try:
            return apply_translation(raw, translation, str(file))
        except TranslationIncomplete:
            for problem in translation.problems:
                click.echo(str(problem), err=True)
            raise SystemExit(1) from None
    found = sorted(t.language for _, t in translations_beside(path, raw))
    raise click.ClickException(
        f"{path}: no translation into '{language}' beside it"
        + (f" (there are: {', '.join(found)})" if found else "")
    )
