"""Charts as inline SVG: the HTML report must open offline, so no chart library is fetched.

Each function returns one <svg> element with a <title> and one <rect
class="bar"> per value, which is what the browser test counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = 18
GAP = 6
LABEL_W = 190
WIDTH = 640
COLOURS = ("#2b6cb0", "#c53030", "#2f855a", "#b7791f")


def hbar_chart(title: str, rows: Sequence[tuple[str, float, str]], max_value: float | None = None,
               colour: str = COLOURS[0]) -> str:
    """Horizontal bars: (label, value, text shown after the bar)."""
    top = max([max_value or 0.0, *(v for _, v, _ in rows)]) or 1.0
    height = 28 + len(rows) * (BAR + GAP)
    span = WIDTH - LABEL_W - 70
    parts = [_open(title, WIDTH, height)]
    for i, (label, value, text) in enumerate(rows):
        y = 24 + i * (BAR + GAP)
        w = max(1.0, span * value / top) if value else 0.0
        parts.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR - 5}" text-anchor="end">{escape(_clip(label))}</text>'
            f'<rect class="bar" x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR}" fill="{colour}">'
            f"<title>{escape(label)}: {escape(text)}</title></rect>"
            f'<text x="{LABEL_W + w + 4:.1f}" y="{y + BAR - 5}">{escape(text)}</text>'
        )
    return "".join(parts) + "</svg>"


def column_chart(title: str, rows: Sequence[tuple[str, int]], colour: str = COLOURS[2]) -> str:
    """Vertical columns, one per day, labelled every few days (posting activity)."""
    n = max(1, len(rows))
    top = max([v for _, v in rows] + [1])
    plot_h, left = 160, 40
    step = (WIDTH - left - 10) / n
    parts = [_open(title, WIDTH, plot_h + 60),
             f'<text x="{left - 4}" y="34" text-anchor="end">{top}</text>',
             f'<line x1="{left}" y1="{plot_h + 24}" x2="{WIDTH - 10}" y2="{plot_h + 24}" stroke="#888"/>']
    every = max(1, n // 8)
    for i, (label, value) in enumerate(rows):
        h = plot_h * value / top
        x = left + i * step
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{plot_h + 24 - h:.1f}" width="{max(1.0, step - 2):.1f}" '
                     f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}: {value}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{plot_h + 40}">{escape(label[5:])}</text>')
    return "".join(parts) + "</svg>"


def _open(title: str, width: int, height: int) -> str:
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-size="12">'
            f"<title>{escape(title)}</title>"
            f'<text x="4" y="14" font-weight="bold">{escape(title)}</text>')


def _clip(label: str, limit: int = 16) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def percent(value: float | None) -> str:
    """0.5926 -> '59.3%'; None (nothing checked) -> '—'."""
    return "—" if value is None else f"{value * 100:.1f}%"
