"""Parsers for government pages, WeChat articles and Weibo JSON, on saved responses."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.errors import ParseError
from crawler.pages import gov, wechat, weibo
from crawler.pages.dates import resolve_date
from tests.paths import FIXTURES

REF = datetime(2026, 11, 23, 10, 0)
F = FIXTURES / "foundation"


def test_gov_page_reads_meta_tags_and_publication_date() -> None:
    page = gov.parse_page(
        (F / "gov_article.html").read_text(encoding="utf-8"), "https://www.example.gov.cn/news/a.html", REF
    )
    assert page.title == "测试市召开医保工作推进会"
    assert page.site == "测试市人民政府" and page.column == "政务动态"
    assert page.published_at == datetime(2026, 11, 20, 9, 30)
    assert "优化医保服务" in page.text and "不应出现在正文" not in page.text


def test_gov_page_visible_publication_date_wins_over_signing_date() -> None:
    html = (
        (F / "gov_article.html")
        .read_text(encoding="utf-8")
        .replace('<meta name="PubDate" content="2026-11-20 09:30">', "")
    )
    page = gov.parse_page(html, "https://www.example.gov.cn/news/a.html", REF)
    assert page.published_at == datetime(2026, 11, 20)


def test_gov_page_links_are_absolute_unique_and_skip_scripts() -> None:
    page = gov.parse_page(
        (F / "gov_article.html").read_text(encoding="utf-8"), "https://www.example.gov.cn/news/a.html", REF
    )
    urls = [link.url for link in page.links]
    assert "https://www.example.gov.cn/service/" in urls
    assert "https://www.example.gov.cn/news/index_1.html" in urls
    assert not any(u.startswith("javascript") for u in urls) and len(urls) == len(set(urls))


def test_wechat_article_gives_account_identity_time_and_original_mark() -> None:
    html = (F / "wechat_article.html").read_text(encoding="utf-8")
    account, post = wechat.parse_article(html, "https://mp.weixin.qq.com/s/AbC-123", REF)
    assert (account.name, account.account_id) == ("测试发布", "gh_0123456789ab")
    assert post.post_id == "AbC-123" and post.title == "冬季供暖服务指南"
    assert post.published_at == datetime(2025, 11, 20, 8, 53, 20)
    assert post.is_original and "12345" in post.text


def test_wechat_parser_rejects_a_page_that_is_not_an_article() -> None:
    with pytest.raises(ParseError, match="not a WeChat article"):
        wechat.parse_article("<html><body>验证码</body></html>", "https://mp.weixin.qq.com/s/x", REF)


def test_weibo_posts_mark_pinned_reposts_and_resolve_relative_dates() -> None:
    page = weibo.parse_posts((F / "weibo_posts.json").read_text(encoding="utf-8"), "u", REF)
    assert page.since_id == "4900000000000010"
    pinned, fresh, repost = page.posts
    assert pinned.is_pinned and not fresh.is_pinned
    assert fresh.published_at == datetime(2026, 11, 22, 12, 30) and fresh.comments == 12000
    assert (
        repost.is_repost and not repost.is_original and repost.published_at == datetime(2026, 11, 20, 10, 0)
    )
    assert fresh.text == "今日 医保提醒" and fresh.account_id == "1000000001"


def test_weibo_missing_account_answer_is_its_own_error() -> None:
    with pytest.raises(weibo.AccountMissing):
        weibo.parse_profile('{"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}}', "u", REF)


@pytest.mark.parametrize("body", ["", "<html>登录</html>", "[]", '{"ok": 1}', '{"ok": 1, "data": []}'])
def test_weibo_bad_answers_raise_parse_error_naming_the_problem(body: str) -> None:
    with pytest.raises(ParseError):
        weibo.parse_posts(body, "https://m.weibo.cn/api", REF)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("刚刚", datetime(2026, 11, 23, 10, 0)),
        ("5分钟前", datetime(2026, 11, 23, 9, 55)),
        ("3小时前", datetime(2026, 11, 23, 7, 0)),
        ("昨天 12:30", datetime(2026, 11, 22, 12, 30)),
        ("3天前", datetime(2026, 11, 20, 10, 0)),
        ("11-20", datetime(2026, 11, 20)),
        ("12-20", datetime(2025, 12, 20)),
        ("3月21日", datetime(2026, 3, 21)),
        ("2025-03-01", datetime(2025, 3, 1)),
        ("2024年3月21日 10:30", datetime(2024, 3, 21, 10, 30)),
        ("Tue Jun 08 09:35:04 +0800 2021", datetime(2021, 6, 8, 9, 35, 4)),
        ("1763600000", datetime(2025, 11, 20, 8, 53, 20)),
        ("不是日期", None),
    ],
)
def test_date_forms_resolve_against_the_reference_time(raw: str, expected: datetime | None) -> None:
    assert resolve_date(raw, REF) == expected
