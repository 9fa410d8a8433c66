"""The spider base: one context manager for parse errors, one cursor-paging tail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from core.errors import AccountMissing, ParseError
from core.models import Account, Post
from crawler.incremental import CrawlStore
from crawler.items import SourceDone
from crawler.spiders.paging import CursorPagingSpider

URL = "http://127.0.0.1/api"


class PagedSpider(CursorPagingSpider):
    name = "paged"
    platform = "weibo"
    max_pages = 3

    def page_request(self, account_id: str, cursor: str, page: int) -> scrapy.Request:
        return self.source_request(f"{URL}?uid={account_id}&cursor={cursor}", self.parse, self.platform, account_id,
                                   cb_kwargs={"page": page})  # fmt: skip


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[PagedSpider]:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(PagedSpider, {"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config)})
    crawler.spider = PagedSpider.from_crawler(crawler)
    yield crawler.spider
    CrawlStore.of(crawler).close()


def stat(spider: PagedSpider, key: str) -> Any:
    assert spider.crawler.stats is not None
    return spider.crawler.stats.get_value(f"govwatch/{key}")


def raising(exc: Exception) -> None:
    raise exc


def test_parse_error_is_counted_and_the_callback_goes_on(spider: PagedSpider) -> None:
    with spider.parsing("weibo_posts", TextResponse(URL)) as parsed:
        raising(ParseError("answer has no 'data' object", source=URL))
    assert parsed.failed and parsed.items == [] and stat(spider, "parse_errors/weibo_posts") == 1


def test_a_missing_account_becomes_a_missing_account_item(spider: PagedSpider) -> None:
    with spider.parsing("weibo_profile", TextResponse(URL), missing=("weibo", "42")) as parsed:
        raising(AccountMissing("platform answered ok=0", source=URL))
    assert parsed.failed and stat(spider, "accounts_missing") == 1
    assert [(a.platform, a.account_id, a.state, a.url) for a in parsed.items if isinstance(a, Account)] == [
        ("weibo", "42", "missing", URL)]
    assert stat(spider, "parse_errors/weibo_profile") is None


def test_account_missing_where_no_account_is_expected_is_a_parse_error(spider: PagedSpider) -> None:
    with spider.parsing("weibo_posts", TextResponse(URL)) as parsed:
        raising(AccountMissing("platform answered ok=0", source=URL))
    assert parsed.failed and stat(spider, "parse_errors/weibo_posts") == 1 and stat(spider, "accounts_missing") is None


def test_a_good_parse_is_ok_and_other_errors_propagate(spider: PagedSpider) -> None:
    with spider.parsing("weibo_posts", TextResponse(URL)) as parsed:
        value = 1
    assert parsed.ok and value == 1
    with pytest.raises(KeyError), spider.parsing("weibo_posts", TextResponse(URL)):
        raising(KeyError("a bug is not a parse error"))


def posts(*ids: str) -> list[Post]:
    return [Post("weibo", "42", i, published_at=datetime(2026, 11, 20)) for i in ids]


def test_paging_follows_the_cursor_until_the_last_page_or_the_page_budget(spider: PagedSpider) -> None:
    first = spider.first_page("42")
    assert first.url.endswith("uid=42&cursor=") and first.meta["govwatch_source"] == {
        "platform": "weibo", "account_id": "42"}
    [second] = spider.next_page("42", posts("a"), "c2", 1)
    assert isinstance(second, scrapy.Request) and second.url.endswith("cursor=c2") and second.cb_kwargs == {"page": 2}
    [done] = spider.next_page("42", posts("b"), "c3", 3)  # max_pages reached
    assert isinstance(done, SourceDone) and done.items == 2


@pytest.mark.parametrize(("cursor", "ids"), [(None, ("a",)), ("c2", ())], ids=["no cursor", "empty page"])
def test_paging_stops_without_a_cursor_or_posts(spider: PagedSpider, cursor: str | None, ids: tuple[str, ...]) -> None:
    spider.first_page("42")
    [done] = spider.next_page("42", posts(*ids), cursor, 1)
    assert isinstance(done, SourceDone)


def spider_callbacks() -> list[tuple[str, Any]]:
    """Every generator method of every project spider (the callbacks and errbacks)."""
    import inspect

    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    from govwatch.crawling import spider_names

    loader = get_spider_loader(get_project_settings())
    return [
        (f"{name}.{attr}", member)
        for name in spider_names()
        for attr, member in inspect.getmembers(loader.load(name), inspect.isgeneratorfunction)
    ]


def test_no_spider_callback_returns_a_value_from_a_generator() -> None:
    """Scrapy's per-response check is off (WARN_ON_GENERATOR_RETURN_VALUE): the same check, run once here."""
    from scrapy.utils.misc import is_generator_with_return_value

    callbacks = spider_callbacks()
    assert len(callbacks) >= 10 and "weibo.parse_posts" in dict(callbacks)
    assert [name for name, member in callbacks if is_generator_with_return_value(member)] == []


def test_a_profile_yields_its_account_the_extra_requests_then_the_first_page(spider: PagedSpider) -> None:
    account = Account(platform="weibo", account_id="42", name="永州发布")
    extra = scrapy.Request(f"{URL}/stat")
    out = list(spider.read_profile(TextResponse(URL), "42", lambda *_: account, extra))
    assert out[:2] == [account, extra] and isinstance(out[2], scrapy.Request) and out[2].url.endswith("cursor=")


def test_a_missing_profile_yields_only_the_missing_account(spider: PagedSpider) -> None:
    def gone(*_: Any) -> Account:
        raise AccountMissing("platform answered ok=0", source=URL)

    out = list(spider.read_profile(TextResponse(URL), "42", gone, scrapy.Request(f"{URL}/stat")))
    assert [(a.account_id, a.state) for a in out] == [("42", "missing")]


def test_a_sources_run_lives_in_the_crawl_store_with_its_frontier_and_known_posts(spider: PagedSpider) -> None:
    """Incremental state is one component's (crawler/incremental.py): the spider's bookkeeping is the CrawlStore's
    run, started once per crawl, with the store's known post ids and the state's frontier."""
    unit = CrawlStore.of(spider.crawler)
    assert unit.open()
    unit.backend.upsert_posts(posts("old"))
    unit.finish("weibo", "42", datetime(2026, 11, 19), 1)
    run = spider.begin_source("weibo", "42")
    assert unit.runs[("weibo", "42")] is run is spider.begin_source("weibo", "42")
    assert run.known == {"old"} and run.state.frontier == datetime(2026, 11, 19)
    assert spider.saw_posts("weibo", "42", posts("a", "b")) is False  # 2026-11-20: newer than the frontier
    [done] = spider.paging_done("weibo", "42")
    assert (done.items, done.newest, run.finished) == (2, datetime(2026, 11, 20), True)
    assert spider.paging_done("weibo", "42") == []  # once


def test_the_spider_looks_its_crawl_store_up_once(spider: PagedSpider, monkeypatch: pytest.MonkeyPatch) -> None:
    """Callbacks reach the CrawlStore per page; finding it searches every extension, so it is found once."""
    lookups = []
    find = spider.crawler.get_extension
    monkeypatch.setattr(spider.crawler, "get_extension", lambda cls: lookups.append(cls) or find(cls))
    for account in ("1", "2", "3"):
        spider.begin_source("weibo", account)
        spider.saw_posts("weibo", account, posts("a"))
    assert spider.incremental is CrawlStore.of(spider.crawler)
    assert lookups == [CrawlStore, CrawlStore]  # the spider's one look-up, then the assertion's own


def test_spiders_never_open_the_store() -> None:
    """Spiders reach the store and crawl state only through the crawler's CrawlStore (crawler/incremental.py)."""
    from tests.test_layers import ROOT, import_graph

    graph = import_graph(ROOT, ("crawler", "index", "core"))
    spiders = {name: imports for name, imports in graph.items() if name.startswith("crawler.spiders.")}
    assert "crawler.spiders.weibo" in spiders
    opening = {"crawler.state", "index"} | {name for name in graph if name.startswith("index.")}
    assert {name: imports & opening for name, imports in spiders.items() if imports & opening} == {}
