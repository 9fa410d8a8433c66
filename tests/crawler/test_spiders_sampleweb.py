"""Every spider against the sample web: complete, incremental, resumable after SIGKILL, failing visibly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sampleweb.server as server
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from tests.crawler.sampleweb_env import NOW, CrawlEnv, expected_posts, stored_posts
from tests.paths import ROOT

PLATFORM_SPIDERS = ["wechat", "weibo", "douyin", "bilibili", "feeds"]
POST_PLATFORMS = ("wechat", "weibo", "douyin", "bilibili", "toutiao", "kuaishou")
HAS_BROWSER = os.access("/usr/bin/chromium", os.X_OK)
HOLD_AFTER = 40  # pages the killed crawl is given (of ~285; each platform has more than this)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlEnv]:
    """A 40-account world without rate limiting (rate limits have their own tests), crawled once by all spiders."""
    world = generate(seed=7, accounts=40, posts=20, now=NOW)
    world.rate_limit = False
    with SampleWeb(world) as web:
        crawl_env = CrawlEnv(web, tmp_path_factory.mktemp("crawl"))
        crawl_env.write_config()
        spiders = ["gov_site", *PLATFORM_SPIDERS, "discovery"]
        crawl_env.first = crawl_env.crawl(spiders if HAS_BROWSER else [s for s in spiders if s != "douyin"])  # type: ignore[attr-defined]
        yield crawl_env


@pytest.mark.browser
def test_first_crawl_stores_every_post_once_and_succeeds(env: CrawlEnv) -> None:
    """All spiders finish without problems; every visible post of every reachable account is stored once,
    pinned ones included; Douyin went through the browser for exactly its profile pages."""
    outcomes = env.first  # type: ignore[attr-defined]
    assert {name: o["problems"] for name, o in outcomes.items()} == {name: [] for name in outcomes}
    stored = stored_posts(env.db)
    assert len(stored) == len(set(stored))
    assert set(stored) == expected_posts(env.world, POST_PLATFORMS)
    truth = len([a for a in env.world.accounts if a.platform == "douyin" and a.state == "ok"])
    assert outcomes["douyin"]["stats"]["govwatch/browser_requests"] == truth
    assert outcomes["douyin"]["stats"]["downloader/request_count"] == truth


def test_accounts_missing_and_needing_credentials_are_recorded(env: CrawlEnv) -> None:
    """The {"ok":0} uid is stored as missing, the login-wall uid as needs_credentials — neither as empty."""
    with sqlite3.connect(env.db) as conn:
        states = dict(
            conn.execute("SELECT platform || ':' || account_id, state FROM accounts WHERE state != 'ok'")
        )
    for acc in env.world.accounts:
        if acc.state != "ok":
            assert states.get(acc.key) == acc.state


def test_gov_pages_mentions_and_encodings(env: CrawlEnv) -> None:
    """Every native page and its GBK/Big5 versions is stored; matrix accounts are found; soft 404s are not pages."""
    truth = env.world.ground_truth(env.web.base_url)
    wanted = {p["url"] for p in truth["pages"] if "/clone/" not in p["url"]}
    with sqlite3.connect(env.db) as conn:
        stored = {r[0] for r in conn.execute("SELECT url FROM pages")}
        mentions = set(conn.execute("SELECT name, platform FROM mentions"))
        big5 = conn.execute("SELECT title FROM pages WHERE url LIKE '%/big5/%news/%/t%'").fetchone()
    assert wanted <= stored
    assert not any("missing.html" in url or "soft404" in url for url in stored)
    assert {(a.name, a.platform) for a in env.world.accounts if a.spec.on_matrix} == mentions
    assert big5 is not None and "\ufffd" not in big5[0]  # decoded, not replacement characters


def test_second_crawl_fetches_only_list_pages_and_stores_nothing_new(env: CrawlEnv) -> None:
    """Unchanged sources: one list page per account (articles already stored are not fetched), nothing inserted."""
    spiders = [s for s in PLATFORM_SPIDERS if HAS_BROWSER or s != "douyin"]
    again = env.crawl(spiders)
    for name, outcome in again.items():
        assert outcome["problems"] == [], name
        assert "govwatch/stored/posts_inserted" not in outcome["stats"], name
    wechat_accounts = len([a for a in env.world.accounts if a.platform == "wechat"])
    assert again["wechat"]["stats"]["downloader/request_count"] == wechat_accounts
    weibo = [a for a in env.world.accounts if a.platform == "weibo"]
    ok = len([a for a in weibo if a.state == "ok"])
    assert again["weibo"]["stats"]["downloader/request_count"] == len(weibo) + ok  # profiles + first pages


def test_source_that_goes_silent_fails_the_crawl(env: CrawlEnv) -> None:
    """A source that had posts and now yields none (layout change, blocked) makes the crawl fail visibly."""
    acc = next(a for a in env.world.accounts if a.platform == "bilibili" and a.state == "ok")
    saved, acc.posts = acc.posts, []
    try:
        outcome = env.crawl(["bilibili"])["bilibili"]
    finally:
        acc.posts = saved
    assert outcome["problems"] and outcome["stats"]["log_count/ERROR"] >= 1


def test_missing_browser_fails_the_crawl(env: CrawlEnv) -> None:
    """With no chromium at the configured path the douyin crawl fails (ERROR logged), not silently empty."""
    outcome = env.crawl(["douyin"], env={"GOVWATCH_CHROMIUM": "/nonexistent/chromium"})["douyin"]
    assert outcome["stats"]["govwatch/browser_missing"] == 1
    assert outcome["problems"] == ["1 errors logged"]


def test_crawl_command_exits_non_zero_with_summary(env: CrawlEnv) -> None:
    """`govwatch crawl` prints one line per spider and exits 1 when a spider failed."""
    run = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "govwatch"), "--config", str(env.config), "crawl",
         "douyin", "--no-robots", "--log-level", "ERROR"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "GOVWATCH_CHROMIUM": "/nonexistent/chromium"},
    )  # fmt: skip
    assert run.returncode == 1
    assert (
        "douyin:" in run.stdout
        and "FAILED: 1 errors logged" in run.stdout
        and "browser missing" in run.stdout
    )


def test_sigkill_mid_crawl_then_resume_loses_nothing_and_duplicates_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crawl killed with SIGKILL after its first stored source, restarted on the same JOBDIR and state,
    ends with every post stored exactly once."""
    world = generate(seed=3, accounts=16, posts=24, now=NOW)
    world.rate_limit = False
    killed = threading.Event()
    answered = [0]

    def holding(world: Any, req: Any, limiter: Any = None) -> Any:
        """Past HOLD_AFTER pages (of ~285), nothing more until the crawl is killed: it cannot finish first,
        however slow this test's process is to see its first stored posts."""
        if req.path != "/sources.json":
            answered[0] += 1
            if answered[0] > HOLD_AFTER:
                killed.wait(120)
        return dispatch(world, req, limiter)

    dispatch = server.dispatch
    monkeypatch.setattr(server, "dispatch", holding)
    with SampleWeb(world) as web:
        crawl_env = CrawlEnv(web, tmp_path)
        crawl_env.write_config()
        slow = {
            "DOWNLOAD_DELAY": "0.03",
            "CONCURRENT_REQUESTS": "2",
            "GOVWATCH_JOBDIR": str(tmp_path / "jobs"),
        }
        proc = subprocess.Popen(crawl_env.command(["weibo", "wechat"], slow), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            killed_at = wait_for_posts(crawl_env.db, proc)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            killed.set()
        expected = expected_posts(world, ("weibo", "wechat"))
        assert 0 < killed_at < len(expected)  # really mid-way
        resumed = crawl_env.crawl(["weibo", "wechat"], {"GOVWATCH_JOBDIR": str(tmp_path / "jobs")})
    assert all(o["problems"] == [] for o in resumed.values())
    assert sum(o["stats"].get("govwatch/sources_resumed", 0) for o in resumed.values()) >= 1
    assert resumed["weibo"]["stats"]["govwatch/jobdir_discarded"] == 1  # the killed queue is not trusted
    stored = stored_posts(crawl_env.db)
    assert len(stored) == len(set(stored)) and set(stored) == expected


def wait_for_posts(db: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> int:
    """Poll the store until the crawl has stored some posts (then it is worth killing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    count = conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
            except sqlite3.OperationalError:  # the schema is not there yet
                count = 0
            if count:
                return int(count)
        time.sleep(0.05)
    raise AssertionError("the crawl stored nothing before finishing or timing out")


def test_rate_limited_platform_is_crawled_completely(tmp_path: Path) -> None:
    """With the sample web's limit on (418 + Retry-After: 1 from the 3rd request in a second), the Weibo
    crawl paces itself, never gives up, and stores every post."""
    world = generate(seed=5, accounts=10, posts=8, now=NOW)
    assert world.rate_limit
    with SampleWeb(world) as web:
        crawl_env = CrawlEnv(web, tmp_path)
        crawl_env.write_config()
        outcome = crawl_env.crawl(["weibo"], timeout=180)["weibo"]
    stats = outcome["stats"]
    assert outcome["problems"] == [] and stats["govwatch/rate_limited/418"] >= 1
    assert "retry/max_reached" not in stats and "govwatch/rate_limited/gave_up" not in stats
    assert set(stored_posts(crawl_env.db)) == expected_posts(world, ("weibo",))


def test_wechat_account_configured_as_a_feed(env: CrawlEnv) -> None:
    """A wechat list URL that is an RSSHub-style feed (RSS, Atom or JSON Feed) maps to the same account
    and post ids as the list endpoint: after the first crawl no post is inserted twice (the feed's text
    is the article summary, so existing posts are updated in place)."""
    accounts = [a for a in env.world.accounts if a.platform == "wechat" and a.state == "ok"][:3]
    urls = [
        f"{env.web.base_url}/feeds/wechat/{a.account_id}.{fmt}"
        for a, fmt in zip(accounts, ("xml", "atom", "json"), strict=True)
    ]
    outcome = env.crawl(["wechat"], args={"list_urls": ",".join(urls)})["wechat"]
    stats = outcome["stats"]
    assert outcome["problems"] == [] and stats["downloader/request_count"] == 3
    stored = stats.get("govwatch/stored/posts_unchanged", 0) + stats.get("govwatch/stored/posts_updated", 0)
    assert stored == stats["govwatch/items_valid/post"] > 0 and "govwatch/stored/posts_inserted" not in stats
