"""Warming Elasticsearch up again when a node restarted while the API kept running.

The API warms its node at start-up (search_api/warm_searches.py: a fresh node spends its first
minutes compiling its search code), but an operator may restart the node under a running API (an
upgrade, a crash and restart), and its users would pay the cold node again. So the API notes each
node's JVM start time (index/elastic/stamps.node_starts: one small node-info request) and, when a
node shows a start time not seen before, runs the warm-up again in a background thread.

No poller of its own: the check rides on the registry cache's periodic look at the store
(search_api/cache.py, every REFRESH_SECONDS while requests come, and on the next request after a
failed look, e.g. while the node was down), in that cache's background thread, so no request waits
for it. One warm-up at a time per process: a restart noticed during one makes it run once more
after. A store without nodes (SQLite) is never checked; nothing is checked before the API's
start-up warm-up arms the watch (other users of search_api.directory never read the nodes).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

from index.base import Backend
from search_api.cache import Stamp

log = logging.getLogger(__name__)
Warm = Callable[[Backend], int]  # runs the warm-up searches over the store; how many ran
Starts = frozenset[tuple[str, int]]  # (node id, JVM start time in ms) per node


class NodeWatch:
    """The nodes' start times last seen, and the one warm-up thread of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._warm: Warm | None = None  # set by start(): until then check() reads nothing
        self._seen: Starts | None = None
        self._pending: tuple[Backend, str] | None = None  # the store the next warm-up reads, and why it runs
        self._running = False
        self._warned = False
        self._denied = False  # the API's user may not read node info: never asked again
        self.thread: threading.Thread | None = None  # the last warm-up started by check() (tests join it)

    def start(self, store: Backend, warm: Warm) -> None:
        """At the API's start-up, in its own warm-up thread: note the nodes' start times, then warm up."""
        seen = self._read(store)  # None (unread): the first check that reads them warms up
        with self._lock:  # both at once: a look in between would take the start-up for a restart
            self._warm, self._seen = warm, seen
        self._begin(store, "start-up", in_thread=False)

    def check(self, store: Backend) -> bool:
        """Start a warm-up in the background if a node started since the last look; whether one did."""
        if self._warm is None or self._denied:
            return False
        starts = self._read(store)
        if starts is None:
            return False
        with self._lock:
            new, self._seen = starts - (self._seen or frozenset()), starts
        if not new:
            return False
        log.info("Elasticsearch node restarted (%s): warming it up again",
                 ", ".join(f"{node} started {time.strftime('%H:%M:%S', time.localtime(ms / 1000))}"
                           for node, ms in sorted(new)))
        self._begin(store, "the node's restart", in_thread=True)
        return True

    def clear(self) -> None:
        """Forget the store and what was seen of it (a reset, a config reload); a running warm-up ends alone."""
        with self._lock:
            self._warm, self._seen, self._pending = None, None, None

    def _begin(self, store: Backend, why: str, in_thread: bool) -> None:
        with self._lock:
            if self._warm is None:
                return
            self._pending = (store, why)  # the newest store: after clear() and start(B), B is the one warmed
            if self._running:  # the running warm-up runs once more when it ends
                return
            self._running = True
        if not in_thread:
            self._drain()
            return
        self.thread = threading.Thread(target=self._drain, name="re-warm", daemon=True)
        try:
            self.thread.start()
        except BaseException:  # no thread: the next restart may start one
            with self._lock:
                self._running = False
            raise

    def _drain(self) -> None:
        while True:
            with self._lock:
                pending, self._pending, warm = self._pending, None, self._warm
                if pending is None or warm is None:
                    self._running = False
                    return
            store, why = pending
            began, done = time.monotonic(), 0
            try:
                if why != "start-up":  # a restarted node answers before its shards start: searches would fail
                    getattr(store, "wait_searchable", lambda: None)()
                done = warm(store)
            except Exception:  # warm_searches logs its own failures; this keeps the watch alive whatever else
                log.exception("warm-up after %s failed", why)
            if done or why != "start-up":  # a SQLite store's start-up runs none: nothing to say
                log.info("warm-up after %s: %d searches in %.1f s", why, done, time.monotonic() - began)

    def _read(self, store: Backend) -> Starts | None:
        node_starts: Callable[[], Starts] | None = getattr(store, "node_starts", None)
        if node_starts is None:
            return None
        try:
            return node_starts()
        except Exception as exc:  # the node is down (a restart) or the API's user may not read node info
            self._denied = getattr(exc, "status_code", None) in (401, 403)
            if not self._warned:
                self._warned = True
                log.warning("could not read the Elasticsearch nodes' start times (the node is down, or the API's "
                            "user lacks the monitor privilege): %s", exc)
            return None


WATCH = NodeWatch()


def checking_nodes(stamp: Stamp, watch: NodeWatch = WATCH) -> Stamp:
    """`stamp`, and a look at the nodes' start times (watch.check) each time the stamp is read."""
    def read(store: Backend) -> Hashable | None:
        watch.check(store)
        return stamp(store)
    return read
