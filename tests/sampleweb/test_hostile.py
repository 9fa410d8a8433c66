"""Hostile behaviour: rate limits, encodings and traditional versions, failing links, injected spam."""

from __future__ import annotations

import html as html_lib
import re
import time

import pytest

from sampleweb import hostile
from sampleweb.hostile import GAMBLING, KINDS, PORN, RateLimiter
from sampleweb.routing import Request
from sampleweb.server import SampleWeb
from tests.sampleweb.conftest import fetch

SPAM = GAMBLING + PORN
BAIDU = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


class Clock:
    """sampleweb.hostile's clock, moved by the test: requests fall in the second it says, however slow they are."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(hostile, "time", fake)
    return fake


def test_rate_limit_answers_418_and_429_with_retry_after_from_the_third_request_of_a_second(world, clock):
    world.rate_limit = True
    try:
        with SampleWeb(world) as web:
            weibo = [fetch(web, "/weibo/api/search?q=x") for _ in range(4)]
            bili = [fetch(web, "/bilibili/x/space/acc/info?mid=1") for _ in range(3)]
            gov = [fetch(web, "/gov/yz/index.html")[0] for _ in range(5)]
    finally:
        world.rate_limit = False
    assert [r[0] for r in weibo] == [200, 200, 418, 418]
    assert weibo[2][3]["Retry-After"] == "1"
    assert [r[0] for r in bili] == [200, 200, 429] and bili[2][3]["Retry-After"] == "1"
    assert gov == [200] * 5  # government sites are not limited


def test_rate_limiter_counts_per_client_and_resets_each_second(clock):
    limiter = RateLimiter(per_second=2)
    a, b = Request("/weibo/x", {}, client="1.1.1.1"), Request("/weibo/x", {}, client="2.2.2.2")
    clock.now += 0.1
    assert [limiter.check(a) is None for _ in range(3)] == [True, True, False]
    assert limiter.check(b) is None
    clock.now += 0.8  # still the same second
    assert limiter.check(a) is not None
    clock.now += 0.2  # the next one
    assert limiter.check(a) is None


def test_rate_limit_switched_off_lets_every_request_through(web):
    assert {fetch(web, "/weibo/api/search?q=x")[0] for _ in range(6)} == {200}


def test_gbk_article_and_list_pages(web, world):
    article = world.articles["wx"][1]
    status, ctype, body, _ = fetch(web, article.path.replace("/gov/wx/", "/gov/wx/gbk/"))
    assert status == 200 and ctype == "text/html; charset=gbk"
    assert_not_utf8(body)
    text = body.decode("gbk")
    assert f"发布日期：{article.published_at:%Y-%m-%d}" in text and '<meta charset="gbk">' in text
    _, ctype, body, _ = fetch(web, "/gov/wx/gbk/news/index.html")
    assert ctype == "text/html" and b"charset=gb2312" in body
    assert 'href="/gov/wx/gbk/news/' in body.decode("gbk")  # links stay inside the GBK version


def assert_not_utf8(body: bytes) -> None:
    """GBK bytes of Chinese text are not valid UTF-8 (the page really is GBK)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return
    raise AssertionError("GBK page decodes as UTF-8")


def test_big5_traditional_version_with_converter_artefacts(web, world):
    article = world.articles["yz"][1]
    status, ctype, body, _ = fetch(web, article.path.replace("/gov/yz/", "/gov/yz/big5/"))
    assert status == 200 and ctype == "text/html; charset=big5"
    text = html_lib.unescape(body.decode("big5"))
    assert "瀏覽次數(shù)" in text and "發佈日期" in text and "永州市人民政府" in text
    matrix = fetch(web, "/gov/yz/big5/matrix.html")[2].decode("utf-8")
    assert "關注“永州人社”微信號" in matrix


def test_service_links_soft_404_and_slow_page(web, world):
    statuses = {k: fetch(web, f"/gov/wx/links/{k}")[0] for k in ("ok", "broken", "soft404", "forbidden")}
    assert statuses == {"ok": 200, "broken": 404, "soft404": 200, "forbidden": 403}
    assert "页面不存在" in fetch(web, "/gov/wx/links/soft404")[2].decode()
    status, _, body, _ = fetch(web, "/gov/yz/news/missing.html")
    assert status == 200 and "页面不存在" in body.decode()
    started = time.monotonic()
    assert fetch(web, "/gov/yz/slow.html")[0] == 200
    assert time.monotonic() - started >= 1.9
    truth = {x["url"].rsplit("/", 1)[1]: x["broken"] for x in world.ground_truth()["service_links"]}
    assert truth == {"ok": False, "broken": True, "soft404": True, "forbidden": True}


def _spam_in(html: str) -> list[str]:
    return [t for t in SPAM if t in html]


def test_every_kind_of_compromise_is_in_the_ground_truth_and_in_the_page(web, world):
    pages = world.ground_truth()["pages"]
    kinds = {k for p in pages for k in p["kinds"]}
    assert kinds == set(KINDS)
    for page in (p for p in pages if p["compromised"] and "/big5/" not in p["url"] and "/gbk/" not in p["url"]):
        agent = BAIDU if page["kinds"] == ["ua_cloaking"] else ""
        html = fetch(web, page["url"], agent)[2].decode()
        assert _spam_in(html), page


def test_hiding_techniques_are_the_ones_named(web, world):
    by_kind = {kind: path for path, kind in world.compromised.items()}
    html = {kind: fetch(web, path)[2].decode() for kind, path in by_kind.items()}
    assert 'style="display:none"' in html["hidden_display_none"]
    assert "visibility:hidden" in html["hidden_visibility"]
    assert "left:-9999px" in html["offscreen"] and "font-size:0" in html["zero_font"]
    assert '<marquee height="1" width="1"' in html["tiny_marquee"]
    title = re.search(r"<title>(.*?)</title>", html["title_injection"])
    assert title and _spam_in(title.group(1))
    assert "/clone/yz/index.html" in html["link_block"]


def test_ua_cloaking_shows_spam_only_to_search_engine_crawlers(web, world):
    path = next(p for p, k in world.compromised.items() if k == "ua_cloaking")
    assert _spam_in(fetch(web, path)[2].decode()) == []
    assert _spam_in(fetch(web, path, BAIDU)[2].decode())


def test_clean_pages_carry_no_spam_even_when_they_mention_lottery_or_macao(web, world):
    pages = [p for p in world.ground_truth()["pages"] if not p["compromised"] and p["url"].startswith("/gov/")]
    decoys = 0
    for page in pages:
        if "/big5/" in page["url"] or "/gbk/" in page["url"]:
            continue
        html = fetch(web, page["url"], BAIDU)[2].decode()
        assert _spam_in(html) == [], page["url"]
        decoys += "体育彩票" in html or "澳门特别行政区" in html
    assert decoys >= 3
