"""First pages of post searches sorted by date, from the posts' date order held in memory.

The general way (index/sqlite_listing.py) walks a query's matches in windows
of days: FTS5 merges the query's lists with an OR of day tags, which at
1,000,000 posts cost 10–27 ms of CPU for a word in a few thousand posts, or
for a common word on one platform (its matches on other platforms are walked
too). The platform map (index/sqlite_platforms.py RowMap) also holds every
dated post's rowid in (published_at, rowid) order — the date index's own
order, read in the same transaction — and each rowid's place in it. With it,
when the map was read at the FTS5 structure record the searching statement
reads, the first page (no cursor) comes one of two ways:

- a query expected to match at most EXPECTED posts (its rarest word's count
  times its filters' shares): every match's rowid is read in one statement
  (with the structure record), and when there are at most TOTAL_CAP the
  total, the counts per platform and the page (the `want` latest, or
  earliest, in the date order) all come from them: one pass instead of a
  count, a count per platform and the day windows;
- a word in at least DENSE of the posts, on some platforms only: the date
  order is walked from its end, posts of other platforms are skipped in
  memory, and the rest are tested against the full match (platform tags
  included) a batch at a time in FTS5 until `want` match.

Both give exactly the rows of ORDER BY published_at, rowid over the matches;
anything else (a cursor, row filters, other tag filters, no map yet) goes
the general way. Undated matches still come after, from the caller.
"""

from __future__ import annotations

import heapq
import math
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from index.base import FACET_CAP, TOTAL_CAP
from index.sqlite_fts import match_text
from index.sqlite_platforms import STRUCTURE, RowMap, by_platform, matched_rows
from index.sqlite_request import NoMap, Request, matching
from index.sqlite_stats import SearchStats

EXPECTED = TOTAL_CAP  # a query expected to match more is not read whole (it would likely pass the cap)
DENSE = 0.2  # the share of posts a word must be in for the walk (tests ≈ 2 × want / share)
MOST_TESTED = 2_000  # a walk that tested this many posts gives up (the estimate was far off): ~25 µs each


@dataclass(frozen=True)
class Counted:
    """A first page from all the matches: the exact total, counts per platform and the dated rows."""

    total: int
    facets: dict[str, int]
    rows: list[tuple[int, str | None]]


def counted_page(db: sqlite3.Connection, req: Request, stats: SearchStats, desc: bool, want: int,
                 expected: Callable[[], float]) -> Counted | None:
    """The first page with its exact total and per-platform counts, when the query has at most TOTAL_CAP
    matches and the map is ready; else None (the general way). Kept in the count memo like any count.

    Raises NoMap when the map does not describe the store the statement read: the caller then skips
    sqlite_request.total_and_platforms, whose statement is this one and would miss the map again (and a
    second miss at the same structure record would pass for an index gone quiet: PlatformMap.rows)."""
    if req.table != "posts" or not req.query or req.cursor or expected() > EXPECTED:
        return None
    f = req.filters
    sql = matching("posts", f, "posts_fts.rowid")
    args = (match_text(req.query, tags=f.tags), *f.row_args, TOTAL_CAP + 1)

    def compute() -> tuple[int, Counter[str], list[int]] | None:
        matched = matched_rows(db, stats.platform_map, sql, args)
        if matched is None:
            raise NoMap  # not kept in the memo: the map may be ready for the next asking
        rows, rowids = matched
        if len(rowids) > TOTAL_CAP:
            return None  # kept: asked again, it is not read again
        return len(rowids), by_platform(rows, rowids), _latest(rows, set(rowids), want, desc)

    got = stats.counts.value(db, ("first page", sql, *args, desc, want), compute)
    if got is None:
        return None
    total, per_platform, page = got
    facets = {}
    for platform in stats.platforms(db):  # as sqlite_request.platform_counts: every allowed platform, capped
        if f.platforms is not None and platform not in f.platforms:
            continue
        if count := min(per_platform[platform], FACET_CAP):
            facets[platform] = count
    rows = _dates(db, page)
    return Counted(total, facets, rows) if rows is not None else None


def _latest(rows: RowMap, rowids: set[int], want: int, desc: bool) -> list[int]:
    """The `want` dated rowids of `rowids` latest (earliest) in the date order.

    Many matches: the date order is walked from its end until `want` are met
    (about want × posts / matches steps); few: their places are compared.
    """
    steps = want * len(rows.order) // max(len(rowids), 1)
    if steps < 10 * len(rowids):
        found = list(islice(filter(rowids.__contains__, islice(reversed(rows.order) if desc else rows.order,
                                                              20 * steps)), want))  # stops at the want-th
        if len(found) == want:
            return found
    place = rows.place
    dated = [r for r in rowids if place[r] >= 0]
    return (heapq.nlargest if desc else heapq.nsmallest)(want, dated, key=place.__getitem__)


def walked_page(db: sqlite3.Connection, req: Request, stats: SearchStats, desc: bool, want: int,
                share: Callable[[], float]) -> list[tuple[int, str | None]] | None:
    """Up to `want` dated matches in date order by the walk (see the module docstring), or None when the
    general way must answer; `share()`: the estimated share of posts holding the query's words."""
    f = req.filters
    if req.table != "posts" or not req.query or req.cursor or f.platforms is None or f.row_sql:
        return None
    if not all(t.startswith("zzp") for tags in f.tags for t in tags):  # platform tags only
        return None
    words = share()
    return _walk(db, req, stats, desc, want, words) if words >= DENSE else None


def _walk(db: sqlite3.Connection, req: Request, stats: SearchStats, desc: bool, want: int, share: float
          ) -> list[tuple[int, str | None]] | None:
    """The date order walked from its end: posts of the filter's platforms tested against FTS5 in batches."""
    structure = db.execute(f"SELECT {STRUCTURE}").fetchone()[0]
    rows = stats.platform_map.rows(db, structure)
    if rows is None:
        return None
    assert req.filters.platforms is not None
    allowed = {code for code, name in enumerate(rows.names) if name in req.filters.platforms}
    expr = match_text(req.query, tags=req.filters.tags)
    walk = _candidates(rows, allowed, desc)
    found: list[int] = []
    step, tested = math.ceil(2 * want / share), 0
    while len(found) < want and tested < MOST_TESTED:
        batch = [r for _, r in zip(range(step), walk, strict=False)]
        if not batch:
            return _dates(db, found)  # every dated post tested: all the dated matches
        matched = _tested(db, expr, batch, rows.structure)
        if matched is None:
            return None  # the store changed under the walk
        found += [r for r in batch if r in matched]
        tested, step = tested + len(batch), step * 2
    return _dates(db, found[:want]) if len(found) >= want else None


def _candidates(rows: RowMap, allowed: set[int], desc: bool) -> Iterator[int]:
    """Dated rowids of the allowed platform codes, latest (earliest) first."""
    codes = rows.codes
    ordered = reversed(rows.order) if desc else iter(rows.order)
    return (r for r in ordered if codes[r] in allowed)


def _tested(db: sqlite3.Connection, expr: str, rowids: list[int], structure: bytes) -> set[int] | None:
    """Which of `rowids` match `expr`, or None when the index is no longer at `structure`."""
    marks = ",".join("?" * len(rowids))
    now, joined = db.execute(
        f"SELECT {STRUCTURE}, (SELECT group_concat(rowid) FROM posts_fts WHERE posts_fts MATCH ? "
        f"AND rowid IN ({marks}))", (expr, *rowids)).fetchone()
    if now is None or bytes(now) != structure:
        return None
    return set(map(int, joined.split(","))) if joined else set()


def _dates(db: sqlite3.Connection, rowids: list[int]) -> list[tuple[int, str | None]] | None:
    """(rowid, published_at) of `rowids`, in their order; None when one is gone (a write since the statement
    that found them re-wrote or removed it: the general way answers from the store as it is now)."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    dates = dict(db.execute(f"SELECT rowid, published_at FROM posts WHERE rowid IN ({marks})", rowids).fetchall())
    return [(r, dates[r]) for r in rowids] if len(dates) == len(rowids) else None
