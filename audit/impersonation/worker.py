"""The audit's impersonation checks in worker processes, so both cores work at once.

An audit knows up front which subjects the registry does not match (the only
ones the impersonation and unregistered rules ask about), and in which order
its account stream will reach them. `CheckWorker` hands those accounts, in
that order and in batches, to worker processes (two for many checks on two
cores, see processes_for) that open the registry's saved key index (keycache)
and check them, while this process scans the
posts and runs the other rules. A store that finds registry candidates in its
own index (Elasticsearch) hands over a `store_opener` instead: each worker opens
the store read-only and checks with audit.impersonation.indexed.IndexedMatcher,
one candidate request per batch, so neither the registry nor its keys are sent. Each answer is taken as the stream reaches
its account, waiting only if the worker is behind. The worker runs the very
Matcher.check the audit would run itself, so the verdicts are the same.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import BadInputError
from core.models import Account, RegistryEntry

log = logging.getLogger(__name__)
Key = tuple[str, str, str]  # (platform, account id, name): one account's plain check
BATCH = 250  # accounts per task: small enough that the first answers come back early
MIN_ACCOUNTS = 2_000  # fewer checks than this run in the audit's own process (a worker costs ~1 s to start)
PER_WORKER = 4_000  # a second worker from 2 × this many checks (when the machine has a second core)
MAX_WORKERS = 2  # each holds the registry and a key cache (~0.6 GB at 90,000 entries): the audit stays < 2 GiB

_matcher: Any = None  # the worker's Matcher, opened once by _open
_now: datetime | None = None


def account_key(account: Account) -> Key:
    return (account.platform, account.account_id, account.name)


def _open(entries: list[RegistryEntry], cache_dir: Path | None, now: datetime,
          store_opener: Callable[[], Any] | None = None) -> None:
    """Worker initializer: the Matcher over the saved key index (built and saved if missing), or with
    `store_opener` an IndexedMatcher asking the store it opens."""
    global _matcher, _now
    if store_opener is not None:
        from audit.impersonation.indexed import IndexedMatcher

        _matcher, _now = IndexedMatcher(store_opener()), now
        return
    from audit.impersonation.keycache import matcher_for

    _matcher, _now = matcher_for(entries, cache_dir), now


def _check(accounts: list[Account]) -> list[tuple[Key, Any]]:
    """Worker task: each account's CheckResult (None when its name has nothing to compare)."""
    out: list[tuple[Key, Any]] = []
    if hasattr(_matcher, "prefetch"):  # an IndexedMatcher: the batch's candidates in one request
        _matcher.prefetch([(a.name, a.platform, a.account_id) for a in accounts])
    for acc in accounts:
        try:
            out.append((account_key(acc), _matcher.check(acc.name, acc.platform, acc, now=_now)))
        except BadInputError:
            out.append((account_key(acc), None))
    return out


class CheckWorker:
    """The checks of `accounts` running in `processes` worker processes; `answer(key)` waits for one of them.

    Batches are submitted in the audit's order, so with two processes each takes every other batch
    and the answers the account stream needs next are computed first.
    """

    def __init__(self, entries: list[RegistryEntry], accounts: Sequence[Account], now: datetime,
                 cache_dir: Path | None, processes: int = 1, store_opener: Callable[[], Any] | None = None):
        # spawn, not fork: the audit process holds SQLite connections and perhaps threads (the API)
        self.processes = processes
        self._pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_open, initargs=(entries, cache_dir, now, store_opener))
        self._tasks: list[Future[list[tuple[Key, Any]]]] = []
        self._task_of: dict[Key, int] = {}
        for at in range(0, len(accounts), BATCH):
            batch = list(accounts[at:at + BATCH])
            self._task_of.update((account_key(a), len(self._tasks)) for a in batch)
            self._tasks.append(self._pool.submit(_check, batch))

    def knows(self, key: Key) -> bool:
        return key in self._task_of

    def answers(self, key: Key) -> list[tuple[Key, Any]]:
        """The answers of the batch holding `key` (waits for it); none when the worker died, so the
        caller checks in its own process (an error in a check itself is raised here)."""
        try:
            return self._tasks[self._task_of[key]].result()
        except BrokenProcessPool as exc:  # killed (out of memory?): the audit goes on without it
            log.warning("impersonation worker stopped (%s): checking in the audit process", exc)
            self._task_of.clear()
            return []

    def close(self) -> None:
        """Stop the worker (waiting for it, so its peak memory is counted by the caller's rusage)."""
        for task in self._tasks:
            task.cancel()
        self._pool.shutdown(wait=True)


def processes_for(checks: int, cores: int | None = None) -> int:
    """Worker processes for `checks` checks: one, a second from 2 × PER_WORKER checks on two or more
    cores. The audit's own process mostly waits for the disk early on (a cold store), so a second
    worker uses the core it leaves; more would only queue for the same two cores."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    return max(1, min(MAX_WORKERS, cores, checks // PER_WORKER))


def start(entries: list[RegistryEntry], accounts: Sequence[Account], now: datetime, cache_dir: Path | None,
          min_accounts: int = MIN_ACCOUNTS, store_opener: Callable[[], Any] | None = None) -> CheckWorker | None:
    """A CheckWorker for `accounts`, or None when they are too few to be worth a process (or none can start).
    With `store_opener` (a picklable callable opening the store read-only) `entries` may be empty."""
    if len(accounts) < min_accounts or not (entries or store_opener):
        return None
    try:
        return CheckWorker(entries, accounts, now, cache_dir, processes_for(len(accounts)), store_opener)
    except (OSError, RuntimeError) as exc:  # no process can be started here: check in this process
        log.warning("impersonation worker not started (%s): checking in the audit process", exc)
        return None
