"""crawler.middlewares.redirect: redirects get the Referer Scrapy's own layers would give them, from the output
middleware's RefererMiddleware part, and no warning that no RefererMiddleware runs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.referer import RefererMiddleware
from scrapy.utils.test import get_crawler

from crawler.middlewares.output import SpiderOutputMiddleware
from crawler.middlewares.redirect import (
    GovwatchMetaRefreshMiddleware,
    GovwatchRedirectMiddleware,
    RefererFromOutput,
)

PAGE = "https://gov.example/list/index.html"
MOVED = "https://gov.example/new/index.html"
REFRESH = b'<html><head><meta http-equiv="refresh" content="0; url=/new/index.html"></head></html>'


def started(cls: type, spider_middlewares: dict[type, Any], settings: dict[str, Any] | None = None) -> Any:
    """The redirect middleware `cls` after engine_started, in a crawler running `spider_middlewares`."""
    crawler = get_crawler(Spider, {"EXTENSIONS_BASE": {}, **(settings or {})})  # engine_started reaches only these
    crawler.spider = Spider("t")
    middleware = cls.from_crawler(crawler)
    built = {kind: make(crawler) for kind, make in spider_middlewares.items()}
    crawler.get_spider_middleware = lambda wanted: next(  # what the engine answers from its spider middlewares
        (m for kind, m in built.items() if issubclass(kind, wanted)), None
    )
    crawler.signals.send_catch_log(signal=signals.engine_started)
    return middleware


def redirected(middleware: Any, refresh: bool) -> Request:
    # The request that led to the redirecting page came from a page of another site: its Referer must not stay.
    request = Request(PAGE, headers={"Referer": "https://elsewhere.example/"})
    if refresh:
        response: Response = HtmlResponse(PAGE, body=REFRESH, request=request)
    else:
        response = Response(PAGE, status=302, headers={"Location": MOVED}, request=request)
    result = middleware.process_response(request, response)
    assert isinstance(result, Request) and result.url == MOVED
    return result


@pytest.mark.parametrize(("ours", "scrapys"), [(GovwatchRedirectMiddleware, RedirectMiddleware),
                                              (GovwatchMetaRefreshMiddleware, MetaRefreshMiddleware)])  # fmt: skip
def test_a_redirect_gets_the_referer_scrapys_own_layers_give_it_and_no_warning(
    ours: type, scrapys: type, caplog: pytest.LogCaptureFixture
) -> None:
    refresh = scrapys is MetaRefreshMiddleware
    with caplog.at_level(logging.WARNING):
        mine = redirected(started(ours, {SpiderOutputMiddleware: SpiderOutputMiddleware.from_crawler}), refresh)
    assert not [r for r in caplog.records if "Referer" in r.getMessage()]
    theirs = redirected(started(scrapys, {RefererMiddleware: RefererMiddleware.from_crawler}), refresh)
    assert mine.headers.get("Referer") == theirs.headers.get("Referer") == PAGE.encode()


def test_referer_switched_off_means_none_on_redirects_and_still_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        middleware = started(GovwatchRedirectMiddleware, {SpiderOutputMiddleware: SpiderOutputMiddleware.from_crawler},
                             {"REFERER_ENABLED": False})  # fmt: skip
        assert redirected(middleware, refresh=False).headers.get("Referer") is None
    assert not caplog.records


def test_without_the_output_middleware_a_referer_middleware_of_its_own_is_used() -> None:
    middleware = started(GovwatchRedirectMiddleware, {RefererMiddleware: RefererMiddleware.from_crawler})
    assert redirected(middleware, refresh=False).headers.get("Referer") == PAGE.encode()


def test_without_any_referer_middleware_redirects_go_without_one_and_say_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        middleware = started(GovwatchRedirectMiddleware, {})
    assert [r.getMessage() for r in caplog.records] == [
        "GovwatchRedirectMiddleware found no RefererMiddleware: redirected requests go without a Referer header"
    ]
    assert redirected(middleware, refresh=False).headers.get("Referer") is None


def test_only_public_scrapy_hooks_are_overridden() -> None:
    overridden = {name for name in vars(RefererFromOutput) if not name.startswith("__")}
    assert {name for name in overridden if name.startswith("_")} == set()


# That the project's crawls use these instead of Scrapy's: tests/crawler/test_project_crawl.py.
