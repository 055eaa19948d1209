"""``port-assess questionnaire show``: what a set asks and how each answer scores, for people
(text) and scripts (--json)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assessment.cli import cli

SCORING = Path(__file__).resolve().parent.parent / "data" / "scoring.yaml"


def show(*options: str):
    result = CliRunner().invoke(cli, ["questionnaire", "show", str(SCORING), *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_text_lists_types_weights_severities_and_how_answers_score():
    assert show().splitlines() == [
        "Scoring fixture (scoring version 1, language en)",
        "  profile: Profile (weight 0, not scored; 1 question)",
        "    p-ot: single choice, not scored",
        "        yes · no",
        "  a: A (weight 2; 2 questions)",
        "    a1: single choice, weight 2, critical",
        "        yes 1 · partly 0.5 · no 0 · dont_know · not_applicable",
        "    a2: maturity, weight 1, high",
        "        0 L0 0 · 1 L1 0.25 · 2 L2 0.5 · 3 L3 0.75 · 4 L4 1 · dont_know",
        "  b: B (weight 1; 2 questions)",
        "    b1: multiple choice, weight 1, medium",
        "        x 0.6 · y 0.6 · z 0.3 · not_applicable",
        "    b2: number (days), weight 1, low",
        "        <= 7: 1 · <= 30: 0.5 · otherwise 0.1",
        "  c: C (weight 1; 2 questions; shown if p-ot is yes)",
        "    c1: single choice, weight 1, high",
        "        yes 1 · no 0",
        "    c2: text, not scored",
        "  sections: 4, questions: 7, scored_questions: 5, mitigations: 3, threats: 2, "
        "references: 3",
        "  languages: en (the set's own)",
    ]


def test_the_json_carries_thresholds_levels_and_effective_weights():
    summary = json.loads(show("--json"))
    profile, a, b, _ = summary["sections"]
    assert (profile["weight"], profile["effective_weight"]) == (1.0, 0.0)
    assert (a["weight"], a["effective_weight"]) == (2.0, 2.0)
    number = b["questions"][1]
    assert number["thresholds"] == [{"value": 7.0, "score": 1.0}, {"value": 30.0, "score": 0.5}]
    assert (number["better"], number["otherwise"], number["unit"]) == ("lower", 0.1, "days")
    maturity = a["questions"][1]
    assert maturity["levels"][2] == {"level": 2, "label": "L2", "score": 0.5}
    assert (maturity["severity"], maturity["dont_know"]) == ("high", True)
    assert a["questions"][0]["choices"][3] == {
        "id": "dont_know",
        "label": "Don't know",
        "score": None,
        "dont_know": True,
    }
