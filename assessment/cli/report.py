"""``port-assess report``: score an answers file against a question-set file, no database."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assessment.questionset import QuestionSetInvalid
from assessment.scoring import AnswersInvalid, load_answers_file, result_to_json, score

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
    "--format", "output_format", type=click.Choice(["json"]), default="json", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path), help="Write here instead of stdout.")
def report_command(
    questionnaire_path: Path, answers_path: Path, output_format: str, out: Path | None
) -> None:
    """Score answers and print the result; every problem is reported and nothing is guessed."""
    try:
        question_set = read_question_set(questionnaire_path)
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
                f"{answers_path}: {problem}"
                if not problem.startswith(str(answers_path))
                else problem,
                err=True,
            )
        raise SystemExit(1) from None
    text = (
        json.dumps(result_to_json(score(question_set, answers)), indent=2, ensure_ascii=False)
        + "\n"
    )
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}.", err=True)
    else:
        click.echo(text, nl=False)
