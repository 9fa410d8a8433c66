"""Parsers for Douyin (rendered DOM), Bilibili (feed + profile), feeds (RSS/Atom/JSON Feed) and user search."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.errors import AccountMissing, ParseError
from crawler.pages import bilibili, douyin, feeds, search
from crawler.pages.accounts import classify_verification, parse_count
from crawler.pages.walls import NeedsCredentials
from tests.paths import FIXTURES

P = FIXTURES / "platforms"
REF = datetime(2025, 11, 23, 10, 0)
DOUYIN_URL = "http://127.0.0.1:9/douyin/user/MS4wLjABAAAA-pingan"


def test_douyin_rendered_profile() -> None:
    """Nickname, 认证 text, 14.5万 followers; posts with data-id/time/pinned; unreadable posts reported."""
    profile = douyin.parse_profile((P / "douyin_rendered.html").read_text(encoding="utf-8"), DOUYIN_URL, REF)
    account = profile.account
    assert (account.account_id, account.name, account.followers) == (
        "MS4wLjABAAAA-pingan",
        "平安永州",
        145000,
    )
    assert account.verified and account.verified_type == "government" and "公安局" in account.verified_reason
    assert [p.post_id for p in profile.posts] == [
        "7300000000000000001",
        "7300000000000000002",
        "7300000000000000003",
    ]
    pinned, newest, _ = profile.posts
    assert pinned.is_pinned and not newest.is_pinned
    assert newest.published_at == datetime(2025, 11, 22, 10, 0)
    assert newest.url == "http://127.0.0.1:9/douyin/video/7300000000000000002"
    assert profile.bad_posts == ["post 4: no data-id", "post 5: data-time '昨天' is not unix seconds"]


def test_douyin_shell_needs_the_browser() -> None:
    """The raw JavaScript shell is recognised, and parsing it is a ParseError, not an empty profile."""
    shell = (P / "douyin_shell.html").read_text(encoding="utf-8")
    assert douyin.needs_rendering(shell)
    assert not douyin.needs_rendering((P / "douyin_rendered.html").read_text(encoding="utf-8"))
    with pytest.raises(ParseError, match="browser"):
        douyin.parse_profile(shell, DOUYIN_URL, REF)


def test_bilibili_feed_page() -> None:
    """Pinned flag from module_tag, forwards as reposts, archive title/desc as text, next offset."""
    page = bilibili.parse_feed(
        (P / "bilibili_feed.json").read_text(encoding="utf-8"), "u", REF, mid="3461560000"
    )
    assert page.offset == "880000000000000003"
    assert [p.post_id for p in page.posts] == [
        "880000000000000001",
        "880000000000000002",
        "880000000000000003",
    ]
    pinned, video, forward = page.posts
    assert pinned.is_pinned and not video.is_pinned
    assert (video.title, video.text, video.comments) == ("永州文旅宣传片", "山水永州", 40)
    assert forward.is_repost and not forward.is_original and video.is_original
    assert page.author is not None and page.author.name == "永州发布"
    assert page.skipped == ["item 3: pub_ts None is not a timestamp", "item 4: not an object"]


def test_bilibili_profile_and_error_codes() -> None:
    """official.title is the verification; -404 means missing, -352 means the source needs credentials."""
    account = bilibili.parse_profile((P / "bilibili_profile.json").read_text(encoding="utf-8"), "u", REF)
    assert (account.account_id, account.name, account.followers) == ("3461560000", "永州发布", 23000)
    assert account.verified_type == "government"
    with pytest.raises(AccountMissing):
        bilibili.parse_feed('{"code": -404, "message": "啥都木有"}', "u", REF)
    with pytest.raises(NeedsCredentials):
        bilibili.parse_feed('{"code": -352, "message": "风控校验失败"}', "u", REF)


def test_rss_feed_maps_to_account_and_posts() -> None:
    """RSS: platform and id from the /feeds/<platform>/<id> route, name without the " - 今日头条" suffix."""
    result = feeds.parse_feed(
        (P / "toutiao.rss").read_bytes(), "http://127.0.0.1:9/feeds/toutiao/yzfb.xml", REF
    )
    assert (result.account.platform, result.account.account_id, result.account.name) == (
        "toutiao",
        "yzfb",
        "永州发布",
    )
    assert result.account.found_via == "feed"
    first, repost, undated = result.posts
    assert (
        first.published_at == datetime(2026, 11, 20, 9, 30) and first.text == "会议要求管好用好政务新媒体。"
    )
    assert repost.is_repost and not repost.is_original
    assert undated.published_at is None  # kept, so validation drops and counts it


def test_atom_and_json_feeds() -> None:
    """Atom with +08:00 times and JSON Feed with Z times both become naive China time; junk items reported."""
    atom = feeds.parse_feed(
        (P / "kuaishou.atom").read_text(encoding="utf-8"), "http://x/feeds/kuaishou/3xabc.atom", REF
    )
    assert atom.account.name == "平安宜兴" and atom.posts[0].published_at == datetime(2026, 11, 22, 10, 0)
    wechat = feeds.parse_feed(
        (P / "wechat_feed.json").read_text(encoding="utf-8"), "http://x/feeds/wechat/wxyb.json", REF
    )
    assert [p.text for p in wechat.posts] == ["新政解读", "指南"]
    assert wechat.posts[1].published_at == datetime(2026, 11, 20, 8, 0)
    assert wechat.bad_entries == ["entry 2: no id, title or text"]


def test_feed_errors() -> None:
    """A non-feed and a feed whose platform nobody can tell are ParseErrors naming the problem."""
    with pytest.raises(ParseError, match="not a feed"):
        feeds.parse_feed("<html><body>hello</body></html>", "http://x/feeds/toutiao/1.xml", REF)
    with pytest.raises(ParseError, match="platform"):
        feeds.parse_feed((P / "kuaishou.atom").read_text(encoding="utf-8").replace("kuaishou.com", "example.org"),
                         "http://x/rss/1.xml", REF)  # fmt: skip


def test_user_search_candidates() -> None:
    """Each user becomes a platform_search candidate with verification data; a user without id is reported."""
    page = search.parse_user_search(
        (P / "weibo_search.json").read_text(encoding="utf-8"), "http://x/search?q=永州", REF
    )
    assert [a.name for a in page.accounts] == ["永州公安", "永州公安局粉丝团", "永州发布资讯"]
    police, fan, blogger = page.accounts
    assert police.verified_type == "government" and police.followers == 123000
    assert fan.verified_type == "none" and blogger.verified_type == "personal"
    assert all(
        a.found_via == "platform_search" and a.found_on.startswith("http://x/search") for a in page.accounts
    )
    assert page.bad_users == ["user 3: no id or screen_name"]
    cards = search.parse_user_search((P / "weibo_search_cards.json").read_text(encoding="utf-8"), "u", REF)
    assert [a.name for a in cards.accounts] == ["无锡发布"]
    assert search.parse_user_search('{"ok": 0, "msg": "这里还没有内容"}', "u", REF).accounts == []


def test_search_keywords() -> None:
    """Configured terms come first, then region × agency word, without repeats."""
    terms = search.keywords(["永州", "无锡", "永州"], ("发布", "公安"))
    assert terms == ["永州", "无锡", "永州发布", "永州公安", "无锡发布", "无锡公安"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1553, 1553),
        ("1,553", 1553),
        ("14.5万", 145000),
        ("1.2w", 12000),
        ("3亿", 300000000),
        ("abc", None),
        (True, None),
    ],
)
def test_counts(value: object, expected: int | None) -> None:
    """Follower counts in every form platforms write them."""
    assert parse_count(value) == expected


def test_verification_classes() -> None:
    """Government bodies, organisations and people are told apart by the verification text."""
    assert classify_verification("永州市公安局官方账号") == "government"
    assert classify_verification("bilibili企业认证:明日方舟官方账号") == "organisation"
    assert classify_verification("知名美食博主") == "personal"
    assert classify_verification("", verified=False) == "none"
