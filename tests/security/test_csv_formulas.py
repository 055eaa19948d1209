"""CSV formula injection: no cell a spreadsheet sees begins with a formula character, whichever
separator it splits the file on (comma; semicolon, the list separator of most continental
European locales; tab), and whether or not it trims leading spaces.

Each downloaded file is read back with ``csv.reader`` once per separator. (tests/web checks
what the cells say when read as written.)
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.report.exports import neutralise_cell, table_csv

from .helpers import open_section, save_ok, start

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = (",", ";", "\t")

# What a hostile colleague types into a comment or the evidence field.
PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    ";=1+1",
    'all good;=HYPERLINK("http://evil.example";"click")',
    "all good,=1+1",
    "all good\t=1+1",
    "first line\n=1+1",
    "first line\r\n+1+1",
    'quoted;"=1+1"',
    'a;" =1+1',
    "a; =1+1",
    ";\t=1+1",
    "a;;@x",
    '";',
    ";",
    "x\r",
    "=cmd|' /C calc'!A0",
]


def cells_seen(document: str, separator: str, trim: bool):
    """Every cell of ``document`` as a spreadsheet splitting on ``separator`` reads it."""
    reader = csv.reader(
        io.StringIO(document, newline=""), delimiter=separator, skipinitialspace=trim
    )
    for row in reader:
        yield from row


def assert_no_formula_cell(document: str, where: str) -> None:
    for separator in SEPARATORS:
        for trim in (False, True):
            for cell in cells_seen(document, separator, trim):
                assert not cell.lstrip(" ").startswith(FORMULA_START), (
                    f"{where}: a cell begins with a formula character when read with "
                    f"{separator!r} (trimming spaces: {trim}): {cell!r}"
                )


@given(
    st.lists(
        st.lists(st.text(st.sampled_from(list(",;\t\r\n\"' =+-@a1")), max_size=12), max_size=4),
        max_size=3,
    )
)
def test_no_separator_lets_a_table_cell_begin_with_a_formula(rows):
    document = table_csv(["Column"], rows)
    assert_no_formula_cell(document, f"table of {rows!r}")
    # Read as written (with commas), every cell is the text with its neutralised start.
    read_back = list(csv.reader(io.StringIO(document, newline="")))[1:]
    assert read_back == [[neutralise_cell(cell) for cell in row] for row in rows]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_known_payload_is_neutralised_for_every_separator(payload):
    assert_no_formula_cell(table_csv(["a", "b"], [[payload, payload]]), repr(payload))


def test_comments_and_evidence_in_the_answers_file(app, people, scoring_set, make_client):
    officer = make_client()
    officer.login(people.officer_a)
    assessment_id = start(officer)
    for index, payload in enumerate(PAYLOADS):
        question = ("a1", "a2")[index % 2]
        form = open_section(officer, assessment_id, "a").set("a:a1", "no").set("a:a2", "1")
        form.set(f"c:{question}", payload).set(f"e:{question}", payload[::-1])
        save_ok(officer, assessment_id, "a", form)
        document = officer.get(f"/assessments/{assessment_id}/answers.csv").get_data(as_text=True)
        assert_no_formula_cell(document, f"answers.csv with {payload!r}")
        assert_no_formula_cell(
            officer.get(f"/assessments/{assessment_id}/action-plan.csv").get_data(as_text=True),
            "action-plan.csv",
        )


def test_an_organisation_name_in_the_audit_log_file(app, people, make_client):
    admin = make_client()
    admin.login(people.admin)
    for name in ("Port;=1+1", "Port\t@SUM(A1)", "Port,-2+3"):
        response = admin.submit(
            "/admin/organisations/new", {"name": name, "kind": "terminal", "country": "NL"}
        )
        assert response.status_code == 302, name
    document = admin.get("/admin/audit.csv").get_data(as_text=True)
    assert "Port;'=1+1" in document
    assert_no_formula_cell(document, "audit.csv")
