"""Parse workers (crawler/offload.py): parsers run in another process, errors come back whole, a dead
worker makes parsing fall back to the crawl thread without losing a page."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.errors import AccountMissing, ParseError
from crawler import offload, parse_pool
from crawler.offload import ParseWorkers
from crawler.pages.feeds import parse_feed
from crawler.pages.gov import parse_body
from crawler.pages.walls import NeedsCredentials

REF = datetime(2024, 5, 1, 12, 0)
PAGE = "<html><head><title>通知</title></head><body><div id='zoom'><p>{}</p></div></body></html>"


class Stats:
    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] += count


@pytest.fixture
def workers() -> Iterator[ParseWorkers]:
    offload.shutdown_pools()
    yield ParseWorkers(1, Stats())
    offload.shutdown_pools()


def run(unit: ParseWorkers, fn: Any, *args: Any) -> Any:
    return asyncio.run(unit.run(fn, *args))


def test_a_parser_runs_in_a_worker_process_and_returns_the_same_page(workers: ParseWorkers) -> None:
    body = PAGE.format("市政府召开常务会议，研究部署安全生产工作。" * 5).encode("gbk")
    args = (body, "http://gov.example/a.html", "text/html; charset=gbk", REF)
    assert run(workers, os.getpid) != os.getpid()
    assert run(workers, parse_body, *args) == parse_body(*args)


def test_a_parse_error_comes_back_with_its_class_message_and_fields(workers: ParseWorkers) -> None:
    with pytest.raises(ParseError) as inline:
        parse_feed(b"<html>not a feed</html>", "http://x/feeds/a.xml", REF)
    with pytest.raises(ParseError) as remote:
        run(workers, parse_feed, b"<html>not a feed</html>", "http://x/feeds/a.xml", REF)
    assert type(remote.value) is type(inline.value) and str(remote.value) == str(inline.value)
    assert remote.value.source == inline.value.source


@pytest.mark.parametrize("cls", [ParseError, AccountMissing, NeedsCredentials])
def test_errors_pickle_with_their_fields(cls: type[ParseError]) -> None:
    error = cls("no posts", source="http://x/1", row=3, field="text")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls and str(back) == str(error) == "http://x/1, row 3, field 'text': no posts"
    assert (back.message, back.source, back.row, back.field) == ("no posts", "http://x/1", 3, "text")


def test_a_killed_worker_falls_back_to_parsing_here_counted_once(workers: ParseWorkers) -> None:
    worker_pid = run(workers, os.getpid)
    os.kill(worker_pid, signal.SIGKILL)
    results = [run(workers, os.getpid) for _ in range(3)]
    assert results == [os.getpid()] * 3  # every call answered, on this process
    assert workers.broken and workers.stats.values["govwatch/parse_workers/broken"] == 1
    fresh = ParseWorkers(1, Stats())  # a later crawl starts new workers
    assert run(fresh, os.getpid) not in (os.getpid(), worker_pid)


def test_zero_workers_parse_on_the_calling_thread() -> None:
    assert run(ParseWorkers(0, Stats()), os.getpid) == os.getpid()


def _refuse() -> None:
    raise ValueError("this object cannot be rebuilt here")


class Unloadable:
    """Pickles in the worker, but fails to unpickle in the crawl process (its rebuild raises)."""

    def __reduce__(self) -> Any:
        return (_refuse, ())


def make_unloadable() -> Unloadable:
    return Unloadable()


def test_a_result_that_cannot_be_unpickled_is_parsed_here_once_and_the_worker_stays(workers: ParseWorkers) -> None:
    """Only that call falls back (counted); the next call goes to the same worker. With a
    ProcessPoolExecutor such an answer broke the pool, and every later call of the crawl ran here."""
    worker_pid = run(workers, os.getpid)
    assert isinstance(run(workers, make_unloadable), Unloadable)  # answered, on this process
    assert run(workers, os.getpid) == worker_pid
    assert not workers.broken and workers.stats.values["govwatch/parse_workers/in_place"] == 1
    assert "govwatch/parse_workers/broken" not in workers.stats.values


def test_arguments_that_cannot_be_pickled_are_parsed_here_counted(workers: ParseWorkers) -> None:
    worker_pid = run(workers, os.getpid)
    assert run(workers, len, [lambda: None]) == 1  # a lambda cannot be pickled
    assert run(workers, os.getpid) == worker_pid and not workers.broken
    assert workers.stats.values["govwatch/parse_workers/in_place"] == 1


def held(gate: str) -> int:
    """A call that says it has started (a file named after its process) and returns once `gate`/open exists."""
    Path(gate, f"in-{os.getpid()}").touch()
    while not Path(gate, "open").exists():
        time.sleep(0.01)
    return 7


async def inside(gate: Path, *pids: int) -> None:
    """Until each of these worker processes is inside a call of held()."""
    while not all((gate / f"in-{pid}").exists() for pid in pids):
        await asyncio.sleep(0.01)


def test_a_worker_killed_while_calls_wait_answers_them_here(workers: ParseWorkers, tmp_path: Path) -> None:
    """Calls already sent to a worker that dies are answered on this process; none is lost."""
    worker_pid = run(workers, os.getpid)

    async def burst() -> list[Any]:
        calls = [asyncio.ensure_future(workers.run(held, str(tmp_path))) for _ in range(3)]
        await inside(tmp_path, worker_pid)  # the worker is inside the first call, two more wait for it
        os.kill(worker_pid, signal.SIGKILL)
        (tmp_path / "open").touch()  # the calls answered here return at once
        return list(await asyncio.gather(*calls))

    assert asyncio.run(burst()) == [7, 7, 7]
    assert workers.broken and workers.stats.values["govwatch/parse_workers/broken"] == 1
    assert run(workers, os.getpid) == os.getpid()


@pytest.fixture
def two_workers() -> Iterator[ParseWorkers]:
    offload.shutdown_pools()
    yield ParseWorkers(2, Stats())
    offload.shutdown_pools()


def test_one_dead_worker_of_two_leaves_no_call_of_the_other_unanswered(two_workers: ParseWorkers,
                                                                     tmp_path: Path) -> None:
    """The dead worker's call and the healthy worker's call are both answered here (the pool is given up
    as a whole); before, closing the pool left the healthy worker's call waiting forever."""
    pool = offload.shared_pool(2)

    async def burst() -> list[Any]:
        pids = await asyncio.gather(two_workers.run(os.getpid), two_workers.run(os.getpid))
        assert sorted(pids) == sorted(w.process.pid for w in pool.workers)  # one call each, both started
        calls = [asyncio.ensure_future(two_workers.run(held, str(tmp_path))) for _ in range(2)]
        await inside(tmp_path, *pids)  # each worker is inside its call
        assert [len(w.pending) for w in pool.workers] == [1, 1]
        assert pool.workers[1].process.pid is not None
        os.kill(pool.workers[1].process.pid, signal.SIGKILL)
        (tmp_path / "open").touch()  # the calls answered here return at once
        answers = list(await asyncio.wait_for(asyncio.gather(*calls), 120))  # before: one waited forever
        loop = asyncio.get_running_loop()  # no reader is left on the closed pipes' (reusable) fd numbers
        assert not any(loop.remove_reader(w.read_fd) or loop.remove_writer(w.write_fd) for w in pool.workers)
        return answers

    assert asyncio.run(burst()) == [7, 7]
    assert two_workers.broken and two_workers.stats.values["govwatch/parse_workers/broken"] == 1
    assert all(w.process.exitcode is not None for w in pool.workers)  # both processes ended and reaped
    assert all(not w.pending for w in pool.workers)


def test_a_call_too_big_for_a_message_is_parsed_here_and_registers_nothing(
    workers: ParseWorkers, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_pid = run(workers, os.getpid)
    monkeypatch.setattr(parse_pool, "_MAX", 100)  # stands for 2 GiB, the largest frame of the pipe
    assert run(workers, len, b"x" * 1000) == 1000
    assert workers.stats.values["govwatch/parse_workers/in_place"] == 1 and not workers.broken
    assert not offload.shared_pool(1).workers[0].pending
    monkeypatch.undo()
    assert run(workers, os.getpid) == worker_pid


def test_the_answers_pipe_is_watched_once_and_a_worker_dying_idle_is_seen(
    workers: ParseWorkers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One add_reader for many calls (not an epoll change per call); a worker killed between calls is seen
    through that reader, and the next call is parsed here."""

    async def calls() -> Any:
        loop = asyncio.get_running_loop()
        added: list[int] = []
        real = loop.add_reader
        monkeypatch.setattr(loop, "add_reader", lambda fd, cb, *a: (added.append(fd), real(fd, cb, *a))[1])
        pids = [await workers.run(os.getpid) for _ in range(5)]
        pool = offload.shared_pool(1)
        assert len(set(pids)) == 1 and added == [pool.workers[0].read_fd]
        os.kill(pids[0], signal.SIGKILL)
        for _ in range(6000):  # the loop reads the EOF of the dead worker's pipe while no call is out
            if pool.dead:
                break
            await asyncio.sleep(0.01)
        assert pool.dead
        return await workers.run(os.getpid)

    assert asyncio.run(calls()) == os.getpid()
    assert workers.broken and workers.stats.values["govwatch/parse_workers/broken"] == 1
