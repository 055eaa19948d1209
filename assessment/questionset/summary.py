"""A compact, scriptable summary of a question set (``port-assess questionnaire show --json``)."""

from __future__ import annotations

from collections import Counter

from .base import Choice
from .document import QuestionSet


def _choice(choice: Choice) -> dict:
    entry: dict = {"id": choice.id, "label": choice.label, "score": choice.score}
    for flag in ("dont_know", "not_applicable"):
        if getattr(choice, flag):
            entry[flag] = True
    return entry


def summarise(question_set: QuestionSet) -> dict:
    """Ids, structure and counts; the shape is a contract for scripts, so only add keys."""
    citations: Counter[str] = Counter()
    sections = []
    for section in question_set.sections:
        questions = []
        for question in section.questions:
            entry: dict = {
                "id": question.id,
                "type": question.type_name,
                "text": question.text,
                "weight": question.weight,
                "scored": question.scored,
            }
            weakness = getattr(question, "weakness", None)
            if weakness:
                entry["severity"] = weakness.severity
            if question.evidence:
                entry["evidence"] = question.evidence
            if question.show_if:
                entry["show_if"] = {
                    "question": question.show_if.question,
                    "in": list(question.show_if.in_),
                }
            if question.answer_choices:
                entry["choices"] = [_choice(c) for c in question.answer_choices]
            entry.update(question.scoring_terms())
            for flag in ("dont_know", "not_applicable"):
                if getattr(question, flag, False) is True:
                    entry[flag] = True
            questions.append(entry)
            citations.update(getattr(question, "references", ()))
        item: dict = {
            "id": section.id,
            "title": section.title,
            "weight": section.weight,
            "effective_weight": section.effective_weight,
            "questions": questions,
        }
        if section.show_if:
            item["show_if"] = {
                "question": section.show_if.question,
                "in": list(section.show_if.in_),
            }
        sections.append(item)
    all_questions = list(question_set.questions())
    return {
        "id": question_set.id,
        "version": question_set.version,
        "title": question_set.title,
        "language": question_set.language,
        "sections": sections,
        "counts": {
            "sections": len(question_set.sections),
            "questions": len(all_questions),
            "scored_questions": sum(q.scored for q in all_questions),
            "mitigations": len(question_set.mitigations),
            "threats": len(question_set.threats),
            "references": len(question_set.references),
        },
        "references": [
            {"id": ref_id, "questions": citations[ref_id]} for ref_id in sorted(citations)
        ],
    }


def summary_lines(summary: dict) -> list[str]:
    """The summary as text a person reads: every section and question with how it scores."""
    lines = [
        f"{summary['title']} ({summary['id']} version {summary['version']}, "
        f"language {summary['language']})"
    ]
    for section in summary["sections"]:
        weight = f"weight {section['effective_weight']:g}"
        if not section["effective_weight"]:
            weight += ", not scored"
        condition = _condition_words(section.get("show_if"))
        lines.append(
            f"  {section['id']}: {section['title']} ({weight}; "
            f"{_count(section['questions'], 'question')}{condition})"
        )
        for question in section["questions"]:
            lines.append(f"    {question['id']}: {_question_words(question)}")
            terms = _scoring_words(question)
            if terms:
                lines.append(f"        {terms}")
    lines.append("  " + ", ".join(f"{k}: {v}" for k, v in summary["counts"].items()))
    return lines


def _condition_words(condition: dict | None) -> str:
    if not condition:
        return ""
    return f"; shown if {condition['question']} is {' or '.join(condition['in'])}"


def _question_words(question: dict) -> str:
    words = [question["type"].replace("_", " ")]
    if question.get("unit"):
        words[0] += f" ({question['unit']})"
    if question["scored"]:
        words.append(f"weight {question['weight']:g}")
        if "severity" in question:
            words.append(question["severity"])
    else:
        words.append("not scored")
    if question.get("evidence"):
        words.append("evidence expected")
    return ", ".join(words) + _condition_words(question.get("show_if"))


def _scoring_words(question: dict) -> str:
    """Choices with their scores, maturity levels, or number bands, on one line."""
    if "choices" in question:
        parts = [
            c["id"] if c.get("score") is None else f"{c['id']} {c['score']:g}"
            for c in question["choices"]
        ]
    elif "levels" in question:
        parts = [f"{lv['level']} {lv['label']} {lv['score']:g}" for lv in question["levels"]]
    elif "thresholds" in question:
        sign = "<=" if question["better"] == "lower" else ">="
        parts = [f"{sign} {t['value']:g}: {t['score']:g}" for t in question["thresholds"]]
        parts.append(f"otherwise {question['otherwise']:g}")
    else:
        return ""
    parts += [flag for flag in ("dont_know", "not_applicable") if question.get(flag)]
    return " · ".join(parts)


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"
