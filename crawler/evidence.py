"""Keep every response as evidence: raw bytes, content-addressed, in the evidence store beside the data.

A downloader middleware just after HTTP decompression, so it sees what the site answered (and, for
browser-rendered pages, what Chromium rendered) before any parsing. Each
response is filed under its source — "platform:account_id" from
`meta["govwatch_source"]` or the URL, the URL itself for a web page — so a
finding about an account or a page can show the bytes it was judged on.
Off with GOVWATCH_EVIDENCE = False.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core.config import load_settings
from crawler.sources import source_of
from ops.evidence.store import EvidenceStore

log = logging.getLogger(__name__)


def subject_of(url: str, meta: dict[str, Any]) -> str:
    """The subject a response is evidence for."""
    source = meta.get("govwatch_source") or {}
    platform, account_id = source.get("platform", ""), source.get("account_id", "")
    if not (platform and account_id):
        platform, account_id = source_of(url)
    return f"{platform}:{account_id}" if platform != "website" and account_id else url


class EvidenceMiddleware:
    """Downloader middleware storing each response's bytes (deduplicated by hash)."""

    def __init__(self, store: EvidenceStore, stats: Any):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> EvidenceMiddleware:
        if not crawler.settings.getbool("GOVWATCH_EVIDENCE", True):
            raise NotConfigured("GOVWATCH_EVIDENCE is off")
        settings = load_settings(crawler.settings.get("GOVWATCH_CONFIG") or None)
        try:
            store = EvidenceStore.from_settings(settings)
        except (OSError, sqlite3.Error) as exc:  # no place for evidence must not cost the crawl itself
            log.warning("evidence store unusable, crawling without snapshots: %s", exc)
            crawler.stats.inc_value("govwatch/evidence/unavailable")
            raise NotConfigured(f"evidence store unusable: {exc}") from exc
        middleware = cls(store, crawler.stats)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        try:
            self.store.put(
                response.url, response.body, datetime.now().replace(microsecond=0),
                subject=subject_of(response.url, request.meta), status=response.status,
                content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
                rendered=bool(request.meta.get("playwright")),
            )
            self.stats.inc_value("govwatch/evidence/snapshots")
        except OSError as exc:  # a full disk must not stop the crawl; the finding then has no snapshot
            self.stats.inc_value("govwatch/evidence/errors")
            log.warning("evidence for %s not kept: %s", response.url, exc)
        return response

    def close(self) -> None:
        self.store.close()
