"""The section page reads the user with their organisation once, and only its own section's
answers: the same statements however many questions the section has or the assessment holds.
A reload of a section nobody changed reads no answer at all (its questions' HTML is kept per
state of the assessment: ``web/assessments/pages._section_drawer``)."""

from __future__ import annotations

import re

import pytest

from assessment.web.common import fragments

from .test_assessments import open_section, save, section_url, start
from .test_query_counts import counting


@pytest.fixture
def officer(client, people, scoring_set):
    client.login(people.officer_a)
    return client


def main_tables(statements: list[str]) -> list[str]:
    """The table each SELECT reads first (joined tables come with it)."""
    return [
        match.group(1)
        for statement in statements
        if (match := re.match(r"SELECT\s.*?\sFROM\s+(\w+)", statement, re.S))
    ]


def test_the_user_and_organisation_are_read_once_per_request(app, officer):
    assessment_id = start(officer)
    save(officer, assessment_id, "a", open_section(officer, assessment_id, "a").set("a:a1", "no"))
    with counting(app) as statements:  # the first draw of the saved state
        assert officer.get(section_url(assessment_id, "a")).status_code == 200
    tables = main_tables(statements)
    assert tables.count("user_account") == 1
    assert "organisation" not in tables  # it comes joined to the user and the assessment
    assert tables.count("answer") == 1
    with counting(app) as statements:  # a reload: the same state, nothing to read or draw
        assert officer.get(section_url(assessment_id, "a")).status_code == 200
    tables = main_tables(statements)
    assert tables.count("user_account") == 1
    assert "answer" not in tables


def test_a_section_reads_the_same_however_many_questions_it_has(app, officer):
    assessment_id = start(officer)
    read = {}
    for section in ("profile", "a", "b"):  # one question, two, two of other types
        officer.get(section_url(assessment_id, section))
        fragments.forget_all()  # what a first draw reads
        with counting(app) as statements:
            officer.get(section_url(assessment_id, section))
        read[section] = main_tables(statements)
    assert "answer" in read["profile"]
    assert read["profile"] == read["a"] == read["b"]
