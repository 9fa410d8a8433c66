"""Every write of the Elasticsearch backend: helpers.streaming_bulk, retries, and the spool.

- 429 (the cluster is busy) is retried by streaming_bulk itself with exponential backoff.
- 502/503/504, for a whole request or for single documents (a shard not yet started after a
  restart answers 503), are retried here with backoff.
- When the cluster cannot be reached at all, the actions go to the durable Spool and are
  replayed, in order, before the next write that finds the cluster up again.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import Elasticsearch, TransportError
from elasticsearch.helpers import streaming_bulk

from index.elastic.spool import Spool

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass
class Outcome:
    """What became of one action: result is ES's word (created, updated, noop …), 'error' or 'spooled'."""

    action: dict[str, Any]
    status: int
    result: str
    error: Any = None


class Unreachable(Exception):
    """The cluster did not answer after every retry (raised and caught inside this module)."""


class BulkWriter:
    """Sends bulk actions in order; queues them durably while the cluster is away."""

    def __init__(self, client: Elasticsearch, spool: Spool, *, attempts: int = 4, backoff: float = 0.5,
                 chunk: int = 500, offline_pause: float = 5.0):
        self.client, self.spool = client, spool
        self.attempts, self.backoff, self.chunk, self.offline_pause = attempts, backoff, chunk, offline_pause
        self._offline_until = 0.0
        self.replayed: set[str] = set()  # indices the spool replay wrote to (their readers must refresh)

    def write(self, actions: Iterable[dict[str, Any]]) -> Iterator[Outcome]:
        """Outcomes of `actions`, in order; queued ones come back with result 'spooled'."""
        online = self.flush() == 0
        it = iter(actions)
        while chunk := list(islice(it, self.chunk)):
            if online:
                try:
                    yield from self._send(chunk)
                    continue
                except Unreachable as exc:
                    log.warning("Elasticsearch unreachable (%s); queueing writes in %s", exc, self.spool.path)
                    online = False
                    self._offline_until = time.monotonic() + self.offline_pause
            self.spool.push(chunk)
            yield from (Outcome(a, 0, "spooled") for a in chunk)

    def flush(self) -> int:
        """Replay the spool, oldest first; returns how many actions still wait (0 = all sent)."""
        if not len(self.spool):
            return 0
        if time.monotonic() < self._offline_until:
            return len(self.spool)
        while batch := self.spool.peek(self.chunk):
            self.replayed |= {str(action["_index"]) for _, action in batch}
            try:
                for outcome in self._send([action for _, action in batch]):
                    if outcome.result == "error":
                        log.error("replayed action failed for good: %s %s", outcome.action.get("_id"), outcome.error)
            except Unreachable:
                self._offline_until = time.monotonic() + self.offline_pause
                return len(self.spool)
            self.spool.drop_through(batch[-1][0])
        log.info("Elasticsearch spool replayed")
        return 0

    def _send(self, chunk: list[dict[str, Any]]) -> Iterator[Outcome]:
        pending, failure = chunk, None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            pending, failure = yield from self._one_request(pending)
            if not pending:
                return
            log.info("retrying %d actions after %s (attempt %d)", len(pending), failure or "503", attempt + 1)
        if failure is not None:  # the whole request failed every time: the cluster is away
            raise Unreachable(str(failure))
        yield from (Outcome(a, 503, "error", "still unavailable after retries") for a in pending)

    def _one_request(self, actions: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
        """One streaming_bulk pass: yields final outcomes, returns (actions to retry, whole-request failure)."""
        by_id: dict[tuple[str, str], deque[dict[str, Any]]] = defaultdict(deque)
        for action in actions:
            by_id[(action["_op_type"], str(action["_id"]))].append(action)
        retry: list[dict[str, Any]] = []
        try:
            for ok, item in streaming_bulk(self.client, actions, chunk_size=len(actions), max_retries=3,
                                           initial_backoff=self.backoff, max_backoff=10, raise_on_error=False,
                                           raise_on_exception=True, yield_ok=True):
                op, info = next(iter(item.items()))
                action = by_id[(op, str(info.get("_id")))].popleft()
                status = int(info.get("status", 0))
                if not ok and status in RETRY_STATUSES:
                    retry.append(action)
                    continue
                yield Outcome(action, status, info.get("result", "error") if ok else "error", info.get("error"))
        except EsConnectionError as exc:
            return _remaining(actions, by_id, retry), exc
        except TransportError as exc:
            if exc.status_code in RETRY_STATUSES:
                return _remaining(actions, by_id, retry), exc
            raise
        return retry, None


def _remaining(actions: list[dict[str, Any]], by_id: dict[tuple[str, str], deque[dict[str, Any]]],
               retry: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actions with no outcome yet, in their original order (retried ones first kept in place)."""
    left = {id(a) for queue in by_id.values() for a in queue} | {id(a) for a in retry}
    return [a for a in actions if id(a) in left]
