"""Impersonation verdicts for the subjects the registry does not match, computed once per audit.

Building audit.impersonation's Matcher over a large registry and checking
every unmatched account are the costliest steps of an audit. With a big
registry the work goes to one worker process (started with "spawn", so no
fork hazards) while the audit reads activity and runs the other rules; the
answers come back as a dict. Small audits, or a failed worker, compute in
this process. Either way the answers are the same, so an audit stays
deterministic.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import BadInputError
from core.models import Account, RegistryEntry

log = logging.getLogger(__name__)
WORKER_THRESHOLD = 20_000  # registry entries + accounts to check above which a worker pays off
Key = tuple[str, str, str]


def _key(account: Account) -> Key:
    return (account.platform, account.account_id, account.name)


def check_all(entries: list[RegistryEntry], accounts: list[Account], now: datetime,
              cache_dir: Path | None = None) -> dict[Key, Any]:
    """Matcher verdicts for `accounts` (None where the name has nothing left to compare)."""
    from audit.impersonation.keycache import matcher_for

    matcher = matcher_for(entries, cache_dir)
    out: dict[Key, Any] = {}
    for acc in accounts:
        try:
            out[_key(acc)] = matcher.check(acc.name, acc.platform, acc, now=now)
        except BadInputError:
            out[_key(acc)] = None
    return out


class AuditMatcher:
    """Stands in for a Matcher during one audit: answers from the precomputed verdicts when it has
    them, else asks an in-process Matcher (built on first need). Keeps every answer, so the
    unregistered and impersonation rules never check one account twice."""

    def __init__(self, entries: list[RegistryEntry], now: datetime, pending: Future | None = None,
                 cache_dir: Path | None = None):
        self.entries = entries
        self.cache_dir = cache_dir
        self.now = now
        self._pending = pending
        self._answers: dict[Key, Any] = {}
        self._local: Any = None

    def __len__(self) -> int:
        return len(self.entries)

    def check(self, name: str, platform: str | None = None, account: Account | None = None, *,
              now: datetime | None = None, links: Sequence[str] = ()) -> Any:
        """Same contract as audit.impersonation.Matcher.check (raises BadInputError alike)."""
        self._collect()
        plain = account is not None and name == account.name and now == self.now and not links
        key = _key(account) if plain and account is not None else None
        if key is None or key not in self._answers:
            answer = self._ask(name, platform, account, now, links)
            if key is None:
                return _raise_or(answer)
            self._answers[key] = answer
        return _raise_or(self._answers[key])

    def _collect(self) -> None:
        if self._pending is None:
            return
        pending, self._pending = self._pending, None
        try:
            self._answers.update(pending.result())
        except Exception as exc:  # a dead or failing worker: fall back to this process
            log.warning("impersonation worker failed (%s); checking in-process", exc)

    def _ask(self, name: str, platform: str | None, account: Account | None, now: datetime | None,
             links: Sequence[str]) -> Any:
        if self._local is None:
            from audit.impersonation.keycache import matcher_for

            self._local = matcher_for(self.entries, self.cache_dir)
        try:
            return self._local.check(name, platform, account, now=now, links=links)
        except BadInputError:
            return None


def _raise_or(answer: Any) -> Any:
    if answer is None:
        raise BadInputError("name has no letters or digits after normalisation", field="name")
    return answer


def audit_matcher(entries: list[RegistryEntry], accounts: list[Account], now: datetime,
                  cache_dir: Path | None = None) -> AuditMatcher | None:
    """An AuditMatcher for this audit (None without audit.impersonation); big jobs start a worker."""
    try:
        import audit.impersonation  # noqa: F401
    except ImportError as exc:
        log.warning("impersonation matcher not available (%s): unregistered accounts are not "
                    "checked for impersonation and reports list no similar accounts", exc)
        return None
    pending = None
    if accounts and len(entries) + len(accounts) > WORKER_THRESHOLD and (os.cpu_count() or 1) > 1:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        pending = pool.submit(check_all, entries, accounts, now, cache_dir)
        pool.shutdown(wait=False)  # the worker finishes its one job and exits
        log.info("impersonation checks of %d accounts against %d entries started in a worker",
                 len(accounts), len(entries))
    return AuditMatcher(entries, now, pending, cache_dir)
