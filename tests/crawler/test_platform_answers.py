"""Platform answers (issue 11): wrong shapes are errors, day-only times, page-number paging, feed identity."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from core.errors import ParseError
from crawler.pages import feeds, wechat, weibo
from crawler.pages.dates import resolve_date

REF = datetime(2026, 11, 23, 10, 0)
URL = "http://127.0.0.1:1/api/container/getIndex?type=uid&value=1&containerid=1076031"


def mblog(post_id: str, created_at: str) -> dict:
    return {"id": post_id, "text": "正文", "created_at": created_at, "user": {"id": 1}}


def test_a_statuses_show_answer_given_to_the_list_parser_is_a_clear_error() -> None:
    show = json.dumps({"ok": 1, "data": mblog("5", "06-14")})
    with pytest.raises(ParseError, match=r"not a post list: the answer has no 'cards' list \(it has created_at, id"):
        weibo.parse_posts(show, URL, REF)


def test_an_empty_list_is_still_a_list() -> None:
    page = weibo.parse_posts(json.dumps({"ok": 1, "data": {"cards": [], "cardlistInfo": {}}}), URL, REF)
    assert page.posts == [] and page.since_id is None and page.next_page is None


def test_a_wechat_answer_without_articles_is_not_an_empty_list() -> None:
    with pytest.raises(ParseError, match="not an article list"):
        wechat.parse_list_page(json.dumps({"ret": 0, "user_name": "gh_1", "title": "一篇文章"}), "http://x/", REF)


@pytest.mark.parametrize(("raw", "reference", "expected"), [
    ("06-14", datetime(2026, 11, 23, 10, 0), datetime(2026, 6, 14)),
    ("06-14", datetime(2026, 1, 5, 9, 30), datetime(2025, 6, 14)),  # not yet this year: last year's
    ("12-31", datetime(2026, 11, 23, 10, 0), datetime(2025, 12, 31)),
    ("11-24", datetime(2026, 11, 23, 23, 0), datetime(2026, 11, 24)),  # tomorrow in China time, a day's slack
    ("06-14 08:30", datetime(2026, 11, 23, 10, 0), datetime(2026, 6, 14, 8, 30)),
])  # fmt: skip
def test_weibo_day_without_a_clock_keeps_day_precision_and_the_right_year(
    raw: str, reference: datetime, expected: datetime
) -> None:
    assert resolve_date(raw, reference) == expected
    body = {"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": mblog("7", raw)}], "cardlistInfo": {}}}
    (post,) = weibo.parse_posts(json.dumps(body), URL, reference).posts
    assert post.published_at == expected


def test_page_number_paging_when_the_answer_has_no_since_id() -> None:
    body = {"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": mblog("7", "06-14")}], "cardlistInfo": {"page": 3}}}
    page = weibo.parse_posts(json.dumps(body), URL, REF)
    assert (page.since_id, page.next_page) == (None, 3)
    body["data"]["cardlistInfo"] = {"page": 3, "since_id": 99}  # a cursor wins over the page number
    assert (weibo.parse_posts(json.dumps(body), URL, REF).next_page) is None


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>永州发布的微博</title><link>{link}</link>
<item><title>通知</title><link>https://weibo.com/123/abc</link><guid>abc</guid>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0800</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(("url", "link", "account"), [
    ("https://rss.example.org/feed", "https://weibo.com/u/123", "123"),
    ("https://www.yz.gov.cn/rss.xml", "https://www.yz.gov.cn/", "https://www.yz.gov.cn/"),
    ("http://127.0.0.1:1/feeds/weibo/456.xml", "https://weibo.com/u/123", "456"),  # a route names its account
])  # fmt: skip
def test_a_generic_feed_takes_its_account_from_its_channel_link(url: str, link: str, account: str) -> None:
    result = feeds.parse_feed(RSS.format(link=link), url, REF, platform="weibo")
    assert result.account.account_id == account and result.posts[0].account_id == account
