"""``port-assess report --format json``: no database, no server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import cli

DATA = Path(__file__).resolve().parent.parent / "data"


def report(tmp_path, answers: str, name="answers.yaml", *extra):
    path = tmp_path / name
    path.write_text(answers)
    return CliRunner().invoke(
        cli,
        [
            "report",
            "--questionnaire",
            str(DATA / "scoring.yaml"),
            "--answers",
            str(path),
            "--format",
            "json",
            *extra,
        ],
    )


def test_report_prints_the_result_as_json(tmp_path):
    result = report(tmp_path, "p-ot: 'no'\na1: partly\na2: 2\nb1: [x]\nb2: 14\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["overall"]["score"] == 51.7
    assert data["weaknesses"][0]["question_id"] == "a1"


def test_report_reads_json_answers_with_comments_and_writes_a_file(tmp_path):
    out = tmp_path / "result.json"
    answers = json.dumps({"a1": {"value": "no", "comment": "Backups live on the NAS."}})
    result = report(tmp_path, answers, "answers.json", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["weaknesses"][0]["comment"] == "Backups live on the NAS."


def test_report_names_every_bad_answer_and_exits_non_zero(tmp_path):
    result = report(tmp_path, "a1: maybe\nghost: 'yes'\nb2: lots\n")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [
        f"{tmp_path / 'answers.yaml'}: a1: 'maybe' is not a choice of this question "
        "(choices: yes, partly, no, dont_know, not_applicable)",
        f"{tmp_path / 'answers.yaml'}: ghost: no such question in scoring version 1",
        f"{tmp_path / 'answers.yaml'}: b2: expected a number, not the text 'lots'",
    ]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("b2: '45'\n", "b2: expected a number, not the text '45'"),
        ("a1: not_applicable\n", "a1: 'not applicable' needs a comment saying why"),
        ("p-ot: 'no'\nc1: 'yes'\n", "c1: not asked with these answers (asked only when p-ot"),
        ("b2: 5000\n", "b2: expected a number from 0 to 1000"),
        ("a1: {value: 'yes', checked: 'last week'}\n", "'checked' must be a date as YYYY-MM-DD"),
        ("a1: null\n", "a1: no answer (null): leave an unanswered question out of the file"),
        ("a1: {value: null, comment: 'x'}\n", "a1: no answer (null)"),
    ],
)
def test_an_answers_file_is_refused_for_what_a_person_could_not_answer(tmp_path, answers, message):
    result = report(tmp_path, answers)
    assert result.exit_code == 1
    assert message in result.output


def test_an_answers_file_carries_evidence_and_its_date(tmp_path):
    answers = "a1: {value: 'no', evidence: 'Backup log BK-12', checked: 2026-10-01}\n"
    result = report(tmp_path, answers)
    assert result.exit_code == 0, result.output
    row = next(a for a in json.loads(result.output)["answers"] if a["question_id"] == "a1")
    assert (row["evidence"], row["evidence_checked"]) == ("Backup log BK-12", "2026-10-01")


def test_an_answers_file_keeps_a_comment_without_an_answer(tmp_path):
    result = report(tmp_path, "b2: {comment: 'Not measured yet'}\n")
    assert result.exit_code == 0, result.output
    row = next(a for a in json.loads(result.output)["answers"] if a["question_id"] == "b2")
    assert (row["status"], row["answer"]) == ("unanswered", None)
    assert row["comment"] == "Not measured yet"


def test_report_refuses_malformed_answer_files(tmp_path):
    result = report(tmp_path, "a1: [unclosed\n")
    assert result.exit_code == 1
    assert "not valid YAML" in result.output


def test_report_refuses_an_invalid_questionnaire(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("{}\n")
    result = CliRunner().invoke(
        cli,
        ["report", "--questionnaire", str(DATA / "broken-scores.yaml"), "--answers", str(answers)],
    )
    assert result.exit_code == 1
    assert "broken-scores.yaml:15:" in result.output


def test_report_html_is_self_contained_and_pdf_is_written(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("a1: 'no'\nb2: 40\n")
    html_out, pdf_out = tmp_path / "r.html", tmp_path / "r.pdf"
    common = [
        "report",
        "--questionnaire",
        str(DATA / "scoring.yaml"),
        "--answers",
        str(answers),
        "--organisation",
        "Port of Aldport",
    ]
    result = CliRunner().invoke(cli, [*common, "--format", "html", "--out", str(html_out)])
    assert result.exit_code == 0, result.output
    html = html_out.read_text()
    assert "<style>" in html
    assert "<svg" in html
    assert "<link" not in html
    assert "src=" not in html
    result = CliRunner().invoke(cli, [*common, "--format", "pdf", "--out", str(pdf_out)])
    assert result.exit_code == 0, result.output
    assert pdf_out.read_bytes().startswith(b"%PDF")


def test_report_pdf_needs_an_output_file(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("{}\n")
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--questionnaire",
            str(DATA / "scoring.yaml"),
            "--answers",
            str(answers),
            "--format",
            "pdf",
        ],
    )
    assert result.exit_code == 2
    assert "--format pdf needs --out FILE" in result.output
