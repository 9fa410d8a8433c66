"""Elasticsearch-specific search behaviour on the real node: capped counts per platform, batched lookups."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.errors import QueryError
from core.models import Account, Finding, Post, RegistryEntry
from index.base import AccountFilters, PostQuery
from index.elastic import ElasticsearchBackend, candidates, facets, lookups, search

pytestmark = pytest.mark.es
T0 = datetime(2026, 11, 1, 9, 0)



def posts(n: int, platform: str, text: str = "医保") -> list[Post]:
    return [Post(platform, "1", f"{platform}{i}", text=text, published_at=T0 + timedelta(minutes=i)) for i in range(n)]


def test_counts_per_platform_stop_at_the_cap_like_sqlite(es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    es.upsert_posts(posts(9, "weibo") + posts(3, "wechat") + posts(4, "douyin", "防火"))
    monkeypatch.setattr(facets, "FACET_CAP", 5)
    result = es.search_posts(PostQuery(q="医保", facets=("platform",)))
    assert result.total == 12 and result.facets == {"platform": {"weibo": 5, "wechat": 3}}
    one = es.search_posts(PostQuery(q="医保", platform="wechat", facets=("platform",)))
    assert one.facets == {"platform": {"wechat": 3}}  # the other platforms are not counted at all
    everything = es.search_posts(PostQuery(facets=("platform",)))
    assert everything.facets == {"platform": {"weibo": 5, "douyin": 4, "wechat": 3}}
    nothing = es.search_posts(PostQuery(q="医保", owner="无此单位", facets=("platform",)))
    assert (nothing.total, nothing.facets) == (0, {"platform": {}})


def spy_msearch(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of searches in each _msearch that search.py sends."""
    sent: list[int] = []
    msearch = search.msearch

    def spy(client: object, searches: list[tuple[object, dict[str, object]]]) -> list[dict[str, object]]:
        sent.append(len(searches))
        return msearch(client, searches)

    monkeypatch.setattr(search, "msearch", spy)
    return sent


def test_the_total_and_counts_per_platform_are_one_search(es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Each count was a shard search of its own: now one tally search beside the ranked one, new platforms included."""
    monkeypatch.setattr(candidates, "CANDIDATES", 2)  # more matches than candidates: the search cannot count them
    sent = spy_msearch(monkeypatch)
    es.upsert_posts(posts(4, "weibo"))
    found = es.search_posts(PostQuery(q="医保", facets=("platform",)))
    assert (found.total, found.total_exact, found.facets) == (4, True, {"platform": {"weibo": 4}})
    es.upsert_posts(posts(3, "douyin"))  # a new platform counts at once in the writing process
    assert es.search_posts(PostQuery(q="医保", facets=("platform",))).facets == {"platform": {"weibo": 4, "douyin": 3}}
    assert sent == [2, 2]  # the ranked search and the tally


def test_counts_are_kept_while_the_posts_are_unchanged_and_hits_never(es: ElasticsearchBackend,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The tally asks for the shard request cache (as SQLite keeps its counts while the store is unchanged),
    even with the index's own setting off as in the bench; the ranked page is searched again each time, and
    a write empties the cache."""
    monkeypatch.setattr(candidates, "CANDIDATES", 2)  # more matches than candidates: the tally counts
    es.upsert_posts(posts(4, "weibo"))
    index = es.index("posts")
    es.client.indices.put_settings(index=index, body={"index.requests.cache.enable": False})

    def cache() -> tuple[int, int]:
        stats = es.client.indices.stats(index=index, metric="request_cache")["_all"]["total"]["request_cache"]
        return int(stats["hit_count"]), int(stats["miss_count"])

    query = PostQuery(q="医保", facets=("platform",))
    es.search_posts(query)
    hits, misses = cache()
    again = es.search_posts(query)
    assert cache() == (hits + 1, misses)  # the tally, not the page of hits
    assert (again.total, again.facets) == (4, {"platform": {"weibo": 4}})
    es.upsert_posts(posts(3, "douyin"))
    after = es.search_posts(query)
    assert (after.total, after.facets) == (7, {"platform": {"weibo": 4, "douyin": 3}})
    assert cache()[0] == hits + 1


def test_only_a_count_asks_for_the_request_cache() -> None:
    with pytest.raises(ValueError):
        facets.counting("p", {"size": 20, "query": {"match_all": {}}})
    assert facets.counting("p", {"size": 0}) == ({"index": "p", "request_cache": True}, {"size": 0})


def test_a_platform_the_tally_sample_leaves_below_the_cap_is_counted_alone(
        es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tally collects TOTAL_CAP + 1 matches: past that the total is capped, and a platform with fewer than
    FACET_CAP in the sample (wechat: 3 posts can never reach 5) gets its own capped count."""
    es.upsert_posts(posts(9, "weibo") + posts(3, "wechat"))
    monkeypatch.setattr(facets, "FACET_CAP", 5)
    monkeypatch.setattr(facets, "TOTAL_CAP", 4)
    sent = spy_msearch(monkeypatch)
    found = es.search_posts(PostQuery(q="医保", sort="newest", facets=("platform",)))
    assert (found.total, found.total_exact) == (4, False)
    assert found.facets == {"platform": {"weibo": 5, "wechat": 3}}
    # the search and the tally, then one _msearch for the platforms short in the sample (wechat, and weibo
    # too were the sample's 5 not all weibo)
    assert sent[0] == 2 and len(sent) == 2 and sent[1] in (1, 2)
    few = es.search_posts(PostQuery(q="医保", platform="wechat", sort="newest", facets=("platform",)))
    assert (few.total, few.total_exact, few.facets) == (3, True, {"platform": {"wechat": 3}})


def test_an_unknown_facet_is_a_query_error(es: ElasticsearchBackend) -> None:
    with pytest.raises(QueryError, match="facet"):
        es.search_posts(PostQuery(q="医保", facets=("account_id",)))


def test_accounts_of_a_page_of_hits_and_their_open_findings_come_in_one_go(es: ElasticsearchBackend) -> None:
    es.upsert_accounts([Account("weibo", "1", "永州发布"), Account("wechat", "gh_1", "永州医保")])

    def finding(kind: str, key: str) -> Finding:
        return Finding(kind, "veto", "account", key, kind, "2026.11", {})

    es.save_findings([finding("dormant", "weibo:1"), finding("zombie", "weibo:1"), finding("dormant", "wechat:gh_1")],
                     rule_ids=["dormant", "zombie"], as_of=T0)
    es.save_findings([finding("zombie", "weibo:1")], rule_ids=["dormant"], as_of=T0)  # dormant stays open on weibo:1
    es.save_findings([], rule_ids=["dormant"], as_of=T0 + timedelta(days=1))  # … until now: resolved everywhere
    accounts, kinds = es.accounts_for([("weibo", "1"), ("wechat", "gh_1"), ("weibo", "404"), ("weibo", "1")])
    assert sorted(accounts) == [("wechat", "gh_1"), ("weibo", "1")] and accounts[("weibo", "1")].name == "永州发布"
    assert kinds == {"weibo:1": ["zombie"]}
    assert es.accounts_for([]) == ({}, {})


def test_accounts_read_lately_cost_no_request_until_this_process_writes_accounts_or_findings(
        es: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[int] = []
    msearch = lookups.msearch
    monkeypatch.setattr(lookups, "msearch", lambda client, searches: sent.append(len(searches)) or msearch(client, searches))
    es.upsert_accounts([Account("weibo", "1", "永州发布")])
    pairs = [("weibo", "1"), ("weibo", "404")]
    first = es.accounts_for(pairs)
    assert list(first[0]) == [("weibo", "1")] and first[0][("weibo", "1")].name == "永州发布" and first[1] == {}
    assert es.accounts_for(pairs) == first and es.accounts_for(pairs[1:]) == ({}, {}) and sent == [2]  # kept, absent too
    es.upsert_accounts([Account("weibo", "1", "永州市发布")])
    assert es.accounts_for(pairs)[0][("weibo", "1")].name == "永州市发布" and sent == [2, 2]
    es.save_findings([Finding("dormant", "veto", "account", "weibo:1", "dormant", "2026.11", {})],
                     rule_ids=["dormant"], as_of=T0)
    assert es.accounts_for(pairs)[1] == {"weibo:1": ["dormant"]} and sent == [2, 2, 2]
    monkeypatch.setattr(lookups._kept, "ttl", 0.0)  # once TTL has passed: read again (another process may have written)
    assert es.accounts_for(pairs)[1] == {"weibo:1": ["dormant"]} and sent == [2, 2, 2, 2]


def test_the_api_directory_says_the_same_with_or_without_prefetching(es: ElasticsearchBackend) -> None:
    from search_api.directory import Directory

    es.upsert_accounts([Account("weibo", "1", "永州发布")])
    es.upsert_registry([RegistryEntry("永州发布", "weibo", owner="永州市政府")])
    es.save_findings([Finding("dormant", "veto", "account", "weibo:1", "dormant", "2026.11", {})],
                     rule_ids=["dormant"], as_of=T0)
    pairs = [("weibo", "1"), ("weibo", "2")]
    one_by_one, prefetched = Directory(es), Directory(es)
    prefetched.prefetch(pairs)
    assert [prefetched.get(*p) for p in pairs] == [one_by_one.get(*p) for p in pairs]
    assert prefetched.get("weibo", "1").statuses == ["dormant"] and prefetched.get("weibo", "1").owner == "永州市政府"


def test_a_name_filter_is_matched_as_typed_inside_the_cluster(es: ElasticsearchBackend) -> None:
    es.upsert_accounts([Account("weibo", "1", "无锡*发布"), Account("weibo", "2", "无锡?发布\\"),
                        Account("weibo", "3", "无锡发布")])

    def ids(name: str) -> list[str]:
        return [a.account_id for a in es.iter_accounts(where=AccountFilters(name=name))]

    assert (ids("*"), ids("?"), ids("\\"), ids("无锡"), ids("锡发")) == (["1"], ["2"], ["2"], ["1", "2", "3"], ["3"])
    assert [a.account_id for a in es.iter_accounts("wechat", AccountFilters(name="无锡"))] == []


def test_registry_candidates_bring_every_field_back_from_doc_values(es: ElasticsearchBackend) -> None:
    """Candidates are read from doc values (no stored-fields read): dates, flags and empty fields as stored."""
    entries = [RegistryEntry("永州人社", "wechat", "gh_1", owner="永州市人社局", supervisor="政务公开办",
                             registry_no="B1", is_primary=True, registered_at=datetime(2025, 10, 19, 10, 0)),
               RegistryEntry("永州人社发布", "weibo")]
    es.upsert_registry(entries)
    [found] = es.registry_candidates([("永州人社", None, "")])
    assert sorted(found, key=lambda e: e.key) == sorted(entries, key=lambda e: e.key)


def test_posts_are_stored_newest_first_and_newest_pages_keep_their_order(es: ElasticsearchBackend) -> None:
    """The posts index is sorted as a newest-first search orders (mappings.NEWEST_FIRST), so such a page stops
    at its first matches; ties (same minute, no date) still come seq, platform, post id descending, and a
    cursor walks every match once."""
    from index.elastic.mappings import NEWEST_FIRST

    sort = es.client.indices.get_settings(index=es.index("posts"))
    assert [v["settings"]["index"]["sort"]["field"] for v in sort.values()] == [NEWEST_FIRST]
    hour_before = T0 - timedelta(hours=1)
    same = [Post(p, "1", f"{p}{i}", text="医保", published_at=hour_before) for i in range(3) for p in ("weibo", "douyin")]
    undated = [Post("weibo", "1", f"u{i}", text="医保") for i in range(2)]
    es.upsert_posts(posts(3, "wechat") + same[:3])
    es.upsert_posts(same[3:] + undated)  # indexed later: higher seqs, each batch in its order
    pages, cursor = [], None
    while True:
        found = es.search_posts(PostQuery(q="医保", sort="newest", limit=4, cursor=cursor))
        pages += [(h.item.platform, h.item.post_id) for h in found.hits]
        if not (cursor := found.next_cursor):
            break
    key = lambda p: (p.platform, p.post_id)  # noqa: E731
    tie = [key(p) for p in reversed(same)]  # the same minute: the later indexed first
    assert pages == [key(p) for p in reversed(posts(3, "wechat"))] + tie + [("weibo", "u1"), ("weibo", "u0")]


def test_a_stamp_moves_with_any_write_and_what_it_covers_is_then_searchable(es: ElasticsearchBackend) -> None:
    """search_api/cache.py rebuilds the registry index and names only when their indices' stamp moved: a
    write from another process (not refreshed by it) moves it, and a read after the stamp sees that write."""
    from dataclasses import replace

    es.upsert_registry([RegistryEntry("永州发布", "weibo", owner="永州市政府")])
    first = es.stamp("registry", "accounts")
    assert es.stamp("registry", "accounts") == first and es.stamp("registry") != first
    other = ElasticsearchBackend(replace(es.config, spool=":memory:"))  # another process, its own client
    other.upsert_accounts([Account("weibo", "9", "永州发布")])
    moved = es.stamp("registry", "accounts")
    assert moved != first
    assert [a.account_id for a in es.iter_accounts()] == ["9"]
    other.upsert_accounts([Account("weibo", "9", "永州发布（新）")])  # an update, the count unchanged
    assert es.stamp("registry", "accounts") != moved
    other.client.close()
