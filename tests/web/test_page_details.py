"""The small things an officer trips over: labels that fit the question, one way of writing
times, review items that lead to their question, a completed assessment opening on what it
found, a partial score called partial."""

from __future__ import annotations

import re
from pathlib import Path

from ..conftest import DATA_DIR, import_question_set
from .test_assessments import open_section, save, section_url, start


def with_help_on_the_profile_question(directory: Path) -> Path:
    text = (Path(DATA_DIR) / "scoring.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        text: OT?\n", "        text: OT?\n        help: Cranes, gates, locks count.\n", 1
    )
    path = directory / "scoring-help.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_labels_fit_the_question(app, client, people, tmp_path):
    import_question_set(app, str(with_help_on_the_profile_question(tmp_path)))
    client.login(people.officer_a)
    assessment_id = start(client)
    profile = client.get(section_url(assessment_id, "profile")).get_data(as_text=True)
    assert "<summary>What this asks</summary>" in profile  # unscored: no "good answer"
    assert "What a good answer looks like" not in profile
    assert "required for “Not applicable”" not in profile  # p-ot has no such choice
    a = client.get(section_url(assessment_id, "a")).get_data(as_text=True)
    a1, a2 = a.split('id="question-a2"')
    assert "(optional; required for “Not applicable”)" in a1  # a1 offers N/A
    assert "(optional; required" not in a2.split('id="question-b')[0]  # a2 does not


def test_times_read_one_way_with_their_zone(client, people, scoring_set):
    client.login(people.officer_a)
    assessment_id = start(client)
    form = open_section(client, assessment_id, "a").set("a:a1", "yes")
    assert save(client, assessment_id, "a", form).status_code == 302
    section = client.get(section_url(assessment_id, "a")).get_data(as_text=True)
    listing = client.get("/assessments/").get_data(as_text=True)
    pattern = r"\d{1,2} \w{3,4} \d{4}, \d\d:\d\d UTC"  # 1 Dec 2026, 14:05 UTC
    assert re.search(r"Last changed by [^,]+, " + pattern, section)
    assert re.search(pattern, listing)


def test_review_items_link_to_their_question_and_the_counts_are_explained(
    client, people, scoring_set
):
    client.login(people.officer_a)
    assessment_id = start(client)
    review = client.get(f"/assessments/{assessment_id}/review").get_data(as_text=True)
    assert f'<a href="/assessments/{assessment_id}/sections/a#question-a1">A1?</a>' in review
    assert "All asked (" in review
    assert "the progress bar counts the" in review


def test_the_list_says_a_score_is_partial(client, people, scoring_set):
    client.login(people.officer_a)
    assessment_id = start(client)
    form = open_section(client, assessment_id, "a").set("a:a1", "yes")
    assert save(client, assessment_id, "a", form).status_code == 302
    listing = client.get("/assessments/").get_data(as_text=True)
    assert re.search(r"<strong>Partial result:</strong> \d+ of \d+ questions still", listing)


def test_a_completed_assessment_opens_on_its_results(client, people, scoring_set):
    client.login(people.officer_a)
    assessment_id = start(client)
    client.submit(f"/assessments/{assessment_id}/complete")
    opened = client.get(f"/assessments/{assessment_id}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/assessments/{assessment_id}/results"
