"""The documented constants of the scoring method, in one place.

questionnaires/README.md ("How scoring works") and the report's method section print these.
"""

from __future__ import annotations

from .result import Maturity

# Priority = severity points x question weight x score gap. Points double per step, so one
# critical gap outranks three high ones of the same weight.
SEVERITY_POINTS = {"critical": 8, "high": 4, "medium": 2, "low": 1}

# Maturity bands over the overall score (0-100): (lowest score, level, label).
MATURITY_BANDS = (
    (90, 5, "Optimised"),
    (70, 4, "Managed"),
    (50, 3, "Defined"),
    (25, 2, "Developing"),
    (0, 1, "Initial"),
)

# Threat exposure from the weighted score of the applicable questions that enable the threat.
EXPOSED_BELOW = 0.5  # below half of the possible score: exposed


def maturity_for(score: float | None) -> Maturity | None:
    if score is None:
        return None
    for lowest, level, label in MATURITY_BANDS:
        if score >= lowest:
            return Maturity(level, label)
    raise AssertionError("bands cover 0-100")


def priority(severity: str, weight: float, score: float) -> tuple[float, str]:
    """The priority of a weakness and the sum that explains it."""
    points = SEVERITY_POINTS[severity]
    gap = 1.0 - score
    value = round(points * weight * gap, 4)
    return value, (
        f"{severity} ({points}) x weight {weight:g} x gap {gap:.2f} "
        f"(the answer scores {score:.2f} of 1) = {value:g}"
    )


def exposure_for(score: float | None, weaknesses: int) -> str:
    if score is None:
        return "not_assessed"
    if weaknesses == 0:
        return "covered"
    return "exposed" if score < EXPOSED_BELOW else "partly"
