"""What counts as a changed question between two versions (questionset/changes.py), the rule
that both the version move and the publish page apply."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from assessment.questionset import load_question_set, validate_data
from assessment.questionset.changes import compare_sets, data_differences, question_differences
from assessment.questionset.yaml_io import load_yaml

SCORING = Path(__file__).resolve().parents[1] / "data" / "scoring.yaml"


@pytest.fixture
def data() -> dict:
    return load_yaml(SCORING.read_text())


def question(data: dict, question_id: str) -> dict:
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == question_id)


def changed(before: dict, edit) -> set[str]:
    """The kinds of difference ("Question", "Choice 'x'", ...) one edit makes to the set."""
    after = copy.deepcopy(before)
    edit(after)
    result = compare_sets(validate_data(before), validate_data(after))
    return {d.what for c in result.changed for d in c.differences}


def _reword(d):
    question(d, "a1")["text"] = "A1, reworded to mean something else?"


def _add_choice(d):
    question(d, "a1")["choices"].insert(2, {"id": "mostly", "label": "Mostly", "score": 0.75})


def _rescore(d):
    question(d, "a1")["choices"][1]["score"] = 0.25


def _relabel(d):
    question(d, "a1")["choices"][0]["label"] = "Yes, everywhere"


def _remove_choice(d):
    question(d, "a1")["choices"].pop(1)


def _help(d):
    question(d, "a2")["help"] = "New help."


def _level(d):
    question(d, "a2")["levels"][3]["label"] = "Managed"


def _band(d):
    question(d, "b2")["thresholds"][1]["value"] = 14


def _unit(d):
    question(d, "b2")["unit"] = "hours"


def _offer_dont_know(d):
    question(d, "b1")["dont_know"] = True


def _type(d):
    q = question(d, "b2")
    for key in ("unit", "min", "max", "better", "thresholds", "otherwise"):
        q.pop(key)
    q.update(type="maturity", levels=[{"label": f"L{n}"} for n in range(4)])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_reword, "Question"),
        (_add_choice, "Choice 'mostly'"),
        (_rescore, "Choice 'partly': score"),
        (_relabel, "Choice 'yes': label"),
        (_remove_choice, "Choice 'partly'"),
        (_help, "Help"),
        (_level, "Level 3"),
        (_band, "Score bands"),
        (_unit, "Unit"),
        (_offer_dont_know, "Offers “Don't know”"),
        (_type, "Type"),
    ],
)
def test_what_the_officer_read_or_chose_from_is_a_change(data, edit, expected):
    assert expected in changed(data, edit)


def _weakness(d):
    question(d, "a1")["weakness"]["why"] = "A better reason."


def _mitigations(d):
    question(d, "a1")["mitigations"] = ["m-backup", "m-restore"]


def _references(d):
    question(d, "a1")["references"] = ["CSF-PR.DS"]


def _weight(d):
    question(d, "a1")["weight"] = 3


def _order(d):
    question(d, "a1")["choices"].reverse()


def _spaces(d):
    question(d, "a2")["text"] = "  A2?\n"


@pytest.mark.parametrize("edit", [_weakness, _mitigations, _references, _weight, _order, _spaces])
def test_edits_that_do_not_change_the_answer_are_not_changes(data, edit):
    assert changed(data, edit) == set()


def test_the_set_comparison_lists_added_removed_and_other_edits(data):
    after = copy.deepcopy(data)
    _reword(after)
    _weakness(after)
    questions = after["sections"][2]["questions"]
    questions[:] = [q for q in questions if q["id"] != "b2"]
    questions.append({"id": "b3", "type": "text", "text": "B3, new?"})
    result = compare_sets(validate_data(data), validate_data(after))
    assert [c.question_id for c in result.changed] == ["a1"]
    assert result.changed[0].differences[0].before == "A1?"
    assert result.changed[0].differences[0].after == "A1, reworded to mean something else?"
    assert result.added == (("b3", "B3, new?"),)
    assert [qid for qid, _ in result.removed] == ["b2"]
    assert result.other_edits == ()  # a1's weakness edit hides behind its rewording
    assert result


def test_a_weakness_edit_alone_is_listed_apart(data):
    after = copy.deepcopy(data)
    _weakness(after)
    result = compare_sets(validate_data(data), validate_data(after))
    assert not result
    assert result.other_edits == ("a1",)


def test_a_choice_added_and_one_rescored_are_named_with_their_words(data):
    old = validate_data(data).question("a1")
    after = copy.deepcopy(data)
    _add_choice(after)
    _rescore(after)
    differences = {
        d.what: d for d in question_differences(old, validate_data(after).question("a1"))
    }
    assert differences["Choice 'mostly'"].kind == "added"
    assert differences["Choice 'mostly'"].after == "“Mostly”, score 0.75"
    rescored = differences["Choice 'partly': score"]
    assert (str(rescored.before), str(rescored.after)) == ("0.5", "0.25")


def test_the_shipped_baseline_version_2_changes_questions_of_version_1():
    folder = Path(__file__).resolve().parents[2] / "questionnaires"
    v1 = load_question_set((folder / "archive" / "port-cyber-baseline-v1.yaml").read_text())
    v2 = load_question_set((folder / "port-cyber-baseline.yaml").read_text())
    result = compare_sets(v1, v2)
    assert result.changed
    assert result.added
    assert result.removed
    assert not compare_sets(v2, v2)


def test_the_audit_differences_name_fields_and_list_items():
    before = {"id": "q", "text": "Old?", "choices": [{"id": "yes", "label": "Yes", "score": 1}]}
    after = {
        "id": "q",
        "text": "New?",
        "choices": [
            {"id": "yes", "label": "Yes, all", "score": 1},
            {"id": "partly", "label": "Partly", "score": 0.5},
        ],
        "levels": [{"label": "Initial"}],
    }
    assert data_differences(before, after) == [
        ["text", "Old?", "New?"],
        ["choice 'yes' label", "Yes", "Yes, all"],
        ["choice 'partly' label", "", "Partly"],
        ["choice 'partly' score", "", "0.5"],
        ["level 0 label", "", "Initial"],
    ]
    assert data_differences(before, before) == []
