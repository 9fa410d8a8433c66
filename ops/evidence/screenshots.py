"""Screenshots of compromised pages and browser-rendered pages, taken from the stored snapshot.

The snapshot is rendered offline — JavaScript off, every network request
aborted — so a screenshot shows the page exactly as it was fetched, and
never loads the gambling site a compromised page links to.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from datetime import datetime

from core.config import Settings
from index.base import Backend
from ops.evidence.browser import chromium, chromium_path
from ops.evidence.store import EvidenceStore, Snapshot

log = logging.getLogger(__name__)
VIEWPORT = {"width": 1280, "height": 1600}
_CHARSET = re.compile(r"charset=([\w-]+)", re.IGNORECASE)


def screenshot_targets(backend: Backend, store: EvidenceStore, limit: int = 200) -> list[Snapshot]:
    """The newest snapshot of each compromised page and each browser-rendered source without a screenshot yet."""
    wanted: list[Snapshot] = []
    for finding in backend.list_findings(kind="spam_injection", status="open"):
        wanted += store.find(url=finding.subject_key, kind="response", limit=1)
    wanted += store.rendered_latest(limit)
    out, seen = [], set()
    for snap in wanted:
        if snap.url in seen or _has_screenshot(store, snap):
            continue
        seen.add(snap.url)
        out.append(snap)
    return out[:limit]


def _has_screenshot(store: EvidenceStore, snap: Snapshot) -> bool:
    shots = store.find(url=snap.url, kind="screenshot", limit=1)
    return bool(shots) and shots[0].fetched_at >= snap.fetched_at


def capture(backend: Backend, settings: Settings, now: datetime) -> str:
    """Screenshots for whatever needs one, when a browser is installed; a one-line summary."""
    if not os.access(chromium_path(), os.X_OK):
        return f"screenshots: skipped (no browser at {chromium_path()})"
    store = EvidenceStore.from_settings(settings)
    try:
        if settings.evidence.get("screenshots", True) is False:
            return "screenshots: off ([evidence] screenshots = false)"
        return f"screenshots: {take_screenshots(store, screenshot_targets(backend, store), now)} taken"
    finally:
        store.close()


def take_screenshots(store: EvidenceStore, snapshots: Iterable[Snapshot], now: datetime) -> int:
    """A PNG per snapshot, stored as kind "screenshot" under the same URL and subject; the count taken."""
    snapshots = list(snapshots)
    if not snapshots:
        return 0
    taken = 0
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False, viewport=VIEWPORT)
        context.route("**/*", lambda route: route.abort())  # offline: nothing but the stored bytes
        page = context.new_page()
        for snap in snapshots:
            body = store.read(snap.sha256)
            if body is None:
                continue
            try:
                page.set_content(decode(body, snap.content_type), wait_until="load", timeout=15_000)
                png = page.screenshot(full_page=False)
            except Exception as exc:  # noqa: BLE001 — one unrenderable page must not cost the others
                log.warning("no screenshot of %s: %s", snap.url, exc)
                continue
            store.put(snap.url, png, now, subject=snap.subject, kind="screenshot", content_type="image/png")
            taken += 1
        context.close()
    return taken


def decode(body: bytes, content_type: str) -> str:
    """The page's text: its declared charset, else UTF-8, else GB18030 (what Chinese sites use)."""
    declared = _CHARSET.search(content_type) or _CHARSET.search(body[:2048].decode("ascii", "replace"))
    for encoding in ([declared.group(1)] if declared else []) + ["utf-8", "gb18030"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", "replace")
