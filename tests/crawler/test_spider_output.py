"""crawler.middlewares.output: Scrapy's five output middlewares in one loop give requests exactly what the
five layers gave them; checkpoints go to the CrawlStore and are recorded right after the item before them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.pipelines import ItemPipelineManager
from scrapy.spidermiddlewares.referer import NoReferrerWhenDowngradePolicy, RefererMiddleware
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from core.models import Post
from crawler.incremental import CrawlStore
from crawler.items import DetailDone, SourceDone
from crawler.middlewares.output import PARTS, SpiderOutputMiddleware
from crawler.pipelines import NormalisePipeline, StorePipeline, ValidatePipeline
from crawler.state import CrawlState

T0 = datetime(2026, 11, 23, 10, 0)
PAGE = "https://gov.example/list/index.html"


def crawler_with(settings: dict[str, Any]) -> Any:
    crawler = get_crawler(Spider, settings)
    crawler.spider = Spider("t")
    return crawler


def scrapy_chain(crawler: Any, response: Any, outputs: list[Any]) -> list[Any]:
    """What Scrapy's own five layers pass on (spider side first), for comparison."""
    result: Any = iter(outputs)
    for path in PARTS:
        try:
            part = build_from_crawler(load_object(path), crawler)
        except Exception:  # NotConfigured: Scrapy leaves it out too
            continue
        result = part.process_spider_output(response, result)
    return list(result)


def requests(n: int, response: Any) -> list[Request]:
    urls = [f"https://gov.example/a{i}.html" for i in range(n)] + ["http://other.example/x?" + "q" * 3000]
    return [Request(url, meta={"depth_reset": i == 1}) for i, url in enumerate(urls)]


def shape(outputs: list[Any]) -> list[Any]:
    return [
        (o.url, o.headers.get("Referer"), o.meta.get("depth"), o.priority, o.meta.get("is_start_request"))
        if isinstance(o, Request) else o
        for o in outputs
    ]  # fmt: skip


def test_requests_get_the_same_referer_depth_priority_and_drops_as_through_scrapys_five_layers() -> None:
    settings = {"DEPTH_LIMIT": 3, "DEPTH_PRIORITY": 1, "URLLENGTH_LIMIT": 2083,
                "REFERRER_POLICY": "scrapy-default"}  # fmt: skip
    for depth in (0, 2, 3):
        ours, theirs = crawler_with(settings), crawler_with(settings)
        mine = HtmlResponse(PAGE, body=b"<html></html>", request=Request(PAGE, meta={"depth": depth}))
        same = HtmlResponse(PAGE, body=b"<html></html>", request=Request(PAGE, meta={"depth": depth}))
        item = {"title": "通知"}
        got = list(SpiderOutputMiddleware.from_crawler(ours).process_spider_output(mine, [*requests(3, mine), item]))
        want = scrapy_chain(theirs, same, [*requests(3, same), item])
        assert shape(got) == shape(want)
        assert ours.stats.get_stats() == theirs.stats.get_stats()  # depth and URL-length drops counted alike
    assert len(got) < 5  # at depth 3 the limit drops requests, and the long URL is always dropped


@pytest.mark.parametrize("run", ["sync", "async"])
def test_a_response_without_a_depth_is_depth_0_and_counted_as_scrapys_depth_layer_does(run: str) -> None:
    """A start request's response carries no depth (Scrapy's depth layer sets none on start requests): its
    requests get depth 1 and the depth-0 response is counted under DEPTH_STATS_VERBOSE, as Scrapy does it."""
    import asyncio

    settings = {"DEPTH_LIMIT": 1, "DEPTH_PRIORITY": 1, "DEPTH_STATS_VERBOSE": True}
    ours, theirs = crawler_with(settings), crawler_with(settings)
    mine = HtmlResponse(PAGE, body=b"<html></html>", request=Request(PAGE))
    same = HtmlResponse(PAGE, body=b"<html></html>", request=Request(PAGE))
    unit = SpiderOutputMiddleware.from_crawler(ours)
    if run == "sync":
        got = list(unit.process_spider_output(mine, [Request("https://gov.example/a.html")]))
    else:
        async def output() -> Any:
            yield Request("https://gov.example/a.html")

        async def collect() -> list[Any]:
            return [o async for o in unit.process_spider_output_async(mine, output())]

        got = asyncio.run(collect())
    want = scrapy_chain(theirs, same, [Request("https://gov.example/a.html")])
    assert shape(got) == shape(want) and [o.meta["depth"] for o in got] == [1] and mine.meta["depth"] == 0
    assert ours.stats.get_value("request_depth_count/0") == 1 and ours.stats.get_value("request_depth_count/1") == 1
    assert ours.stats.get_stats() == theirs.stats.get_stats()


def test_a_switched_off_part_is_left_out_as_scrapy_leaves_it_out() -> None:
    settings = {"REFERER_ENABLED": False, "URLLENGTH_LIMIT": 0}
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    out = list(SpiderOutputMiddleware.from_crawler(crawler_with(settings)).process_spider_output(
        response, requests(1, response)))  # fmt: skip
    assert [o.headers.get("Referer") for o in out] == [None, None]  # no Referer, long URL kept


def test_start_requests_are_marked_as_scrapys_start_middleware_marks_them() -> None:
    import asyncio

    async def start() -> Any:
        yield Request("https://gov.example/")

    async def collect() -> list[Any]:
        unit = SpiderOutputMiddleware.from_crawler(crawler_with({}))
        return [o async for o in unit.process_start(start())]

    (request,) = asyncio.run(collect())
    assert request.meta["is_start_request"] is True and "depth" not in request.meta


def store_crawler(tmp_path: Path, **settings: Any) -> tuple[Any, StorePipeline]:
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "store.db"}"\n', encoding="utf-8")
    crawler = get_crawler(Spider, {"EXTENSIONS": {CrawlStore: 0}, "GOVWATCH_CONFIG": str(config), **settings})
    crawler.spider = SimpleNamespace(reference_time=T0, name="t")
    store = StorePipeline.from_crawler(crawler)
    crawler.get_item_pipeline = lambda cls: store if cls is StorePipeline else None
    store.open_spider()
    return crawler, store


def post(post_id: str, **kwargs: Any) -> Post:
    return Post("weibo", "1", post_id, text="正文", published_at=datetime(2026, 11, 21), **kwargs)


def test_checkpoints_go_to_the_crawl_store_and_are_recorded_right_after_the_item_before_them(tmp_path: Path) -> None:
    crawler, store = store_crawler(tmp_path)
    store.unit.begin("weibo", "1", T0)
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    first, second = post("a"), post("b")
    outputs = [first, DetailDone("weibo", "1"), Request("https://gov.example/n"), second,
               SourceDone("weibo", "1", datetime(2026, 11, 21), 2, details=1)]  # fmt: skip
    out = list(SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, outputs))
    assert [type(o).__name__ for o in out] == ["Post", "Request", "Post"]  # the callback's order, nothing held back
    store.process_item(first)
    assert "govwatch/sources_completed" not in crawler.stats.get_stats()
    store.process_item(second)  # its SourceDone follows it: both posts flushed, then the frontier recorded
    assert crawler.stats.get_value("govwatch/sources_completed") == 1
    assert store.backend.counts()["posts"] == 2 and not store.unit.waiting
    store.close_spider()
    assert not CrawlState(tmp_path / "crawl_state.db").begin("weibo", "1", T0).resumed


def test_a_checkpoint_waits_for_the_item_before_it_even_when_the_output_goes_on(tmp_path: Path) -> None:
    """Scrapy pulls a callback's next objects before the item before them is through the pipelines (its queue
    holds two): the SourceDone handed over while the post is still in flight waits until it is stored."""
    crawler, store = store_crawler(tmp_path)
    store.unit.begin("weibo", "1", T0)
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    only = post("a")
    outputs = [only, SourceDone("weibo", "1", datetime(2026, 11, 21), 1)]
    out = list(SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, outputs))
    assert out == [only] and "govwatch/sources_completed" not in crawler.stats.get_stats()
    store.process_item(only)
    assert crawler.stats.get_value("govwatch/sources_completed") == 1 and store.backend.counts()["posts"] == 1
    store.close_spider()


def test_a_checkpoint_with_no_item_before_it_is_recorded_at_once(tmp_path: Path) -> None:
    """A list page that only yields requests ends its source at once: its posts came in earlier outputs."""
    crawler, store = store_crawler(tmp_path)
    store.unit.begin("weibo", "1", T0)
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    outputs = [Request("https://gov.example/n"), SourceDone("weibo", "1", datetime(2026, 11, 21), 0)]
    out = list(SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, outputs))
    assert [type(o).__name__ for o in out] == ["Request"]
    assert crawler.stats.get_value("govwatch/sources_completed") == 1
    store.close_spider()


def test_a_dropped_item_still_releases_its_checkpoints(tmp_path: Path) -> None:
    """A post Validate drops (no date) never reaches the store pipeline; its checkpoint is recorded anyway,
    as the checkpoint item of its own was before."""
    from scrapy import signals
    from scrapy.exceptions import DropItem

    crawler, store = store_crawler(tmp_path)
    store.unit.begin("weibo", "1", T0)
    bad = Post("weibo", "1", "x", text="正文", published_raw="某天")
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    outputs = [bad, SourceDone("weibo", "1", None, 1)]
    list(SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, outputs))
    assert "govwatch/sources_completed" not in crawler.stats.get_stats()
    validate = ValidatePipeline.from_crawler(crawler)
    try:
        validate.process_item(bad)
    except DropItem as exc:
        crawler.signals.send_catch_log(signals.item_dropped, item=bad, response=None, spider=None, exception=exc)
    assert crawler.stats.get_value("govwatch/sources_completed") == 1 and not store.unit.waiting


def test_with_direct_items_the_pipelines_run_in_the_output_and_checkpoints_follow_at_once(tmp_path: Path) -> None:
    crawler, store = store_crawler(tmp_path, GOVWATCH_DIRECT_ITEMS=True)
    crawler.spider = Spider.from_crawler(crawler, "t")  # Scrapy's log formatter reads its crawler's settings
    crawler.spider.reference_time = T0
    pipelines = [NormalisePipeline.from_crawler(crawler), ValidatePipeline.from_crawler(crawler), store]
    crawler.engine = SimpleNamespace(scraper=SimpleNamespace(itemproc=ItemPipelineManager(*pipelines, crawler=crawler)))
    store.unit.begin("weibo", "1", T0)
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    bad = Post("weibo", "1", "x", text="正文", published_raw="某天")  # dropped by Validate: still releases
    outputs = [post("a"), Request("https://gov.example/n"), bad, post("b"), DetailDone("weibo", "1"),
               SourceDone("weibo", "1", datetime(2026, 11, 21), 2, details=1)]  # fmt: skip
    out = list(SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, outputs))
    assert [type(o).__name__ for o in out] == ["Request"]  # the items went through the pipelines here
    assert crawler.stats.get_value("govwatch/sources_completed") == 1 and not store.unit.waiting
    assert crawler.stats.get_value("item_scraped_count") == 2 and crawler.stats.get_value("item_dropped_count") == 1
    assert store.backend.counts()["posts"] == 2
    store.close_spider()


def test_without_the_store_pipeline_checkpoints_travel_as_items() -> None:
    crawler = crawler_with({})
    crawler.get_item_pipeline = lambda cls: None
    done = SourceDone("weibo", "1", None, 0)
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))
    out = list(SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, [post("a"), done]))
    assert out == [post("a"), done]


def test_items_before_a_callback_error_are_passed_on_before_the_error() -> None:
    crawler = crawler_with({})
    crawler.get_item_pipeline = lambda cls: None
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE, meta={"depth": 0}))

    def callback() -> Any:
        yield post("a")
        raise ValueError("parser bug")

    seen: list[Any] = []
    try:
        for o in SpiderOutputMiddleware.from_crawler(crawler).process_spider_output(response, callback()):
            seen.append(o)
    except ValueError:
        pass
    assert seen == [post("a")]


class PathPolicy(NoReferrerWhenDowngradePolicy):
    """A policy of someone else's that looks at the whole request URL: never reused across requests."""

    def referrer(self, response_url: str, request_url: str) -> str | None:
        return None if "/private/" in request_url else super().referrer(response_url, request_url)


TARGETS = ["https://gov.example/a.html", "https://gov.example/private/b.html", "http://gov.example/c.html",
           "https://gov.example:8443/d.html", "https://other.example/e.html", "http://other.example/private/f",
           "https://gov.example/g.html#x", "ftp://files.example/h", "https://gov.example?q=/x", "https://gov.example",
           "data:text/plain,/x"]  # fmt: skip


@pytest.mark.parametrize("setting", ["scrapy-default", "same-origin", "strict-origin-when-cross-origin",
                                     "origin", "unsafe-url", f"{__name__}.PathPolicy"])  # fmt: skip
@pytest.mark.parametrize("header", [None, b"no-referrer", b"origin-when-cross-origin", b"same-origin, bogus"])
def test_a_responses_requests_get_scrapys_referer_though_it_is_worked_out_once_per_origin(
    setting: str, header: bytes | None
) -> None:
    ours = SpiderOutputMiddleware.from_crawler(crawler_with({"REFERRER_POLICY": setting}))
    scrapys = RefererMiddleware(crawler_with({"REFERRER_POLICY": setting}).settings)
    pages = ["https://gov.example/list/index.html?p=1#top", "http://gov.example/list/2.html",
             "https://user:pw@gov.example/list/3.html"]  # fmt: skip
    headers = {"Referrer-Policy": header} if header else {}
    responses = [HtmlResponse(u, body=b"", headers=headers, request=Request(u, meta={"depth": 0})) for u in pages]
    for _ in range(2):  # each response's requests again after the others': nothing kept from another one
        for response in responses:
            for i, url in enumerate(TARGETS):
                meta = {"referrer_policy": "no-referrer"} if i == 5 else {}
                mine, theirs = Request(url, meta=meta), Request(url, meta=meta)
                got = ours.request(mine, response)
                want = scrapys.get_processed_request(theirs, response)
                assert got is not None and want is not None
                assert got.headers.get("Referer") == want.headers.get("Referer"), (setting, header, response.url, url)


def test_a_subclass_of_referermiddleware_keeps_its_own_method() -> None:
    class Mine(RefererMiddleware):
        def get_processed_request(self, request: Request, response: Any) -> Request:
            request.headers["Referer"] = "mine"
            return request

    crawler = crawler_with({})
    middleware = SpiderOutputMiddleware(crawler, [Mine(crawler.settings)])
    response = HtmlResponse(PAGE, body=b"", request=Request(PAGE))
    got = middleware.request(Request("https://gov.example/a.html"), response)
    assert got is not None and got.headers.get("Referer") == b"mine"
