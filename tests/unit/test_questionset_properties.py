"""Property tests: random valid sets validate, and load -> dump -> load is lossless."""

from __future__ import annotations

from hypothesis import given, settings

from assessment.questionset import load_question_set, validate_data
from assessment.questionset.yaml_io import dump_yaml, load_yaml

from ..strategies import question_sets

SETTINGS = settings()  # examples from the profile (tests/conftest.py)


@SETTINGS
@given(question_sets())
def test_random_valid_sets_are_accepted(data):
    question_set = validate_data(data)
    assert len(list(question_set.questions())) == sum(len(s["questions"]) for s in data["sections"])


@SETTINGS
@given(question_sets())
def test_round_trip_through_yaml_is_lossless(data):
    first = load_question_set(dump_yaml(data), "first.yaml")
    text = dump_yaml(first.to_data())
    second = load_question_set(text, "second.yaml")
    assert second == first
    assert second.to_data() == first.to_data()
    assert load_yaml(text) == first.to_data()
