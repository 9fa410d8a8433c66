"""The inputs that crashed parsers (issue 14), each pinned: the parser returns or raises only ParseError."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from core.errors import ParseError
from crawler.pages import feeds, gov, weibo
from crawler.pages.accounts import parse_count, verified_type
from crawler.pages.dates import from_timestamp, resolve_date
from crawler.pages.wechat import parse_article

REF = datetime(2026, 11, 23, 10, 0)
URL = "http://127.0.0.1:1/api/container/getIndex?type=uid&value=1"


def profile(followers: object) -> str:
    user = {"id": 1, "screen_name": "永州发布", "followers_count": followers, "verified": True, "verified_type": 1}
    return json.dumps({"ok": 1, "data": {"userInfo": user}}, allow_nan=True)


@pytest.mark.parametrize("raw", ["Infinity", "NaN", "1" * 400, '"²"', '"1²"', '"١٢"', "1e400", "-5"])
def test_weibo_followers_of_any_size_or_digit_never_crash(raw: str) -> None:
    """inf, NaN, 400 digits and the digit '²' were OverflowError/ValueError; now an unreadable count is None
    and a readable one stays within what a store can hold."""
    body = profile(0).replace('"followers_count": 0', f'"followers_count": {raw}')
    account = weibo.parse_profile(body, URL, REF)
    assert account.followers is None or 0 <= account.followers < 10**15


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**400, "²", "1²", "-3", "1e400万", True])
def test_parse_count_returns_a_plausible_count_or_none(value: object) -> None:
    result = parse_count(value)
    assert result is None or 0 <= result < 10**15


@pytest.mark.parametrize("code", ["²", "¹", "-²", "1²"])
def test_weibo_verified_type_with_odd_digits(code: str) -> None:
    assert verified_type(code) == "none"


def test_wechat_twenty_digit_ct_is_an_unreadable_date_not_an_oserror() -> None:
    html = ('<html><body><h1 id="activity-name">标题</h1><div id="js_content">正文</div>'
            '<script>var ct = "99999999999999999999"; var nickname = "永州发布"; var user_name = "gh_1";'
            "</script></body></html>")  # fmt: skip
    try:
        _, post = parse_article(html, "https://mp.weixin.qq.com/s/abc", REF)
    except ParseError:
        return
    assert post.published_at is None and post.published_raw == "99999999999999999999"


@pytest.mark.parametrize("value", ["99999999999999999999", 10**20, -(10**20), float("inf"), float("nan"), "1e999"])
def test_from_timestamp_raises_only_value_error(value: object) -> None:
    with pytest.raises(ValueError):
        from_timestamp(value)  # type: ignore[arg-type]


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>永州发布</title>
<link>https://weibo.com/u/123</link>{items}</channel></rss>"""


@pytest.mark.parametrize("item", [
    "<item><title>&#99999999;</title><link>https://weibo.com/1</link><guid>1</guid></item>",
    "<item><title>t</title><link>http://[bad/x</link><guid>2</guid></item>",
    "<item></item>",
    "<item><title>&#x110000;&#0;</title></item>",
])  # fmt: skip
def test_feed_entities_bad_links_and_empty_entries_never_crash(item: str) -> None:
    """&#99999999;, a '[' in a link and entries without tags: read or reported, never a crash."""
    try:
        result = feeds.parse_feed(RSS.format(items=item), "http://127.0.0.1:1/feeds/weibo/123.xml", REF)
    except ParseError:
        return
    assert len(result.posts) + len(result.bad_entries) == 1


@pytest.mark.parametrize("href", ["http://[::1/x", "http://[bad", "//[", "http://a:99999999/x"])
def test_gov_next_page_link_that_is_no_url(href: str) -> None:
    assert gov.next_page_url(f'<a href="{href}">下一页</a>', "http://www.yz.gov.cn/list/") is None


@pytest.mark.parametrize("raw", [
    "99999999999999999999", "9999999999", "10000-01-01", "0000-00-00", "9999年99月99日", "2024-02-30 25:61",
    "13月45日", "Tue Nov 99 12:00:00 +0800 2026", "Tue Nov 20 12:00:00 +9999 2026", "1e400", "∞", "-1", "0",
    "100000天前", "999999999小时前", "昨天 99:99", "\x00", "9" * 300,
])  # fmt: skip
def test_resolve_date_returns_a_datetime_or_none(raw: str) -> None:
    result = resolve_date(raw, REF)
    assert result is None or isinstance(result, datetime)


@pytest.mark.parametrize("raw", [float("inf"), float("nan"), 10**30, -(10**30), 1e300])
def test_resolve_date_of_numbers_returns_a_datetime_or_none(raw: float) -> None:
    result = resolve_date(raw, REF)
    assert result is None or isinstance(result, datetime)
