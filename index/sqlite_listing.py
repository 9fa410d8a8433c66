"""Searches sorted by date: every filtered document (no query), or every match of a query, newest or oldest first.

Pages are cut with a (published_at, rowid) cursor, so paging costs the same
on page 500 as on page 1. Documents without a date come last either way.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import date, timedelta
from typing import Any

from index.base import FACET_CAP, TOTAL_CAP, SearchResult
from index.query import Term
from index.sqlite_fts import match_text, window_tags
from index.sqlite_newest import Counted, counted_page, walked_page
from index.sqlite_request import (
    NoMap,
    Request,
    capped_count,
    decode_cursor,
    encode_cursor,
    hits,
    known_total,
    platform_counts,
    total_and_platforms,
)
from index.sqlite_stats import SearchStats

SLICE_FROM = 2_000  # a query with more matches is walked in windows of days instead of sorted whole
DENSE = 0.2  # ... or, when it matches at least this share of the documents, down the date index


def listed(db: sqlite3.Connection, req: Request, stats: SearchStats) -> SearchResult:
    """One page of documents in date order, with a capped total and optional platform counts."""
    desc = req.sort != "oldest"
    sort = "newest" if desc else "oldest"
    after = decode_cursor(req.cursor, sort) if req.cursor else None
    want = req.offset + req.limit + 1
    known = known_total(db, req, stats) if req.query else None
    first, mapped = (_first_page(db, req, stats, desc, want) if req.query and not known and after is None
                     else (None, True))  # total, facets and page in one pass
    both = (total_and_platforms(db, req, match_text(req.query, tags=req.filters.tags), stats)
            if req.query and not known and not first and mapped and "platform" in req.facets else None)
    total, exact = (first.total, True) if first else known or (both[0] if both else _total(db, req, stats))
    rows: list[tuple[int, str | None]] = []
    if first:
        rows = list(first.rows)
    elif after is None or after[0] is not None:
        rows = _dated(db, req, desc, after, want, total, stats)
    if len(rows) < want:  # undated documents come after the dated ones, in rowid order
        rows += _undated(db, req, desc, after[1] if after and after[0] is None else None, want - len(rows))
    page = rows[req.offset: req.offset + req.limit]
    result = SearchResult(total=total, total_exact=exact)
    result.hits = hits(db, req, [(0.0, rid) for rid, _ in page])
    if len(rows) > req.offset + req.limit and page:
        result.next_cursor = encode_cursor(sort, page[-1][1], page[-1][0])
    if "platform" in req.facets:
        result.facets["platform"] = first.facets if first else both[1] if both else _facets(db, req, stats)
    return result


def _first_page(db: sqlite3.Connection, req: Request, stats: SearchStats, desc: bool, want: int
                ) -> tuple[Counted | None, bool]:
    """(counted_page's page or None, False when the platform map missed this state of the store)."""
    try:
        return counted_page(db, req, stats, desc, want, lambda: _expected(db, req, stats)), True
    except NoMap:
        return None, False


def _dated(db: sqlite3.Connection, req: Request, desc: bool, after: tuple[Any, int] | None, want: int,
           total: int, stats: SearchStats) -> list[tuple[int, str | None]]:
    """Up to `want` dated documents after the cursor.

    A query with many matches is walked in windows of days (FTS5 day and
    month tags), newest first: only one window's matches are fetched and
    sorted instead of all of them. The first window is sized to hold about
    twice `want` matches at the query's estimated density; each next one
    is twice as long, so a sparse query needs only a few windows.
    """
    if after is None and req.query:  # a common word on one platform: the date order in memory, walked
        walked = walked_page(db, req, stats, desc, want,
                             lambda: min(1.0, _estimate(db, req, stats) / stats.totals(db, req.table)[0]))
        if walked is not None:
            return walked
    where, args, source = _source(req)
    order = "DESC" if desc else "ASC"
    where.append("p.published_at IS NOT NULL")
    if after is not None:
        where.append(f"(p.published_at, p.rowid) {'<' if desc else '>'} (?, ?)")
        args += [after[0], after[1]]
    sql = (f"SELECT p.rowid, p.published_at FROM {source}{_where(where)} "
           f"ORDER BY p.published_at {order}, p.rowid {order} LIMIT ?")
    bounds = _bounds(db, req.table, desc, after[0] if after else None) if req.query and total >= SLICE_FROM else None
    if bounds is None:
        return [tuple(r) for r in db.execute(sql, (*args, want))]  # type: ignore[misc]
    estimate = max(total, _estimate(db, req, stats))
    dense = _dense(db, req, desc, after, want, _density(db, req, stats, estimate))
    if dense is not None:
        return dense
    low, high = bounds
    span = (high - low).days + 1
    size = min(span, max(1, math.ceil(2 * want * span / estimate)))
    out: list[tuple[int, str | None]] = []
    expr = args[0]
    at = high if desc else low
    while low <= at <= high and len(out) < want:
        first, last = (max(low, at - timedelta(days=size - 1)), at) if desc else (at, min(high, at + timedelta(days=size - 1)))
        args[0] = f"({expr}) AND tags : ({' OR '.join(window_tags(first, last))})"
        out += [tuple(r) for r in db.execute(sql, (*args, want - len(out)))]  # type: ignore[misc]
        at = first - timedelta(days=1) if desc else last + timedelta(days=1)
        size *= 2
    return out


def _dense(db: sqlite3.Connection, req: Request, desc: bool, after: tuple[Any, int] | None, want: int,
           density: float) -> list[tuple[int, str | None]] | None:
    """When most documents match, walk the date index and test each document against FTS5 (a rowid lookup).

    About want / density documents are tested, newest first, so a word in
    80 % of the store costs a few dozen lookups instead of sorting a whole
    day of matches. None when the query is not dense enough, or when the
    documents tested held fewer than `want` matches (the estimate was too
    high): the caller walks day windows instead.
    """
    if density < DENSE:
        return None
    order, fts, table = ("DESC" if desc else "ASC"), f"{req.table}_fts", req.table
    where, args = ["p.published_at IS NOT NULL", *req.filters.row_sql], list(req.filters.row_args)
    if after is not None:
        where.append(f"(p.published_at, p.rowid) {'<' if desc else '>'} (?, ?)")
        args += [after[0], after[1]]
    tested = math.ceil(2 * want / density)
    rows = db.execute(
        f"SELECT d.rowid, d.published_at FROM (SELECT p.rowid AS rowid, p.published_at AS published_at "
        f"FROM {table} p INDEXED BY {table}_by_time{_where(where)} ORDER BY p.published_at {order}, p.rowid {order} "
        f"LIMIT ?) d CROSS JOIN {fts} ON {fts}.rowid = d.rowid WHERE {fts} MATCH ? "
        f"ORDER BY d.published_at {order}, d.rowid {order} LIMIT ?",
        (*args, tested, match_text(req.query, tags=req.filters.tags), want)).fetchall()
    return [tuple(r) for r in rows] if len(rows) == want else None  # type: ignore[misc]


def _density(db: sqlite3.Connection, req: Request, stats: SearchStats, estimate: int) -> float:
    """The share of documents that match, estimated from document counts as if words and filters were independent."""
    n_docs = stats.totals(db, req.table)[0]
    share = min(1.0, estimate / n_docs)
    for alternatives in req.filters.tags:
        share *= min(1.0, sum(stats.token_freq(db, req.table, t) for t in alternatives) / n_docs)
    return share


def _expected(db: sqlite3.Connection, req: Request, stats: SearchStats) -> float:
    """Matches expected of the query with its filters (an estimate: words and filters taken as independent)."""
    return _density(db, req, stats, _estimate(db, req, stats)) * stats.totals(db, req.table)[0]


def _bounds(db: sqlite3.Connection, table: str, desc: bool, start: str | None) -> tuple[date, date] | None:
    """The days to walk: from `start` (a cursor's date) or the newest/oldest date stored to the other end."""
    # two subqueries: each is one step down the date index, where min() and max() together scan the table
    low, high = db.execute(f"SELECT (SELECT min(published_at) FROM {table}), (SELECT max(published_at) FROM {table})"
                           ).fetchone()
    if low is None:
        return None
    if start:
        low, high = (low, start) if desc else (start, high)
    return date.fromisoformat(low[:10]), date.fromisoformat(high[:10])


def _estimate(db: sqlite3.Connection, req: Request, stats: SearchStats) -> int:
    """An upper bound of the matches: the document count of the rarest word or phrase that must occur."""
    required = [c for c in req.query.must if isinstance(c, Term)] + list(req.query.should)
    return min((stats.doc_freq(db, req.table, t) for t in required), default=TOTAL_CAP)


def _undated(db: sqlite3.Connection, req: Request, desc: bool, after: int | None, want: int
             ) -> list[tuple[int, str | None]]:
    where, args, source = _source(req)
    where.append("p.published_at IS NULL")
    if after is not None:
        where.append(f"p.rowid {'<' if desc else '>'} ?")
        args.append(after)
    order = "DESC" if desc else "ASC"
    rows = db.execute(f"SELECT p.rowid FROM {source}{_where(where)} ORDER BY p.rowid {order} LIMIT ?", (*args, want))
    return [(r[0], None) for r in rows]


def _source(req: Request) -> tuple[list[str], list[Any], str]:
    """WHERE clauses, their arguments and the FROM text: the table alone, or its matches."""
    f = req.filters
    if not req.query:
        return list(f.sql), list(f.args), f"{req.table} p"
    fts = f"{req.table}_fts"
    source = f"{fts} CROSS JOIN {req.table} p ON p.rowid = {fts}.rowid"
    return [f"{fts} MATCH ?", *f.row_sql], [match_text(req.query, tags=f.tags), *f.row_args], source


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _total(db: sqlite3.Connection, req: Request, stats: SearchStats) -> tuple[int, bool]:
    if req.query:
        return capped_count(db, stats, req.table, match_text(req.query, tags=req.filters.tags), req.filters)
    where, args, source = _source(req)
    n = stats.counts.count(db, f"SELECT count(*) FROM (SELECT 1 FROM {source}{_where(where)} LIMIT ?)",
                           (*args, TOTAL_CAP + 1))
    return min(n, TOTAL_CAP), n <= TOTAL_CAP


def _facets(db: sqlite3.Connection, req: Request, stats: SearchStats) -> dict[str, int]:
    if req.query:
        return platform_counts(db, req, match_text(req.query, tags=req.filters.tags), stats)
    where, args, source = _source(req)
    out = {}
    for platform in stats.platforms(db):
        if req.filters.platforms is not None and platform not in req.filters.platforms:
            continue
        n = stats.counts.count(db, f"SELECT count(*) FROM (SELECT 1 FROM {source}{_where([*where, 'p.platform = ?'])} "
                               "LIMIT ?)", (*args, platform, FACET_CAP + 1))
        if n:
            out[platform] = min(n, FACET_CAP)
    return out
