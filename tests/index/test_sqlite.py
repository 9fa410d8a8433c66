"""SqliteBackend: idempotent upserts, Chinese full text, filters, findings lifecycle."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.errors import QueryError
from core.models import Account, Finding, Page, Post
from index.base import PageQuery, PostQuery
from index.sqlite import SqliteBackend

T0 = datetime(2026, 11, 1, 9, 0)


def post(pid: str, text: str, account: str = "1", **kw) -> Post:
    return Post(platform="weibo", account_id=account, post_id=pid, text=text, published_at=kw.pop("at", T0), **kw)


def test_two_character_chinese_query_matches_and_ranks_by_bm25(store: SqliteBackend) -> None:
    store.upsert_posts([
        post("a", "关于调整城乡居民医保缴费标准的通知。医保缴费时间延长，医保卡可在线激活。"),
        post("b", "今天召开安全生产会议，会上也提到医保。"),
        post("c", "保医不是一个词"),
    ])
    result = store.search_posts(PostQuery(q="医保"))
    assert result.total == 2
    assert [h.item.post_id for h in result.hits] == ["a", "b"]  # three mentions outrank one
    assert "医保" in result.hits[0].snippet


def test_traditional_text_is_found_by_a_simplified_query(store: SqliteBackend) -> None:
    store.upsert_posts([post("t", "醫保繳費標準調整")])
    assert store.search_posts(PostQuery(q="医保缴费")).total == 1


def test_recrawl_does_not_duplicate_and_changed_text_replaces_index_entry(store: SqliteBackend) -> None:
    first = store.upsert_posts([post("a", "旧内容 医保"), post("b", "别的")])
    again = store.upsert_posts([post("a", "旧内容 医保"), post("b", "别的")])
    changed = store.upsert_posts([post("a", "新内容 社保")])
    assert (first.inserted, again.unchanged, changed.updated) == (2, 2, 1)
    assert store.counts()["posts"] == 2
    assert store.search_posts(PostQuery(q="医保")).total == 0
    assert store.search_posts(PostQuery(q="社保")).total == 1


def test_query_of_only_punctuation_is_a_clear_error(store: SqliteBackend) -> None:
    with pytest.raises(QueryError, match="no searchable characters"):
        store.search_posts(PostQuery(q="“”！？"))


def test_filters_by_platform_account_name_and_dates(store: SqliteBackend) -> None:
    store.upsert_accounts([Account("weibo", "1", "测试发布"), Account("weibo", "2", "别的号")])
    store.upsert_posts([post("a", "医保", at=datetime(2026, 10, 1)), post("b", "医保", account="2", at=datetime(2026, 11, 5))])
    assert store.search_posts(PostQuery(q="医保", account="测试发布")).total == 1
    assert store.search_posts(PostQuery(q="医保", since=datetime(2026, 11, 1))).total == 1
    assert store.search_posts(PostQuery(q="医保", platform="wechat")).total == 0


def test_pages_are_searchable_and_keep_links_and_mentions(store: SqliteBackend) -> None:
    from core.models import AccountMention, Link

    page = Page(url="https://a.gov.cn/1.html", title="政务新媒体矩阵", text="关注永州人社微信号",
                links=[Link("https://a.gov.cn/x", "办事")], mentions=[AccountMention("永州人社", "wechat")])
    assert store.upsert_pages([page]).inserted == 1
    assert store.upsert_pages([page]).unchanged == 1
    assert store.search_pages(PageQuery(q="人社")).total == 1
    assert [m.name for m in store.iter_mentions()] == ["永州人社"]
    assert [(p, link.url) for p, link in store.iter_links()] == [(page.url, "https://a.gov.cn/x")]


def test_account_upsert_keeps_known_values_when_a_later_record_lacks_them(store: SqliteBackend) -> None:
    store.upsert_accounts([Account("weibo", "1", "测试发布", followers=10, verified_reason="测试市政府")])
    store.upsert_accounts([Account("weibo", "1", "", state="missing")])
    acc = store.get_account("weibo", "1")
    assert acc is not None and (acc.name, acc.followers, acc.state) == ("测试发布", 10, "missing")


def test_activity_ignores_pinned_posts_and_posts_after_the_check_time(store: SqliteBackend) -> None:
    store.upsert_accounts([Account("weibo", "1", "测试发布")])
    store.upsert_posts([
        post("old", "x", at=datetime(2026, 9, 1)),
        post("pin", "x", at=datetime(2026, 11, 20), is_pinned=True),
        post("future", "x", at=datetime(2026, 12, 1)),
    ])
    (activity,) = store.account_activity(datetime(2026, 11, 23), 14)
    assert activity.last_post_at == datetime(2026, 9, 1) and activity.posts_total == 1


def finding(key: str) -> Finding:
    return Finding("dormant", "veto", "account", key, "account.dormant", "t", {"x": 1})


def test_findings_absent_from_a_later_audit_are_resolved_not_deleted(store: SqliteBackend) -> None:
    d1 = store.save_findings([finding("weibo:1"), finding("weibo:2")], rule_ids=["account.dormant"], as_of=T0)
    d2 = store.save_findings([finding("weibo:2")], rule_ids=["account.dormant"], as_of=datetime(2026, 11, 2))
    assert (d1.opened, d2.still_open, d2.resolved) == (2, 1, 1)
    assert [f.subject_key for f in store.list_findings(status="open")] == ["weibo:2"]
    (resolved,) = store.list_findings(status="resolved")
    assert resolved.subject_key == "weibo:1" and resolved.resolved_at == datetime(2026, 11, 2)


def test_asking_for_an_unavailable_backend_is_a_config_error() -> None:
    from dataclasses import replace

    from core.config import Settings, StoreSettings
    from core.errors import ConfigError
    from index import open_backend

    with pytest.raises(ConfigError, match="elasticsearch"):
        open_backend(replace(Settings(), store=StoreSettings(backend="elasticsearch")))


def test_accounts_for_reads_a_page_of_hits_accounts_at_once(store: SqliteBackend) -> None:
    """The API's batched account read: stored accounts only, each with its open finding kinds, sorted."""
    store.upsert_accounts([Account("weibo", "1", "甲"), Account("weibo", "2", "乙"), Account("wechat", "1", "丙")])
    store.save_findings([finding("weibo:1"), Finding("zombie", "veto", "account", "weibo:1", "account.zombie", "t", {}),
                         finding("weibo:2")], rule_ids=["account.dormant", "account.zombie"], as_of=T0)
    store.save_findings([], rule_ids=["account.zombie"], as_of=datetime(2026, 11, 2))  # weibo:1's zombie resolved
    accounts, kinds = store.accounts_for([("weibo", "1"), ("weibo", "2"), ("wechat", "1"), ("weibo", "9"), ("weibo", "1")])
    assert {key: account.name for key, account in accounts.items()} == {
        ("weibo", "1"): "甲", ("weibo", "2"): "乙", ("wechat", "1"): "丙"}
    assert kinds == {"weibo:1": ["dormant"], "weibo:2": ["dormant"]}
