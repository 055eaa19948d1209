"""Question sets in several languages: a translation file beside the set holds only texts, is
checked to cover every text with file:line, and gives the same set (ids, scores) in its
language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import cli
from assessment.questionset import load_question_set
from assessment.questionset.translations import (
    TranslationIncomplete,
    apply_translation,
    check_translation,
    translations_beside,
)
from assessment.questionset.yaml_io import load_yaml
from assessment.scoring import parse_answers, score

FOLDER = Path(__file__).resolve().parent.parent / "data" / "translations"
BASE = FOLDER / "minimal.yaml"


def base_raw():
    return load_yaml(BASE.read_bytes())


def checked(name: str):
    path = FOLDER / name
    return check_translation(base_raw(), str(BASE), path.read_bytes(), str(path))


def test_a_complete_translation_gives_the_same_set_in_its_language():
    english = load_question_set(BASE.read_bytes(), str(BASE))
    dutch = apply_translation(base_raw(), checked("minimal.nl.yaml"), "minimal.nl.yaml")
    assert dutch.language == "nl"
    assert dutch.question("backup-offline").text == "Is er een offline back-up?"
    assert [c.label for c in dutch.question("backup-offline").options][:3] == [
        "Ja",
        "Gedeeltelijk",
        "Nee",
    ]
    assert dutch.mitigation("offline-backup").title == "Bewaar een offline back-up"
    # Same ids and scores: the same answers score the same in both languages.
    answers = {"has-ot": "yes", "backup-offline": "partly", "backup-maturity": 2, "restore-days": 2}
    assert score(dutch, parse_answers(dutch, answers)).overall == pytest.approx(
        score(english, parse_answers(english, answers)).overall
    )
    assert [q.id for q in dutch.questions()] == [q.id for q in english.questions()]


def test_missing_unknown_and_empty_texts_are_each_reported_at_their_line():
    french = checked("minimal.fr.yaml")
    assert not french.complete
    lines = [str(p) for p in french.problems]
    base, fr = str(BASE), str(FOLDER / "minimal.fr.yaml")
    assert f"{fr}:9: question 'has-ot' choice 'no' label: give the translated text" in lines
    assert f"{fr}:11: question 'no-such-question' text: not a text of minimal" in lines
    assert f"{base}:46: question 'backup-offline' text has no 'fr' translation in {fr}" in lines
    assert f"{base}:22: scale 'ypn' choice 'yes' label has no 'fr' translation in {fr}" in lines
    with pytest.raises(TranslationIncomplete):
        apply_translation(base_raw(), french, fr)


def test_a_translation_of_another_version_or_set_is_refused():
    text = (FOLDER / "minimal.nl.yaml").read_text(encoding="utf-8")
    stale = text.replace("version: 1\n", "version: 0\n").replace("minimal\n", "other\n", 1)
    found = check_translation(base_raw(), str(BASE), stale, "stale.nl.yaml")
    messages = [p.message for p in found.problems]
    assert "translation_of: this file translates 'other', not 'minimal'" in messages
    assert (
        "version: this translation is of version 0; the set is version 1: review what "
        "changed, then raise it" in messages
    )


def test_a_machine_drafted_translation_is_marked_until_a_person_confirms_it():
    text = (FOLDER / "minimal.nl.yaml").read_text(encoding="utf-8")
    assert checked("minimal.nl.yaml").machine_drafted is False
    drafted = text.replace("language: nl\n", "language: nl\nmachine_drafted: true\n")
    found = check_translation(base_raw(), str(BASE), drafted, "drafted.nl.yaml")
    assert found.complete
    assert found.machine_drafted
    unclear = text.replace("language: nl\n", "language: nl\nmachine_drafted: maybe\n")
    found = check_translation(base_raw(), str(BASE), unclear, "unclear.nl.yaml")
    assert [str(p) for p in found.problems] == [
        "unclear.nl.yaml:5: machine_drafted: write true or false"
    ]
    assert found.machine_drafted  # when in doubt, not confirmed


def test_the_translations_beside_a_set_are_found_by_their_language_infix():
    found = {t.language: t.complete for _, t in translations_beside(BASE, base_raw())}
    assert found == {"fr": False, "nl": True}


def test_the_cli_validates_translations_and_shows_which_languages_are_complete():
    runner = CliRunner()
    validated = runner.invoke(cli, ["questionnaire", "validate", str(BASE)])
    assert validated.exit_code == 1
    assert "minimal.fr.yaml:11: question 'no-such-question' text: not a text of minimal" in (
        validated.output
    )
    shown = runner.invoke(cli, ["questionnaire", "show", str(BASE), "--json"])
    languages = json.loads(shown.output)["languages"]
    assert languages["en"] == "the set's own"
    assert languages["nl"] == "complete"
    assert languages["fr"].endswith("texts missing, 2 other problems")


def test_the_report_command_writes_the_report_in_a_translations_language(tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text('has-ot: "yes"\nbackup-offline: "no"\n', encoding="utf-8")
    out = tmp_path / "report.html"
    command = ["report", "--questionnaire", str(BASE), "--answers", str(answers)]
    result = CliRunner().invoke(
        cli, [*command, "--language", "nl", "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    assert "Geen offline back-up" in html
    missing = CliRunner().invoke(cli, [*command, "--language", "de"])
    assert missing.exit_code == 1
    assert "no translation into 'de' beside it (there are: fr, nl)" in missing.output
    incomplete = CliRunner().invoke(cli, [*command, "--language", "fr"])
    assert incomplete.exit_code == 1
    assert "question 'no-such-question' text: not a text of minimal" in incomplete.output
