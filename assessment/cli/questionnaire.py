"""``port-assess questionnaire ...``: validate, show and (with a database) import and export."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assessment.questionset import QuestionSetInvalid, load_question_set
from assessment.questionset.document import QuestionSet
from assessment.questionset.schema import json_schema_text
from assessment.questionset.summary import summarise, summary_lines
from assessment.questionset.translations import translations_beside
from assessment.questionset.yaml_io import load_yaml


@click.group(help="Question-set files: validate, show, import, export.")
def questionnaire() -> None:
    pass


def read_question_set(path: Path) -> QuestionSet:
    """Load a file or exit 1 with every problem on its own line (``file:line: message``)."""
    try:
        return load_question_set(path.read_bytes(), str(path))
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot read: {exc.strerror}") from None


@questionnaire.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check question-set files; print every problem and exit 1 if there is any."""
    failed = False
    for path in paths:
        try:
            question_set = read_question_set(path)
        except QuestionSetInvalid as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=False)
            continue
        except click.ClickException as exc:
            failed = True
            click.echo(exc.message)
            continue
        counts = summarise(question_set)["counts"]
        click.echo(
            f"{path}: valid ({question_set.id} version {question_set.version}: "
            f"{counts['sections']} sections, {counts['questions']} questions, "
            f"{counts['mitigations']} mitigations, {counts['threats']} threats)",
            err=True,
        )
        for file, translation in translations_beside(path, load_yaml(path.read_bytes())):
            if translation.complete:
                drafted = (
                    " (machine-drafted, not yet confirmed)" if translation.machine_drafted else ""
                )
                click.echo(
                    f"{file}: complete translation into {translation.language}{drafted}", err=True
                )
                continue
            failed = True
            for problem in translation.problems:
                click.echo(str(problem))
    if failed:
        raise SystemExit(1)


@questionnaire.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def show_command(path: Path, as_json: bool) -> None:
    """Summarise a question set: sections, questions, choices, counts, references."""
    try:
        summary = summarise(read_question_set(path))
    except QuestionSetInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        raise SystemExit(1) from None
    # Which languages the set can be read in: its own, and each translation file beside it.
    summary["languages"] = {summary["language"]: "the set's own"} | {
        t.language or file.name: ("complete, machine-drafted" if t.machine_drafted else "complete")
        if t.complete
        else f"{len(t.missing)} texts missing, {len(t.problems) - len(t.missing)} other problems"
        for file, t in translations_beside(path, load_yaml(path.read_bytes()))
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo("\n".join(summary_lines(summary)))
    click.echo("  languages: " + "; ".join(f"{k} ({v})" for k, v in summary["languages"].items()))


@questionnaire.command("schema")
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file.")
def schema_command(out: Path | None) -> None:
    """Print the JSON Schema of the question-set format."""
    text = json_schema_text()
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
