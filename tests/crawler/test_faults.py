"""Fault injection: spiders against a misbehaving server end in clear outcomes, and a clean rerun restores all.

The tests' own server (tests/crawler/faulty_web.py) sits on 127.0.0.1 in front
of the sample web and answers each spider with one kind of fault: 500s,
hangs, connection resets, truncated bodies and well-formed garbage.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sampleweb.server import SampleWeb
from sampleweb.world import World, generate
from tests.crawler.faulty_web import FaultyWeb
from tests.crawler.sampleweb_env import NOW, CrawlEnv, stored_posts

SPIDERS = ["gov_site", "wechat", "weibo", "bilibili", "feeds"]
FAST_FAILURE = {"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "GOVWATCH_BACKOFF_BASE": "0.05"}


class FaultEnv(CrawlEnv):
    """A CrawlEnv whose config points at the faulty server, with a few sources of each kind."""

    faulty: FaultyWeb

    def write_config(self) -> None:
        sources = json.load(urllib.request.urlopen(f"{self.web.base_url}/sources.json", timeout=10))
        picked = {key: value[:3] if isinstance(value, list) else value for key, value in sources.items()}
        picked["gov_sites"] = sources["gov_sites"][:1]
        picked["search_keywords"] = []
        text = json.dumps(picked, ensure_ascii=False).replace(self.web.base_url, self.faulty.base_url)
        lines = ["[store]", f"sqlite_path = {json.dumps(str(self.db))}", "[sources]"]
        lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in json.loads(text).items() if v]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.sources = picked


def expected(world: World, sources: dict[str, Any]) -> set[tuple[str, str]]:
    """(platform, post_id) of every visible post of the configured, reachable platform accounts."""
    wanted = {("weibo", uid) for uid in sources["weibo_uids"]} | {("bilibili", uid) for uid in sources["bilibili_uids"]}
    wanted |= {("wechat", world.by_biz[url.split("biz=")[1].split("&")[0]].account_id)
               for url in sources["wechat_list_urls"]}  # fmt: skip
    wanted |= {(url.split("/feeds/")[1].split("/")[0], url.rsplit("/", 1)[1].split(".")[0]) for url in sources["feeds"]}
    return {
        (a.platform, p.post_id)
        for a in world.accounts
        if (a.platform, a.account_id) in wanted and a.state == "ok"
        for p in a.posts
        if p.published_at <= world.now
    }


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultEnv]:
    world = generate(seed=7, accounts=40, posts=20, now=NOW)
    world.rate_limit = False
    with SampleWeb(world) as web, FaultyWeb(web.base_url) as faulty:
        fault_env = FaultEnv(web, tmp_path_factory.mktemp("faults"))
        fault_env.faulty = faulty
        fault_env.write_config()
        yield fault_env


def test_each_fault_fails_its_spider_visibly_and_a_clean_rerun_restores_the_full_store(env: FaultEnv) -> None:
    env.faulty.set_rules([
        (r"^/gov/.*/news/\d{6}/", "hang"),  # articles: the list pages and home page answer
        (r"^/wechat/s/", "truncated"),  # every article body cut in half
        (r"containerid=", "500"),  # Weibo post lists (the profiles answer)
        (r"^/bilibili/", "garbage"),  # JSON of the wrong shape
        (r"^/feeds/", "reset"),
    ])  # fmt: skip
    faulty = env.crawl(SPIDERS, FAST_FAILURE, timeout=300)
    problems = {name: " ".join(o["problems"]) for name, o in faulty.items()}
    assert all(problems.values()), problems  # no spider says "ok" over a fault
    for name in ("gov_site", "wechat", "weibo", "feeds"):  # retries exhausted: errors logged
        assert "errors logged" in problems[name], (name, problems[name])
    assert faulty["bilibili"]["stats"]["govwatch/parse_errors/bilibili_profile"] == len(env.sources["bilibili_uids"])
    assert faulty["weibo"]["stats"]["retry/max_reached"] >= 1
    assert env.faulty.counts.get("hang", 0) and env.faulty.counts.get("reset", 0)
    partial, partial_pages = set(stored_posts(env.db)), env.store().counts()["pages"]
    full = expected(env.world, env.sources)
    assert partial < full  # the faults really cost posts

    env.faulty.set_rules([])
    clean = env.crawl(SPIDERS, timeout=300)
    assert {name: o["problems"] for name, o in clean.items()} == {name: [] for name in SPIDERS}
    stored = stored_posts(env.db)
    assert len(stored) == len(set(stored)) and set(stored) == full
    assert env.store().counts()["pages"] > partial_pages  # the articles that hung are stored now


def test_a_source_that_had_posts_and_now_lists_none_fails(env: FaultEnv) -> None:
    """After a good crawl, Weibo answers every post list with a well-formed empty list: a failure."""
    env.faulty.set_rules([])
    assert env.crawl(["weibo"])["weibo"]["problems"] == []
    env.faulty.set_rules([(r"containerid=", "empty")])
    outcome = env.crawl(["weibo"])["weibo"]
    assert outcome["problems"] == [f"{len(env.sources['weibo_uids'])} errors logged"]


def test_a_reused_jobdir_of_a_finished_crawl_starts_a_new_crawl(env: FaultEnv, tmp_path: Path) -> None:
    """The second crawl with the same --jobdir fetches as much as the first (it fetched 3 of 159 before)."""
    env.faulty.set_rules([])
    jobs = {"GOVWATCH_JOBDIR": str(tmp_path / "jobs")}
    first = env.crawl(["gov_site"], jobs)["gov_site"]
    second = env.crawl(["gov_site"], jobs)["gov_site"]
    shutil.rmtree(tmp_path / "jobs")
    assert first["problems"] == second["problems"] == []
    assert second["stats"]["downloader/request_count"] == first["stats"]["downloader/request_count"] > 10


def test_one_bad_article_is_counted_and_skipped_and_its_source_still_completes(env: FaultEnv) -> None:
    """An article page that parses to nothing is skipped (it would fail again on every run), so the
    source's checkpoint is recorded instead of keeping it incomplete for ever."""
    account = env.world.by_biz[env.sources["wechat_list_urls"][0].split("biz=")[1].split("&")[0]]
    bad = next(p for p in account.posts if p.published_at <= env.world.now)
    for suffix in ("", "-wal", "-shm"):  # a fresh store: every article is fetched
        Path(f"{env.db}{suffix}").unlink(missing_ok=True)
    env.faulty.set_rules([(rf"^/wechat/s/{bad.post_id}$", "garbage")])
    outcome = env.crawl(["wechat"])["wechat"]
    stats = outcome["stats"]
    assert outcome["problems"] == [] and stats["govwatch/skipped/wechat_article"] == 1
    assert stats["govwatch/sources_completed"] == len(env.sources["wechat_list_urls"])
    assert "govwatch/sources_incomplete" not in stats
    assert ("wechat", bad.post_id) not in set(stored_posts(env.db))
