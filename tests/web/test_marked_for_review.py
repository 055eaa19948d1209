"""Answers the team marked for review are not settled: completing says so, and the result and
the report list them as provisional."""

from __future__ import annotations

from assessment.questionset import Answer, AnswerStatus
from assessment.report.document import ReportMeta, render_report_html
from assessment.scoring import result_to_json, score

from ..unit.test_scoring import QS
from .test_assessments import open_section, save, start


def test_the_complete_page_counts_answers_still_marked_for_review(client, people, scoring_set):
    client.login(people.officer_a)
    assessment_id = start(client)
    form = open_section(client, assessment_id, "a").set("a:a1", "yes").set("r:a1", "1")
    assert save(client, assessment_id, "a", form).status_code == 302
    page = client.get(f"/assessments/{assessment_id}/complete").get_data(as_text=True)
    assert "and 1 still marked for review" in page
    assert f'href="/assessments/{assessment_id}/review?show=review"' in page


def test_the_result_and_the_report_list_marked_answers():
    answers = {
        "a1": Answer("yes", marked=True),
        "b2": Answer(None, AnswerStatus.UNANSWERED, marked=True),  # marked, not yet answered
        "b1": Answer(("x",)),
    }
    result = score(QS, answers)
    assert result.marked_for_review == ("a1", "b2")
    data = result_to_json(result)
    assert data["counts"]["answers_marked_for_review"] == 2
    rows = {row["question_id"]: row["marked_for_review"] for row in data["answers"]}
    assert (rows["a1"], rows["b1"], rows["b2"]) == (True, False, True)
    html = render_report_html(QS, result, ReportMeta(organisation="Port", title="Check"))
    assert "Marked for review by the team" in html
    assert "<li>A1? (answered “Yes”)</li>" in html
    assert "<li>B2? (unanswered)</li>" in html
