"""Parsers on real-world responses in ../shared/realdata (skipped with a reason when absent).

Weibo lists (the pinned post never becomes the last post time), the missing-account
answer, WeChat article pages, government pages and the Bilibili feed.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from core.models import Account
from crawler.pages import bilibili, gov, wechat, weibo
from crawler.pages.page_info import page_info
from index.sqlite import SqliteBackend

pytestmark = pytest.mark.realdata
REF = datetime(2022, 2, 16, 12, 0)


def read(realdata: Path, name: str) -> str:
    return (realdata / name).read_text(encoding="utf-8")


def test_weibo_profile(realdata: Path) -> None:
    """Real m.weibo.cn profile: id, name, verification class and the 万-written follower count."""
    account = weibo.parse_profile(read(realdata, "weibo_bilibili/weibo_ak_profile.json"), "profile", REF)
    assert (account.account_id, account.name) == ("6279793937", "明日方舟Arknights")
    assert account.verified and account.verified_type == "organisation"
    assert account.posts_count == 1553 and account.followers and account.followers > 1_000_000


def test_weibo_list_pinned_post_is_not_the_last_post(realdata: Path, store: SqliteBackend) -> None:
    """The pinned first card is older than the newest post; the store's last post time ignores it."""
    first = weibo.parse_posts(read(realdata, "weibo_bilibili/weibo_ak_list_0.json"), "list_0", REF)
    pinned = [p for p in first.posts if p.is_pinned]
    assert len(pinned) == 1 and first.posts[0] is pinned[0]
    newest = max(p.published_at for p in first.posts if not p.is_pinned and p.published_at)
    assert pinned[0].published_at and pinned[0].published_at < newest
    assert first.since_id == "4646131823281332"
    store.upsert_accounts([Account(platform="weibo", account_id="6279793937", name="明日方舟Arknights")])
    store.upsert_posts(first.posts)
    assert store.upsert_posts(first.posts).inserted == 0  # re-crawl never duplicates
    (activity,) = [a for a in store.account_activity(as_of=datetime(2021, 6, 18), window_days=14)]
    assert activity.last_post_at == newest


def test_weibo_second_page_overlap_adds_only_new_posts(realdata: Path, store: SqliteBackend) -> None:
    """The later snapshot repeats the pinned post and old posts: only its one new post is inserted."""
    first = weibo.parse_posts(read(realdata, "weibo_bilibili/weibo_ak_list_0.json"), "list_0", REF)
    second = weibo.parse_posts(read(realdata, "weibo_bilibili/weibo_ak_list_1.json"), "list_1", REF)
    store.upsert_posts(first.posts)
    assert store.upsert_posts(second.posts).inserted == 1


def test_weibo_missing_account_answer(realdata: Path) -> None:
    """{"ok": 0, "msg": "这里还没有内容"} raises AccountMissing, not a generic parse failure."""
    with pytest.raises(weibo.AccountMissing, match="这里还没有内容"):
        weibo.parse_profile(read(realdata, "weibo_bilibili/weibo_err_profile.json"), "err", REF)


def test_weibo_long_text(realdata: Path) -> None:
    """statuses/extend's longTextContent is reduced to visible text."""
    text = weibo.parse_long_text(read(realdata, "weibo_bilibili/weibo_detail_4645748019299849"), "detail")
    assert "#明日方舟#" in text and "<a" not in text


@pytest.mark.parametrize(
    ("name", "gh_id", "nickname", "published"),
    [
        ("wechat_1.html", "gh_3fb3f07c5c4a", "爱否科技", datetime(2020, 2, 12, 22, 17, 54)),
        ("wechat_2.html", "gh_2873653fd7af", "未闻Code", datetime(2020, 2, 11, 18, 47, 50)),
    ],
)
def test_wechat_article_pages(
    realdata: Path, name: str, gh_id: str, nickname: str, published: datetime
) -> None:
    """Real mp.weixin.qq.com articles: gh_ id, nickname and publish time (var ct) in China time."""
    account, post = wechat.parse_article(read(realdata, f"pages/{name}"), "https://mp.weixin.qq.com/s/x", REF)
    assert (account.account_id, account.name) == (gh_id, nickname)
    assert post.published_at == published and post.text


@pytest.mark.parametrize(
    ("name", "title", "published"),
    [
        ("shanxi_1.html", "山西品牌丝路行（南美站）正式启动", datetime(2019, 9, 18, 6, 23)),
        ("gzggw_1.html", "1-10月德清县固定资产投资结构趋稳趋优", datetime(2016, 11, 22, 9, 53)),
    ],
)
def test_government_pages(realdata: Path, name: str, title: str, published: datetime) -> None:
    """Real government pages: ArticleTitle and PubDate meta, through the spider's parser and check page's."""
    html = read(realdata, f"pages/{name}")
    page = gov.parse_page(html, "https://www.example.gov.cn/a.html", REF)
    assert (page.title, page.published_at) == (title, published)
    info = page_info((realdata / "pages" / name).read_bytes(), "https://www.example.gov.cn/a.html")
    assert (info.title, info.published_at, info.published_evidence) == (title, published, "meta:pubdate")
    assert info.accounts == []  # share buttons and navigation are not account mentions


def test_government_page_with_visible_date_only(realdata: Path) -> None:
    """cmse.gov.cn has no PubDate meta: the visible 发布日期 is used and the site suffix is dropped from <title>."""
    info = page_info((realdata / "pages" / "cmse_1.html").read_bytes())
    assert info.title == "天宫一号与神舟九号载人交会对接任务第二场新闻发布会"
    assert info.published == date(2012, 6, 24) and info.published_evidence == "label:发布日期"


def test_bilibili_feed(realdata: Path, store: SqliteBackend) -> None:
    """Real space feed: pinned post flagged, another author's item skipped, the pinned post not the last post."""
    page = bilibili.parse_feed(
        read(realdata, "weibo_bilibili/bilibili-new.json"), "feed", REF, mid="161775300"
    )
    assert page.offset == "915793667264872453"
    assert len(page.posts) == 12 and page.skipped == ["item 12: by another author (mid 6050499)"]
    pinned = [p for p in page.posts if p.is_pinned]
    assert [p.post_id for p in pinned] == ["916751749918752793"]
    assert sum(p.is_repost for p in page.posts) == 1
    newest = max(p.published_at for p in page.posts if not p.is_pinned and p.published_at)
    store.upsert_accounts([Account(platform="bilibili", account_id="161775300", name="明日方舟")])
    store.upsert_posts(page.posts)
    (activity,) = list(store.account_activity(as_of=datetime(2024, 4, 9), window_days=14))
    assert activity.last_post_at == newest and newest > (pinned[0].published_at or newest)


def test_bilibili_profile(realdata: Path) -> None:
    """The live-card profile shape: uid, uname, official_verify and follower_num."""
    account = bilibili.parse_profile(
        read(realdata, "weibo_bilibili/bilibili_arknights_profile.json"), "p", REF
    )
    assert (account.account_id, account.name, account.followers) == ("161775300", "明日方舟", 6734852)
    assert account.verified and account.verified_type == "organisation"
