"""The editor's fast reading and writing of a version's text (services/draft_text.py) gives
exactly what the strict file reader and writer give."""

from __future__ import annotations

from hypothesis import given

from assessment import paths
from assessment.questionset.yaml_io import dump_yaml, load_yaml
from assessment.services import draft_text

from ..strategies import question_sets


def plain(node):
    if isinstance(node, dict):
        return {k: plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    return node


def test_libyaml_is_there_so_the_editor_is_fast():
    assert draft_text.FAST


def test_the_shipped_sets_read_and_write_as_the_strict_reader_and_writer_do():
    for path in [
        *paths.shipped_question_sets(),
        *sorted(paths.questionnaires_dir().glob("*/*.yaml")),
    ]:
        text = path.read_text()
        data = plain(load_yaml(text))
        assert draft_text.read(text) == data, path
        assert draft_text.write(data) == dump_yaml(data), path


@given(question_sets())
def test_generated_sets_round_trip_through_the_fast_path(data):
    text = draft_text.write(data)
    assert plain(load_yaml(text)) == data
    assert draft_text.read(text) == data
    assert draft_text.read(dump_yaml(data)) == data


def test_yes_and_no_stay_strings_and_only_true_false_are_booleans():
    text = "id: no\nother: yes\nflag: true\nnothing: off\n"
    assert draft_text.read(text) == {"id": "no", "other": "yes", "flag": True, "nothing": "off"}
    assert draft_text.read(text) == plain(load_yaml(text))


def test_cached_readings_are_the_callers_own():
    text = draft_text.write_cached({"id": "x", "sections": [{"id": "s"}]})
    first = draft_text.read_cached(text)
    first["sections"].append({"id": "t"})
    assert draft_text.read_cached(text) == {"id": "x", "sections": [{"id": "s"}]}
