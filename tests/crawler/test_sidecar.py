"""crawler.sidecar: the store's and the evidence's writes run in a process of their own, else in this one."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from core.errors import StoreError
from core.models import Post
from crawler import sidecar
from crawler.evidence import EvidenceMiddleware
from crawler.incremental import CrawlStore
from crawler.items import SourceDone
from crawler.pipelines import StorePipeline
from crawler.sidecar import Delegate
from crawler.store_writer import StoreWriter, open_writer, writer_backend
from index.sqlite import SqliteBackend
from ops.evidence.store import EvidenceStore

T0 = datetime(2026, 12, 2, 10, 0)


@pytest.fixture(autouse=True)
def _fresh_sidecars() -> Any:
    sidecar.shutdown_sidecars()
    yield
    sidecar.shutdown_sidecars()


class DyingStore(EvidenceStore):
    """Commits the batch, then its process dies before it can answer (the OOM killer, SIGKILL)."""

    def put_many(self, snapshots: list[dict[str, Any]]) -> int:
        super().put_many(snapshots)
        os._exit(9)


class DyingBackend(SqliteBackend):
    def upsert_posts(self, posts: list[Post]) -> Any:
        super().upsert_posts(posts)
        os._exit(9)


def post(post_id: str) -> Post:
    return Post("weibo", "1", post_id, text="正文", published_at=datetime(2026, 11, 21), content_hash=post_id)


def not_here(*args: Any) -> Any:
    raise AssertionError("written in the crawl process, not in the writer process")


def local_store(tmp_path: Path) -> SqliteBackend:
    backend = SqliteBackend(tmp_path / "store.db")
    backend.setup()
    return backend


def test_the_writes_run_in_the_child_process_and_their_results_come_back(tmp_path: Path) -> None:
    backend = local_store(tmp_path)
    stats = MemoryStatsCollector(get_crawler())
    writer = writer_backend(backend, stats)
    backend.upsert_posts = not_here  # type: ignore[method-assign]
    assert writer.upsert_posts([post("a"), post("b")]).inserted == 2
    assert writer.upsert_posts([post("a")]).unchanged == 1
    assert backend.known_post_ids("weibo", "1") == {"a", "b"}  # committed: this process reads them
    assert writer.sidecar.process.pid != os.getpid() and writer.sidecar.process.poll() is None
    assert writer_backend(backend, stats).sidecar is writer.sidecar  # one per store file, for every crawler
    assert stats.get_stats() == {}


def test_an_error_in_the_child_is_raised_here_as_it_was(tmp_path: Path) -> None:
    backend = local_store(tmp_path)
    writer = writer_backend(backend, None)
    os.unlink(tmp_path / "store.db")
    with pytest.raises(StoreError, match="deleted while in use"):
        writer.upsert_posts([post("a")])
    assert not writer.gone  # a real error of the store, not of the process: it is still used


def test_a_store_replaced_before_the_child_opened_it_fails_its_first_write(tmp_path: Path) -> None:
    backend = local_store(tmp_path)
    os.replace(local_store(tmp_path / "other").path, tmp_path / "store.db")
    with pytest.raises(StoreError, match="replaced"):
        open_writer(backend.path, backend.guard.identity).upsert_posts([post("a")])


def test_a_dead_child_means_writing_here_from_then_on_counted_once(tmp_path: Path) -> None:
    backend = local_store(tmp_path)
    stats = MemoryStatsCollector(get_crawler())
    writer = writer_backend(backend, stats)
    assert writer.upsert_posts([post("a")]).inserted == 1
    writer.sidecar.process.kill()
    writer.sidecar.process.wait()
    assert writer.upsert_posts([post("b")]).inserted == 1  # written here instead
    assert writer.upsert_posts([post("c")]).inserted == 1
    assert writer.gone and stats.get_value("govwatch/writer_process/broken") == 1
    assert backend.known_post_ids("weibo", "1") == {"a", "b", "c"}
    assert writer_backend(backend, stats).sidecar is not writer.sidecar  # the next crawler gets a new process


def test_a_call_that_cannot_be_pickled_runs_here_and_the_child_stays_in_use(tmp_path: Path) -> None:
    class Local:
        def put(self, value: Any) -> str:
            return "here"

    stats = MemoryStatsCollector(get_crawler())
    writer = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), Local(), stats)
    assert writer.put(lambda: None) == "here"
    assert not writer.gone and stats.get_value("govwatch/writer_process/in_place") == 1
    assert writer.sidecar.call("read", "0" * 64) is None  # the child still answers


def test_the_store_pipeline_with_a_writer_process_stores_then_checkpoints(tmp_path: Path) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config),
                                         "GOVWATCH_STORE_THREAD": True, "GOVWATCH_STORE_PROCESS": True,
                                         "GOVWATCH_STORE_BATCH": 1})  # fmt: skip
    crawler.spider = SimpleNamespace(reference_time=T0, name="t")  # type: ignore[assignment]
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    assert store.thread is not None and isinstance(store.thread.backend, Delegate)
    store.backend.upsert_posts = not_here  # type: ignore[method-assign]
    store.unit.begin("weibo", "1", T0)
    for post_id in ("a", "b"):
        store.process_item(post(post_id))
    store.process_item(SourceDone("weibo", "1", datetime(2026, 11, 21), 2))
    store.close_spider()
    assert store.backend.known_post_ids("weibo", "1") == {"a", "b"}
    assert store.stats.get_value("govwatch/stored/posts_inserted") == 2
    assert store.stats.get_value("govwatch/sources_completed") == 1


def test_evidence_batches_are_recorded_by_the_writer_process(tmp_path: Path) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[evidence]\ndir = "{tmp_path / "evidence"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"GOVWATCH_CONFIG": str(config), "GOVWATCH_EVIDENCE_PROCESS": True})
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = EvidenceMiddleware.from_crawler(crawler)
    middleware.store.put_many = not_here  # type: ignore[method-assign]
    for i in range(3):
        request = Request(f"http://gov.test/{i}.html")
        middleware.process_response(request, HtmlResponse(request.url, body=f"<p>{i}</p>".encode()))
    middleware.close()
    store = EvidenceStore(tmp_path / "evidence")
    assert [store.read(s.sha256) for s in store.find(url="http://gov.test/2.html")] == [b"<p>2</p>"]
    assert crawler.stats.get_value("govwatch/evidence/snapshots") == 3
    store.close()


def test_a_writer_process_dying_after_its_commit_leaves_each_snapshot_once(tmp_path: Path) -> None:
    local = EvidenceStore(tmp_path)
    stats = MemoryStatsCollector(get_crawler())
    sink = Delegate(sidecar.shared(DyingStore, str(tmp_path)), local, stats)
    batch = [{"url": f"http://gov.test/{i}", "body": b"<p>x</p>", "fetched_at": T0} for i in range(3)]
    assert sink.put_many(batch) == 3  # the child wrote them, died; written again here
    assert sink.gone and len(local.find(limit=10)) == 3
    local.close()


def test_a_post_batch_written_again_after_the_child_died_counts_as_replayed_not_unchanged(tmp_path: Path) -> None:
    backend = local_store(tmp_path)
    backend.upsert_posts([post("old")])  # stored by an earlier crawl
    stats = MemoryStatsCollector(get_crawler())
    writer = StoreWriter(Delegate(sidecar.shared(DyingBackend, backend.path), backend, stats), stats, not_here)
    written = threading.Event()
    writer.write([], [], [post("a"), post("b"), post("old")])  # the child inserts a and b, commits, dies
    writer.then(written.set)
    assert written.wait(30)
    writer.write([], [], [post("c")])  # the next batch, written here: its counts are plain again
    writer.close()
    assert writer.backend.gone and backend.known_post_ids("weibo", "1") == {"old", "a", "b", "c"}
    # The re-run found a, b and old stored: it cannot tell which the child wrote, so none counts as unchanged.
    assert {k: v for k, v in stats.get_stats().items() if k.startswith("govwatch/stored/")} == {
        "govwatch/stored/posts_replayed": 3, "govwatch/stored/posts_inserted": 1}


def test_a_writer_process_that_cannot_start_means_writing_here(tmp_path: Path, monkeypatch: Any) -> None:
    backend = local_store(tmp_path)
    stats = MemoryStatsCollector(get_crawler())
    made: list[int] = []
    real_pipe = os.pipe

    def pipe() -> tuple[int, int]:
        fds = real_pipe()
        made.extend(fds)
        return fds

    def no_fds(*args: Any, **kwargs: Any) -> Any:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(sidecar.os, "pipe", pipe)
    monkeypatch.setattr(sidecar.subprocess, "Popen", no_fds)
    writer = writer_backend(backend, stats)
    assert writer.sidecar is None and writer.local is backend
    assert writer.upsert_posts([post("a")]).inserted == 1  # written here
    writer.release()  # nothing to end
    assert stats.get_value("govwatch/writer_process/not_started") == 1
    for fd in made:  # no pipe end left open
        with pytest.raises(OSError):
            os.fstat(fd)


def test_a_child_gone_before_its_first_message_means_writing_here(tmp_path: Path, monkeypatch: Any) -> None:
    stats = MemoryStatsCollector(get_crawler())
    local = EvidenceStore(tmp_path)
    real_popen = sidecar.subprocess.Popen

    def gone(args: list[str], **kwargs: Any) -> Any:  # a child that ends at once: the first send breaks
        process = real_popen([args[0], "-c", "pass"], **kwargs)
        process.wait()
        return process

    monkeypatch.setattr(sidecar.subprocess, "Popen", gone)
    sink = sidecar.delegate(EvidenceStore, (str(tmp_path),), local, stats)
    assert sink.sidecar is None and sink.local is local
    assert stats.get_value("govwatch/writer_process/not_started") == 1
    local.close()


def test_the_child_ignores_sigterm_and_ends_when_its_last_user_releases_it(tmp_path: Path) -> None:
    import signal

    first = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), None)
    second = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), None)
    assert first.sidecar is second.sidecar
    process = first.sidecar.process
    assert first.read("0" * 64) is None  # the child is up (its handlers set)
    process.send_signal(signal.SIGTERM)  # systemd stopping the process group: the parent still writes
    assert second.read("0" * 64) is None and process.poll() is None
    first.release()
    assert process.poll() is None and second.read("0" * 64) is None
    second.release()  # the last user: the process has ended
    assert process.returncode == 0 and sidecar.shared(EvidenceStore, str(tmp_path)) is not first.sidecar


def test_without_a_writer_process_the_calls_run_here_and_release_ends_nothing(tmp_path: Path) -> None:
    backend = local_store(tmp_path)
    stats = MemoryStatsCollector(get_crawler())
    writer = writer_backend(backend, stats, process=False)
    assert writer.sidecar is None and writer.upsert_posts([post("a")]).inserted == 1
    writer.release()
    assert backend.known_post_ids("weibo", "1") == {"a"} and stats.get_stats() == {}


def test_inside_kept_a_writer_process_outlives_its_last_user_until_the_block_ends(tmp_path: Path) -> None:
    with sidecar.kept():
        first = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), None)
        process = first.sidecar.process
        first.release()  # one spider done: the next one reuses its process
        second = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), None)
        assert second.sidecar is first.sidecar and second.read("0" * 64) is None
        second.release()
        assert process.poll() is None
    assert process.wait(timeout=30) == 0  # no user left when the block ended: ended and waited for


def test_a_writer_process_killed_while_idle_is_replaced_for_the_next_user(tmp_path: Path) -> None:
    with sidecar.kept():
        first = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), None)
        first.release()
        first.sidecar.process.kill()
        first.sidecar.process.wait()
        second = Delegate(sidecar.shared(EvidenceStore, str(tmp_path)), None)
        assert second.sidecar is not first.sidecar and second.read("0" * 64) is None and not second.gone
        second.release()


def test_inside_kept_a_writer_process_that_could_not_build_its_store_is_not_reused(tmp_path: Path) -> None:
    blocker = tmp_path / "evidence"
    blocker.write_text("a file where the evidence directory should be", encoding="utf-8")
    with sidecar.kept():
        first = Delegate(sidecar.shared(EvidenceStore, str(blocker)), None)
        with pytest.raises(OSError):  # this spider's evidence fails, as it would have in this process
            first.read("0" * 64)
        first.release()
        assert first.sidecar.process.wait(timeout=30) == 0  # ended at its last release, even inside kept()
        blocker.unlink()  # the cause is gone: the next spider of the run gets a process of its own
        second = Delegate(sidecar.shared(EvidenceStore, str(blocker)), None)
        assert second.sidecar is not first.sidecar and second.read("0" * 64) is None
        second.release()
