"""Distributed crawling (crawler/distributed.py): two crawler processes, one Redis queue, one crawl.

The processes share what a scale-out deployment shares (docker-compose.yml): a Redis queue and an
Elasticsearch store (a SQLite file is one machine's store).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

import sampleweb.server as server
from crawler.settings import USER_AGENT
from index.elastic import ElasticsearchBackend, EsConfig
from index.elastic.indices import drop_all
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from tests.crawler.sampleweb_env import NOW, CrawlEnv
from tests.paths import ROOT

PROCESS_TAGS = ("proc-a", "proc-b")  # appended to each process's user agent
HOLD_AFTER = 10  # pages the first process fetches before it waits for the second
HOLD_AT_MOST = 180  # seconds; within the 240 s each process is given


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answering_pid(port: int) -> int | None:
    """process_id of the redis answering on `port` (its INFO server section), None while nothing answers."""
    # no retries: redis-py's default (3 with backoff) made each refused probe take ~3.7 s
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5, socket_connect_timeout=0.5,
                         retry=Retry(NoBackoff(), 0))
    try:
        return int(client.info("server")["process_id"])
    except redis.RedisError:  # nothing listening yet, or still loading
        return None
    finally:
        client.close()


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private redis-server on a free loopback port, stopped after the test. The port is free when
    chosen, not when redis binds it (another worker's or another run's redis may take it in between):
    the redis answering must be this one, else another port is tried."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed (scripts/setup.sh installs it)")
    for _ in range(5):
        port = _free_port()
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                 "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60  # a loaded machine can take seconds to start it
        while (pid := _answering_pid(port)) is None and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid == proc.pid:
            break
        _stop(proc)
    else:
        pytest.fail("no redis-server of this test's own answered on a free port in 5 tries")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate redis; kill it if it has not ended in 60 s, so no server outlives the test."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=60)


@pytest.mark.es
def test_two_processes_share_one_crawl_fetching_every_page_and_storing_every_item_once(
        redis_url: str, es_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fetched: Counter[str] = Counter()
    dispatch = server.dispatch
    agents: set[str] = set()
    both_started = threading.Event()

    def counting(world, req, limiter=None):  # type: ignore[no-untyped-def]
        agent = req.headers.get("user-agent", "")
        if agent.endswith(PROCESS_TAGS):
            agents.add(agent)
        if len(agents) >= 2:
            both_started.set()
        elif sum(fetched.values()) >= HOLD_AFTER:
            # On a loaded machine one process may start seconds after the other has crawled everything:
            # hold the first one's responses until the second has asked for a page (at most HOLD_AT_MOST s:
            # a second process that never comes fails the test below, not a timeout here).
            if not both_started.wait(HOLD_AT_MOST):
                both_started.set()  # held once at most: the assertion below then reports the lone process
        resp = dispatch(world, req, limiter)
        if resp.status == 200:
            fetched[req.path + "?" + "&".join(f"{k}={v}" for k, v in sorted(req.query.items()))] += 1
        return resp

    monkeypatch.setattr(server, "dispatch", counting)
    world = generate(seed=11, accounts=30, posts=15, now=NOW)
    world.rate_limit = False
    with SampleWeb(world) as web:
        env = CrawlEnv(web, tmp_path)
        env.write_config()
        prefix = f"dist{uuid.uuid4().hex[:10]}"
        store_lines = (f'[store]\nbackend = "elasticsearch"\nes_url = "{es_url}"\nes_prefix = "{prefix}"\n'
                       f'es_spool = "{tmp_path / "spool.db"}"')
        env.config.write_text(env.config.read_text(encoding="utf-8").replace("[store]", store_lines), encoding="utf-8")
        fetched.clear()  # the config's sources.json is the test's own request
        shared = {"GOVWATCH_CRAWL_QUEUE": "redis", "GOVWATCH_REDIS_URL": redis_url,
                  "GOVWATCH_CRAWL_ID": uuid.uuid4().hex}
        spiders = ["gov_site"]
        procs = [subprocess.Popen(env.command(spiders, {"USER_AGENT": f"{USER_AGENT} {tag}"}), cwd=ROOT, env={**_environ(), **shared},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in PROCESS_TAGS]
        outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    runs = [_outcomes(out) for out, _ in outputs]
    assert [{n: o["problems"] for n, o in run.items()} for run in runs] == [dict.fromkeys(spiders, [])] * 2
    twice = {url: n for url, n in fetched.items() if n > 1}
    assert fetched and twice == {}  # every page fetched once across both processes
    responses = [run["gov_site"]["stats"].get("downloader/response_count", 0) for run in runs]
    assert all(responses), responses  # both processes took part
    scraped = [run["gov_site"]["stats"].get("item_scraped_count", 0) for run in runs]
    store = ElasticsearchBackend(EsConfig(url=es_url, prefix=prefix, spool=str(tmp_path / "check.db")))
    try:
        pages = [p.url for p in store.iter_pages()]
        assert len(pages) == len(set(pages)) == sum(scraped) > 0  # every page item produced once, stored once
    finally:
        drop_all(store.client, prefix)
        store.close()


def _outcomes(stdout: str) -> dict:
    import json

    return {o["name"]: o for o in json.loads(stdout.strip().splitlines()[-1])}


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)
