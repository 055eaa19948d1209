"""A compact, scriptable summary of a question set (``port-assess questionnaire show --json``)."""

from __future__ import annotations

from collections import Counter

from .document import QuestionSet


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
                "weight": question.weight,
                "scored": question.scored,
            }
            if question.show_if:
                entry["show_if"] = {
                    "question": question.show_if.question,
                    "in": list(question.show_if.in_),
                }
            if question.answer_choices:
                entry["choices"] = [{"id": c.id, "score": c.score} for c in question.answer_choices]
            questions.append(entry)
            citations.update(getattr(question, "references", ()))
        item: dict = {
            "id": section.id,
            "title": section.title,
            "weight": section.weight,
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
