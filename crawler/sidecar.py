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
is gone: logged once), so nothing is lost: the writes are idempotent upserts
or evidence rows.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class SidecarDied(OSError):
    """The child process ended (or its pipe broke): the call may not have run."""


class NotSent(Exception):
    """The call's arguments could not be pickled: nothing was sent."""


def _serve(conn: Any, factory: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Child: build the object, then answer (method, args) with (ok, result or exception) until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the crawl through Scrapy in the parent
    try:
        target, error = factory(*args), None
    except Exception as exc:  # every call answers with it
        target, error = None, exc
    while True:
        try:
            method, call_args = conn.recv()
        except EOFError:
            break
        try:
            if error is not None:
                raise error
            answer = (True, getattr(target, method)(*call_args))
        except Exception as exc:
            answer = (False, exc)
        try:
            conn.send(answer)
        except Exception as exc:  # an unpicklable result or exception: say what it was
            conn.send((False, RuntimeError(f"{method}: {type(exc).__name__}: {exc}")))
    if hasattr(target, "close"):
        target.close()


class Sidecar:
    """One child process holding `factory(*args)`; `call` runs one of its methods there (thread-safe)."""

    def __init__(self, factory: Callable[..., Any], args: tuple[Any, ...]):
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        self.conn, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, factory, args), daemon=True)
        self.process.start()
        child.close()
        self.lock = threading.Lock()
        self.dead = False

    def call(self, method: str, *args: Any) -> Any:
        with self.lock:
            if self.dead:
                raise SidecarDied(f"writer process {self.process.pid} is gone")
            try:
                data = pickle.dumps((method, args), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                raise NotSent(f"{type(exc).__name__}: {exc}") from exc
            try:
                self.conn.send_bytes(data)
                ok, value = self.conn.recv()
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
            self.conn.close()
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


_lock = threading.Lock()
_sidecars: dict[tuple[Any, ...], Sidecar] = {}


def shared(factory: Callable[..., Any], *args: Any) -> Sidecar:
    """The process-wide sidecar of `factory(*args)` (started on first use; a dead one is replaced)."""
    key = (factory, *args)
    with _lock:
        sidecar = _sidecars.get(key)
        if sidecar is None or sidecar.dead:
            sidecar = _sidecars[key] = Sidecar(factory, args)
        return sidecar


@atexit.register
def shutdown_sidecars() -> None:
    """End every sidecar of this process and wait for it (at exit; bench/crawl.py counts their CPU)."""
    with _lock:
        sidecars = list(_sidecars.values())
        _sidecars.clear()
    for sidecar in sidecars:
        sidecar.close()


class Delegate:
    """`local`'s methods, run in `sidecar` while it lives (else, and for a call that cannot go, on `local`)."""

    def __init__(self, sidecar: Sidecar, local: Any, stats: Any = None):
        self.sidecar = sidecar
        self.local = local
        self.stats = stats
        self.gone = False

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return lambda *args: self._call(name, args)

    def _call(self, name: str, args: tuple[Any, ...]) -> Any:
        if not self.gone:
            try:
                return self.sidecar.call(name, *args)
            except SidecarDied as exc:
                self.gone = True
                self._count("broken", "%s: writing in the crawl process from now on (%s)", name, exc)
            except NotSent as exc:
                self._count("in_place", "%s could not go to the writer process (%s): written here", name, exc)
        return getattr(self.local, name)(*args)

    def _count(self, what: str, message: str, *args: Any) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"govwatch/writer_process/{what}")
        log.warning(message, *args)
