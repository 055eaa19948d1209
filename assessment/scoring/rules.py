"""The documented constants of the scoring method, in one place.

questionnaires/README.md ("How scoring works") and the report's method section print these.
"""

from __future__ import annotations

from .result import Maturity

# Priority = severity points x section weight x question weight x score gap. Points double per
# step, so one critical gap outranks three high ones of the same weights.
SEVERITY_POINTS = {"critical": 8, "high": 4, "medium": 2, "low": 1}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}

# Levels describe the security posture the answers show, not process maturity. The overall score
# gives a band; open weaknesses cap it, so an average can never hide a critical gap.
LEVELS = {
    5: "Well protected",
    4: "Protected",
    3: "Partly protected",
    2: "Exposed",
    1: "Critically exposed",
}
# (lowest overall score, level): the band the average alone would give.
BANDS = ((90, 5), (70, 4), (50, 3), (25, 2), (0, 1))
# While a weakness of this severity is open (answered below the best, or "don't know"), the
# level is at most this, whatever the average.
CAPS = {"critical": 2, "high": 3}
# Kept for the report's method appendix: the bands with their names.
MATURITY_BANDS = tuple((lowest, level, LEVELS[level]) for lowest, level in BANDS)

# Threat exposure from the weighted score of the applicable questions that enable the threat.
EXPOSED_BELOW = 0.5  # below half of the possible score: exposed


def band_for(score: float) -> int:
    for lowest, level in BANDS:
        if score >= lowest:
            return level
    raise AssertionError("bands cover 0-100")


def cap_for(open_by_severity: dict[str, int]) -> int:
    """The highest level allowed by the open weaknesses (5 when none caps it)."""
    caps = [cap for severity, cap in CAPS.items() if open_by_severity.get(severity)]
    return min(caps, default=max(LEVELS))


def maturity_for(score: float | None, open_by_severity: dict[str, int]) -> Maturity | None:
    """The level: the band of the overall score, capped by the open weaknesses."""
    if score is None:
        return None
    band = band_for(score)
    level = min(band, cap_for(open_by_severity))
    return Maturity(level, LEVELS[level], band=band, capped=level < band)


def priority(
    severity: str, section_weight: float, question_weight: float, score: float
) -> tuple[float, str]:
    """The priority of a weakness and the words that explain it."""
    points = SEVERITY_POINTS[severity]
    gap = 1.0 - score
    value = round(points * section_weight * question_weight * gap, 4)
    return value, (
        f"{severity} ({points}) × section weight {section_weight:g} × question weight "
        f"{question_weight:g} × gap {gap:.2f} = {value:g}"
    )


def weakness_order(weakness) -> tuple:
    """Highest priority first; ties by severity, then section weight, then gap, then the
    question's weight and id: never by where the question sits in the file."""
    return (
        -weakness.priority,
        SEVERITY_ORDER[weakness.severity],
        -weakness.section_weight,
        weakness.score,
        -weakness.weight,
        weakness.question_id,
    )


def exposure_for(score: float | None, weaknesses: int) -> str:
    if score is None:
        return "not_assessed"
    if weaknesses == 0:
        return "covered"
    return "exposed" if score < EXPOSED_BELOW else "partly"
