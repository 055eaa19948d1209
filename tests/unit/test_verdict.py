"""The verdict on the default set: an average never hides a critical gap (issue 15's cases)."""

from __future__ import annotations

import pytest

from assessment import paths
from assessment.questionset import load_question_set
from assessment.report.context import verdict
from assessment.report.document import ReportMeta, executive_summary
from assessment.scoring import score
from assessment.scoring.samples import sample_answers

SOURCE = paths.questionnaires_dir() / "port-cyber-baseline.yaml"
QS = load_question_set(SOURCE.read_bytes(), SOURCE.name)
# Remote desktop reachable from the internet, no multi-factor authentication on e-mail and
# remote access, containers released on a PIN alone.
THREE_GAPS = ("net-internet-exposure", "iam-mfa-email-remote", "release-pin-only")


def answers_best_except(*question_ids: str) -> dict:
    answers = sample_answers(QS, "best")
    for question_id in question_ids:
        answers[question_id] = QS.question(question_id).worst_answer()
    return answers


def best_except(*question_ids: str):
    return score(QS, answers_best_except(*question_ids))


def test_three_critical_gaps_among_best_answers_cap_the_level_at_2():
    result = best_except(*THREE_GAPS)
    assert round(result.overall, 1) == 95.9  # the average alone: "well protected"
    assert result.maturity.band == 5
    assert (result.maturity.level, result.maturity.label) == (2, "Exposed")
    assert result.open_critical == 3
    named = verdict(result)
    assert named["capped"]
    assert len(named["open_critical"]) == 3
    summary = " ".join(executive_summary(QS, result, ReportMeta("Port of Aldport", "2026")))
    assert "level is at most 2 whatever the average" in summary
    for weakness in result.weaknesses:
        assert weakness.title.rstrip(".") in summary
        assert weakness.priority == 36  # critical 8 x section 1.5 x question 3 x gap 1
    plan = [(i.mitigation_id, i.priority, i.share, i.support_priority) for i in result.action_plan]
    assert plan == [
        ("close-and-watch-internet-exposure", 36, 0.3333, 0),
        ("require-mfa-remote-email-admin", 36, 0.3333, 0),
        ("gate-haulier-identity-check", 0, 0, 36),
        ("phishing-resistant-mfa", 0, 0, 36),
        ("release-lookup-alerting", 0, 0, 36),
        ("identity-based-release", 36, 0.3333, 0),
    ]


@pytest.mark.parametrize(
    ("question_id", "overall"),
    [("net-internet-exposure", 98.3), ("iam-mfa-email-remote", 98.6), ("release-pin-only", 99.1)],
)
def test_one_critical_gap_alone_caps_the_level(question_id, overall):
    result = best_except(question_id)
    assert round(result.overall, 1) == overall
    assert (result.maturity.band, result.maturity.level, result.open_critical) == (5, 2, 1)


def test_all_critical_questions_at_their_worst_are_critically_exposed_or_exposed():
    critical = [
        q.id
        for q in QS.questions()
        if q.scored and q.weakness and q.weakness.severity == "critical"
    ]
    result = best_except(*critical)
    assert (len(critical), round(result.overall, 1)) == (13, 82.8)
    assert result.open_critical == len(critical)
    assert (result.maturity.band, result.maturity.level) == (4, 2)


def test_all_best_is_well_protected():
    result = best_except()
    assert (result.overall, result.maturity.level, result.maturity.label) == (
        100,
        5,
        "Well protected",
    )
