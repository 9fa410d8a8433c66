"""crawler.middlewares: Retry-After parsing, slot pacing, login walls → needs_credentials, per-platform credentials."""

from __future__ import annotations

from email.utils import formatdate

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from core.models import Account
from crawler.middlewares.backoff import BackoffRetryMiddleware, retry_after_seconds
from crawler.middlewares.credentials import (
    PlatformCredentialsMiddleware,
    credentials_config,
    parse_cookie_header,
)
from crawler.middlewares.walls import NeedsCredentialsMiddleware
from crawler.pages.walls import NeedsCredentials

WEIBO = "http://127.0.0.1:5/weibo/api/container/getIndex?type=uid&value=1234567"
WALL = b"<html><head><title>\xe5\xbe\xae\xe5\x8d\x9a</title></head><body><p>\xe7\x99\xbb\xe5\xbd\x95\xe5\x90\x8e\xe6\x9f\xa5\xe7\x9c\x8b\xe6\x9b\xb4\xe5\xa4\x9a\xe5\x86\x85\xe5\xae\xb9</p></body></html>"  # 登录后查看更多内容


def crawler_with(settings: dict | None = None):  # type: ignore[no-untyped-def]
    crawler = get_crawler(Spider, settings or {})
    crawler.spider = Spider("t")
    crawler.spider.crawler = crawler
    return crawler


@pytest.mark.parametrize(
    ("value", "expected"), [(b"3", 3.0), ("0", 0.0), (" 1.5 ", 1.5), (None, None), (b"soon", None)]
)
def test_retry_after_seconds(value: bytes | str | None, expected: float | None) -> None:
    """Delta-seconds Retry-After values; unreadable ones are None (the caller then backs off)."""
    assert retry_after_seconds(value) == expected


def test_retry_after_http_date() -> None:
    """An HTTP-date Retry-After is the time until that date."""
    assert retry_after_seconds(formatdate(1_000_030, usegmt=True), now=1_000_000) == pytest.approx(30, abs=1)


def test_rate_limit_codes_added_and_slot_paced() -> None:
    """429/418/432 are retryable; a rate-limit answer paces its slot and is counted; huge waits give up."""
    crawler = crawler_with({"GOVWATCH_BACKOFF_MAX": 10})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    assert {429, 418, 432} <= middleware.retry_http_codes
    request = Request(WEIBO)
    response = TextResponse(WEIBO, status=418, headers={"Retry-After": "1"}, request=request)
    assert middleware._rate_limit_delay(request, response) == 1.0
    assert middleware.paces["127.0.0.1"].interval == pytest.approx(0.6)
    assert crawler.stats.get_value("govwatch/rate_limited/418") == 1
    in_flight = middleware._rate_limit_delay(request, response)  # sent before pacing began: no slow-down
    assert in_flight == 1.0 and middleware.paces["127.0.0.1"].interval == pytest.approx(0.6)
    paced = Request(WEIBO, meta={"govwatch_paced": 0.6})  # waited its turn and was still limited
    middleware._rate_limit_delay(
        paced, TextResponse(WEIBO, status=418, headers={"Retry-After": "1"}, request=paced)
    )
    assert middleware.paces["127.0.0.1"].interval == pytest.approx(0.9)
    too_long = TextResponse(WEIBO, status=429, headers={"Retry-After": "3600"}, request=request)
    assert middleware._rate_limit_delay(request, too_long) is None
    assert crawler.stats.get_value("govwatch/rate_limited/gave_up") == 1


def test_backoff_grows_exponentially_to_a_cap() -> None:
    """Without Retry-After the wait doubles per attempt, never beyond GOVWATCH_BACKOFF_MAX."""
    middleware = BackoffRetryMiddleware.from_crawler(
        crawler_with({"GOVWATCH_BACKOFF_BASE": 1, "GOVWATCH_BACKOFF_MAX": 5})
    )
    waits = [middleware._backoff(Request(WEIBO, meta={"retry_times": n})) for n in range(5)]
    assert waits == [1, 2, 4, 5, 5]


def test_login_wall_becomes_needs_credentials_account() -> None:
    """An HTML 登录 page answering a Weibo API request yields a needs_credentials Account and stats."""
    crawler = crawler_with()
    middleware = NeedsCredentialsMiddleware.from_crawler(crawler)
    response = HtmlResponse(
        WEIBO, body=WALL, headers={"Content-Type": "text/html; charset=utf-8"}, request=Request(WEIBO)
    )
    with pytest.raises(NeedsCredentials) as raised:
        middleware.process_spider_input(response)
    result = list(middleware.process_spider_exception(response, raised.value) or [])
    assert result == [Account(platform="weibo", account_id="1234567", name="", url=WEIBO,
                              state="needs_credentials", found_on=WEIBO)]  # fmt: skip
    assert crawler.stats.get_value("govwatch/needs_credentials") == 1
    assert crawler.stats.get_value("govwatch/needs_credentials/weibo") == 1


def test_json_answers_and_other_errors_pass() -> None:
    """Real data passes through; unrelated exceptions are left to other middlewares."""
    middleware = NeedsCredentialsMiddleware.from_crawler(crawler_with())
    response = TextResponse(WEIBO, body=b'{"ok": 1, "data": {}}', request=Request(WEIBO))
    middleware.process_spider_input(response)  # does not raise
    assert middleware.process_spider_exception(response, ValueError("x")) is None


def test_login_wall_detection_can_be_switched_off() -> None:
    """Components raise NotConfigured when their setting is off."""
    with pytest.raises(NotConfigured):
        NeedsCredentialsMiddleware.from_crawler(crawler_with({"GOVWATCH_LOGIN_WALL_DETECTION": False}))
    with pytest.raises(NotConfigured):
        PlatformCredentialsMiddleware.from_crawler(crawler_with())


def test_credentials_from_environment_override_settings() -> None:
    """GOVWATCH_COOKIES_<PLATFORM> / GOVWATCH_PROXY_<PLATFORM> win over the settings dicts."""
    settings = crawler_with(
        {"GOVWATCH_COOKIES": {"weibo": "SUB=old"}, "GOVWATCH_PROXIES": {"douyin": "http://p:1"}}
    ).settings
    config = credentials_config(
        settings, {"GOVWATCH_COOKIES_WEIBO": "SUB=abc; SUBP=def", "GOVWATCH_PROXY_WEIBO": "http://q:2"}
    )
    assert config.cookies == {"weibo": {"SUB": "abc", "SUBP": "def"}}
    assert config.proxies == {"douyin": "http://p:1", "weibo": "http://q:2"}
    assert parse_cookie_header("a=1; b = 2;junk") == {"a": "1", "b": "2"}


def test_credentials_applied_per_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    """Weibo requests get Weibo's cookies and proxy; government pages get neither."""
    monkeypatch.setenv("GOVWATCH_COOKIES_WEIBO", "SUB=abc")
    monkeypatch.setenv("GOVWATCH_PROXY_WEIBO", "http://proxy:3128")
    middleware = PlatformCredentialsMiddleware.from_crawler(crawler_with())
    weibo, gov = Request(WEIBO), Request("http://127.0.0.1:5/gov/yz/index.html")
    middleware.process_request(weibo)
    middleware.process_request(gov)
    assert weibo.cookies == {"SUB": "abc"} and weibo.meta["proxy"] == "http://proxy:3128"
    assert gov.cookies == {} and "proxy" not in gov.meta
    no_jar = PlatformCredentialsMiddleware.from_crawler(crawler_with({"COOKIES_ENABLED": False}))
    plain = Request(WEIBO)
    no_jar.process_request(plain)
    assert plain.headers.get("Cookie") == b"SUB=abc"


def test_real_crawl_retries_rate_limits_and_records_login_walls() -> None:
    """Through Scrapy: 418 with Retry-After is retried after the wait, 429 too, and the login wall uid
    becomes a needs_credentials Account instead of a missing or empty account."""
    import json
    import subprocess
    import sys

    from tests.crawler.hostile import HostileServer
    from tests.paths import ROOT

    with HostileServer() as server:
        run = subprocess.run(
            [sys.executable, "-m", "tests.crawler.crawl_script", server.base_url, "418", "429", "999", "7"],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        hits = dict(server.hits)
    out = json.loads(run.stdout.strip().splitlines()[-1])
    uids = sorted(i["uid"] for i in out["items"] if "uid" in i)
    walls = [i for i in out["items"] if i.get("state") == "needs_credentials"]
    assert uids == ["418", "429", "7"]
    assert [(w["platform"], w["account_id"]) for w in walls] == [("weibo", "999")]
    assert hits == {"418": 3, "429": 2, "999": 1, "7": 1}
    stats = out["stats"]
    assert stats["govwatch/rate_limited/418"] == 2 and stats["govwatch/rate_limited/429"] == 1
    assert stats["govwatch/rate_limit_wait_ms"] >= 2000
    assert stats["govwatch/needs_credentials/weibo"] == 1 and "log_count/ERROR" not in stats
