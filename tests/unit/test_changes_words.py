"""The words of what changed between two versions (questionset/changes.py): ours are phrases,
gettext templates with parameters, and flags are data, so the page says them in its language;
in English they read and compare as they always did."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from flask import Flask
from markupsafe import escape

from assessment import i18n, paths
from assessment.questionset import validate_data
from assessment.questionset.base import Phrase
from assessment.questionset.changes import question_differences
from assessment.web.common.phrases import say

from . import test_question_changes as rule

data = rule.data  # the scoring set's data: the same fixture as the rule's own tests
question = rule.question


def differences(data: dict, question_id: str, edit) -> dict:
    after = copy.deepcopy(data)
    edit(question(after, question_id))
    old = validate_data(data).question(question_id)
    new = validate_data(after).question(question_id)
    return {d.what: d for d in question_differences(old, new)}


def _choices(q):
    q["choices"].insert(2, {"id": "mostly", "label": "Mostly", "score": 0.75})
    q["choices"][1]["score"] = 0.25
    q["choices"].append({"id": "unsure", "label": "Unsure", "dont_know": True})


def _number(q):
    q["dont_know"] = True
    q["better"] = "higher"
    q["thresholds"] = [{"value": 30, "score": 1}, {"value": 7, "score": 0.5}]


@pytest.fixture
def app() -> Iterator[Flask]:
    """A bare app with Flask-Babel and the templates, as the pages render them."""
    app = Flask("assessment", template_folder=str(paths.templates_dir()))
    i18n.init_app(app)
    with app.app_context():
        yield app


def said(app: Flask, value) -> str:
    """What the page shows: the ``say`` filter's words, escaped as the template escapes them."""
    return str(escape(say(value)))


def parts(phrase: Phrase) -> list[Phrase]:
    """The phrases one_after_another put together, in order."""
    if phrase.template != "%(first)s; %(then)s":
        return [phrase]
    return [*parts(phrase.params["first"]), phrase.params["then"]]


def test_what_changed_is_a_phrase_that_reads_as_english(data):
    found = differences(data, "a1", _choices)
    added = found["Choice 'mostly'"]
    assert isinstance(added.what, Phrase)
    assert (added.what.template, added.what.params) == ("Choice %(choice)s", {"choice": "'mostly'"})
    assert added.after == "“Mostly”, score 0.75"
    assert added.after.template == "“%(label)s”, score %(score)s"
    assert found["Choice 'unsure'"].after == "“Unsure”, don't know"
    rescored = found["Choice 'partly': score"]
    assert rescored.what.template == "Choice %(choice)s: score"
    assert (rescored.before, rescored.after) == (0.5, 0.25)  # numbers are data
    assert (str(rescored.before), str(rescored.after)) == ("0.5", "0.25")  # English: as %g
    assert not isinstance(rescored.before, Phrase)


def test_flags_are_data_and_bands_are_phrases(data):
    found = differences(data, "b2", _number)
    offered = found["Offers “Don't know”"]
    assert (offered.before, offered.after) == (False, True)
    assert offered.kind == "changed"
    assert found["Better is"].after == "higher"
    assert found["Better is"].after.template == "higher"
    bands = found["Score bands"]
    assert isinstance(bands.after, Phrase)
    assert [p.template for p in parts(bands.after)][-1] == "otherwise %(score)s"
    assert bands.after == "≥ 30 scores 1; ≥ 7 scores 0.5; otherwise 0.1"
    assert parts(bands.before)[0].template == "≤ %(value)s scores %(score)s"


def test_levels_and_unchanged_flags(data):
    def _level(q):
        q["levels"][3]["label"] = "Managed"

    found = differences(data, "a2", _level)
    assert list(found) == ["Level 3"]
    assert found["Level 3"].what.params == {"number": 3}
    assert differences(data, "a2", lambda q: None) == {}


def test_phrases_keep_their_template_when_copied(data):
    phrase = differences(data, "a1", _choices)["Choice 'mostly'"].what
    for copied in (copy.copy(phrase), copy.deepcopy(phrase)):
        assert copied == phrase
        assert (copied.template, copied.params) == (phrase.template, phrase.params)
    bands = differences(data, "b2", _number)["Score bands"].after
    assert parts(copy.deepcopy(bands)) == parts(bands)
    assert [p.template for p in parts(copy.deepcopy(bands))] == [p.template for p in parts(bands)]


def test_the_page_says_them_in_english_as_before(app, data):
    found = differences(data, "a1", _choices)
    assert said(app, found["Choice 'mostly'"].what) == "Choice &#39;mostly&#39;"
    assert said(app, found["Choice 'mostly'"].after) == "“Mostly”, score 0.75"
    assert said(app, True) == "yes"
    bands = differences(data, "b2", _number)["Score bands"]
    assert said(app, bands.before) == "≤ 7 scores 1; ≤ 30 scores 0.5; otherwise 0.1"


def test_the_page_says_them_in_dutch(app, data):
    found = differences(data, "a1", _choices) | differences(data, "b2", _number)
    with i18n.force_language("nl"):
        assert said(app, found["Choice 'mostly'"].what) == "Keuze &#39;mostly&#39;"
        assert said(app, found["Choice 'mostly'"].after) == "“Mostly”, score 0,75"
        assert said(app, found["Choice 'partly': score"].after) == "0,25"  # the locale's mark
        assert said(app, found["Choice 'unsure'"].after) == "“Unsure”, weet ik niet"
        assert said(app, found["Choice 'partly': score"].what) == "Keuze &#39;partly&#39;: score"
        assert said(app, found["Offers “Don't know”"].what) == "“Weet ik niet” aangeboden"
        assert said(app, False) == "nee"
        assert said(app, True) == "ja"
        assert said(app, found["Better is"].what) == "Beter is"
        assert said(app, found["Better is"].after) == "hoger"
        assert said(app, found["Score bands"].what) == "Scoreklassen"
        assert said(app, found["Score bands"].after) == "≥ 30 scoort 1; ≥ 7 scoort 0,5; anders 0,1"
        assert said(app, Phrase("Level %(number)d", number=2)) == "Niveau 2"
        assert said(app, "The set’s own text") == "The set’s own text"


def test_the_sets_words_are_escaped_inside_a_phrase(app):
    label = Phrase("“%(label)s”, score %(score)s", label="<b>Yes</b>", score="1")
    assert said(app, label) == "“&lt;b&gt;Yes&lt;/b&gt;”, score 1"
    assert said(app, "<i>text</i>") == "&lt;i&gt;text&lt;/i&gt;"
