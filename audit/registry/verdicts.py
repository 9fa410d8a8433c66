"""Impersonation verdicts for the subjects the registry does not match, computed once per audit.

The Matcher comes from the registry's saved key index (keycache: an SQLite
file per registry version beside the store), so an audit neither recomputes
every registered name's keys nor loads them: each check is a few indexed
lookups plus scoring a short list. When there are many unmatched subjects
their checks run in a second process (audit.impersonation.worker) while the
audit scans the posts; otherwise in this process. Every answer is kept, so
the unregistered and impersonation rules never check one account twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import BadInputError
from core.models import Account, RegistryEntry

log = logging.getLogger(__name__)
Key = tuple[str, str, str]
INDEXED_BATCH = 200  # accounts whose candidates one request to the store's index fetches


def _key(account: Account) -> Key:
    return (account.platform, account.account_id, account.name)


class AuditMatcher:
    """Stands in for a Matcher during one audit: opens the registry's Matcher on first need and
    remembers each account's answer."""

    def __init__(self, entries: list[RegistryEntry], now: datetime, cache_dir: Path | None = None):
        self.entries = entries
        self.cache_dir = cache_dir
        self.now = now
        self._answers: dict[Key, Any] = {}
        self._local: Any = None
        self.worker: Any = None  # audit.impersonation.worker.CheckWorker checking the unmatched subjects
        self.waited = 0.0  # seconds spent waiting for the worker's answers

    def __len__(self) -> int:
        return len(self.entries)

    def close(self) -> None:
        """The audit is over: stop the worker process, if one was started, and close the Matcher opened for
        the checks (its saved key index's file). Safe to call again."""
        if self.worker is not None:
            self.worker.close()
            self.worker = None
        if self._local is not None:
            self._local.close()
            self._local = None

    def check(self, name: str, platform: str | None = None, account: Account | None = None, *,
              now: datetime | None = None, links: Sequence[str] = ()) -> Any:
        """Same contract as audit.impersonation.Matcher.check (raises BadInputError alike)."""
        plain = account is not None and name == account.name and now == self.now and not links
        key = _key(account) if plain and account is not None else None
        if key is not None and key not in self._answers and self.worker is not None and self.worker.knows(key):
            started = time.monotonic()
            self._answers.update(self.worker.answers(key))
            self.waited += time.monotonic() - started
        if key is None or key not in self._answers:
            answer = self._ask(name, platform, account, now, links)
            if key is None:
                return _raise_or(answer)
            self._answers[key] = answer
        return _raise_or(self._answers[key])

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


def check_indexed(index: Any, accounts: Sequence[Account], now: datetime) -> tuple[Any, dict[Key, Any]]:
    """(IndexedMatcher, verdicts for `accounts`): candidates from the store's index, 200 names a request."""
    from audit.impersonation.indexed import IndexedMatcher

    matcher = IndexedMatcher(index)
    out: dict[Key, Any] = {}
    for at in range(0, len(accounts), INDEXED_BATCH):
        batch = accounts[at:at + INDEXED_BATCH]
        matcher.prefetch([(a.name, a.platform, a.account_id) for a in batch])
        for acc in batch:
            try:
                out[_key(acc)] = matcher.check(acc.name, acc.platform, acc, now=now)
            except BadInputError:
                out[_key(acc)] = None
    return matcher, out


def audit_matcher(entries: list[RegistryEntry], now: datetime, cache_dir: Path | None = None,
                  index: Any = None, accounts: Sequence[Account] = (), *, workers: bool = True,
                  min_accounts: int | None = None) -> AuditMatcher | None:
    """An AuditMatcher for this audit (None without audit.impersonation).

    `index`: the store; when it finds registry candidates itself (Elasticsearch), the checks ask it
    (audit.impersonation.indexed) instead of opening the registry's key index: with `workers` and
    enough `accounts` in worker processes that open the store themselves (`index.reader()`) while
    the audit scans the posts, else fetched up front in batches here. Otherwise, with `workers`,
    `accounts` are checked in a worker process when there are at least `min_accounts` of them
    (default worker.MIN_ACCOUNTS); the caller closes the AuditMatcher when done.
    """
    try:
        import audit.impersonation  # noqa: F401
    except ImportError as exc:
        log.warning("impersonation matcher not available (%s): unregistered accounts are not "
                    "checked for impersonation and reports list no similar accounts", exc)
        return None
    from audit.impersonation.worker import MIN_ACCOUNTS, start

    found = AuditMatcher(entries, now, cache_dir)
    asked = [a for a in accounts if a.state != "missing"]  # the rules never check a missing account
    least = MIN_ACCOUNTS if min_accounts is None else min_accounts
    if index is not None and hasattr(index, "registry_candidates"):
        # workers open the store themselves (index.reader()) and ask its index, while the audit scans
        opener = index.reader() if workers and hasattr(index, "reader") else None
        found.worker = start([], asked, now, None, least, opener) if opener else None
        if found.worker is None:
            found._local, found._answers = check_indexed(index, accounts, now)
        else:
            from audit.impersonation.indexed import IndexedMatcher

            found._local = IndexedMatcher(index)  # for any check the workers were not given
    elif workers:
        found.worker = start(entries, asked, now, cache_dir, least)
    return found

