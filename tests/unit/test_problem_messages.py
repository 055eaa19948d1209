"""Problems speak English as strings (the CLI, ``str(problem)`` as ``file:line: message``) and
keep their gettext template and parameters, so the editor can say them in the page's language."""

from __future__ import annotations

import copy

import pytest

from assessment.questionset import QuestionSetInvalid, load_question_set
from assessment.questionset.base import Phrase, about, one_after_another
from assessment.questionset.crossref import Problem
from assessment.questionset.validate import OUT_OF_RANGE, SIMPLE, _message
from assessment.web.common import phrases

BROKEN = (
    "schema_version: 1\nid: broken\nversion: 1\ntitle: Broken\n"
    "mitigations:\n  - {id: m1, title: M, how: H, effort: low, horizon: quick_win}\n"
    "sections:\n"
    "  - id: s\n    title: S\n    questions:\n"
    "      - {id: q1, type: single_choice, text: Q, choices: [{id: a, label: A, "
    "score: 2}, {id: b, label: B, score: 0}], weakness: {title: W, severity: low, "
    "why: Y}, mitigations: [m1, gone]}\n"
    "      - {id: q2, type: text, text: T, colour: red}\n"
)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(QuestionSetInvalid) as caught:
        load_question_set(text, "broken.yaml")
    return caught.value.problems


def test_str_is_english_with_file_and_line():
    assert [str(p) for p in problems_of(BROKEN)] == [
        "broken.yaml:11: question 'q1': choices[0].score: 2 is out of range: must be at most 1.0",
        "broken.yaml:11: question 'q1': mitigation 'gone' is not in mitigations",
        "broken.yaml:12: question 'q2': unknown key 'colour'",
    ]


def test_each_part_keeps_its_template_and_parameters():
    score, dangling, unknown = problems_of(BROKEN)
    assert score.who.template == "question '%(id)s'"
    assert score.who.params == {"id": "q1"}
    assert score.detail.template == "%(subject)s: %(problem)s"
    assert score.detail.params["subject"] == "choices[0].score"  # the file's key, as it is
    assert score.bare.template == "%(value)s is out of range: must be at most %(bound)s"
    assert score.bare.params == {"value": "2", "bound": 1.0}
    assert dangling.detail.template == "%(item)s is not in %(list)s"
    assert dangling.detail.params["item"].template == "mitigation '%(id)s'"
    assert unknown.message.template == "%(subject)s: %(problem)s"
    assert unknown.message.params["problem"] == "unknown key 'colour'"


def test_parameters_are_substituted_and_nested_texts_read_as_english():
    text = Phrase("choice id '%(id)s' is used twice", id="yes")
    assert text == "choice id 'yes' is used twice"
    assert isinstance(text, str)
    assert (text.template, text.params) == ("choice id '%(id)s' is used twice", {"id": "yes"})
    joined = one_after_another([text, Phrase("min must be below max")])
    assert joined == "choice id 'yes' is used twice; min must be below max"
    assert about(Phrase("question '%(id)s'", id="q1"), joined).startswith("question 'q1': ")


def test_problems_that_say_the_same_are_equal_and_deduplicated():
    """Equality and order are the English text's: the path (which shifts) and how a text was
    made do not count."""
    made = Problem(3, ("a",), Phrase("section '%(id)s'", id="s"), Phrase("x"))
    plain = Problem(3, ("b", 1), "section 's'", "x")
    assert made == plain
    assert len({made, plain}) == 1
    assert sorted([Problem(4, (), "", "a"), made]) == [made, Problem(4, (), "", "a")]


def test_a_text_survives_copying():
    text = about("weight", Phrase("at most %(max)s items", max=3))
    copied = copy.deepcopy(text)
    assert copied == text
    assert copied.template == text.template
    assert copied.params["problem"].params == {"max": 3}


def test_the_semantic_checks_and_document_errors_bring_their_templates():
    """Pydantic's error context carries them from the model validators (types.py) and the
    ValueErrors (document.py) to the problem."""
    valid_score = BROKEN.replace("score: 2", "score: 1").replace(", colour: red", "")
    no_weakness = valid_score.replace(", weakness: {title: W, severity: low, why: Y}", "")
    assert "q1': a scored question needs weakness" in str(problems_of(no_weakness)[0])
    assert problems_of(no_weakness)[0].bare.template == "a scored question needs %(key)s"
    profile_weight = valid_score.replace("    title: S\n", "    title: S\n    weight: 0\n")
    (weight,) = [p for p in problems_of(profile_weight) if p.who == "section 's'"]
    assert weight.bare.template.startswith("weight 0 is for sections without scored questions")


@pytest.mark.parametrize(
    ("kind", "ctx", "value"),
    [
        *((kind, {}, None) for kind in SIMPLE),
        *((kind, {"limit": 1}, 2) for kind in OUT_OF_RANGE),
        ("missing", {}, None),
        ("extra_forbidden", {}, None),
        ("string_pattern_mismatch", {"pattern": "^[A-Z]+-"}, "x"),
        ("string_pattern_mismatch", {"pattern": "^[a-z0-9]"}, "X"),
        ("string_too_long", {"max_length": 2}, "abc"),
        ("too_long", {"max_length": 2}, [1, 2, 3]),
        ("too_short", {"min_length": 1}, []),
        ("literal_error", {"expected": "'low', 'medium' or 'high'"}, "huge"),
        ("union_tag_invalid", {"tag": "dropdown"}, None),
        ("union_tag_not_found", {}, None),
    ],
)
def test_every_error_type_the_validator_names_is_translatable(kind, ctx, value):
    error = {"type": kind, "loc": ("key",), "msg": "pydantic's English", "ctx": ctx}
    error["input"] = value
    assert isinstance(_message(error), Phrase)


def test_the_editor_translates_template_then_parameters(monkeypatch):
    """The web side: gettext on each template, the translated parts put in, data as it is."""
    dutch = {
        "%(subject)s: %(problem)s": "%(subject)s: %(problem)s",
        "question '%(id)s'": "vraag ‘%(id)s’",
        "%(item)s is not in %(list)s": "%(item)s staat niet in %(list)s",
        "mitigation '%(id)s'": "maatregel ‘%(id)s’",
    }
    monkeypatch.setattr(phrases, "_", lambda template: dutch.get(template, template))
    dangling = problems_of(BROKEN)[1]
    assert phrases.say(dangling) == "vraag ‘q1’: maatregel ‘gone’ staat niet in mitigations"
    assert phrases.problem_line(dangling) == (
        "broken.yaml:11: vraag ‘q1’: maatregel ‘gone’ staat niet in mitigations"
    )
    assert phrases.say("the file is not valid UTF-8 text") == ("the file is not valid UTF-8 text")
    assert str(dangling).endswith("question 'q1': mitigation 'gone' is not in mitigations")


def test_a_file_the_yaml_reader_refuses_is_said_in_the_page_language():
    """The reader's own refusals (not UTF-8, aliases, duplicate keys) are Phrases too: English
    on the command line, the administrator's language on the import and upload pages."""
    from flask import Flask

    from assessment import i18n, paths

    refused = problems_of("id: a\nid: b\n")[0]
    assert str(refused) == "broken.yaml:2: duplicate key 'id' (first at line 1)"
    not_utf8 = problems_of(b"title: caf\xe9\n")[0]
    app = Flask("assessment", template_folder=str(paths.templates_dir()))
    i18n.init_app(app)
    with app.app_context(), i18n.force_language("nl"):
        assert phrases.say(refused) == "dubbele sleutel &#39;id&#39; (eerst op regel 1)"
        assert phrases.problem_line(not_utf8) == (
            "broken.yaml:1: het bestand is geen geldige UTF-8-tekst"
        )
