"""Keep every response as evidence: raw bytes, content-addressed, in the evidence store beside the data.

A downloader middleware just after HTTP decompression, so it sees what the site answered (and, for
browser-rendered pages, what Chromium rendered) before any parsing. Each
response is filed under its source — "platform:account_id" from
`meta["govwatch_source"]` or the URL, the URL itself for a web page — so a
finding about an account or a page can show the bytes it was judged on.
Off with GOVWATCH_EVIDENCE = False.

The bytes are hashed, compressed and written by one writer thread, not on the
crawl's reactor thread (bench/crawl.py: writing on it cost more than all the
parsing). It is woken once WAKE responses wait (so up to WAKE - 1 of them stay
in memory until more come or the spider closes), takes whatever queued up and
records it in one transaction (one commit per response was most of its time). With
GOVWATCH_EVIDENCE_PROCESS (on in crawler.settings) the thread hands each batch
to a writer process (crawler/sidecar.py), which hashes, compresses and
records it, so the thread holds the GIL the reactor thread needs only to
pickle the batch. At most
PENDING responses wait for it; beyond that a response is written on the spot,
so a slow disk slows the crawl instead of filling memory. Everything is
written when the spider closes.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from core.config import load_settings
from crawler.sidecar import Delegate, delegate
from crawler.sources import source_of
from ops.evidence.store import EvidenceStore

log = logging.getLogger(__name__)
PENDING = 64  # responses waiting for the writer thread, at most
# The writer is woken once this many responses wait (or the spider closes), not for each one: a wake-up per
# response (an executor task, a GIL hand-over) cost the crawl thread ~0.2 s of a bench crawl.
WAKE = 16


def subject_of(url: str, meta: dict[str, Any]) -> str:
    """The subject a response is evidence for."""
    source = meta.get("govwatch_source") or {}
    platform, account_id = source.get("platform", ""), source.get("account_id", "")
    if not (platform and account_id):
        platform, account_id = source_of(url)
    return f"{platform}:{account_id}" if platform != "website" and account_id else url


class EvidenceMiddleware:
    """Downloader middleware storing each response's bytes (deduplicated by hash), off the reactor thread."""

    def __init__(self, store: EvidenceStore, stats: Any, sink: Any = None):
        self.store = store
        self.stats = stats
        # What writes the batches: a Delegate to the store's writer process, or to the store itself.
        self.sink = sink or Delegate(None, store)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence")
        self._room = threading.BoundedSemaphore(PENDING)
        self._queue: deque[dict[str, Any]] = deque()  # handed over, not yet taken by the writer
        self._lock = threading.Lock()
        self._draining = False  # a drain task is queued or running: no need to submit another

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
        process = crawler.settings.getbool("GOVWATCH_EVIDENCE_PROCESS", False)
        sink = delegate(EvidenceStore, (str(store.root), store.retention.days), store, crawler.stats, process)
        middleware = cls(store, crawler.stats, sink)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        snapshot = {
            "url": response.url, "body": response.body, "fetched_at": datetime.now().replace(microsecond=0),
            "subject": subject_of(response.url, request.meta), "status": response.status,
            "content_type": response.headers.get("Content-Type", b"").decode("latin-1"),
            "rendered": bool(request.meta.get("playwright")),
        }  # fmt: skip
        if not self._room.acquire(blocking=False):  # the writer is PENDING responses behind
            self._put(snapshot)
            return response
        with self._lock:
            self._queue.append(snapshot)
            submit = not self._draining and len(self._queue) >= WAKE
            self._draining = self._draining or submit
        if submit:
            self._writer.submit(self._drain)
        return response

    def _drain(self) -> None:
        """Writer thread: write what is queued, a batch at a time, until nothing is left."""
        while True:
            with self._lock:
                batch = list(self._queue)
                self._queue.clear()
                if not batch:
                    self._draining = False
                    return
            try:
                self.stats.inc_value("govwatch/evidence/snapshots", self.sink.put_many(batch))
            except (OSError, sqlite3.Error):  # one at a time, so each failure is counted and named
                for snapshot in batch:
                    self._put(snapshot)
            finally:
                for _ in batch:
                    self._room.release()

    def _put(self, snapshot: dict[str, Any]) -> None:
        try:
            self.store.put(**snapshot)
            self.stats.inc_value("govwatch/evidence/snapshots")
        except (OSError, sqlite3.Error) as exc:  # a full disk must not stop the crawl; the finding has no snapshot
            self.stats.inc_value("govwatch/evidence/errors")
            log.warning("evidence for %s not kept: %s", snapshot["url"], exc)

    def close(self) -> None:
        """On spider_closed: write every response handed over, then close the store."""
        with self._lock:
            submit, self._draining = not self._draining and bool(self._queue), True
        if submit:
            self._writer.submit(self._drain)
        self._writer.shutdown(wait=True)
        self.sink.release()  # the last spider using the writer process ends it
        self.store.close()
