"""The action plan: mitigations deduplicated across weaknesses, most useful first."""

from __future__ import annotations

from collections import defaultdict

from assessment.questionset import QuestionSet
from assessment.questionset.document import HORIZONS

from .result import ActionItem, FoundWeakness


def action_plan(
    question_set: QuestionSet, weaknesses: list[FoundWeakness]
) -> tuple[ActionItem, ...]:
    """One item per mitigation that addresses at least one weakness.

    A weakness's priority is shared equally among the mitigations it names: that share is what
    carrying out the mitigation removes. Items are grouped by horizon (quick wins first) and
    ordered by the priority they remove within each group.
    """
    removed: dict[str, float] = defaultdict(float)
    addresses: dict[str, list[str]] = defaultdict(list)
    for weakness in weaknesses:
        share = weakness.priority / len(weakness.mitigations)
        for mitigation_id in weakness.mitigations:
            removed[mitigation_id] += share
            addresses[mitigation_id].append(weakness.question_id)
    items = []
    for mitigation_id, total in removed.items():
        mitigation = question_set.mitigation(mitigation_id)
        items.append(
            ActionItem(
                mitigation_id=mitigation_id,
                title=mitigation.title,
                how=mitigation.how,
                effort=mitigation.effort,
                horizon=mitigation.horizon,
                addresses=tuple(addresses[mitigation_id]),
                priority=round(total, 4),
            )
        )
    horizon_rank = {h: i for i, h in enumerate(HORIZONS)}
    items.sort(key=lambda i: (horizon_rank[i.horizon], -i.priority, i.mitigation_id))
    return tuple(items)
