"""Charts drawn on the server as inline SVG: crisp at any zoom, no script, no fetching.

Every text placed in the SVG is escaped here, which is why the output may be marked safe.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup


def _band(score: float) -> str:
    if score >= 70:
        return "good"
    return "fair" if score >= 40 else "poor"


def bar_chart(
    rows: list[tuple[str, float | None]],
    *,
    title: str,
    width: int = 720,
    label_width: int = 300,
    max_label: int = 38,
) -> Markup:
    """Horizontal bars of 0-100 scores, one per (label, score); None draws "not scored"."""
    bar_height, gap, top = 22, 10, 8
    height = top + len(rows) * (bar_height + gap) + 26
    plot = width - label_width - 50
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + plot * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 22}" class="grid"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" class="tick" text-anchor="middle">{tick}</text>'
        )
    for index, (label, score) in enumerate(rows):
        y = top + index * (bar_height + gap)
        short = label if len(label) <= max_label else label[: max_label - 1].rstrip() + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" '
            f'class="label" text-anchor="end">{escape(short)}</text>'
        )
        if score is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + bar_height * 0.7:.1f}" '
                f'class="none">not scored</text>'
            )
            continue
        length = max(plot * score / 100, 1.5)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}" class="bar bar-{_band(score)}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'class="value">{score:.0f}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
