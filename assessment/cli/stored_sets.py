"""``port-assess questionnaire import/export``: question-set versions in the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from assessment import paths as app_paths
from assessment.db import get_session
from assessment.questionset import QuestionSetInvalid
from assessment.questionset.translations import TranslationIncomplete, translation_files
from assessment.services.question_sets import QuestionSetConflict, find_version, import_question_set
from assessment.services.set_translations import store_translation


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shipped", is_flag=True, help="Import the question sets shipped with the app.")
@with_appcontext
def import_command(paths: tuple[Path, ...], shipped: bool) -> None:
    """Store question-set files as published versions (idempotent)."""
    files = list(paths) + (app_paths.shipped_question_sets() if shipped else [])
    if not files:
        raise click.UsageError("give one or more files, or --shipped")
    failed = False
    for path in files:
        try:
            result = import_question_set(get_session(), path.read_bytes(), str(path))
        except QuestionSetInvalid as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
        except (QuestionSetConflict, OSError) as exc:
            failed = True
            click.echo(str(exc), err=True)
        else:
            version = result.version
            state = "imported" if result.created else "already loaded, unchanged"
            click.echo(f"{path}: {version.set_id} version {version.version} {state}.")
            failed = not _store_translations(path, version) or failed
    if failed:
        sys.exit(1)


def _store_translations(path: Path, version) -> bool:
    """Store the translation files beside a set's file (``<name>.<language>.yaml``) with its
    version; an incomplete one is reported with file:line and not stored."""
    complete = True
    for file in translation_files(path):
        try:
            row, changed = store_translation(get_session(), version, file.read_bytes(), str(file))
        except TranslationIncomplete as exc:
            complete = False
            for problem in exc.translation.problems:
                click.echo(str(problem), err=True)
            continue
        drafted = " (machine-drafted, not yet confirmed)" if row.machine_drafted else ""
        state = "stored" if changed else "already stored, unchanged"
        click.echo(f"{file}: translation into {row.language} {state}{drafted}.")
    return complete


@click.command("export")
@click.argument("set_id")
@click.option("--version", type=int, help="Default: the latest published version.")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@with_appcontext
def export_command(set_id: str, version: int | None, out: Path) -> None:
    """Write a stored question-set version to a YAML file."""
    stored = find_version(get_session(), set_id, version)
    if stored is None:
        raise click.ClickException(
            f"no question set '{set_id}'" + (f" version {version}" if version else "")
        )
    out.write_text(stored.source_yaml, encoding="utf-8")
    click.echo(f"Wrote {set_id} version {stored.version} to {out}.")
