"""The posting-timeline chart of the account page as inline SVG (no script, nothing from the internet)."""

from __future__ import annotations

from markupsafe import Markup

from search_api.schemas_accounts import WeekCount

WIDTH, HEIGHT, PAD = 640, 160, 24


def timeline_svg(weeks: list[WeekCount]) -> Markup:
    """Bars of posts per week, the week's Monday under every fourth bar, the highest count on the left."""
    if not weeks:
        return Markup("")
    top = max(max(w.posts for w in weeks), 1)
    step = (WIDTH - 2 * PAD) / len(weeks)
    parts = [Markup('<svg class="chart" role="img" aria-label="每周发文数 posts per week" width="{}" height="{}" '
                    'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">').format(WIDTH, HEIGHT, WIDTH, HEIGHT),
             Markup('<text x="2" y="{}">{}</text>').format(PAD, top)]
    for n, w in enumerate(weeks):
        h = (HEIGHT - 2 * PAD) * w.posts / top
        x = PAD + n * step
        parts.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{} {} 条</title></rect>')
                     .format(x, HEIGHT - PAD - h, max(step - 2, 1), h, w.week_start.isoformat(), w.posts))
        if n % 4 == 0:
            parts.append(Markup('<text x="{:.1f}" y="{}">{}</text>').format(x, HEIGHT - 6, w.week_start.strftime("%m-%d")))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
