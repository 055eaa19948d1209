"""Hypothesis strategies: random valid question sets and random answers to them.

The sets are built as plain data in the file format, so the same values exercise the loader,
the validator, the round trip and the scoring.
"""

from __future__ import annotations

from hypothesis import strategies as st

SEVERITIES = ["critical", "high", "medium", "low"]
scores = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9])
weights = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(str.strip)


def _weakness(draw) -> dict:
    return {"title": draw(texts), "severity": draw(st.sampled_from(SEVERITIES)), "why": draw(texts)}


def _scored_keys(draw, mitigations, threats, references) -> dict:
    keys = {
        "weakness": _weakness(draw),
        "mitigations": draw(
            st.lists(st.sampled_from(mitigations), min_size=1, max_size=3, unique=True)
        ),
    }
    chosen_threats = draw(st.lists(st.sampled_from(threats), max_size=2, unique=True))
    chosen_refs = draw(st.lists(st.sampled_from(references), max_size=3, unique=True))
    if chosen_threats:
        keys["threats"] = chosen_threats
    if chosen_refs:
        keys["references"] = chosen_refs
    return keys


@st.composite
def single_choice(draw, qid, ctx) -> dict:
    n = draw(st.integers(2, 4))
    others = draw(st.lists(scores, min_size=n - 1, max_size=n - 1))
    choices = [{"id": "best", "label": "Best", "score": 1.0}] + [
        {"id": f"c{i}", "label": f"Choice {i}", "score": s} for i, s in enumerate(others)
    ]
    if draw(st.booleans()):
        choices.append({"id": "dont_know", "label": "Don't know", "dont_know": True})
    if draw(st.booleans()):
        choices.append({"id": "not_applicable", "label": "N/A", "not_applicable": True})
    choices = draw(st.permutations(choices))
    question = {"id": qid, "type": "single_choice", "text": draw(texts), "choices": choices}
    return question | _scored_keys(draw, *ctx)


@st.composite
def profile_choice(draw, qid, ctx) -> dict:
    return {
        "id": qid,
        "type": "single_choice",
        "scored": False,
        "text": draw(texts),
        "choices": [{"id": "yes", "label": "Yes"}, {"id": "no", "label": "No"}],
    }


@st.composite
def profile_checklist(draw, qid, ctx) -> dict:
    return {
        "id": qid,
        "type": "multiple_choice",
        "scored": False,
        "text": draw(texts),
        "choices": [{"id": "tos", "label": "TOS"}, {"id": "vts", "label": "VTS"}],
    }


@st.composite
def maturity(draw, qid, ctx) -> dict:
    levels = [{"label": f"Level {i}"} for i in range(draw(st.integers(3, 6)))]
    question = {
        "id": qid,
        "type": "maturity",
        "text": draw(texts),
        "levels": levels,
        "dont_know": draw(st.booleans()),
        "not_applicable": draw(st.booleans()),
    }
    return question | _scored_keys(draw, *ctx)


@st.composite
def multiple_choice(draw, qid, ctx) -> dict:
    n = draw(st.integers(2, 5))
    items = [
        {"id": f"i{i}", "label": f"Item {i}", "score": round(1 / n + 0.01, 4)} for i in range(n)
    ]
    question = {
        "id": qid,
        "type": "multiple_choice",
        "text": draw(texts),
        "choices": items,
        "dont_know": draw(st.booleans()),
        "not_applicable": draw(st.booleans()),
    }
    return question | _scored_keys(draw, *ctx)


@st.composite
def number(draw, qid, ctx) -> dict:
    better = draw(st.sampled_from(["lower", "higher"]))
    values = sorted(draw(st.lists(st.integers(1, 365), min_size=1, max_size=4, unique=True)))
    if better == "higher":
        values.reverse()
    band_scores = sorted(
        draw(st.lists(scores, min_size=len(values) - 1, max_size=len(values) - 1)), reverse=True
    )
    thresholds = [
        {"value": float(v), "score": s} for v, s in zip(values, [1.0, *band_scores], strict=True)
    ]
    question = {
        "id": qid,
        "type": "number",
        "text": draw(texts),
        "better": better,
        "thresholds": thresholds,
        "otherwise": 0.0,
        "min": 0.0,
        "max": 1000.0,
        "dont_know": draw(st.booleans()),
    }
    return question | _scored_keys(draw, *ctx)


@st.composite
def free_text(draw, qid, ctx) -> dict:
    return {"id": qid, "type": "text", "text": draw(texts)}


QUESTION_KINDS = [
    single_choice,
    maturity,
    multiple_choice,
    number,
    free_text,
    profile_choice,
    profile_checklist,
]


@st.composite
def question_sets(draw, max_sections: int = 4, max_questions: int = 5) -> dict:
    mitigations = [f"m{i}" for i in range(draw(st.integers(1, 4)))]
    threats = [f"t{i}" for i in range(draw(st.integers(1, 3)))]
    references = ["NIS2-21.2.a", "NIS2-21.2.b", "CSF-PR.AA", "CSF-DE.CM"]
    ctx = (mitigations, threats, references)
    sections, choice_questions, counter = [], [], 0
    for s in range(draw(st.integers(1, max_sections))):
        questions = []
        section_condition = None
        if choice_questions and draw(st.integers(0, 3)) == 0:
            section_condition = draw(st.sampled_from(choice_questions))
        for _ in range(draw(st.integers(1, max_questions))):
            counter += 1
            kind = draw(st.sampled_from(QUESTION_KINDS))
            question = draw(kind(f"q{counter}", ctx))
            if choice_questions and draw(st.integers(0, 4)) == 0:
                target = draw(st.sampled_from(choice_questions))
                question["show_if"] = {"question": target[0], "in": [target[1]]}
            questions.append(question)
            if question.get("scored") is False:  # only profile questions drive conditions
                choice_questions.append((question["id"], question["choices"][0]["id"]))
        section = {
            "id": f"s{s}",
            "title": draw(texts),
            "weight": draw(weights),
            "questions": questions,
        }
        if section_condition:
            section["show_if"] = {"question": section_condition[0], "in": [section_condition[1]]}
        sections.append(section)
    return {
        "schema_version": 1,
        "id": "random-set",
        "version": draw(st.integers(1, 99)),
        "title": draw(texts),
        "language": "en",
        "frameworks": [{"id": "NIS2", "title": "NIS2"}, {"id": "CSF", "title": "CSF 2.0"}],
        "references": [{"id": r, "title": r} for r in references],
        "threats": [
            {"id": t, "title": t, "description": "d", "incidents": [{"year": 2020, "title": "i"}]}
            for t in threats
        ],
        "mitigations": [
            {
                "id": m,
                "title": m,
                "how": "how",
                "effort": draw(st.sampled_from(["low", "medium", "high"])),
                "horizon": draw(st.sampled_from(["quick_win", "90_days", "12_months"])),
            }
            for m in mitigations
        ],
        "sections": sections,
    }


def _raw_value(draw, question) -> object:
    """A valid raw answer to a question model, of any kind it allows."""
    from assessment.questionset.types import (
        MaturityQuestion,
        MultipleChoiceQuestion,
        NumberQuestion,
        SingleChoiceQuestion,
        TextQuestion,
    )

    specials = []
    if getattr(question, "dont_know", False):
        specials.append("dont_know")
    if getattr(question, "not_applicable", False):
        specials.append("not_applicable")
    if specials and draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(specials))
    if isinstance(question, SingleChoiceQuestion):
        return draw(st.sampled_from([c.id for c in question.options]))
    if isinstance(question, MaturityQuestion):
        return draw(st.integers(0, question.top))
    if isinstance(question, MultipleChoiceQuestion):
        return draw(st.lists(st.sampled_from([c.id for c in question.choices]), unique=True))
    if isinstance(question, NumberQuestion):
        return draw(st.integers(int(question.min), int(question.max)))
    assert isinstance(question, TextQuestion)
    return draw(texts)


@st.composite
def raw_answers(draw, question_set) -> dict:
    """Answers to a random subset of the questions asked (the rest unanswered), as an answers
    file has them: "not applicable" with its reason, nothing for questions not asked."""
    from assessment.scoring import shown_questions

    answers, parsed = {}, {}
    for question in question_set.questions():
        if draw(st.integers(0, 5)) > 0:
            value = _raw_value(draw, question)
            parsed[question.id] = answer = question.parse_answer(value)
            if answer.status == "not_applicable":
                value = {"value": value, "comment": "It does not exist here."}
            answers[question.id] = value
    shown = shown_questions(question_set, parsed)
    return {qid: value for qid, value in answers.items() if qid in shown}
