"""The action plan: mitigations deduplicated across weaknesses, what closes the most risk first.

A question lists its mitigations with the primary one first: the measure that closes the
weakness when carried out. The others support it. A mitigation's priority is the priority of the
weaknesses it closes, so "turn on multi-factor authentication" for an exposed booking system
ranks on that weakness's whole weight, never level with a staff briefing listed beside it.
"""

from __future__ import annotations

from collections import defaultdict

from assessment.questionset import QuestionSet
from assessment.questionset.document import HORIZONS

from .result import ActionItem, FoundWeakness


def action_plan(
    question_set: QuestionSet, weaknesses: list[FoundWeakness]
) -> tuple[ActionItem, ...]:
    """One item per mitigation named by at least one weakness, grouped by horizon (quick wins
    first); within a horizon, by the priority it closes, then by the priority it supports."""
    total = sum(w.priority for w in weaknesses) or 1.0
    closes: dict[str, list[FoundWeakness]] = defaultdict(list)
    supports: dict[str, list[FoundWeakness]] = defaultdict(list)
    named: dict[str, list[str]] = defaultdict(list)
    for weakness in weaknesses:
        primary, *others = weakness.mitigations
        closes[primary].append(weakness)
        named[primary].append(weakness.question_id)
        for mitigation_id in others:
            supports[mitigation_id].append(weakness)
            named[mitigation_id].append(weakness.question_id)
    items = []
    for mitigation_id, question_ids in named.items():
        mitigation = question_set.mitigation(mitigation_id)
        closed = sum(w.priority for w in closes[mitigation_id])
        items.append(
            ActionItem(
                mitigation_id=mitigation_id,
                title=mitigation.title,
                how=mitigation.how,
                effort=mitigation.effort,
                horizon=mitigation.horizon,
                addresses=tuple(question_ids),
                priority=round(closed, 4),
                closes=tuple(w.question_id for w in closes[mitigation_id]),
                supports=tuple(w.question_id for w in supports[mitigation_id]),
                share=round(closed / total, 4),
                support_priority=round(sum(w.priority for w in supports[mitigation_id]), 4),
            )
        )
    horizon_rank = {h: i for i, h in enumerate(HORIZONS)}
    items.sort(
        key=lambda i: (horizon_rank[i.horizon], -i.priority, -i.support_priority, i.mitigation_id)
    )
    return tuple(items)
