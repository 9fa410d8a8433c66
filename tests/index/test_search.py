"""The query language on every backend: ranking, phrases, OR, exclusions, filters, highlights, cursors, counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.errors import QueryError
from core.models import Account, Page, Post, RegistryEntry
from index.base import Backend, PageQuery, PostQuery
from index.query import MAX_QUERY_CHARS

T0 = datetime(2026, 11, 1, 9, 0)
CST = timezone(timedelta(hours=8))


def post(pid: str, text: str, *, title: str = "", platform: str = "weibo", account: str = "1",
         at: datetime = T0) -> Post:
    return Post(platform=platform, account_id=account, post_id=pid, title=title, text=text, published_at=at)


def ids(backend: Backend, **kw: object) -> list[str]:
    return [h.item.post_id for h in backend.search_posts(PostQuery(**kw)).hits]  # type: ignore[union-attr, arg-type]


def test_documents_with_more_of_the_words_rank_first(backend: Backend) -> None:
    backend.upsert_posts([
        post("once", "今天召开安全生产会议，会上也提到医保缴费。"),
        post("often", "医保缴费标准调整，医保缴费时间延长，医保缴费可在线办理。"),
        post("half", "医保卡可在线激活。"),
        post("none", "保医不是一个词"),
    ])
    assert ids(backend, q="医保缴费") == ["often", "once"]  # both words required; "half" has one
    assert ids(backend, q="医保") == ["often", "half", "once"]


def test_title_matches_outrank_body_matches(backend: Backend) -> None:
    backend.upsert_posts([post("body", "关于医保的说明"), post("title", "说明", title="医保说明")])
    assert ids(backend, q="医保") == ["title", "body"]


def test_long_natural_query_finds_documents_with_most_of_it_best_first(backend: Backend) -> None:
    backend.upsert_posts([
        post("most", "永州市医疗保障局关于2026年度城乡居民医保缴费的通知"),
        post("many", "永州市城乡居民医保缴费开始了，请按时缴费", title="医保通知"),  # 5 of 8 words
        post("few", "永州市发布医保缴费天气预报"),  # 4 of 8: not most
        post("other", "无关内容"),
    ])
    found = ids(backend, q="永州市医疗保障局发布关于城乡居民医保缴费的通知")
    assert found == ["most", "many"]


def test_quoted_phrase_matches_verbatim_only(backend: Backend) -> None:
    backend.upsert_posts([post("exact", "城乡居民医保"), post("apart", "城乡的居民也有医保")])
    assert ids(backend, q='"城乡居民"') == ["exact"]
    assert sorted(ids(backend, q="城乡 居民")) == ["apart", "exact"]


def test_or_between_terms_and_exclusion(backend: Backend) -> None:
    backend.upsert_posts([post("a", "医保缴费"), post("b", "森林防火"), post("c", "医保 森林防火"), post("d", "别的")])
    assert sorted(ids(backend, q="医保 OR 防火")) == ["a", "b", "c"]
    assert sorted(ids(backend, q="医保 OR 防火 -森林")) == ["a"]
    assert sorted(ids(backend, q='医保 -"森林防火"')) == ["a"]


def test_traditional_text_and_full_width_digits_are_found_and_marked(backend: Backend) -> None:
    backend.upsert_posts([post("t", "醫保繳費標準２０２６年起調整", title="醫保通知")])
    for q in ("医保缴费 2026", "醫保繳費", "２０２６"):
        assert ids(backend, q=q) == ["t"], q
    hit = backend.search_posts(PostQuery(q="医保 2026")).hits[0]
    assert hit.highlights["title"] == "<mark>醫保</mark>通知"
    assert hit.highlights["text"] == "<mark>醫保</mark>繳費標準<mark>２０２６</mark>年起調整"


def test_highlights_escape_html_and_mark_only_matched_terms(backend: Backend) -> None:
    backend.upsert_posts([post("h", "<script>医保</script> 缴费", title="无关")])
    hit = backend.search_posts(PostQuery(q="医保")).hits[0]
    assert hit.highlights == {"text": "&lt;script&gt;<mark>医保</mark>&lt;/script&gt; 缴费"}


def test_one_character_query_finds_the_character_inside_and_at_the_end_of_words(backend: Backend) -> None:
    backend.upsert_posts([post("inside", "市医保局通知"), post("end", "市医保局"), post("alone", "局"),
                          post("no", "医保")])
    assert sorted(ids(backend, q="局")) == ["alone", "end", "inside"]


def test_date_bounds_are_china_time(backend: Backend) -> None:
    backend.upsert_posts([post("early", "医保", at=datetime(2026, 11, 1, 0, 30)),
                          post("late", "医保", at=datetime(2026, 10, 31, 23, 59))])
    since = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # = 2026-11-01 00:00 in China
    assert ids(backend, q="医保", since=since) == ["early"]
    assert ids(backend, q="医保", until=datetime(2026, 11, 1, 0, 0, tzinfo=CST)) == ["late"]
    assert ids(backend, q="", since=datetime(2026, 11, 1)) == ["early"]  # naive means China time


def test_filters_platform_account_name_and_owner(backend: Backend) -> None:
    backend.upsert_registry([RegistryEntry("测试发布", "weibo", "1", owner="测试市政府")])
    backend.upsert_accounts([Account("weibo", "1", "测试发布"), Account("weibo", "2", "别的号"),
                             Account("wechat", "gh_1", "测试发布")])
    backend.upsert_posts([post("a", "医保"), post("b", "医保", account="2"),
                          post("c", "医保", platform="wechat", account="gh_1")])
    assert sorted(ids(backend, q="医保", account="测试发布")) == ["a", "c"]
    assert ids(backend, q="医保", account="测试发布", platform="wechat") == ["c"]
    assert ids(backend, q="医保", owner="测试市政府") == ["a"]
    assert ids(backend, q="医保", owner="没有这个单位") == []
    assert ids(backend, q="", platform="wechat") == ["c"]


def test_cursor_pages_through_every_match_once(backend: Backend) -> None:
    backend.upsert_posts([post(f"p{i:02d}", "医保" * (1 + i % 4), at=T0 + timedelta(hours=i)) for i in range(23)])
    for sort in ("relevance", "newest", "oldest"):
        seen: list[str] = []
        cursor = None
        for _ in range(5):
            result = backend.search_posts(PostQuery(q="医保", sort=sort, limit=10, cursor=cursor))
            seen += [h.item.post_id for h in result.hits]  # type: ignore[union-attr]
            cursor = result.next_cursor
            if cursor is None:
                break
        assert sorted(seen) == [f"p{i:02d}" for i in range(23)], sort
    newest = ids(backend, q="医保", sort="newest", limit=3)
    assert newest == ["p22", "p21", "p20"]


def test_cursor_of_another_sort_or_garbage_is_a_clear_error(backend: Backend) -> None:
    backend.upsert_posts([post(f"p{i}", "医保", at=T0 + timedelta(hours=i)) for i in range(3)])
    cursor = backend.search_posts(PostQuery(q="医保", sort="newest", limit=1)).next_cursor
    with pytest.raises(QueryError, match="cursor"):
        backend.search_posts(PostQuery(q="医保", sort="relevance", cursor=cursor))
    with pytest.raises(QueryError, match="cursor"):
        backend.search_posts(PostQuery(q="医保", cursor="not-a-cursor"))


def test_counts_per_platform_follow_the_query_and_filters(backend: Backend) -> None:
    backend.upsert_posts([post("w1", "医保"), post("w2", "医保"), post("x", "防火"),
                          post("c1", "医保", platform="wechat", account="gh"),
                          post("d1", "医保", platform="douyin", account="d", at=datetime(2026, 1, 1))])
    result = backend.search_posts(PostQuery(q="医保", facets=("platform",)))
    assert result.total == 4 and result.total_exact
    assert result.facets["platform"] == {"weibo": 2, "wechat": 1, "douyin": 1}
    dated = backend.search_posts(PostQuery(q="医保", since=datetime(2026, 6, 1), facets=("platform",)))
    assert dated.facets["platform"] == {"weibo": 2, "wechat": 1}
    everything = backend.search_posts(PostQuery(facets=("platform",)))
    assert everything.facets["platform"] == {"weibo": 3, "wechat": 1, "douyin": 1}


def test_too_long_query_is_an_error_naming_the_limit(backend: Backend) -> None:
    with pytest.raises(QueryError, match=str(MAX_QUERY_CHARS)):
        backend.search_posts(PostQuery(q="医保" * MAX_QUERY_CHARS))


@pytest.mark.parametrize("q", ['"', "NEAR(医保", "title:医保 OR", "*", "医保\" OR \"1", "tags : zz OR 医保",
                               "{title body}: 医保", "医保 AND", "^医保", "a" * 150 + " 医保"])
def test_hostile_queries_never_reach_backend_syntax(backend: Backend, q: str) -> None:
    """FTS5's (and Elasticsearch's) own syntax in a query is text to search, or a QueryError, never a crash."""
    backend.upsert_posts([post("a", "医保 title near tags")])
    try:
        result = backend.search_posts(PostQuery(q=q))
    except QueryError as exc:
        assert "query" in str(exc)
    else:
        assert result.total in (0, 1)


def test_pages_search_with_site_filter_and_highlights(backend: Backend) -> None:
    backend.upsert_pages([
        Page(url="https://a.gov.cn/1.html", site="a.gov.cn", title="医保政策解读", text="城乡居民医保缴费"),
        Page(url="https://b.gov.cn/1.html", site="b.gov.cn", title="医保", text="别的"),
    ])
    result = backend.search_pages(PageQuery(q="医保", site="a.gov.cn"))
    assert [h.item.url for h in result.hits] == ["https://a.gov.cn/1.html"]  # type: ignore[union-attr]
    assert result.hits[0].highlights["title"] == "<mark>医保</mark>政策解读"
