"""Zero-loss writes: a cluster that is away gets the writes later, in order, exactly once."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from core.models import Post
from index.elastic import ElasticsearchBackend, EsConfig, test_backend
from index.elastic import indices as I
from tests.es_node import run_script

pytestmark = pytest.mark.es


def posts(n: int, text: str = "医保缴费") -> list[Post]:
    return [Post(platform="weibo", account_id=str(i % 7), post_id=f"p{i}", text=f"{text}{i}") for i in range(n)]


def test_writes_wait_in_the_spool_while_the_cluster_is_unreachable_and_arrive_once(es_url: str, tmp_path: Path) -> None:
    live = test_backend(es_url, tmp_path)
    live.setup()
    # the same store (prefix, spool file) seen through a URL nothing answers on
    away = ElasticsearchBackend(EsConfig(url="http://127.0.0.1:9", prefix=live.prefix, spool=live.config.spool))
    away.writer.attempts, away.writer.backoff = 1, 0.01
    assert away.upsert_posts(posts(30, "旧")).inserted == 30
    assert away.upsert_posts(posts(30, "新")).inserted == 30  # a newer version of the same posts, queued after
    assert len(away.writer.spool) == 60 and live.counts()["posts"] == 0
    away.writer.spool.close()
    assert live.pending_writes() == 0  # replayed, oldest first
    assert live.counts()["posts"] == 30
    assert all(p.text.startswith("新") for p in live.iter_posts())
    I.drop_all(live.client, live.prefix)
    live.close()


def test_killing_the_node_mid_write_then_restarting_it_stores_every_post_exactly_once(
        es_node_to_kill: tuple[str, Path], tmp_path: Path) -> None:
    es_url, home = es_node_to_kill
    store = test_backend(es_url, tmp_path)
    store.setup()
    store.writer.attempts, store.writer.backoff, store.writer.offline_pause = 2, 0.2, 0.5
    pid = int((home / "pid").read_text())

    def stream(n: int = 6000):
        for i, p in enumerate(posts(n)):
            if i == 2500:  # the first 2000 are acknowledged; the node dies while the next batch is built
                os.kill(pid, signal.SIGKILL)
                while _alive(pid):
                    time.sleep(0.05)
            yield p

    result = store.upsert_posts(stream())
    assert result.inserted == 6000 and store.pending_writes() == 4000
    restarted = run_script(home, "start")
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.strip().splitlines()[-1] == es_url  # same data path, same URL
    assert store.wait_for_writes(120) == 0
    assert store.counts()["posts"] == 6000
    assert store.known_post_ids("weibo", "3") == {f"p{i}" for i in range(6000) if i % 7 == 3}
    I.drop_all(store.client, store.prefix)
    store.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
