"""ElasticsearchBackend on the real node: setup, upserts, lifecycle, activity, aliases, migration."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from core.errors import StoreError
from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry
from index.base import PostQuery
from index.elastic import ElasticsearchBackend, EsConfig
from index.elastic import docs as D
from index.elastic import indices as I
from tests.index.backends import on_posts_v3

pytestmark = pytest.mark.es
T0 = datetime(2026, 11, 1, 9, 0)



def post(pid: str, text: str, account: str = "1", **kw) -> Post:
    return Post(platform="weibo", account_id=account, post_id=pid, text=text, published_at=kw.pop("at", T0), **kw)


def test_setup_is_safe_to_rerun_and_indices_sit_behind_versioned_aliases(es: ElasticsearchBackend) -> None:
    es.setup()
    es.setup()
    assert I.current_index(es.client, es.prefix, "posts") == f"{es.prefix}-posts-v4"
    assert es.counts() == dict.fromkeys(("accounts", "posts", "pages", "links", "mentions", "registry", "findings"), 0)


def test_post_upserts_count_like_sqlite_and_never_duplicate(es: ElasticsearchBackend) -> None:
    first = es.upsert_posts([post("a", "旧内容 医保"), post("b", "别的")])
    again = es.upsert_posts([post("a", "旧内容 医保"), post("b", "别的")])
    pinned = es.upsert_posts([post("b", "别的", is_pinned=True)])
    changed = es.upsert_posts([post("a", "新内容 社保")])
    assert (first.inserted, again.unchanged, pinned.updated, changed.updated) == (2, 2, 1, 1)
    assert es.counts()["posts"] == 2
    assert es.search_posts(PostQuery(q="医保")).total == 0
    assert es.search_posts(PostQuery(q="社保")).total == 1
    assert es.known_post_ids("weibo", "1") == {"a", "b"}


def test_account_upsert_keeps_stored_values_a_crawl_did_not_see(es: ElasticsearchBackend) -> None:
    es.upsert_accounts([Account("weibo", "1", "永州发布", followers=10, found_via="registry", found_on="x")])
    result = es.upsert_accounts([Account("weibo", "1", "", followers=None, posts_count=5, found_via="link")])
    got = es.get_account("weibo", "1")
    assert result.updated == 1 and got is not None
    assert (got.name, got.followers, got.posts_count, got.found_via, got.found_on) == ("永州发布", 10, 5, "registry", "x")
    assert [a.account_id for a in es.iter_accounts("weibo")] == ["1"] and es.get_account("weibo", "2") is None


def test_pages_links_mentions_and_registry_round_trip(es: ElasticsearchBackend) -> None:
    page = Page(url="http://gov.example/a", site="gov.example", title="通知", text="医保缴费",
                links=[Link("http://x/1", "一"), Link("http://x/2", "二", 200)],
                mentions=[AccountMention("永州发布", "weibo", context="关注")])
    assert es.upsert_pages([page]).inserted == 1 and es.upsert_pages([page]).unchanged == 1
    es.record_link_status(page.url, [Link("http://x/1", "一", 404)])
    assert [(u, link.url, link.status) for u, link in es.iter_links()] == [
        (page.url, "http://x/1", 404), (page.url, "http://x/2", 200)]
    assert [m.page_url for m in es.iter_mentions()] == [page.url]
    assert [p.title for p in es.iter_pages()] == ["通知"]
    entry = RegistryEntry("永州发布", "weibo", owner="永州市政府", registered_at=T0)
    assert es.upsert_registry([entry]).inserted == 1
    assert es.upsert_registry([entry]).unchanged == 1
    assert list(es.iter_registry("weibo")) == [entry]


def test_findings_open_stay_open_and_resolve(es: ElasticsearchBackend) -> None:
    def finding(key: str) -> Finding:
        return Finding("dormant", "veto", "account", key, "dormant", "2026.11", {"last": T0})

    first = es.save_findings([finding("weibo:1"), finding("weibo:2")], rule_ids=["dormant"], as_of=T0)
    second = es.save_findings([finding("weibo:2")], rule_ids=["dormant"], as_of=T0 + timedelta(days=1))
    assert (first.opened, second.still_open, second.resolved) == (2, 1, 1)
    assert [f.subject_key for f in es.list_findings()] == ["weibo:2"]
    resolved = es.list_findings(status="resolved")
    assert resolved[0].evidence == {"last": "2026-11-01 09:00:00"} and resolved[0].resolved_at == T0 + timedelta(days=1)


def test_account_activity_comes_from_aggregations_and_ignores_pinned_and_future_posts(es: ElasticsearchBackend) -> None:
    es.upsert_accounts([Account("weibo", "1", "甲"), Account("weibo", "2", "乙"), Account("wechat", "1", "丙")])
    es.upsert_posts([
        post("a", "x", at=T0 - timedelta(days=1), is_original=True), post("b", "y", at=T0 - timedelta(days=20)),
        post("c", "z", at=T0 - timedelta(days=2), is_pinned=True), post("d", "w", at=T0 + timedelta(days=1)),
    ])
    rows = {(r.account.platform, r.account.account_id): r for r in es.account_activity(T0, 14)}
    one = rows[("weibo", "1")]
    assert (one.posts_total, one.originals_total, one.last_post_at) == (2, 1, T0 - timedelta(days=1))
    assert one.post_days == {date(2026, 10, 31)}
    assert rows[("weibo", "2")].posts_total == 0 and list(rows) == [("wechat", "1"), ("weibo", "1"), ("weibo", "2")]


def test_migrate_reindexes_into_a_new_index_and_switches_the_alias(es: ElasticsearchBackend) -> None:
    es.upsert_posts([post(str(i), "医保") for i in range(30)])
    es.fresh("posts")
    moved = I.migrate(es.client, es.prefix, "posts", force=True)
    assert moved["copied"] == 30 and moved["to"] != moved["from"]
    assert I.current_index(es.client, es.prefix, "posts") == moved["to"]
    assert es.search_posts(PostQuery(q="医保")).total == 30


TRICKY = 'a "quoted" \\ back\nslash\t\x01 𠀀 工作 \u2028 end'


def _hit_values(es: ElasticsearchBackend) -> dict[str, dict]:
    answer = es.client.search(index=es.index("posts"), size=100, docvalue_fields=["hit"], _source=False,
                              stored_fields="_none_")
    return {D.shown_of(h["fields"]["hit"][0])["post_id"]: D.shown_of(h["fields"]["hit"][0])
            for h in answer["hits"]["hits"]}


def test_migrate_writes_each_posts_shown_fields_as_the_writer_does(es: ElasticsearchBackend) -> None:
    """The reindex's Painless JSON of the shown fields (indices._REBUILD_HIT) decodes to what docs.hit_value
    wrote: quotes, backslashes, control characters, characters beyond the BMP, nulls, numbers, booleans."""
    es.upsert_posts([post("a", TRICKY + " 医保", title='标题"\\', comments=7, is_pinned=True),
                     post("b", "医保", url="", replies=None)])
    es.fresh("posts")
    written = _hit_values(es)
    assert written["a"]["text"] == TRICKY + " 医保" and written["a"]["comments"] == 7 and written["b"]["replies"] is None
    I.migrate(es.client, es.prefix, "posts", force=True)
    assert _hit_values(es) == written
    hits = es.search_posts(PostQuery(q="医保", sort="newest")).hits
    assert {h.item.post_id: (h.item.title, h.item.text) for h in hits}["a"] == ('标题"\\', TRICKY + " 医保")


def test_a_pin_or_comment_update_keeps_the_post_searchable_and_shows_the_new_state(es: ElasticsearchBackend) -> None:
    """A partial update rebuilds the document from its _source, which holds neither `search` nor `hit`."""
    es.upsert_posts([post("b", "别的 医保", comments=1, url="https://a/1")])
    assert es.upsert_posts([post("b", "别的 医保", is_pinned=True, comments=9, url="https://a/2")]).updated == 1
    es.fresh("posts")
    hits = es.search_posts(PostQuery(q="医保")).hits
    # the other fields keep their stored values, in the hit as in the store (as SQLite updates)
    assert [(h.item.post_id, h.item.is_pinned, h.item.comments, h.item.url) for h in hits] == [
        ("b", True, 9, "https://a/1")]
    assert [p.url for p in es.iter_posts()] == ["https://a/1"]


def test_a_store_still_on_posts_v3_takes_writes_and_answers(es: ElasticsearchBackend) -> None:
    """Posts v3 (no `hit` in its strict mapping) until `index migrate posts`: writes leave `hit` out."""
    on_posts_v3(es)
    assert es.upsert_posts([post("a", "医保 甲"), post("b", "医保 乙")]).inserted == 2
    assert es.upsert_posts([post("b", "医保 乙", is_pinned=True)]).updated == 1
    es.fresh("posts")
    hits = es.search_posts(PostQuery(q="医保")).hits
    assert sorted((h.item.post_id, h.item.is_pinned) for h in hits) == [("a", False), ("b", True)]


def test_posts_written_without_their_hit_value_are_still_shown(es: ElasticsearchBackend) -> None:
    """A post an older process wrote (no `hit`) is read from its _source, as before posts v4."""
    es.upsert_posts([post("a", "医保 新")])
    old = {k: v for k, v in D.post_doc(post("b", "医保 旧")).items() if k != "hit"}
    es.client.index(index=es.index("posts"), id=D.post_id("weibo", "b"), document=old, refresh=True)
    es.fresh("posts")
    sent = []
    msearch = es.client.msearch
    es.client.msearch = lambda **kw: sent.append(1) or msearch(**kw)  # type: ignore[method-assign]
    for _ in range(2):
        hits = es.search_posts(PostQuery(q="医保")).hits
        assert sorted((h.item.post_id, h.item.text) for h in hits) == [("a", "医保 新"), ("b", "医保 旧")]
    assert len(sent) == 3  # the first search asks again for _source; the next asks for it at once


def test_a_read_only_store_searches_but_refuses_writes(es: ElasticsearchBackend, tmp_path: Path) -> None:
    es.upsert_posts([post("a", "医保")])
    es.fresh("posts")
    api = ElasticsearchBackend(EsConfig(url=es.config.url, prefix=es.prefix, spool=str(tmp_path / "x.db")),
                               read_only=True)
    assert api.search_posts(PostQuery(q="医保")).total == 1
    with pytest.raises(StoreError, match="read-only"):
        api.upsert_posts([post("b", "医保")])
    api.close()
    assert not (tmp_path / "x.db").exists()  # no spool file for a process that never writes
