"""Property tests for the small functions of crawler/pages/ and the date resolver (issue 14).

test_parsers_fuzz.py drives the page and answer parsers with malformed bodies;
here every other public function of crawler/pages/ gets arbitrary text, URLs,
numbers and JSON-ish values. Each returns a value of its documented type or
raises only core.errors.ParseError (where it documents one). Examples are few
and deadlines off, so the suite stays fast.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ParseError
from crawler.pages import (
    accounts,
    answers,
    douyin,
    encoding,
    feeds,
    gov,
    htmltext,
    mentions,
    page_info,
    platforms,
    posts,
    published,
    search,
    walls,
    wechat,
    weibo,
)
from crawler.pages.dates import from_timestamp, resolve_date

REF = datetime(2026, 11, 23, 10, 0)
FEW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = st.sampled_from([
    "3天前", "昨天 12:30", "刚刚", "06-14", "3月21日", "2024年13月45日", "2026-11-20 25:61", "99999999999999999999",
    "Tue Nov 20 12:00:00 +0800 2026", "1e400", "∞", "²", "١٢", "14.5万", "1.2亿", "-1", "微信公众号“永州发布”",
    "http://[::1/x", "//[", "javascript:void(0)", "&#99999999;", "\x00", "\ufffd", "发布日期：", "公开日期：2026-13-01",
])  # fmt: skip
TEXT = st.one_of(WORDS, st.text(max_size=30), st.lists(WORDS, max_size=4).map(" ".join))
NUMBERS = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True, allow_infinity=True))
VALUES = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)


@FEW
@given(raw=st.one_of(st.none(), TEXT, NUMBERS), reference=st.datetimes(min_value=datetime(1971, 1, 2)))
def test_resolve_date_returns_a_datetime_or_none_for_anything(raw: Any, reference: datetime) -> None:
    """Documented to return None when unreadable: no ValueError, OverflowError or OSError escapes."""
    result = resolve_date(raw, reference)
    assert result is None or isinstance(result, datetime)


@FEW
@given(value=st.one_of(NUMBERS, TEXT))
def test_from_timestamp_gives_a_date_or_a_value_error(value: Any) -> None:
    try:
        assert isinstance(from_timestamp(value), datetime)
    except ValueError:
        pass


@FEW
@given(value=VALUES)
def test_counts_and_verification_types(value: Any) -> None:
    count = accounts.parse_count(value)
    assert count is None or 0 <= count < accounts.MAX_COUNT
    assert weibo.count(value) == count
    assert accounts.verified_type(value) in ("government", "organisation", "personal", "none")
    assert accounts.classify_verification(str(value), bool(value)) in ("government", "organisation", "personal", "none")


@FEW
@given(url=TEXT, path=TEXT)
def test_url_helpers_never_raise(url: str, path: str) -> None:
    for candidate in (url, f"http://{url}/{path}", f"https://weibo.com/u/{path}", f"http://x/feeds/{url}/{path}.xml"):
        assert platforms.platform_of_url(candidate) in (None, *platforms.PLATFORM_WORDS.values())
        assert platforms.platform_in_path(candidate) in (None, *platforms.PLATFORM_WORDS.values())
        platform, account = feeds.route_identity(candidate)
        assert isinstance(account, str)
        assert isinstance(douyin.sec_uid_of(candidate), str)
        nxt = gov.next_page_url(f'<a href="{path}">下一页</a>', candidate)
        assert nxt is None or nxt.startswith(("http://", "https://"))


@FEW
@given(text=TEXT)
def test_text_helpers(text: str) -> None:
    assert isinstance(htmltext.looks_like_html(text), bool)
    assert isinstance(mentions.normalise(text), str)
    assert mentions.clean_name(text) is None or isinstance(mentions.clean_name(text), str)
    assert all(m.platform for m in mentions.dedupe(mentions.extract_mentions(text)))
    assert platforms.platform_of_label(text) in (None, *platforms.PLATFORM_WORDS.values())
    assert published.parse_page_date(text) is None or isinstance(published.parse_page_date(text), datetime)
    assert isinstance(wechat.js_var(f'var ct = "{text}";', "ct"), str)
    assert isinstance(weibo.html_text(text), str)
    assert isinstance(douyin.needs_rendering(text), bool)
    assert encoding.normalise_encoding(text) is None or isinstance(encoding.normalise_encoding(text), str)
    assert isinstance(encoding.decode_text(text.encode("utf-8", "surrogatepass")).text, str)
    wall = walls.login_wall_reason("http://x/", "text/html", text, expects_json=True)
    assert wall is None or isinstance(wall, str) and wall
    assert all(isinstance(k, str) for k in search.keywords([text]))


@FEW
@given(value=VALUES, mblog=st.dictionaries(st.sampled_from(["isTop", "mblogtype", "title"]), VALUES, max_size=3))
def test_json_helpers(value: Any, mblog: dict[str, Any]) -> None:
    body = json.dumps({"a": value}, allow_nan=True)
    try:
        assert isinstance(answers.json_object(body, "http://x/"), dict)
        answers.json_object(json.dumps(value, allow_nan=True), "http://x/")
    except ParseError as exc:
        assert "http://x/" in str(exc)
    assert isinstance(posts.is_pinned(mblog), bool)
    stub = wechat.article_stub({"url": "https://mp.weixin.qq.com/s/x", "create_time": value, "id": value}, "gh_1", REF)
    assert stub is None or stub.published_at is not None


@FEW
@given(html=st.lists(st.one_of(WORDS, st.sampled_from(["<table>", "<tr>", "<td>", "</td>", '<a href="/x">',
                                                        "</a>", "<meta name='PubDate' content='2026-02-30'>"])),
                     max_size=12).map("".join))  # fmt: skip
def test_tree_helpers(html: str) -> None:
    try:
        tree = htmltext.parse_html(f"<html><body>{html}</body></html>")
    except ParseError:
        return
    assert isinstance(htmltext.element_text(tree), str)
    for table in tree.iter("table"):
        assert all(isinstance(cell, str) for row in htmltext.table_rows(table) for cell in row)
    assert isinstance(page_info.meta_tags(tree), dict)
    assert all(link.url for link in page_info.page_links(tree, "http://www.yz.gov.cn/a/"))
    assert all(m.platform for m in mentions.mentions_in_html(tree))
    assert isinstance(lxml.html.tostring(tree), bytes)
    info = page_info.page_info(html, "http://www.yz.gov.cn/a.html")
    page = gov.page_from_info(info, REF, "utf-8")
    assert isinstance(gov.is_soft_404(page), bool)
    assert isinstance(gov.parse_body(html.encode("utf-8", "surrogatepass"), "http://x/", None, REF).text, str)
