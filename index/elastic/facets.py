"""Counts per platform for a post search, each counted up to FACET_CAP, as the SQLite store counts them.

A `terms` aggregation visits every match: for a common word at 1,000,000 posts that is
800,000 documents and costs more than the search itself. The SQLite store counts each
platform's matches only up to FACET_CAP (a count of FACET_CAP means "1,000 or more"). Here each
platform is one size-0 search in filter context (no scoring) with `track_total_hits` =
FACET_CAP, so Lucene stops counting at the cap; all of them go in the same `_msearch` as the
search itself (one round trip, run side by side on the node). Platforms with no match are left
out; a platform filter leaves the other platforms out, as in SQLite. Platforms without any post
(a terms aggregation, kept PRESENT_TTL seconds like SQLite's list) are not counted at all: 10
platforms exist, the bench store has posts on 6, and each count is a shard search.
"""

from __future__ import annotations

import threading
import time
from typing import Any, cast

from elasticsearch.exceptions import HTTP_EXCEPTIONS, TransportError

from core.errors import QueryError
from core.models import PLATFORMS
from index.base import FACET_CAP, FACETS

PRESENT_TTL = 300.0  # seconds the platforms with posts are reused (as sqlite_stats.TTL)
_present: dict[str, tuple[float, frozenset[str]]] = {}
_lock = threading.Lock()


def facet_values(facets: tuple[str, ...], platform: str | None, present: frozenset[str] | None = None) -> list[str]:
    """The platforms to count (FACETS has only `platform`; `present`: those with posts, None: all);
    an unknown facet is a QueryError."""
    unknown = set(facets) - set(FACETS)
    if unknown:
        raise QueryError(f"no facet {sorted(unknown)[0]!r}; facets are {', '.join(FACETS)}", field="facets")
    if "platform" not in facets:
        return []
    return [p for p in PLATFORMS if (platform is None or p == platform) and (present is None or p in present)]


def forget_platforms(index: str) -> None:
    """Drop `index`'s kept platforms (the writer's own process sees its new platforms at once)."""
    with _lock:
        _present.pop(index, None)


def present_platforms(client: Any, index: str) -> frozenset[str] | None:
    """Platforms with posts in `index`, kept PRESENT_TTL seconds once some exist (None: unknown, count all)."""
    now = time.monotonic()
    with _lock:
        kept = _present.get(index)
    if kept and now - kept[0] < PRESENT_TTL:
        return kept[1]
    answer = client.search(index=index, size=0, aggs={"p": {"terms": {"field": "platform", "size": len(PLATFORMS)}}})
    found = frozenset(b["key"] for b in answer["aggregations"]["p"]["buckets"])
    if not found:  # an empty store: ask again next time (its first posts must be counted)
        return None
    with _lock:
        _present[index] = (now, found)
    return found


def count_body(query: dict[str, Any], platform: str | None, cap: int = FACET_CAP) -> dict[str, Any]:
    """A size-0 search counting `query`'s matches (on `platform`, None: all) up to `cap`."""
    where = [query] + ([{"term": {"platform": platform}}] if platform else [])
    return {"size": 0, "track_total_hits": cap, "query": {"bool": {"filter": where}}}


def counted(answers: list[dict[str, Any]], platforms: list[str]) -> dict[str, int]:
    """{platform: min(count, FACET_CAP)} of the count answers, largest first, zeros left out."""
    counts = {p: min(int(a["hits"]["total"]["value"]), FACET_CAP) for p, a in zip(platforms, answers, strict=True)}
    return dict(sorted(((p, n) for p, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))


def aggregated(answer: dict[str, Any], platforms: list[str]) -> dict[str, int]:
    """{platform: min(count, FACET_CAP)} from a search's `platforms` terms aggregation (bounded searches only)."""
    buckets = answer["aggregations"]["platforms"]["buckets"]
    counts = {b["key"]: min(int(b["doc_count"]), FACET_CAP) for b in buckets if b["key"] in platforms}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def msearch(client: Any, searches: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Answers of (index, body) `searches` in one _msearch; a failed one raises as client.search would."""
    lines: list[dict[str, Any]] = []
    for index, body in searches:
        lines += [{"index": index}, body]
    answers: list[dict[str, Any]] = client.msearch(body=lines)["responses"]
    for answer in answers:
        if "error" in answer:
            status = int(answer.get("status", 500))
            error = answer["error"]
            kind = error.get("type", "error") if isinstance(error, dict) else str(error)
            error_class = cast("type[TransportError]", HTTP_EXCEPTIONS.get(status, TransportError))
            raise error_class(status, kind, answer)
    return answers
