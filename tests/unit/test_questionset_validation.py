"""Every validation message, with its file and line, from the fixtures in tests/data/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assessment.questionset import QuestionSetInvalid, load_question_set
from assessment.questionset.yaml_io import load_yaml

DATA = Path(__file__).resolve().parent.parent / "data"


def problems_of(name: str) -> list[str]:
    path = DATA / name
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set(path.read_bytes(), name)
    return [str(p) for p in caught.value.problems]


def test_the_minimal_set_is_valid():
    question_set = load_question_set((DATA / "minimal.yaml").read_bytes(), "minimal.yaml")
    assert [s.id for s in question_set.sections] == ["profile", "backups", "ot"]
    assert question_set.question("backup-offline").options[1].id == "partly"  # from the scale


def test_duplicate_ids():
    assert problems_of("broken-duplicate-ids.yaml") == [
        "broken-duplicate-ids.yaml:7: duplicate mitigation id 'fix' (first at line 6)",
        "broken-duplicate-ids.yaml:13: duplicate section id 'one' (first at line 9)",
        "broken-duplicate-ids.yaml:16: duplicate question id 'q1' (first at line 12)",
    ]


def test_dangling_references():
    assert problems_of("broken-dangling.yaml") == [
        "broken-dangling.yaml:9: reference 'ISO-27001': framework 'ISO' is not in frameworks",
        "broken-dangling.yaml:18: question 'q1': scale 'missing-scale' is not in scales",
        "broken-dangling.yaml:21: question 'q1': mitigation 'no-such-mitigation' is not in "
        "mitigations",
        "broken-dangling.yaml:22: question 'q1': threat 'no-such-threat' is not in threats",
        "broken-dangling.yaml:23: question 'q1': reference 'NIS2-21.2.z' is not in references",
    ]


def test_scales_are_scored_or_for_profile_questions_and_match_their_questions():
    # A profile scale (no scores at all) is valid and serves an unscored question (line 29).
    assert problems_of("broken-scales.yaml") == [
        "broken-scales.yaml:15: scales.half: give every choice a score or none (a scale "
        "without scores is for profile questions, scored: false): choice 'no' has none",
        "broken-scales.yaml:18: scales.low: the best choice must score 1 (the highest is 0.8)",
        "broken-scales.yaml:34: question 'role-scored-scale': scale 'ypn' has scores, and an "
        "unscored question's choices take none; use a scale without scores",
        "broken-scales.yaml:41: question 'q1': scale 'roles' has no scores, and a scored "
        "question needs them; give the scale's choices scores or make the question "
        "scored: false",
    ]


def test_weight_0_is_only_for_sections_without_scored_questions():
    # The profile section's weight 0 (line 11) is accepted.
    assert problems_of("broken-weights.yaml") == [
        "broken-weights.yaml:16: section 'one': weight 0 is for sections without scored "
        "questions (a profile); a section with scored questions needs a weight above 0",
    ]


def test_show_if_problems():
    later = "which is not asked before it; a condition can only look back at earlier questions"
    assert problems_of("broken-show-if.yaml") == [
        f"broken-show-if.yaml:8: section 'one': show_if names question 'q1', {later}",
        f"broken-show-if.yaml:14: question 'q1': show_if names question 'q2', {later}",
        "broken-show-if.yaml:20: question 'q2': show_if: 'maybe' is not a choice of question 'q1'",
        "broken-show-if.yaml:25: question 'q3': show_if names unknown question 'nowhere'",
        "broken-show-if.yaml:29: question 'q4': show_if names question 'q3', which is not a "
        "choice question",
    ]


def test_scores_out_of_range_and_unreachable():
    assert problems_of("broken-scores.yaml") == [
        "broken-scores.yaml:15: question 'q1': choices[0].score: 1.5 is out of range: must be "
        "at most 1.0",
        "broken-scores.yaml:16: question 'q1': choices[1].score: -0.5 is out of range: must be "
        "at least 0.0",
        "broken-scores.yaml:19: question 'q2': the best choice must score 1 (the highest is 0.8)",
        "broken-scores.yaml:27: question 'q3': the items' scores add up to 0.6; ticking every "
        "item must reach 1",
    ]


def test_scored_questions_need_a_weakness_and_mitigations():
    assert problems_of("broken-scored-without-weakness.yaml") == [
        "broken-scored-without-weakness.yaml:11: question 'q1': a scored question needs weakness",
        "broken-scored-without-weakness.yaml:16: question 'q2': a scored question needs "
        "mitigations",
    ]


def test_unknown_keys():
    assert problems_of("broken-unknown-keys.yaml") == [
        "broken-unknown-keys.yaml:5: unknown key 'author'",
        "broken-unknown-keys.yaml:9: section 'one': unknown key 'colour'",
        "broken-unknown-keys.yaml:14: question 'q1': unknown key 'mandatory'",
    ]


def test_wrong_types():
    assert problems_of("broken-wrong-types.yaml") == [
        "broken-wrong-types.yaml:2: id: 'Broken Set' is not a valid id: use lower-case "
        "letters, digits, '-' and '_'",
        "broken-wrong-types.yaml:3: version: expected a whole number",
        "broken-wrong-types.yaml:4: title: expected text (put quotes around it if it looks "
        "like a number)",
        "broken-wrong-types.yaml:8: section 'one': weight: expected a number",
        "broken-wrong-types.yaml:10: question 'q1': unknown question type 'dropdown'; known "
        "types: single_choice, maturity, multiple_choice, number, text",
        "broken-wrong-types.yaml:16: question 'q2': levels: expected a list",
        "broken-wrong-types.yaml:17: question 'q2': dont_know: expected true or false",
        "broken-wrong-types.yaml:18: question 'q2': weakness.severity: 'catastrophic' is not "
        "one of 'critical', 'high', 'medium' or 'low'",
        "broken-wrong-types.yaml:19: question 'q2': mitigations: expected a list",
    ]


def test_missing_keys_name_the_key():
    text = (
        "schema_version: 1\nid: x\nversion: 1\nsections:\n  - id: s\n    questions:\n"
        "      - {id: q, type: text}\n"
    )
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set(text, "m.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "m.yaml:1: missing required key 'title'",
        "m.yaml:5: section 's': missing required key 'title'",
        "m.yaml:7: question 'q': missing required key 'text'",
    ]


def test_the_alias_bomb_is_refused_quickly():
    started = time.perf_counter()
    assert problems_of("alias-bomb.yaml") == [
        "alias-bomb.yaml:2: aliases (*name) are not allowed; write the value out in full"
    ]
    assert time.perf_counter() - started < 1  # it was never expanded


def test_python_tags_are_refused():
    problems = problems_of("python-tag.yaml")
    assert len(problems) == 1
    assert problems[0].startswith("python-tag.yaml:2: tags such as")
    assert "not allowed" in problems[0]


def test_duplicate_keys_are_refused():
    assert problems_of("duplicate-key.yaml") == [
        "duplicate-key.yaml:4: duplicate key 'version' (first at line 3)"
    ]


def test_a_5_mb_file_is_refused_before_parsing():
    data = b"# padding\n" * (5 * 1024 * 1024 // 10)
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set(data, "big.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "big.yaml:1: file is 5.0 MB; the limit is 2 MB"
    ]


def test_too_many_questions_is_refused():
    questions = "".join(f"      - {{id: q{i}, type: text, text: t}}\n" for i in range(1001))
    text = (
        f"schema_version: 1\nid: x\nversion: 1\ntitle: T\nsections:\n  - id: s\n"
        f"    title: S\n    questions:\n{questions}"
    )
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set(text, "many.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "many.yaml:5: 1001 questions; the limit is 1000"
    ]


def test_not_utf8_is_refused_with_its_line():
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set(b"id: x\ntitle: \xff\xfe\n", "latin.yaml")
    assert str(caught.value.problems[0]) == "latin.yaml:2: the file is not valid UTF-8 text"


def test_not_a_mapping():
    with pytest.raises(QuestionSetInvalid, match="a question set is a mapping"):
        load_question_set("- just\n- a list\n", "list.yaml")


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO"])
def test_yes_and_no_stay_strings(word):
    assert load_yaml(f"id: {word}\n") == {"id": word}


def test_true_and_false_stay_booleans():
    assert load_yaml("a: true\nb: false\n") == {"a": True, "b": False}


def test_malformed_yaml_gives_its_line():
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set("id: x\nsections: [\n", "bad.yaml")
    assert str(caught.value.problems[0]).startswith("bad.yaml:3: not valid YAML:")


def test_show_if_cannot_name_a_scored_question():
    assert problems_of("broken-show-if-scored.yaml") == [
        "broken-show-if-scored.yaml:20: question 'backup-tested': show_if names question "
        "'backup', which is scored; a condition can only name an unscored profile question "
        "(scored: false), so that a better answer never hides or reveals other questions"
    ]


def test_the_validate_command_prints_every_problem_and_exits_1():
    from click.testing import CliRunner

    from assessment.cli import cli

    result = CliRunner().invoke(
        cli,
        [
            "questionnaire",
            "validate",
            str(DATA / "minimal.yaml"),
            str(DATA / "broken-dangling.yaml"),
            str(DATA / "broken-duplicate-ids.yaml"),
        ],
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": valid (" not in line]
    assert len(lines) == 8
    assert all(line.startswith(str(DATA)) for line in lines)
    assert (
        f"{DATA / 'broken-duplicate-ids.yaml'}:16: duplicate question id 'q1' (first at "
        "line 12)" in lines
    )
