"""The store pipeline's writes on a thread of their own (GOVWATCH_STORE_THREAD, on in crawler.settings).

Building a batch's rows and full-text entries and SQLite's own work took
1.3 s of the crawl thread's CPU in bench/crawl.py's crawl, and the crawl
thread is the one that bounds its speed. Here the store pipeline hands each
batch (accounts, pages, posts) to one writer thread, in order, and goes on
with the crawl; SQLite's part runs without holding the GIL.

Order is what makes checkpoints safe: a job queued with `then` (a source's
frontier) runs only after every batch queued before it is committed. The
writer takes whatever queued up while it was busy and writes consecutive
batches as one (one transaction per kind instead of one per checkpoint).

A failed write (disk full, store deleted) is reported once through
`failed(exc)`, which the pipeline runs on the crawl thread (it closes the
spider); the items of that batch not yet on disk, and of every batch after
it, are counted in `dropped`, and no later `then` job runs, so no frontier
moves past posts that were not stored. `close()` writes what is queued and
waits for it.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any

from core.errors import StoreError
from core.models import Account, Page, Post
from crawler.sidecar import Delegate, delegate

MAX_JOBS = 64  # batches and checkpoints waiting for the writer; beyond that the crawl thread waits
_STOP = object()


class StoreWriter:
    """One writer thread for a store backend's upserts, in the order they were queued.

    `backend` is a Delegate (writer_backend): in a writer process, or in this one without it."""

    def __init__(self, backend: Delegate, stats: Any, failed: Callable[[StoreError], None]):
        self.backend = backend
        self.stats = stats
        self.failed = failed  # called from the writer thread, once: the owner moves it to its own thread
        self.error: StoreError | None = None
        self.dropped = 0  # items not stored because of `error`
        self.jobs: queue.Queue[Any] = queue.Queue(MAX_JOBS)
        self.thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self.thread.start()

    def write(self, accounts: list[Account], pages: list[Page], posts: list[Post]) -> None:
        """Queue one batch (the lists are the writer's from now on)."""
        self.jobs.put((accounts, pages, posts))

    def then(self, job: Callable[[], None]) -> None:
        """Run `job` on the writer thread once everything queued before it is written (never after a failure)."""
        self.jobs.put(job)

    def close(self) -> None:
        """Write what is queued, run what waits for it, and end the thread."""
        if self.thread.is_alive():
            self.jobs.put(_STOP)
            self.thread.join()

    def _run(self) -> None:
        while True:
            jobs = [self.jobs.get()]
            while True:  # what queued up while the last write ran: consecutive batches become one
                try:
                    jobs.append(self.jobs.get_nowait())
                except queue.Empty:
                    break
            if not self._do(jobs):
                return

    def _do(self, jobs: list[Any]) -> bool:
        """Run `jobs` in order; False once the stop mark is among them."""
        batch: tuple[list[Account], list[Page], list[Post]] = ([], [], [])
        for job in jobs:
            if isinstance(job, tuple):
                accounts, pages, posts = job
                batch[0].extend(accounts)
                batch[1].extend(pages)
                batch[2].extend(posts)
                continue
            self._write(*batch)
            batch = ([], [], [])
            if job is _STOP:
                return False
            if self.error is None:
                try:
                    job()
                except Exception as exc:  # a bug here must not end the thread: the crawl would wait on it forever
                    self._fail(exc)
        self._write(*batch)
        return True

    def _fail(self, exc: Exception) -> None:
        self.error = exc if isinstance(exc, StoreError) else StoreError(f"store writer: {type(exc).__name__}: {exc}")
        try:
            self.failed(self.error)
        except RuntimeError:  # the event loop is closed: close() finds the error
            pass

    def _write(self, accounts: list[Account], pages: list[Page], posts: list[Post]) -> None:
        """Accounts, pages, then posts, as the pipeline writes them; after a failure each item is dropped."""
        waiting: list[tuple[str, list[Any]]] = [("accounts", accounts), ("pages", pages), ("posts", posts)]
        while waiting and self.error is None:
            kind, items = waiting[0]
            if items:
                try:
                    result = getattr(self.backend, f"upsert_{kind}")(items)
                except Exception as exc:  # StoreError, or a bug: either way this batch is not stored
                    self._fail(exc)
                    break
                # The Delegate says whether it ran the call again here after its writer process died in it.
                count_stored(self.stats, kind, result, rerun=self.backend.rerun)
            waiting.pop(0)
        self.dropped += sum(len(items) for _, items in waiting)


def count_stored(stats: Any, kind: str, result: Any, rerun: bool = False) -> None:
    """One upsert's answer in the crawl's stats: govwatch/stored/<kind>_<inserted|updated|unchanged>.

    `rerun`: the upsert ran again here after a writer process died during it, maybe after its commit, so
    what it found unchanged may be what that process inserted or updated: counted as <kind>_replayed."""
    for field in ("inserted", "updated", "unchanged"):
        if value := getattr(result, field):
            key = "replayed" if rerun and field == "unchanged" else field
            stats.inc_value(f"govwatch/stored/{kind}_{key}", value)


def in_a_file(backend: Any) -> bool:
    """A SQLite store in a file (its readers have connections of their own, so a writer thread may write)."""
    from index.sqlite import SqliteBackend

    return isinstance(backend, SqliteBackend) and backend.path != ":memory:"


def writer_backend(backend: Any, stats: Any, process: bool = True) -> Delegate:
    """The writer thread's backend (a Delegate, released when its spider closes): with `process`, its writes
    in a process of their own (crawler/sidecar.py), shared by every crawler of this process writing to the
    same file; in this process when `process` is off, or that process dies or cannot start."""
    return delegate(open_writer, (backend.path, backend.guard.identity), backend, stats, process)


def open_writer(path: str, identity: Any) -> Any:
    """In the writer process: the store at `path`, which must still be the file the crawl opened (`identity`)."""
    from index.sqlite import SqliteBackend
    from index.sqlite_tx import FileGuard

    FileGuard(path, identity).check()  # deleted or replaced since the crawl opened it: SQLite would create one
    backend = SqliteBackend(path)
    backend.guard = FileGuard(path, identity)  # …and checked around each write, as in the crawl process
    return backend


def crawl_thread_caller() -> Callable[..., Any] | None:
    """The running event loop's thread-safe call_soon (None outside one: nothing to hand failures to)."""
    try:
        return asyncio.get_running_loop().call_soon_threadsafe
    except RuntimeError:
        return None
