"""Every scoring rule pinned with exact numbers on tests/data/scoring.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.questionset import load_question_set
from assessment.scoring import AnswersInvalid, compare, parse_answers, result_to_json, score

DATA = Path(__file__).resolve().parent.parent / "data"
QS = load_question_set((DATA / "scoring.yaml").read_bytes(), "scoring.yaml")


def run(raw: dict):
    return score(QS, parse_answers(QS, raw))


S1 = {"p-ot": "no", "a1": "partly", "a2": 2, "b1": ["x"], "b2": 14}
S2 = {
    "p-ot": "yes",
    "a1": "yes",
    "a2": "dont_know",
    "b1": {"value": "not_applicable", "comment": "No such system here."},
    "b2": 3,
    "c1": {"value": "no", "comment": "Cameras share the office network."},
}


def test_section_scores_are_weighted_means():
    result = run(S1)
    assert result.section("a").score == pytest.approx(50.0)  # (0.5*2 + 0.5*1) / 3
    assert result.section("b").score == pytest.approx(55.0)  # (0.6 + 0.5) / 2
    assert result.section("c").score is None  # hidden by show_if
    assert result.section("profile").score is None  # no scored questions


def test_overall_is_the_weighted_mean_of_sections():
    result = run(S1)
    assert result.overall == pytest.approx((50 * 2 + 55 * 1) / 3)
    # 51.7 is in the band of level 3, but a1 (critical) is open: the level is capped at 2.
    assert (result.maturity.band, result.maturity.level) == (3, 2)
    assert (result.maturity.label, result.maturity.capped) == ("Exposed", True)


def test_levels_are_score_bands_capped_by_open_critical_and_high_weaknesses():
    from assessment.scoring.rules import maturity_for

    scores = (0, 24.9, 25, 49.9, 50, 69.9, 70, 89.9, 90, 100)
    assert [maturity_for(s, {}).level for s in scores] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert maturity_for(100, {}).label == "Well protected"
    assert maturity_for(0, {}).label == "Critically exposed"
    assert [maturity_for(s, {"high": 1}).level for s in (20, 60, 80, 100)] == [1, 3, 3, 3]
    critical = maturity_for(100, {"critical": 1, "high": 2})
    assert (critical.level, critical.label, critical.band, critical.capped) == (
        2,
        "Exposed",
        5,
        True,
    )
    assert maturity_for(40, {"critical": 1}).capped is False  # the band is below the cap
    assert maturity_for(100, {"medium": 3, "low": 9}).level == 5  # only critical and high cap
    assert maturity_for(None, {}) is None


def test_dont_know_scores_zero_and_is_an_information_gap():
    result = run(S2)
    assert result.question("a2").score == 0.0
    assert result.section("a").score == pytest.approx(200 / 3)  # (1*2 + 0*1) / 3
    assert result.information_gaps == ("a2",)
    gap = next(w for w in result.weaknesses if w.question_id == "a2")
    assert gap.information_gap
    assert gap.answer == "Don't know"


def test_not_applicable_leaves_the_weights():
    result = run(S2)
    assert result.question("b1").score is None
    assert result.section("b").score == pytest.approx(100.0)  # only b2 counts
    assert result.not_applicable == ("b1",)


def test_a_shown_conditional_section_counts():
    result = run(S2)
    assert result.section("c").visible
    assert result.section("c").score == 0.0
    assert result.overall == pytest.approx((200 / 3 * 2 + 100 + 0) / 4)


def test_answers_to_hidden_questions_are_kept_out_of_the_score():
    """A stored answer to a question its profile answer hides now (the profile changed after
    it was given) stays stored but does not count. (An answers file may not contain one.)"""
    answers = {**parse_answers(QS, S1), "c1": QS.question("c1").parse_answer("no")}
    result = score(QS, answers)
    assert result.question("c1").status == "hidden"
    assert result.overall == pytest.approx((50 * 2 + 55) / 3)
    assert "c1" not in {w.question_id for w in result.weaknesses}


def test_checklist_scores_add_up_and_are_capped():
    assert run({"b1": ["x", "z"]}).question("b1").score == pytest.approx(0.9)
    assert run({"b1": ["x", "y"]}).question("b1").score == 1.0
    assert run({"b1": []}).question("b1").score == 0.0


@pytest.mark.parametrize(("days", "expected"), [(0, 1), (7, 1), (7.5, 0.5), (30, 0.5), (31, 0.1)])
def test_numbers_map_through_thresholds(days, expected):
    assert run({"b2": days}).question("b2").score == expected


def test_unanswered_questions_lower_completeness_but_not_the_score():
    result = run({"a1": "yes"})
    assert result.overall == 100.0
    assert result.unanswered == ("p-ot", "a2", "b1", "b2")  # c is hidden, so not counted
    assert result.applicable == 5
    assert result.completeness == pytest.approx(1 / 5)


def test_completeness_ignores_free_text_and_not_applicable():
    result = run(S2)
    assert result.applicable == 5  # p-ot, a1, a2, b2, c1 (b1 is N/A, c2 is free text)
    assert result.completeness == 1.0


def test_nothing_answered_scores_nothing():
    result = run({})
    assert result.overall is None
    assert result.maturity is None
    assert result.completeness == 0.0
    assert result.weaknesses == ()


def test_weaknesses_have_an_explained_priority_and_are_sorted():
    result = run(S1)
    assert [(w.question_id, w.priority) for w in result.weaknesses] == [
        ("a1", 16.0),  # critical 8 x section weight 2 x question weight 2 x gap 0.5
        ("a2", 4.0),  # high 4 x section 2 x question 1 x gap 0.5
        ("b1", 0.8),  # medium 2 x section 1 x question 1 x gap 0.4
        ("b2", 0.5),  # low 1 x 1 x 1 x gap 0.5
    ]
    first = result.weaknesses[0]
    assert first.priority_explained == (
        "critical (8) × section weight 2 × question weight 2 × gap 0.50 = 16"
    )
    assert (first.severity, first.answer, first.mitigations, first.threats) == (
        "critical",
        "Partly",
        ("m-backup",),
        ("ransomware",),
    )


def test_equal_priorities_are_ordered_by_severity_section_weight_and_gap_not_file_order():
    import dataclasses

    from assessment.scoring.rules import weakness_order

    base = run(S1).weaknesses[0]

    def weakness(qid, severity, section_weight, score):
        return dataclasses.replace(
            base,
            question_id=qid,
            severity=severity,
            section_weight=section_weight,
            score=score,
            priority=4.0,
        )

    tied = [
        weakness("z-last-in-file", "medium", 1, 0.0),
        weakness("y", "high", 1, 0.0),
        weakness("x", "high", 2, 0.5),
        weakness("w", "high", 2, 0.0),
    ]
    assert [w.question_id for w in sorted(tied, key=weakness_order)] == [
        "w",  # high, section weight 2, the larger gap
        "x",
        "y",
        "z-last-in-file",
    ]


def test_the_comment_travels_with_the_weakness():
    weakness = next(w for w in run(S2).weaknesses if w.question_id == "c1")
    assert weakness.comment == "Cameras share the office network."


def test_the_action_plan_deduplicates_and_orders_by_priority_removed():
    plan = run(S1).action_plan
    assert [(a.mitigation_id, a.horizon, a.priority, a.closes, a.supports) for a in plan] == [
        ("m-backup", "quick_win", 20.0, ("a1", "a2"), ()),  # primary for both: 16 + 4
        ("m-restore", "90_days", 0.5, ("b2",), ("a2",)),  # closes b2, supports a2
        ("m-lock", "12_months", 0.8, ("b1",), ()),
    ]
    assert [round(a.share, 3) for a in plan] == [0.939, 0.024, 0.038]  # of 21.3 in all


def test_coverage_per_reference_and_framework():
    result = run(S1)
    coverage = {c.id: (round(c.score, 2), c.questions, c.answered) for c in result.coverage}
    assert coverage == {
        "NIS2-21.2.c": (53.33, 2, 2),
        "CSF-PR.DS": (50.0, 2, 2),
        "CSF-RC.RP": (50.0, 1, 1),
    }
    csf = next(f for f in result.frameworks if f.id == "CSF")
    assert (csf.score, csf.questions) == (50.0, 3)
    assert {g.id: g.questions for g in csf.groups} == {"PR": 2, "RC": 1}


def test_coverage_counts_unanswered_questions_as_not_answered():
    result = run({"a1": "yes"})
    nis2 = next(c for c in result.coverage if c.id == "NIS2-21.2.c")
    assert (nis2.score, nis2.questions, nis2.answered) == (100.0, 2, 1)


def test_threat_exposure_levels():
    s1 = {t.id: (t.exposure, t.present) for t in run(S1).threats}
    assert s1 == {"ransomware": ("partly", ("a1", "a2")), "theft": ("partly", ("b1",))}
    s2 = {t.id: (t.exposure, t.enabling) for t in run(S2).threats}
    assert s2 == {"ransomware": ("partly", ("a1", "a2")), "theft": ("exposed", ("c1",))}
    best = {t.id: t.exposure for t in run({"a1": "yes", "a2": 4, "b1": ["x", "y"]}).threats}
    assert best == {"ransomware": "covered", "theft": "covered"}
    assert {t.id: t.exposure for t in run({}).threats} == {
        "ransomware": "not_assessed",
        "theft": "not_assessed",
    }


def test_comparison_of_two_results():
    before, after = run(S1), run(S2)
    change = compare(before, after)
    assert change.overall_delta == pytest.approx(after.overall - before.overall)
    assert {s.id: s.delta for s in change.sections}["b"] == pytest.approx(45.0)
    assert change.new_weaknesses == ("c1",)
    assert change.persisting_weaknesses == ("a2",)
    assert change.resolved_weaknesses == ("a1", "b1", "b2")  # b1 became not applicable


def test_comparison_across_versions_matches_question_ids():
    newer = load_question_set(
        (DATA / "scoring.yaml")
        .read_text()
        .replace("\nversion: 1\n", "\nversion: 2\n")
        .replace("      - id: b2\n", "      - id: b2-renamed\n"),
        "v2",
    )
    after = score(newer, parse_answers(newer, {"a1": "yes"}))
    change = compare(run(S1), after)
    assert not change.same_version
    assert change.dropped_questions == ("b2",)
    assert change.not_reassessed == ("a2", "b1")
    assert change.resolved_weaknesses == ("a1",)


def test_unknown_questions_and_bad_values_are_all_reported():
    with pytest.raises(AnswersInvalid) as caught:
        parse_answers(
            QS,
            {
                "nope": "yes",
                "a1": "maybe",
                "a2": 9,
                "b1": ["x", "w"],
                "b2": "many",
                "c2": 5,
                "p-ot": {"value": "yes", "extra": 1},
            },
        )
    assert caught.value.problems == [
        "nope: no such question in scoring version 1",
        "a1: 'maybe' is not a choice of this question (choices: yes, partly, no, dont_know, "
        "not_applicable)",
        "a2: expected a level from 0 to 4",
        "b1: not choices of this question: w",
        "b2: expected a number, not the text 'many'",
        "c2: expected text",
        "p-ot: an answer object has 'value' and optionally 'comment', 'evidence', 'checked'",
    ]


def test_flags_the_question_does_not_allow_are_refused():
    with pytest.raises(AnswersInvalid, match="b2: this question has no 'not applicable'"):
        parse_answers(QS, {"b2": "not_applicable"})


def test_numbers_out_of_range_are_refused():
    with pytest.raises(AnswersInvalid, match="b2: expected a number from 0 to 1000"):
        parse_answers(QS, {"b2": 1001})


def test_json_export_shape():
    data = result_to_json(run(S1))
    assert data["questionnaire"] == {"id": "scoring", "version": 1, "title": "Scoring fixture"}
    assert data["overall"] == {
        "score": 51.7,
        "maturity": {"level": 2, "label": "Exposed", "band": 3, "capped": True},
        "open_critical": 1,
        "open_high": 1,
    }
    assert data["completeness"] == 1.0
    assert data["sections"][1] == {
        "id": "a",
        "title": "A",
        "weight": 2.0,
        "shown": True,
        "score": 50.0,
        "answered": 2,
        "applicable": 2,
    }
    # The profile section has no scored question: it weighs nothing in the overall score.
    assert (data["sections"][0]["id"], data["sections"][0]["weight"]) == ("profile", 0.0)
    assert data["weaknesses"][0]["mitigations"] == ["m-backup"]
    assert data["action_plan"][0] == {
        "mitigation_id": "m-backup",
        "title": "Offline backup",
        "horizon": "quick_win",
        "effort": "low",
        "priority": 20.0,
        "share": 0.939,
        "closes": ["a1", "a2"],
        "supports": [],
        "support_priority": 0,
        "addresses": ["a1", "a2"],
    }
    assert data["coverage"]["CSF-PR.DS"] == {"score": 50.0, "questions": 2, "answered": 2}
    assert data["threats"][0] == {
        "id": "ransomware",
        "title": "Ransomware",
        "exposure": "partly",
        "score": 50.0,
        "enabling": ["a1", "a2"],
        "present": ["a1", "a2"],
    }
    assert data["information_gaps"] == []


def test_units_read_in_the_singular_for_one():
    question = QS.question("b2")
    assert question.describe(question.parse_answer(1)) == "1 day"
    assert question.describe(question.parse_answer(2)) == "2 days"
