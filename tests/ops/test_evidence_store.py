"""The evidence store: gzip files named by content hash (one per distinct content), lookups, retention."""

from __future__ import annotations

import gzip
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request, signals
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from core.config import Settings, StoreSettings
from core.errors import ConfigError
from crawler.evidence import EvidenceMiddleware, subject_of
from ops.evidence.store import EvidenceStore

T0 = datetime(2026, 11, 20, 9, 0)


def objects(root: Path) -> list[Path]:
    return sorted((root / "objects").glob("*/*.gz"))


def test_same_bytes_are_one_file_and_each_fetch_is_recorded(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    a = store.put("http://gov.test/a.html", b"<p>same</p>", T0, status=200, content_type="text/html")
    b = store.put("http://gov.test/b.html", b"<p>same</p>", T0 + timedelta(hours=1))
    c = store.put("http://gov.test/a.html", b"<p>changed</p>", T0 + timedelta(days=1))
    assert a.sha256 == b.sha256 != c.sha256
    assert len(objects(tmp_path)) == 2
    assert gzip.decompress(store.object_path(a.sha256).read_bytes()) == b"<p>same</p>"
    assert store.read(c.sha256) == b"<p>changed</p>"
    assert [s.sha256 for s in store.find(url="http://gov.test/a.html")] == [c.sha256, a.sha256]  # newest first
    assert [s.id for s in store.find(url="http://gov.test/a.html", until=T0 + timedelta(hours=2))] == [a.id]
    assert store.read("../../etc/passwd") is None and store.read("0" * 64) is None
    store.close()


def test_retention_forgets_old_fetches_and_deletes_only_unreferenced_files(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path, retention_days=30)
    old = store.put("http://gov.test/a.html", b"old only", T0 - timedelta(days=60))
    shared_old = store.put("http://gov.test/b.html", b"shared", T0 - timedelta(days=60))
    store.put("http://gov.test/c.html", b"shared", T0)
    assert store.prune(T0) == (2, 1)
    assert store.read(old.sha256) is None and store.read(shared_old.sha256) == b"shared"
    assert store.find(url="http://gov.test/a.html") == []
    store.close()


def test_from_settings_puts_the_store_beside_the_data_and_checks_its_section(tmp_path: Path) -> None:
    settings = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "data" / "govwatch.db")))
    store = EvidenceStore.from_settings(settings)
    assert store.root == tmp_path / "data" / "evidence" and (store.root / "index.db").is_file()
    store.close()
    with pytest.raises(ConfigError, match="retention_days"):
        EvidenceStore.from_settings(Settings(evidence={"retention_days": 0}))
    with pytest.raises(ConfigError, match=r"\[evidence\].*'keep'"):
        EvidenceStore.from_settings(Settings(evidence={"keep": 1}))


def test_subject_is_the_source_account_or_the_page_url() -> None:
    assert subject_of("http://x.test/api?uid=1", {"govwatch_source": {"platform": "weibo", "account_id": "42"}}) \
        == "weibo:42"
    assert subject_of("http://gov.test/a.html", {}) == "http://gov.test/a.html"


def test_the_crawler_middleware_keeps_each_response_under_its_source_written_by_spider_close(
    tmp_path: Path,
) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[evidence]\ndir = "{tmp_path / "evidence"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"GOVWATCH_CONFIG": str(config)})
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = EvidenceMiddleware.from_crawler(crawler)
    gate = threading.Event()
    middleware._writer.submit(gate.wait)  # the writer is behind, as on a slow disk
    request = Request("http://m.weibo.test/api/container?value=42",
                      meta={"govwatch_source": {"platform": "weibo", "account_id": "42"}, "playwright": True})
    response = HtmlResponse(request.url, body=b"<html>rendered</html>", request=request,
                            headers={"Content-Type": "text/html; charset=utf-8"})
    assert middleware.process_response(request, response) is response
    early = EvidenceStore(tmp_path / "evidence")
    assert early.find(subject="weibo:42") == []  # still waiting for the writer
    early.close()
    threading.Timer(0.2, gate.set).start()
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")  # waits for the writer
    store = EvidenceStore(tmp_path / "evidence")
    [snap] = store.find(subject="weibo:42")
    assert (snap.url, snap.status, snap.rendered, snap.content_type) == (request.url, 200, True, "text/html; charset=utf-8")
    assert store.read(snap.sha256) == b"<html>rendered</html>"
    assert crawler.stats.get_value("govwatch/evidence/snapshots") == 1
    store.close()


def test_the_middleware_writes_everything_handed_over_even_beyond_its_queue(tmp_path: Path) -> None:
    """More responses than PENDING waiting: the overflow is written on the spot, none is lost, all by close."""
    from crawler import evidence

    store = EvidenceStore(tmp_path)
    stats = MemoryStatsCollector(get_crawler())
    middleware = EvidenceMiddleware(store, stats)
    gate = threading.Event()
    middleware._writer.submit(gate.wait)  # the writer is stuck, as on a slow disk
    for i in range(evidence.PENDING + 1):
        request = Request(f"http://gov.test/{i}.html")
        middleware.process_response(request, HtmlResponse(request.url, body=f"<p>{i}</p>".encode()))
    overflow = f"http://gov.test/{evidence.PENDING}.html"
    assert [s.url for s in store.find(subject=overflow)] == [overflow]  # written on the spot
    assert store.find(subject="http://gov.test/0.html") == []  # still waiting for the writer
    gate.set()
    middleware.close()
    reopened = EvidenceStore(tmp_path)
    assert all(reopened.find(url=f"http://gov.test/{i}.html") for i in range(evidence.PENDING + 1))
    assert stats.get_value("govwatch/evidence/snapshots") == evidence.PENDING + 1
    reopened.close()


def test_the_writer_is_woken_once_enough_responses_wait_not_for_each(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A wake-up per response cost the crawl thread an executor task each; fewer than WAKE wait in memory."""
    from crawler import evidence

    stats = MemoryStatsCollector(get_crawler())
    middleware = EvidenceMiddleware(EvidenceStore(tmp_path), stats)
    # One writer thread runs its tasks in order, so a wake-up's task is done before the next one's (review r11 R7).
    assert middleware._writer._max_workers == 1
    submit = middleware._writer.submit
    woken: list[object] = []
    monkeypatch.setattr(middleware._writer, "submit", lambda task: woken.append(task) or submit(task))

    def respond(i: int) -> None:
        request = Request(f"http://gov.test/{i}.html")
        middleware.process_response(request, HtmlResponse(request.url, body=f"<p>{i}</p>".encode()))

    for i in range(evidence.WAKE - 1):
        respond(i)
    assert woken == [] and stats.get_value("govwatch/evidence/snapshots") is None  # not woken yet
    respond(evidence.WAKE)
    assert len(woken) == 1
    submit(lambda: None).result(60)  # the one writer thread has done the wake-up's task before this one
    assert stats.get_value("govwatch/evidence/snapshots") == evidence.WAKE
    respond(evidence.WAKE + 1)
    assert len(woken) == 1
    middleware.close()  # what waits is written at close
    assert stats.get_value("govwatch/evidence/snapshots") == evidence.WAKE + 1


def test_an_unusable_evidence_dir_switches_snapshots_off_not_the_crawl(tmp_path: Path) -> None:
    from scrapy.exceptions import NotConfigured

    (tmp_path / "afile").write_text("not a directory", encoding="utf-8")
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "afile" / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(settings_dict={"GOVWATCH_CONFIG": str(config)})
    crawler.stats = MemoryStatsCollector(crawler)
    with pytest.raises(NotConfigured, match="evidence store unusable"):
        EvidenceMiddleware.from_crawler(crawler)
    assert crawler.stats.get_value("govwatch/evidence/unavailable") == 1


def test_a_batch_written_twice_is_recorded_once(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)  # a writer process that committed then died: the batch is written again here
    batch = [{"url": f"http://gov.test/{i}.html", "body": b"<p>x</p>", "fetched_at": T0} for i in range(3)]
    assert store.put_many(batch) == 3 and store.put_many(batch) == 3
    again = store.put("http://gov.test/0.html", b"<p>x</p>", T0)
    assert len(store.find(limit=100)) == 3 and again.id == store.find(url="http://gov.test/0.html")[0].id
    store.put("http://gov.test/0.html", b"<p>x</p>", T0 + timedelta(seconds=1))  # a fetch later: a row of its own
    assert len(store.find(limit=100)) == 4
    store.close()


def test_a_store_made_before_the_identity_key_loses_its_doubles_when_opened(tmp_path: Path) -> None:
    import sqlite3

    from ops.evidence.store import SCHEMA

    db = sqlite3.connect(tmp_path / "index.db")
    db.executescript(SCHEMA)
    row = ("response", "http://gov.test/a.html", "http://gov.test/a.html", str(T0), "ab" * 32, 3, 200, "", 0)
    db.executemany("INSERT INTO snapshots (kind, url, subject, fetched_at, sha256, size, status, content_type, "
                   "rendered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [row, row, row[:3] + ("2026-11-21",) + row[4:]])
    db.commit()
    db.close()
    store = EvidenceStore(tmp_path)
    assert [s.id for s in store.find(limit=10)] == [3, 1]  # the oldest row of the double is kept
    store.close()
    assert len(EvidenceStore(tmp_path).find(limit=10)) == 2  # opened again: nothing more to migrate
