"""A search's total and counts per platform, capped as the SQLite store caps them, in one shard search.

The SQLite store counts a search's matches up to TOTAL_CAP (shown "10,000+") and each platform's
up to FACET_CAP (a count of FACET_CAP means "1,000 or more"). A `terms` aggregation over every
match visits 800,000 documents for 工作 at 1,000,000 posts; one size-0 count per platform with
`track_total_hits` = FACET_CAP stops early but costs a shard search each (6 on the bench store, plus
one for the total: most of a request's node CPU). Here one size-0 search (`tally_body`) in filter
context collects at most TOTAL_CAP + 1 matches (`terminate_after`) with a `terms` aggregation on the
platform over those. Fewer collected than that: the total and every count are exact. More: the
total is "TOTAL_CAP+", a platform with FACET_CAP in the sample has at least that many, and only a
platform below FACET_CAP in the sample (rare: the sample is 10,001 matches) is counted on its own
(`count_body`, `track_total_hits` = FACET_CAP) in a second `_msearch`. Platforms with no match are
left out; a platform filter leaves the other platforms out, as in SQLite. Platforms without any post
are not counted on their own: the list of platforms with posts is read once (a terms aggregation)
and kept, but a new platform must not stay hidden from an API process that did not write it (it
was, for the list's 5 minutes). So the list is cheap to keep fresh: any platform a search's own
aggregation meets joins it at once (`note_platforms`: no request), and once the list is PROBE_AFTER
seconds old the next search asks only whether a platform missing from it has posts now (a terms
query on those few values, nothing when every platform has posts), not for the whole list.

Counts are kept while the store is unchanged, as the SQLite store keeps them (index/sqlite_counts.py):
a tally or count search (`counting`) asks for the shard request cache, which Elasticsearch empties
whenever the index changes (a refresh with new writes). Only these size-0 searches ask for it, so
only counts are kept, never a page of hits, whatever the index's own setting.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from elasticsearch.exceptions import HTTP_EXCEPTIONS, TransportError

from core.errors import QueryError
from core.models import PLATFORMS
from index.base import FACET_CAP, FACETS, TOTAL_CAP
from index.elastic.kept import Kept

PROBE_AFTER = 10.0  # seconds before the platforms without posts are asked about again
_present: Kept[str, frozenset[str]] = Kept(PROBE_AFTER)  # index → platforms with posts


def facet_values(facets: tuple[str, ...], platform: str | None) -> list[str] | None:
    """The platforms a search counts (FACETS has only `platform`; None: no counts per platform), those the
    platform filter leaves; an unknown facet is a QueryError."""
    unknown = set(facets) - set(FACETS)
    if unknown:
        raise QueryError(f"no facet {sorted(unknown)[0]!r}; facets are {', '.join(FACETS)}", field="facets")
    if "platform" not in facets:
        return None
    return [p for p in PLATFORMS if platform is None or p == platform]


def forget_platforms(index: str) -> None:
    """Drop `index`'s kept platforms (the writer's own process sees its new platforms at once)."""
    _present.forget(index)


def note_platforms(index: str, seen: Iterable[str]) -> None:
    """Platforms a search found posts on: one missing from the kept list joins it (no request)."""
    known = _present.get_any(index)
    if known is not None and not known.issuperset(seen):
        _present.put(index, known | frozenset(seen))


def present_platforms(client: Any, index: str) -> frozenset[str] | None:
    """Platforms with posts in `index` (None: unknown, count all). Read once, then kept: after PROBE_AFTER
    seconds only the platforms missing from the list are asked about, in one size-0 search."""
    kept = _present.get(index)
    if kept:
        return kept
    known = _present.get_any(index)
    missing = [p for p in PLATFORMS if known is not None and p not in known]
    if known is not None and not missing:  # every platform has posts: nothing can be new
        _present.put(index, known)
        return known
    where = {"terms": {"platform": missing}} if known is not None else {"match_all": {}}
    answer = client.search(index=index, size=0, query=where,
                           aggs={"p": {"terms": {"field": "platform", "size": len(PLATFORMS)}}})
    found = frozenset(b["key"] for b in answer["aggregations"]["p"]["buckets"]) | (known or frozenset())
    if not found:  # an empty store: ask again next time (its first posts must be counted)
        return None
    _present.put(index, found)
    return found


# Every platform's bucket, not only the listed ones': a platform missing from the kept list shows up here.
PLATFORM_AGGS = {"platforms": {"terms": {"field": "platform", "size": len(PLATFORMS)}}}


def tally_body(query: dict[str, Any], platforms: list[str] | None) -> dict[str, Any]:
    """A size-0 search collecting at most TOTAL_CAP + 1 matches of `query`, with (for `platforms`) a
    `platforms` terms aggregation over those (read by `tallied`)."""
    body: dict[str, Any] = {"size": 0, "track_total_hits": True, "terminate_after": TOTAL_CAP + 1,
                            "query": {"bool": {"filter": [query]}}}
    if platforms is not None:
        body["aggs"] = PLATFORM_AGGS
    return body


def tallied(answer: dict[str, Any], platforms: list[str] | None) -> tuple[int, bool, dict[str, int], list[str]]:
    """(total, exact, {platform: capped count}, platforms still to count alone) of a `tally_body` answer;
    `platforms`: those the search counts (None: no counts)."""
    collected = int(answer["hits"]["total"]["value"])  # summed over shards: each stops after TOTAL_CAP + 1
    exact = collected <= TOTAL_CAP
    counts = aggregated(answer) if platforms is not None else {}
    short = [] if exact else [p for p in platforms or () if counts.get(p, 0) < FACET_CAP]
    return min(collected, TOTAL_CAP), exact, counts, short


def count_body(query: dict[str, Any], platform: str) -> dict[str, Any]:
    """A size-0 search counting `query`'s matches on `platform` up to FACET_CAP."""
    where = [query, {"term": {"platform": platform}}]
    return {"size": 0, "track_total_hits": FACET_CAP, "query": {"bool": {"filter": where}}}


def counted(answers: list[dict[str, Any]], platforms: list[str]) -> dict[str, int]:
    """{platform: min(count, FACET_CAP)} of `count_body` answers, zeros left out."""
    counts = {p: min(int(a["hits"]["total"]["value"]), FACET_CAP) for p, a in zip(platforms, answers, strict=True)}
    return {p: n for p, n in counts.items() if n}


def ordered(counts: dict[str, int]) -> dict[str, int]:
    """Counts largest first, then by platform name (the order SQLite gives them)."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def aggregated(answer: dict[str, Any]) -> dict[str, int]:
    """{platform: min(count, FACET_CAP)} from a search's `platforms` terms aggregation (its query's platform
    filter, if any, already leaves the other platforms out)."""
    buckets = answer["aggregations"]["platforms"]["buckets"]
    return ordered({b["key"]: min(int(b["doc_count"]), FACET_CAP) for b in buckets})


def counting(index: str, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A size-0 tally or count search of `index` for msearch, answered from the shard request cache while the
    index is unchanged (the cache is emptied by any refresh that brings changes)."""
    if body.get("size") != 0:
        raise ValueError("only a count (size 0) may be kept")
    return {"index": index, "request_cache": True}, body


def msearch(client: Any, searches: list[tuple[str | dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Answers of (index or header, body) `searches` in one _msearch; a failed one raises as client.search would."""
    lines: list[dict[str, Any]] = []
    for index, body in searches:
        lines += [index if isinstance(index, dict) else {"index": index}, body]
    answers: list[dict[str, Any]] = client.msearch(body=lines)["responses"]
    for answer in answers:
        if "error" in answer:
            status = int(answer.get("status", 500))
            error = answer["error"]
            kind = error.get("type", "error") if isinstance(error, dict) else str(error)
            error_class = cast("type[TransportError]", HTTP_EXCEPTIONS.get(status, TransportError))
            raise error_class(status, kind, answer)
    return answers
