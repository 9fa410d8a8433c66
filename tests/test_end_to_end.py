"""The command line end to end on the sample web: import, crawl, check links, audit, search, report.

Runs `python -m govwatch` in subprocesses exactly as an operator's script would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from govwatch.demo import fetch, write_config
from index.sqlite import SqliteBackend
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from tests.paths import ROOT

NOW = datetime.now().replace(microsecond=0)


@pytest.fixture(scope="module")
def web() -> Iterator[SampleWeb]:
    world = generate(seed=3, accounts=24, posts=12, now=NOW)
    world.rate_limit_per_second = 20
    with SampleWeb(world) as running:
        yield running


@pytest.fixture(scope="module")
def config(web: SampleWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("e2e")
    return write_config(workdir, json.loads(fetch(f"{web.base_url}/sources.json")))


def govwatch(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "govwatch", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=600, stdin=subprocess.DEVNULL)


def store_of(config: Path) -> SqliteBackend:
    return SqliteBackend(config.parent / "govwatch.db")


def test_whole_flow_finds_exactly_the_dormant_accounts_of_the_ground_truth(web: SampleWeb, config: Path) -> None:
    registry = config.parent / "registry.csv"
    registry.write_bytes(fetch(f"{web.base_url}/registry.csv"))
    assert govwatch(config, "registry", "import", str(registry)).returncode == 0
    crawl = govwatch(config, "crawl", "gov_site", "wechat", "weibo", "--no-robots")
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert "gov_site:" in crawl.stdout and "weibo:" in crawl.stdout
    links = govwatch(config, "check", "links", "--only-host", "127.0.0.1")
    assert links.returncode == 0 and "404" in links.stdout
    audit = govwatch(config, "audit", "--as-of", NOW.isoformat(sep=" "))
    assert audit.returncode == 0, audit.stderr
    truth = json.loads(fetch(f"{web.base_url}/ground_truth.json"))
    crawled = {a["platform"] for a in truth["accounts"]} & {"wechat", "weibo"}
    expected = {f"{a['platform']}:{a['account_id']}" for a in truth["accounts"]
                if "dormant" in a["labels"] and a["platform"] in crawled}
    store = store_of(config)
    assert {f.subject_key for f in store.list_findings(kind="dormant")} == expected
    assert store.list_findings(kind="broken_service")


def test_a_second_crawl_of_unchanged_sources_stores_nothing_new(config: Path) -> None:
    before = store_of(config).counts()
    again = govwatch(config, "crawl", "gov_site", "wechat", "weibo", "--no-robots")
    assert again.returncode == 0, again.stdout + again.stderr
    after = store_of(config).counts()
    assert (after["posts"], after["pages"], after["accounts"]) == (before["posts"], before["pages"], before["accounts"])


def test_search_and_reports_from_the_command_line(config: Path) -> None:
    result = govwatch(config, "search", "通知", "--pages", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["total"] > 0
    bad = govwatch(config, "search", "！！", "--json")
    assert bad.returncode == 2 and "no searchable characters" in bad.stderr
    report = govwatch(config, "report", "nightly-unregistered", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert list((config.parent / "reports").glob("nightly-unregistered-*.json"))


def test_unknown_spider_is_a_clear_error(config: Path) -> None:
    result = govwatch(config, "crawl", "myspace")
    assert result.returncode != 0 and "unknown spider" in result.stderr
