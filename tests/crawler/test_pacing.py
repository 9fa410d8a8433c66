"""Slot pacing speeds up again after answers that are not rate limits (AIMD)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from crawler.middlewares.backoff import BackoffRetryMiddleware
from tests.crawler.test_middlewares import WEIBO, crawler_with


def test_successful_answers_shorten_the_pace_down_to_a_floor() -> None:
    middleware = BackoffRetryMiddleware.from_crawler(crawler_with())
    request = Request(WEIBO)
    middleware._rate_limit_delay(request, TextResponse(WEIBO, status=418, headers={"Retry-After": "1"}, request=request))
    assert middleware.paces["127.0.0.1"].interval == pytest.approx(0.6)
    ok = TextResponse(WEIBO, status=200, body=b"{}", request=request)
    asyncio.run(middleware.process_response(request, ok))
    assert middleware.paces["127.0.0.1"].interval == pytest.approx(0.54)
    for _ in range(200):
        asyncio.run(middleware.process_response(request, ok))
    assert middleware.paces["127.0.0.1"].interval == pytest.approx(0.02)


def test_a_rate_limited_answer_does_not_speed_the_slot_up() -> None:
    middleware = BackoffRetryMiddleware.from_crawler(crawler_with({"GOVWATCH_RATE_LIMIT_RETRIES": 0}))
    request = Request(WEIBO)
    limited = TextResponse(WEIBO, status=418, headers={"Retry-After": "0"}, request=request)
    middleware._rate_limit_delay(request, limited)
    before = middleware.paces["127.0.0.1"].interval
    asyncio.run(middleware.process_response(request, limited))
    assert middleware.paces["127.0.0.1"].interval >= before
