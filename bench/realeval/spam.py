"""Spam injections into real pages (bench/labels/spam_injections.tsv) and real pages left alone."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bench.realeval.corpus import RealPage, read_labels
from crawler.pages.encoding import decode_text

_BODY = re.compile(r"<body[^>]*>", re.I)
_BODY_END = re.compile(r"</body\s*>", re.I)


def inject(html: str, at: str, payload: str) -> str:
    """The page with `payload` where an attacker puts it (top of body, end of body, after </html>)."""
    if at == "top" and (found := _BODY.search(html)):
        return html[: found.end()] + payload + html[found.end() :]
    if at == "end" and (ends := list(_BODY_END.finditer(html))):
        return html[: ends[-1].start()] + payload + html[ends[-1].start() :]
    return html + payload


def measure(pages: Iterable[RealPage]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str], list[str]]:
    """caught, injected, flagged real pages, real pages per part, and the tune part's misses."""
    from audit.content.spam import SpamInspector

    inspector = SpamInspector()
    payloads = list(read_labels("spam_injections.tsv"))
    caught: Counter[str] = Counter()
    injected: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    real: Counter[str] = Counter()
    misses = []
    for page in pages:
        html = decode_text(page.raw, None).text
        real[page.part] += 1
        if (report := inspector.inspect(html, "")).compromised:
            flagged[page.part] += 1
            misses.append(f"real page flagged: {page.name} {[e.kind for e in report.evidence]}")
        for payload in payloads:
            injected[page.part] += 1
            if inspector.inspect(inject(html, payload["at"], payload["html"]), "").compromised:
                caught[page.part] += 1
            elif page.part == "tune":
                misses.append(f"missed {payload['id']} in {page.name}")
    return caught, injected, flagged, real, misses
