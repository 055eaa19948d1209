"""The result as JSON: the machine-readable export that authorities and other tools read.

The shape is documented in the README ("The result as JSON"); only add keys, never rename.
"""

from __future__ import annotations

from typing import Any

from assessment.limits import AnswerStatus

from .result import Result

# 2: levels are security postures capped by open weaknesses; a plan item's priority is what it
# closes (no longer a share of every weakness naming it); evidence fields.
FORMAT_VERSION = 2


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def result_to_json(result: Result) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "questionnaire": {
            "id": result.questionnaire_id,
            "version": result.questionnaire_version,
            "title": result.questionnaire_title,
        },
        "overall": {
            "score": _round(result.overall),
            "maturity": None
            if result.maturity is None
            else {
                "level": result.maturity.level,
                "label": result.maturity.label,
                "band": result.maturity.band,
                "capped": result.maturity.capped,
            },
            "open_critical": result.open_critical,
            "open_high": result.open_high,
        },
        "completeness": round(result.completeness, 4),
        "counts": {
            "applicable": result.applicable,
            "answered": result.answered,
            "unanswered": len(result.unanswered),
            "information_gaps": len(result.information_gaps),
            "not_applicable": len(result.not_applicable),
            "weaknesses": len(result.weaknesses),
            "weaknesses_by_severity": result.severity_counts,
            "answers_with_evidence": result.with_evidence,
            "answers_missing_expected_evidence": len(result.missing_evidence),
            "answers_marked_for_review": len(result.marked_for_review),
        },
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "weight": s.weight,
                "shown": s.visible,
                "score": _round(s.score),
                "answered": s.answered,
                "applicable": s.applicable,
            }
            for s in result.sections
        ],
        "weaknesses": [
            {
                "question_id": w.question_id,
                "section_id": w.section_id,
                "title": w.title,
                "severity": w.severity,
                "priority": round(w.priority, 2),
                "priority_explained": w.priority_explained,
                "section_weight": w.section_weight,
                "answer": w.answer,
                "score": round(w.score, 4),
                "information_gap": w.information_gap,
                "comment": w.comment,
                "mitigations": list(w.mitigations),
                "threats": list(w.threats),
                "references": list(w.references),
            }
            for w in result.weaknesses
        ],
        "action_plan": [
            {
                "mitigation_id": a.mitigation_id,
                "title": a.title,
                "horizon": a.horizon,
                "effort": a.effort,
                "priority": round(a.priority, 2),
                "share": round(a.share, 4),
                "support_priority": round(a.support_priority, 2),
                "closes": list(a.closes),
                "supports": list(a.supports),
                "addresses": list(a.addresses),
            }
            for a in result.action_plan
        ],
        "coverage": {
            c.id: {"score": _round(c.score), "questions": c.questions, "answered": c.answered}
            for c in result.coverage
        },
        "frameworks": [
            {
                "id": f.id,
                "title": f.title,
                "score": _round(f.score),
                "questions": f.questions,
                "answered": f.answered,
                "groups": [
                    {
                        "id": g.id,
                        "score": _round(g.score),
                        "questions": g.questions,
                        "answered": g.answered,
                    }
                    for g in f.groups
                ],
            }
            for f in result.frameworks
        ],
        "threats": [
            {
                "id": t.id,
                "title": t.title,
                "exposure": t.exposure,
                "score": _round(t.score),
                "enabling": list(t.enabling),
                "present": list(t.present),
            }
            for t in result.threats
        ],
        "information_gaps": list(result.information_gaps),
        "unanswered": list(result.unanswered),
        "not_applicable": list(result.not_applicable),
        "missing_evidence": list(result.missing_evidence),
        "answers": [
            {
                "question_id": q.question_id,
                "section_id": q.section_id,
                "status": q.status,
                "answer": q.answer,
                "comment": q.comment,
                "evidence": q.evidence,
                "evidence_checked": q.evidence_checked,
                "evidence_expected": q.evidence_expected,
                "marked_for_review": q.marked_for_review,
                "score": None if q.score is None else round(q.score, 4),
            }
            for q in result.questions
            if q.status != AnswerStatus.HIDDEN
        ],
    }
