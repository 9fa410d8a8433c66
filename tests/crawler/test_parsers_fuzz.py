"""Property tests: malformed HTML, JSON, feeds and bytes never crash a parser.

Every parser either returns a result (with unreadable parts listed where it
has such a list) or raises core.errors.ParseError with a message naming
the source; no other exception escapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ParseError
from crawler.pages import bilibili, douyin, feeds, gov, search, wechat, weibo
from crawler.pages.encoding import decode_body
from crawler.pages.mentions import extract_mentions
from crawler.pages.page_info import page_info
from crawler.pages.published import find_published

REF = datetime(2026, 11, 23, 10, 0)
URL = "http://127.0.0.1:1/douyin/user/sec"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = [
    "ok", "msg", "data", "code", "message", "cards", "card_type", "mblog", "id", "mid", "text", "created_at", "isTop",
    "user", "userInfo", "screen_name", "verified", "verified_type", "followers_count", "statuses_count",
    "cardlistInfo", "since_id", "retweeted_status", "comments_count", "longTextContent", "users", "card_group",
    "items", "id_str", "type", "modules", "module_author", "pub_ts", "pub_time", "module_dynamic", "desc", "major",
    "archive", "title", "module_stat", "comment", "count", "module_tag", "orig", "offset", "has_more", "info",
    "card", "official", "official_verify", "follower", "follower_num", "uid", "uname", "name", "version", "ret",
    "articles", "next_offset", "url", "date_published", "content_html", "content_text",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**15), max_value=10**15), st.floats(allow_nan=True),
    st.text(max_size=12), st.sampled_from(["", "0", "1", "9", "置顶", "3天前", "昨天 12:30", "14.5万", "-1", "1e400"]),
)  # fmt: skip
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.sampled_from(KEYS), children, max_size=6)
    ),
    max_leaves=25,
)
# Answers shaped like the real ones, with any value anywhere.
JSON_BODIES = st.one_of(
    st.builds(lambda d: json.dumps({"ok": 1, "code": 0, "ret": 0, "data": d}, allow_nan=True), JSON_VALUES),
    st.builds(lambda d: json.dumps(d, allow_nan=True), JSON_VALUES),
    st.text(max_size=40),
)
TAGS = [
    "div",
    "p",
    "table",
    "tr",
    "td",
    "th",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "title",
    "meta",
    "a",
    "script",
    "span",
]
ATTRS = [
    'data-e2e="user-info"', 'data-e2e="post"', 'data-id="1"', 'data-time="x"', 'data-time="99999999999999"',
    'data-pinned="1"', 'name="PubDate" content="2024-13-45"', 'name="ArticleTitle" content=""', 'href="http://[x"',
    'href="/a"', 'rowspan="x"', 'colspan="999999"', 'id="js_content"', "",
]  # fmt: skip
WORDS = ["微信公众号", "“永州发布”", "抖音号", "：", "发布日期：", "2024-02-30", "二〇二四年十三月", "\t", "\n", "@", "瀏(liú)", "var nickname = \"", "\x00", "<", "&#0;"]  # fmt: skip
HTML_FRAGMENTS = st.recursive(
    st.one_of(st.sampled_from(WORDS), st.text(max_size=8)),
    lambda children: st.builds(
        lambda tag, attr, kids, close: f"<{tag} {attr}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
        st.sampled_from(TAGS),
        st.sampled_from(ATTRS),
        st.lists(children, max_size=4),
        st.booleans(),
    ),  # fmt: skip
    max_leaves=30,
)
HTML_BODIES = st.one_of(
    HTML_FRAGMENTS, st.builds(lambda f: f"<html><head></head><body>{f}</body></html>", HTML_FRAGMENTS)
)


def survives(parse: Callable[[Any], Any], body: Any) -> None:
    """The parser returns, or raises a ParseError with a message."""
    try:
        parse(body)
    except ParseError as exc:
        assert str(exc)


JSON_PARSERS: list[Callable[[str], Any]] = [
    lambda b: weibo.parse_profile(b, URL, REF),
    lambda b: weibo.parse_posts(b, URL, REF),
    lambda b: weibo.parse_long_text(b, URL),
    lambda b: wechat.parse_article_list(b, URL),
    lambda b: bilibili.parse_feed(b, URL, REF, mid="1"),
    lambda b: bilibili.parse_profile(b, URL, REF),
    lambda b: search.parse_user_search(b, URL, REF),
    lambda b: feeds.parse_feed(b, "http://x/feeds/toutiao/1.json", REF),
]
HTML_PARSERS: list[Callable[[str], Any]] = [
    lambda b: douyin.parse_profile(b, URL, REF),
    lambda b: douyin.needs_rendering(b),
    lambda b: wechat.parse_article(b, URL, REF),
    lambda b: gov.parse_page(b, URL, REF),
    lambda b: page_info(b, URL),
    lambda b: extract_mentions(b),
    lambda b: find_published({}, b, URL),
    lambda b: feeds.parse_feed(b, "http://x/feeds/toutiao/1.xml", REF),
]


@FUZZ
@given(body=JSON_BODIES)
def test_json_parsers_survive_malformed_answers(body: str) -> None:
    """Weibo, WeChat list, Bilibili, search and JSON Feed parsers on arbitrary JSON-shaped answers."""
    for parse in JSON_PARSERS:
        survives(parse, body)


@FUZZ
@given(body=HTML_BODIES)
def test_html_parsers_survive_malformed_markup(body: str) -> None:
    """Douyin, WeChat article, government page, page_info, mentions, dates and feeds on broken markup."""
    for parse in HTML_PARSERS:
        survives(parse, body)


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from([None, "text/html; charset=gbk", "text/html; charset=bogus"]),
)
def test_bytes_always_decode(body: bytes, content_type: str | None) -> None:
    """Any bytes decode to text with some codec; page_info accepts them too."""
    decoded = decode_body(body, content_type)
    assert isinstance(decoded.text, str) and decoded.encoding
    survives(lambda b: page_info(b), body)


def test_bad_items_are_reported_not_dropped_silently() -> None:
    """A feed page with one broken item lists it in `skipped` and keeps the good ones."""
    good = {"id_str": "1", "modules": {"module_author": {"mid": 1, "pub_ts": 1700000000}}}
    page = bilibili.parse_feed(
        json.dumps({"code": 0, "data": {"items": [good, {"id_str": "2"}]}}), URL, REF, mid="1"
    )
    assert [p.post_id for p in page.posts] == ["1"] and page.skipped == ["item 1: no id_str or author mid"]
