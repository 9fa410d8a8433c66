"""The per-response and per-item DEBUG lines are built only when the log level shows them."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.logformat import QuietLogFormatter


@pytest.mark.parametrize(("level", "built"), [("DEBUG", True), ("INFO", False), ("ERROR", False), (10, True)])
def test_crawled_and_scraped_lines_only_at_debug(level: str | int, built: bool) -> None:
    crawler = get_crawler(settings_dict={"LOG_LEVEL": level})
    formatter = QuietLogFormatter.from_crawler(crawler)
    request = Request("http://gov.test/a.html")
    response = HtmlResponse(request.url, body=b"<p>a</p>", request=request)
    crawled = formatter.crawled(request, response, None)
    scraped = formatter.scraped({"title": "a"}, response, None)
    assert (crawled is not None, scraped is not None) == (built, built)
    if built:
        assert "Crawled (200)" in crawled["msg"] % crawled["args"]  # type: ignore[index]


def test_the_project_uses_it() -> None:
    from scrapy.utils.project import get_project_settings

    assert get_project_settings()["LOG_FORMATTER"] == "crawler.logformat.QuietLogFormatter"
