"""Progress of long commands: items, rate, elapsed and an estimate.

On a terminal a tqdm bar; otherwise (cron, systemd, a pipe) a concise log
line every `every` seconds and one at the end, so logs stay short:

    audit: 40,000/100,000 accounts (40%), 3,350/s, elapsed 0:12, about 0:18 left
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], *, total: int | None, desc: str, unit: str = "items",
             stream: TextIO | None = None, every: float = 10.0) -> Iterator[T]:
    """Yield `items` while reporting progress on `stream` (stderr): a bar on a TTY, log lines elsewhere."""
    out = stream or sys.stderr
    if out.isatty():
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=desc, unit=f" {unit}", file=out, dynamic_ncols=True)
        return
    started = last = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= every:
            last = now
            _emit(out, line(desc, done, total, now - started, unit))
    _emit(out, line(desc, done, total, time.monotonic() - started, unit, finished=True))


def _emit(out: TextIO, text: str) -> None:
    """A log-style line (the CLI's logging level must not hide progress asked for)."""
    out.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} progress {text}\n")
    out.flush()


def line(desc: str, done: int, total: int | None, elapsed: float, unit: str, finished: bool = False) -> str:
    """One progress line (see the module docstring)."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if finished:
        return f"{desc}: {done:,} {unit} in {_clock(elapsed)} ({rate:,.0f}/s)"
    of = f"/{total:,} {unit} ({done * 100 // total}%)" if total else f" {unit}"
    eta = f", about {_clock((total - done) / rate)} left" if total and rate > 0 and total >= done else ""
    return f"{desc}: {done:,}{of}, {rate:,.0f}/s, elapsed {_clock(elapsed)}{eta}"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Shown:
    """`source` read with progress, still closable, with the source's own attributes (a reader's `spent`).

    The audit closes what it reads (an ActivityReader stops its thread); a
    bare progress generator would hide that `close` from it.
    """

    def __init__(self, source: Any, shown: Iterator[Any]):
        self._source, self._shown = source, shown

    def __iter__(self) -> Iterator[Any]:
        return self._shown

    def __next__(self) -> Any:
        return next(self._shown)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)

    def close(self) -> None:
        getattr(self._shown, "close", lambda: None)()
        getattr(self._source, "close", lambda: None)()


class ProgressBackend:
    """A Backend whose long reads report progress; every other call goes to the wrapped backend.

    Lets the audit, the link check and the inspection report show progress
    without knowing about it.
    """

    def __init__(self, backend: Any, desc: str, stream: TextIO | None = None, every: float = 10.0):
        self._backend = backend
        self._desc, self._stream, self._every = desc, stream, every

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def account_activity(self, as_of: Any, window_days: int) -> Iterator[Any]:
        total = self._backend.counts().get("accounts")
        source = self._backend.account_activity(as_of, window_days)
        return Shown(source, progress(source, total=total, desc=self._desc, unit="accounts",
                                      stream=self._stream, every=self._every))

    def iter_links(self) -> Iterator[Any]:
        total = self._backend.counts().get("links")
        return progress(self._backend.iter_links(), total=total, desc=self._desc, unit="links",
                        stream=self._stream, every=self._every)
