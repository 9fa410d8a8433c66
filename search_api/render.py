"""Server-side rendering of the page with Jinja2 (autoescaped; no front-end build, no script)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from search_api import labels
from search_api.reasons_zh import reason_zh

TEMPLATES = Path(__file__).resolve().parent / "templates"


def safe_url(url: str | None) -> str:
    """`url` when it is http(s), else "" — a crawled ``javascript:`` URL must never become a link."""
    if not url:
        return ""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


def link(url: str | None, text: str | None = None) -> Markup:
    """An <a> to `url` when it is http(s); otherwise the text (or URL) as plain, escaped text."""
    shown = text or url or ""
    target = safe_url(url)
    if not target:
        return Markup("<span>{}</span>").format(shown)
    return Markup('<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>').format(target, shown)


def when(value: datetime | str | None) -> str:
    """A datetime as 2026-11-20 09:30 (China time), or "" when unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value[:16].replace("T", " ")
    return value.strftime("%Y-%m-%d %H:%M")


def spam(text: str, terms: list[str]) -> Markup:
    """`text` escaped, with each injected term marked."""
    escaped = str(Markup.escape(text))
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        safe = str(Markup.escape(term))
        escaped = escaped.replace(safe, f'<mark class="spam">{safe}</mark>')
    return Markup(escaped)


def qs(state: dict[str, Any], **changes: Any) -> str:
    """The URL query of a search state with some fields changed (empty fields left out)."""
    merged = {**state, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(link=link, safe_url=safe_url, when=when, spam=spam, reason_zh=reason_zh,
                       platform=lambda v: labels.label(labels.PLATFORM_ZH, v),
                       kind=lambda v: labels.label(labels.KIND_ZH, v),
                       severity=lambda v: labels.label(labels.SEVERITY_ZH, v),
                       status=lambda v: labels.label(labels.STATUS_ZH, v),
                       state=lambda v: labels.label(labels.STATE_ZH, v))
    env.globals.update(labels=labels, qs=qs)
    return env


ENV = _env()


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render templates/`template` as an HTML response."""
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status_code)
