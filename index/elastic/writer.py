"""Every write of the Elasticsearch backend: helpers.streaming_bulk, retries, and the spool.

- 429 (the cluster is busy) is retried by streaming_bulk itself with exponential backoff.
- 502/503/504, for a whole request or for single documents (a shard not yet started after a
  restart answers 503), and 403 write blocks (`index migrate`), are retried here with backoff.
- When the cluster cannot be reached at all, the actions that have no outcome yet go to the durable
  Spool and are replayed, in order, before the next write that finds the cluster up again.
- When only an index cannot take writes (its shard stays unavailable: 503 after the retries), only
  that index's actions wait in the spool: later writes to it queue behind them (a document's versions
  stay in order), writes to every other index go on (each index has one shard: mappings._settings).
  Every bulk request waits `shard_wait` at most for an unavailable shard (ES's default is a minute,
  longer than the client's read timeout: the client would give up first and take the cluster for
  away); its retries, `probe_wait`. Such an index is tried again by one request that waits
  `probe_wait`, after a pause that doubles with each failed try, up to MAX_REST: a red index costs
  the writing process a few seconds now and then.
- Each action is fitted to the mapping of the index its alias points to (fitting.py), live or replayed.
- A document that cannot be sent as JSON (a lone surrogate in its text) is an error of its own;
  the others of its request are sent.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import Elasticsearch, TransportError
from elasticsearch.helpers import expand_action, streaming_bulk

from index.elastic.fitting import Fitting
from index.elastic.spool import Spool

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_REST = 300.0  # seconds at the most between two tries of an index whose shard stays unavailable
CONFLICT_RETRIES = 5


@dataclass
class Outcome:
    """What became of one action: result is ES's word (created, updated, noop …), 'error' or 'spooled'."""

    action: dict[str, Any]
    status: int
    result: str
    error: Any = None


class Unreachable(Exception):
    """The cluster did not take `pending` after every retry (raised and caught inside this module): the whole
    request failed (`whole`: the cluster is away), or only these items did (their shards are unavailable)."""

    def __init__(self, failure: object, pending: list[dict[str, Any]], whole: bool):
        super().__init__(str(failure))
        self.pending, self.whole = pending, whole


class BulkWriter:
    """Sends bulk actions in order; queues them durably while the cluster, or an index of it, is away."""

    def __init__(self, client: Elasticsearch, spool: Spool, *, shard_wait: str, attempts: int = 4,
                 backoff: float = 0.5, chunk: int = 500, offline_pause: float = 5.0, probe_wait: str = "5s",
                 clock: Callable[[], float] = time.monotonic):
        self.client, self.spool = client, spool
        self.attempts, self.backoff, self.chunk, self.offline_pause = attempts, backoff, chunk, offline_pause
        # how long a bulk request waits for an unavailable shard: EsConfig.shard_wait, under the client's timeout
        self.shard_wait, self.probe_wait, self.clock = shard_wait, probe_wait, clock
        self._resting: dict[str | None, float] = {}  # index (None: the cluster) → when to try it again
        self._failed: dict[str, int] = {}  # index → tries in a row that ended with its shard unavailable
        self.replayed: set[str] = set()  # indices the spool replay wrote to (their readers must refresh)
        self.fitting = Fitting(client)

    def write(self, actions: Iterable[dict[str, Any]]) -> Iterator[Outcome]:
        """One outcome for each of `actions`; queued ones come back with result 'spooled'. Within a
        chunk, those sent come first, then those queued: outcomes are not in the actions' order."""
        waiting = set(self.spool.targets()) if self.flush() else set()  # later actions of theirs queue behind
        it = iter(actions)
        while chunk := list(islice(it, self.chunk)):
            live = [] if self._rests(None) else [a for a in chunk if str(a["_index"]) not in waiting]
            queued = {id(a) for a in chunk} - {id(a) for a in live}
            if live:
                try:
                    yield from self._send(live)
                except Unreachable as exc:
                    stuck = self._rest(exc)
                    waiting |= stuck
                    log.warning("Elasticsearch %s (%s); queueing writes in %s", "unreachable" if exc.whole else
                                f"shards of {sorted(stuck)} unavailable", exc, self.spool.path)
                    queued |= {id(a) for a in exc.pending}  # only those with no outcome yet: the others were yielded
            if chunk := [a for a in chunk if id(a) in queued]:  # none, as a rule: no fsync'd spool write then
                self.spool.push(chunk)
                waiting |= {str(a["_index"]) for a in chunk}  # and their later ones: a replay must not follow them
                yield from (Outcome(a, 0, "spooled") for a in chunk)

    def retry_now(self) -> None:
        """Let the next write or flush try the cluster at once instead of after the pause that follows a failure
        (an index whose shard was unavailable is still tried by one short request first)."""
        self._resting.clear()

    def _rests(self, target: str | None) -> bool:
        """Whether `target` (None: the cluster) failed lately: not tried again before its pause is over."""
        now = self.clock()
        return now < self._resting.get(None, 0.0) or (target is not None and now < self._resting.get(target, 0.0))

    def _rest(self, exc: Unreachable) -> set[str]:
        """Pause what failed: the cluster, or the indices of the actions left (longer at each failure in a row);
        those indices."""
        stuck = {str(a["_index"]) for a in exc.pending}
        if exc.whole:
            self._resting[None] = self.clock() + self.offline_pause
        for target in () if exc.whole else stuck:
            self._failed[target] = failed = self._failed.get(target, 0) + 1
            self._resting[target] = self.clock() + min(self.offline_pause * 2 ** (failed - 1), MAX_REST)
        return stuck

    def flush(self) -> int:
        """Replay the spool, each index's actions oldest first; returns how many actions still wait (0 = all sent).

        A batch leaves the spool once each action in it was written or refused for good; a refused one is set
        aside in the spool (Spool.rejected), never dropped. A batch cut short is replayed whole later: every
        queued action is idempotent (spool.py). An index whose shard is still unavailable is passed over: the
        others are replayed."""
        if not len(self.spool):
            return 0
        for target in self.spool.targets():
            if self._rests(None):
                break
            if not self._rests(target):
                self._replay(target)
        if not (left := len(self.spool)):
            log.info("Elasticsearch spool replayed")
        return left

    def _replay(self, target: str) -> None:
        while batch := self.spool.peek(self.chunk, target):
            self.replayed.add(target)
            probe = target in self._failed  # one short request: is its shard back?
            actions = [action for _, action in batch]
            sent = self._send(actions, 1, self.probe_wait) if probe else self._send(actions)
            try:
                refused = [o for o in sent if o.result == "error"]
            except Unreachable as exc:
                self._rest(exc)
                return
            self._failed.pop(target, None)
            if refused:
                log.error("%d replayed actions refused for good, set aside in %s; first: %s %s", len(refused),
                          self.spool.path, refused[0].action.get("_id"), refused[0].error)
            self.spool.drop_through(batch[-1][0], [(o.action, o.error) for o in refused], target)

    def _send(self, chunk: list[dict[str, Any]], attempts: int | None = None,
              wait: str | None = None) -> Iterator[Outcome]:
        """Outcomes of `chunk` (attempts: the writer's; wait: how long a request waits for a shard,
        shard_wait if not given; once items answered 503 after that wait, their retries wait probe_wait)."""
        pending, failure, wait = chunk, None, wait or self.shard_wait
        for attempt in range(attempts or self.attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            pending, failure = yield from self._one_request(pending, wait)
            if not pending:
                return
            if failure is None:
                wait = self.probe_wait
            log.info("retrying %d actions after %s (attempt %d)", len(pending), failure or "503", attempt + 1)
        # The whole request failed every time (the cluster is away), or these items' shards stayed
        # unavailable: either way they wait in the spool, never dropped.
        raise Unreachable(failure or "shards unavailable after retries", pending, whole=failure is not None)

    def _one_request(self, actions: list[dict[str, Any]], wait: str,  # type: ignore[no-untyped-def]
                     refit: bool = True):
        """One streaming_bulk pass: yields final outcomes, returns (actions to retry, whole-request failure)."""
        by_id: dict[tuple[str, str], deque[tuple[dict[str, Any], dict[str, Any], str | None]]] = defaultdict(deque)
        sent = []
        for action in actions:
            fitted, fitted_to = self.fitting.fit(action)
            if fitted.get("_op_type") == "update" and "if_seq_no" not in fitted:  # another writer's update
                fitted = {"retry_on_conflict": CONFLICT_RETRIES, **fitted}  # in between: read again, not refused
            by_id[(action["_op_type"], str(action["_id"]))].append((action, fitted, fitted_to))
            sent.append(fitted)
        retry: list[dict[str, Any]] = []
        refused: list[dict[str, Any]] = []
        repairs: list[dict[str, Any]] = []
        try:
            for ok, item in streaming_bulk(self.client, sent, chunk_size=len(sent), max_retries=3,
                                           initial_backoff=self.backoff, max_backoff=10, raise_on_error=False,
                                           raise_on_exception=True, yield_ok=True, timeout=wait):
                op, info = next(iter(item.items()))
                action, fitted, fitted_to = by_id[(op, str(info.get("_id")))].popleft()
                status = int(info.get("status", 0))
                if not ok and (status in RETRY_STATUSES or _blocked(info)):
                    retry.append(action)
                    continue
                if not ok and refit and self.fitting.refused(action, fitted, info.get("error")):
                    refused.append(action)
                    continue
                if ok and (repair := self.fitting.landed(action, fitted_to, info)):
                    repairs.append(repair)
                yield Outcome(action, status, info.get("result", "error") if ok else "error", info.get("error"))
        except EsConnectionError as exc:
            return _remaining(actions, by_id, retry + refused), exc
        except TransportError as exc:
            if exc.status_code in RETRY_STATUSES:
                return _remaining(actions, by_id, retry + refused), exc
            raise
        except (TypeError, ValueError) as exc:  # a document that cannot be sent as JSON (a lone surrogate …)
            left = _remaining(actions, by_id, refused)
            unsendable = {id(a) for a in left if not _sendable(self.client, self.fitting.fit(a)[0])}
            if not unsendable:
                raise
            yield from (Outcome(a, 400, "error", f"cannot be sent as JSON: {exc}") for a in left if id(a) in unsendable)
            more, failure = yield from self._one_request([a for a in left if id(a) not in unsendable], wait, refit)
            return retry + more, failure
        self._repair(repairs)
        if refused:
            more, failure = yield from self._one_request(refused, wait, refit=False)
            return retry + more, failure
        return retry, None

    def _repair(self, repairs: list[dict[str, Any]]) -> None:
        """Write again, whole, the items that went to another index than the one they were fitted to (fitting.py);
        409: the document was written again since, by a write that was fitted to its new index."""
        if not (whole := repairs):
            return
        log.info("the alias of %s moved during a write: %d documents written again whole", whole[0]["_index"],
                 len(whole))
        for ok, item in streaming_bulk(self.client, whole, chunk_size=len(whole), raise_on_error=False,
                                       raise_on_exception=False, max_retries=3, initial_backoff=self.backoff,
                                       timeout=self.shard_wait):
            info = next(iter(item.values()))
            if not ok and info.get("status") != 409:
                log.warning("%s: could not write %s again whole: %s", info.get("_index"), info.get("_id"),
                            info.get("error"))


def _blocked(info: dict[str, Any]) -> bool:
    """An item refused by a write block: `index migrate` blocks the old index after moving the alias, and a
    write already on its way there is sent again (to the alias, now on the new index)."""
    error = info.get("error")
    return info.get("status") == 403 and isinstance(error, dict) and error.get("type") == "cluster_block_exception"


def _sendable(client: Elasticsearch, action: dict[str, Any]) -> bool:
    """Whether `action` can be written as the UTF-8 JSON of a bulk body."""
    try:
        for part in expand_action(action):
            if part is not None:
                text = client.transport.serializer.dumps(part)
                if isinstance(text, str):
                    text.encode("utf-8")
    except (TypeError, ValueError):
        return False
    return True


def _remaining(actions: list[dict[str, Any]],
               by_id: dict[tuple[str, str], deque[tuple[dict[str, Any], dict[str, Any], str | None]]],
               retry: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actions with no outcome yet, in their original order (retried ones first kept in place)."""
    left = {id(entry[0]) for queue in by_id.values() for entry in queue} | {id(a) for a in retry}
    return [a for a in actions if id(a) in left]
