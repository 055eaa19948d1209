"""Charts drawn on the server as inline SVG: crisp at any zoom, no script, no fetching.

Colours and fonts are presentation attributes on the elements, because WeasyPrint draws inline
SVG without the page's stylesheet; the web page's CSS may still override them by class. Every
text placed in the SVG is escaped here, which is why the output may be marked safe.
"""

from __future__ import annotations

from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

INK, MUTED, GRID = "#1b2430", "#4a5568", "#d8dee6"
BAND_COLOURS = {"good": "#1e6b35", "fair": "#b07400", "poor": "#a61b1b"}
FONT = 'font-family="DejaVu Sans, system-ui, sans-serif" font-size="12"'


def _band(score: float) -> str:
    if score >= 70:
        return "good"
    return "fair" if score >= 40 else "poor"


def _text(
    x: float, y: float, text: str, css_class: str, *, anchor: str = "start", fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css_class}" text-anchor="{anchor}" '
        f'fill="{fill}" {FONT}>{escape(text)}</text>'
    )


def bar_chart(
    rows: list[tuple[str, float | None]],
    *,
    title: str,
    width: int = 720,
    label_width: int = 380,
    max_label: int | None = None,
) -> Markup:
    """Horizontal bars of 0-100 scores, one per (label, score); None draws "not scored".
    A label is shortened only when it would not fit its column (about 7 units a character at
    this font size), never shorter than the room allows."""
    max_label = max_label or label_width // 7
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
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 22}" '
            f'class="grid" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, height - 6, str(tick), "tick", anchor="middle", fill=MUTED))
    for index, (label, score) in enumerate(rows):
        y = top + index * (bar_height + gap)
        baseline = y + bar_height * 0.7
        short = label if len(label) <= max_label else label[: max_label - 1].rstrip() + "…"
        parts.append(_text(label_width - 8, baseline, short, "label", anchor="end"))
        if score is None:
            parts.append(_text(label_width + 4, baseline, _("not scored"), "none", fill=MUTED))
            continue
        band = _band(score)
        length = max(plot * score / 100, 1.5)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" '
            f'height="{bar_height}" class="bar bar-{band}" '
            f'fill="{BAND_COLOURS[band]}"/>'
        )
        parts.append(_text(label_width + length + 6, baseline, f"{score:.0f}", "value"))
    parts.append("</svg>")
    # Every text above went through escape(); the rest is our own markup.
    return Markup("".join(parts))  # noqa: S704  # nosec B704
