"""Writers in a process of their own: the crawl process keeps the GIL for Scrapy.

The store pipeline's writer thread (crawler/store_writer.py) and the
evidence middleware's (crawler/evidence.py) took the crawl's reactor thread
off the disk, but not off the GIL: building FTS rows (OpenCC, normalising),
hashing, pathlib and sqlite3's Python side held it for ~1–2.5 s of a bench
crawl, and each time the reactor thread let go of it for a syscall (a socket
send, a pipe write to a parse worker) a writer could take it, so the reactor
thread waited up to the interpreter's switch interval to get it back.

Here the writer threads stay (their order, batching, failures and tests are
unchanged), but what they call runs in a spawned child process: a `Sidecar`
builds `factory(*args)` there (an EvidenceStore, a SqliteBackend on the same
file) and answers method calls sent through a pipe. A calling thread holds
the GIL only to pickle a batch and unpickle the answer; while the child works
it waits in a read that releases it. One sidecar per factory and arguments
serves every crawler of the process (`shared`); calls are serialised.

An exception raised by the method in the child comes back and is raised as
it was (core.errors pickles its fields). If the child is gone (killed, out of
memory) or a call cannot be pickled, `Delegate` makes the same call on the
object in this process instead (that call, or every later one once the child
is gone: logged once), so nothing is lost; a child that died after its commit
has that call run twice, which the store's upserts and the evidence rows'
unique key make harmless. A child that cannot start means writing here from the
start (`delegate`). The child ignores SIGINT and SIGTERM and ends when its pipe
closes: when its last user is released (or, for spiders run one after another
inside `kept()`, when that block ends), else at exit.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

from crawler.children import SharedChildren
from crawler.parse_pool import widen

log = logging.getLogger(__name__)


class SidecarDied(OSError):
    """The child process ended (or its pipe broke): the call may not have run."""


class NotSent(Exception):
    """The call's arguments could not be pickled: nothing was sent."""


def _serve(requests: Any, answers: Any, factory: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Child: build the object and say whether it was built (the first answer), then answer (method, args)
    with (ok, result or exception) until EOF."""
    try:
        target, error = factory(*args), None
    except Exception as exc:  # every call answers with it
        target, error = None, exc
    try:
        answers.send((error is None, error))
    except OSError:  # the parent closed its end before any call (its spider failed first): nothing to do
        return
    except Exception as exc:  # an exception that cannot be pickled: say what it was
        answers.send((False, RuntimeError(f"{type(error).__name__}: {error} ({exc})")))
    while True:
        try:
            method, call_args = requests.recv()
        except EOFError:
            break
        try:
            if error is not None:
                raise error
            answer = (True, getattr(target, method)(*call_args))
        except Exception as exc:
            answer = (False, exc)
        try:
            answers.send(answer)
        except Exception as exc:  # an unpicklable result or exception: say what it was
            answers.send((False, RuntimeError(f"{method}: {type(exc).__name__}: {exc}")))
    if hasattr(target, "close"):
        target.close()


def child(read_fd: int, write_fd: int) -> None:
    """The child process's main: its first message is the factory and its arguments."""
    # Ctrl-C, or a SIGTERM to the whole process group (systemd's stop), stops the crawl through Scrapy in the
    # parent, which still writes its last batches here; the child ends at the EOF of its pipe when it closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    requests, answers = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    try:
        factory, args = requests.recv()
    except EOFError:
        return
    _serve(requests, answers, factory, args)


class Sidecar:
    """One child process holding `factory(*args)`; `call` runs one of its methods there (thread-safe).

    Started as `python -c` importing only this module and the factory's, not with multiprocessing's
    "spawn", which imports the parent's main module again (Scrapy and all: ~0.8 s of CPU per start)."""

    def __init__(self, factory: Callable[..., Any], args: tuple[Any, ...]):
        to_child, self_in = os.pipe()
        self_out, from_child = os.pipe()
        code = f"import sys; sys.path[:0] = {sys.path!r}; from crawler.sidecar import child; child({to_child}, {from_child})"  # noqa: E501
        try:
            self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(to_child, from_child),
                                            stdin=subprocess.DEVNULL)  # fmt: skip
        except BaseException:  # EMFILE, ENOMEM…: no fd of the four stays open
            for fd in (to_child, self_in, self_out, from_child):
                os.close(fd)
            raise
        os.close(to_child)
        os.close(from_child)
        for fd in (self_in, self_out):  # a batch of responses in one write, not a wake-up per 64 KiB
            widen(fd)
        self.requests, self.answers = Connection(self_in, readable=False), Connection(self_out, writable=False)
        self.lock = threading.Lock()
        self.dead = False
        self.built: bool | None = None  # whether the child built its object (its first answer, read on first use)
        self.users = 0  # Delegates using it (`shared`); the last one's `release` ends it
        try:
            self.requests.send((factory, args))  # what to build: the child's first message
        except BaseException:  # the child is already gone (broken pipe): end it and close the pipes
            self.close()
            raise

    def call(self, method: str, *args: Any) -> Any:
        with self.lock:
            if self.dead:
                raise SidecarDied(f"writer process {self.process.pid} is gone")
            try:
                data = pickle.dumps((method, args), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                raise NotSent(f"{type(exc).__name__}: {exc}") from exc
            try:
                self.requests.send_bytes(data)
                if self.built is None:
                    self.built = self.answers.recv()[0]
                ok, value = self.answers.recv()
            except (EOFError, OSError) as exc:
                self.dead = True
                raise SidecarDied(f"writer process {self.process.pid} is gone: {exc}") from exc
        if ok:
            return value
        raise value

    def close(self) -> None:
        """The child finishes the call it is on, closes its object and ends; waited for."""
        with self.lock:
            self.dead = True
            self.requests.close()
            self.answers.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# One per factory and arguments; a child found dead (killed while no call was on), or one whose object could
# not be built (the store was locked, the directory missing), is replaced: the next spider tries afresh.
_sidecars: SharedChildren[Sidecar] = SharedChildren(
    lambda sidecar: sidecar.close(),
    dead=lambda sidecar: sidecar.dead or sidecar.built is False or sidecar.process.poll() is not None,
)
# `kept()` blocks open: while any is, a sidecar whose last user is released stays up. Process-wide, not per
# run: run_spiders (one at a time per process) is its only user.
_kept = 0


def shared(factory: Callable[..., Any], *args: Any) -> Sidecar:
    """The process-wide sidecar of `factory(*args)` (started on first use; a dead one is replaced), with one
    more user; OSError when the process cannot start."""
    with _sidecars.lock:
        sidecar = _sidecars.get((factory, *args), lambda: Sidecar(factory, args))
        sidecar.users += 1
        return sidecar


def delegate(
    factory: Callable[..., Any], args: tuple[Any, ...], local: Any, stats: Any = None, process: bool = True
) -> Delegate:
    """A Delegate to the shared sidecar of `factory(*args)`; with `process` False, or when that process
    cannot start (too many open files, no memory for a fork, a child gone before its first message:
    counted as govwatch/writer_process/not_started and logged), one that calls `local` here, with nothing
    to release."""
    if not process:
        return Delegate(None, local, stats)
    try:
        return Delegate(shared(factory, *args), local, stats)
    except OSError as exc:
        if stats is not None:
            stats.inc_value("govwatch/writer_process/not_started")
        log.warning("no writer process for %s (%s): writing in the crawl process", factory.__name__, exc)
        return Delegate(None, local, stats)


def release(sidecar: Sidecar) -> None:
    """One user of `sidecar` is done (its spider closed); the last one ends the process and waits for it,
    unless a `kept()` block is open (the next spider will use it)."""
    with _sidecars.lock:
        sidecar.users -= 1
        last = sidecar.users <= 0 and (not _kept or sidecar.built is False)
        if last:
            _sidecars.discard(sidecar)
    if last:
        sidecar.close()


@contextmanager
def kept() -> Iterator[None]:
    """Spiders run one after another inside share their writer processes: a process is started once, not
    per spider (~0.5 s of CPU each), and those no spider uses any more end when the block is left."""
    global _kept
    with _sidecars.lock:
        _kept += 1
    try:
        yield
    finally:
        with _sidecars.lock:
            _kept -= 1
            idle = _sidecars.idle(lambda sidecar: sidecar.users <= 0) if not _kept else []
        for sidecar in idle:
            sidecar.close()


def shutdown_sidecars() -> None:
    """End every sidecar of this process and wait for it (at exit; bench/crawl.py counts their CPU)."""
    _sidecars.shutdown()


class Delegate:
    """`local`'s methods, run in `sidecar` while it lives (else, and for a call that cannot go, on `local`;
    with no sidecar, always on `local`)."""

    def __init__(self, sidecar: Sidecar | None, local: Any, stats: Any = None):
        self.sidecar = sidecar
        self.local = local
        self.stats = stats
        self.gone = sidecar is None
        self.released = False
        # The last call ran here after the child died during it: the child may have done it already (the
        # store's counts of that call cannot tell "unchanged" from "written by the child").
        self.rerun = False

    def release(self) -> None:
        """This user is done (once): the last user of the sidecar ends it (not a call of `local`'s `release`;
        nothing to do without a sidecar)."""
        if not self.released and self.sidecar is not None:
            self.released = True
            release(self.sidecar)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return lambda *args: self._call(name, args)

    def _call(self, name: str, args: tuple[Any, ...]) -> Any:
        self.rerun = False
        if not self.gone and self.sidecar is not None:
            try:
                return self.sidecar.call(name, *args)
            except SidecarDied as exc:
                self.gone = self.rerun = True
                self._count("broken", "%s: writing in the crawl process from now on (%s)", name, exc)
            except NotSent as exc:
                self._count("in_place", "%s could not go to the writer process (%s): written here", name, exc)
        return getattr(self.local, name)(*args)

    def _count(self, what: str, message: str, *args: Any) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"govwatch/writer_process/{what}")
        log.warning(message, *args)
