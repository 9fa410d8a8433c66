"""The parse workers' processes and pipes (crawler/offload.py says why and how they are used).

Each worker is a spawned process reading (call id, function, arguments) from one pipe and writing (call
id, result or exception) to another. The calling side needs no threads: the event loop of whoever calls
writes the call (what does not fit in the pipe waits for it to have room) and reads answers when they
arrive. Every message starts with its call's id, so even an answer that cannot be unpickled finds its call.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import pickle
import signal
import struct
from collections.abc import Callable
from typing import Any

WARM_MODULES = ("crawler.pages.gov", "crawler.pages.feeds", "crawler.pages.wechat", "trafilatura")
_HEADER = struct.Struct("!i")  # multiprocessing.Connection's framing: a signed 4-byte length, then the bytes
_ID = struct.Struct("!q")
_MAX = 0x7FFFFFFF  # the largest message _HEADER frames; multiprocessing frames bigger ones otherwise
_CHUNK = 1 << 20


class WorkerDied(Exception):
    """The worker process ended (killed, out of memory) with calls outstanding."""


class Unpicklable(Exception):
    """A call's arguments, result or exception could not cross the process boundary."""


def _serve(requests: Any, answers: Any) -> None:
    """Worker process: answer (id, fn, args) with (id, ok, result or exception), until the pipe closes."""
    import importlib

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the crawl through Scrapy in the parent
    for name in WARM_MODULES:  # the parsers (and trafilatura, loaded lazily) before the first page
        importlib.import_module(name)
    while True:
        try:
            message = requests.recv_bytes()
        except EOFError:
            return
        head = message[: _ID.size]
        try:
            fn, args = pickle.loads(message[_ID.size :])
        except Exception as exc:  # e.g. a function this process cannot import
            answers.send_bytes(head + _refused(exc))
            continue
        try:
            answer = (True, fn(*args))
        except Exception as exc:
            answer = (False, exc)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = _refused(exc)
        if len(head) + len(data) > _MAX:  # sent, it would be framed as -1 + an 8-byte length: refuse it
            data = _refused(ValueError(f"an answer of {len(data)} bytes is over the {_MAX} a message holds"))
        answers.send_bytes(head + data)


def _refused(exc: Exception) -> bytes:
    return pickle.dumps((False, Unpicklable(f"{type(exc).__name__}: {exc}")))


def widen(fd: int) -> None:
    """Make a pipe hold up to 1 MiB (Linux; elsewhere, or above /proc/sys/fs/pipe-max-size, it stays)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _CHUNK)
    except (ImportError, AttributeError, OSError):
        pass


class Worker:
    """One worker process and its two pipes, driven from the event loop of whoever calls it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._requests_r, self._requests = context.Pipe(duplex=False)
        self._answers, self._answers_w = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(self._requests_r, self._answers_w), daemon=True)
        self.process.start()
        self._requests_r.close()
        self._answers_w.close()
        self.read_fd, self.write_fd = self._answers.fileno(), self._requests.fileno()
        os.set_blocking(self.write_fd, False)
        os.set_blocking(self.read_fd, False)
        for fd in (self.write_fd, self.read_fd):  # a page and its answer (html kept) in one write, mostly:
            widen(fd)  # a worker blocked on a full 64 KiB pipe would wait for the loop's next turn per 64 KiB
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.out = bytearray()  # written when the pipe has room (a worker busy parsing reads later)
        self.inbox = bytearray()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.reading = self.writing = False  # the loop watches the answers pipe / the requests pipe
        self.dead = False

    def call(self, call_id: int, payload: bytes) -> asyncio.Future[Any]:
        """Send one call; its future gets the answer, or WorkerDied if the worker ends (or is closed) first."""
        if len(payload) > _MAX:  # checked before anything is registered, so nothing waits for it
            raise ValueError(f"a call of {len(payload)} bytes is over the {_MAX} a message holds")
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new loop (tests, asyncio.run per call) watches the pipes from now on
            if self.loop is not None and not self.loop.is_closed():
                # Its calls still out are answered through the new loop's reader (set_result from this thread:
                # fine for loops run one after another in one thread, as tests do; a crawl has one loop).
                self._unwatch()
            else:
                self.pending.clear()  # nothing awaits the calls of a closed loop: their answers are dropped
            self.loop, self.reading, self.writing = loop, False, False
        future = loop.create_future()
        if self.dead:  # closed: its pipes (and maybe their fd numbers) are no longer its own
            future.set_exception(WorkerDied(f"parse worker {self.process.pid} is closed"))
            return future
        self.pending[call_id] = future
        if not self.reading:  # from the first call on, for the loop's life: not an epoll change per call
            loop.add_reader(self.read_fd, self._readable)
            self.reading = True
        self.out += _HEADER.pack(len(payload)) + payload
        self._write()
        return future

    def _write(self) -> None:
        try:
            sent = os.write(self.write_fd, self.out) if self.out else 0
        except BlockingIOError:
            sent = 0
        except OSError as exc:  # the worker is gone
            self._die(exc)
            return
        del self.out[:sent]
        assert self.loop is not None
        if self.out and not self.writing:
            self.loop.add_writer(self.write_fd, self._write)
            self.writing = True
        elif not self.out and self.writing:
            self.loop.remove_writer(self.write_fd)
            self.writing = False

    def _readable(self) -> None:
        try:
            data = os.read(self.read_fd, _CHUNK)
        except BlockingIOError:
            return
        except OSError as exc:
            self._die(exc)
            return
        if not data:
            self._die(WorkerDied(f"parse worker {self.process.pid} ended"))
            return
        self.inbox += data
        while len(self.inbox) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.inbox)
            if len(self.inbox) < _HEADER.size + size:
                break
            message = bytes(self.inbox[_HEADER.size : _HEADER.size + size])
            del self.inbox[: _HEADER.size + size]
            self._answer(message)

    def _answer(self, message: bytes) -> None:
        (call_id,) = _ID.unpack_from(message)
        future = self.pending.pop(call_id, None)
        if future is None or future.done():
            return
        try:
            ok, value = pickle.loads(message[_ID.size :])
        except Exception as exc:  # e.g. an object whose class refuses to be rebuilt here
            future.set_exception(Unpicklable(f"{type(exc).__name__}: {exc}"))
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _unwatch(self) -> None:
        assert self.loop is not None
        self.loop.remove_reader(self.read_fd)
        self.loop.remove_writer(self.write_fd)
        self.reading = self.writing = False

    def _die(self, exc: BaseException) -> None:
        self.dead = True
        if self.loop is not None and not self.loop.is_closed():
            self._unwatch()
        pending, self.pending = self.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerDied(str(exc)))

    def close(self, wait: bool = True) -> None:
        """Fail the calls still waiting (callers parse them in place), close the pipes, end the process.

        The reader and writer leave the event loop before their fds close: a later pipe given the same fd
        number must not be read by this worker. wait=False (a pool given up mid-crawl) stops the process
        at once, as its calls are answered elsewhere, and reaps it; wait=True lets it finish (at exit)."""
        if self._requests.closed:
            return
        self._die(WorkerDied(f"parse worker {self.process.pid} closed"))
        for conn in (self._requests, self._answers):
            conn.close()  # the worker reads EOF and ends
        if not wait:
            self.process.terminate()
        self.process.join(timeout=30 if wait else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class Pool:
    """`workers` worker processes; a call goes to the one with the fewest calls out."""

    def __init__(self, workers: int):
        self.workers = [Worker() for _ in range(workers)]
        self.ids = itertools.count()

    @property
    def dead(self) -> bool:
        return any(worker.dead for worker in self.workers)

    def submit(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> asyncio.Future[Any]:
        call_id = next(self.ids)
        payload = _ID.pack(call_id) + pickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL)
        worker = min(self.workers, key=lambda w: len(w.pending))
        return worker.call(call_id, payload)

    def close(self, wait: bool = True) -> None:
        for worker in self.workers:
            worker.close(wait)
