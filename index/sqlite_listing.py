"""Searches sorted by date: every filtered document (no query), or every match of a query, newest or oldest first.

Pages are cut with a (published_at, rowid) cursor, so paging costs the same
on page 500 as on page 1. Documents without a date come last either way.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from index.base import FACET_CAP, TOTAL_CAP, SearchResult
from index.sqlite_fts import match_text, month_tags
from index.sqlite_request import Request, capped_count, decode_cursor, encode_cursor, hits, platform_counts
from index.sqlite_stats import SearchStats

SLICE_FROM = 2_000  # a query with more matches is walked month by month instead of sorted whole


def listed(db: sqlite3.Connection, req: Request, stats: SearchStats) -> SearchResult:
    """One page of documents in date order, with a capped total and optional platform counts."""
    desc = req.sort != "oldest"
    sort = "newest" if desc else "oldest"
    after = decode_cursor(req.cursor, sort) if req.cursor else None
    want = req.offset + req.limit + 1
    total, exact = _total(db, req)
    rows: list[tuple[int, str | None]] = []
    if after is None or after[0] is not None:
        rows = _dated(db, req, desc, after, want, total)
    if len(rows) < want:  # undated documents come after the dated ones, in rowid order
        rows += _undated(db, req, desc, after[1] if after and after[0] is None else None, want - len(rows))
    page = rows[req.offset: req.offset + req.limit]
    result = SearchResult(total=total, total_exact=exact)
    result.hits = hits(db, req, [(0.0, rid) for rid, _ in page])
    if len(rows) > req.offset + req.limit and page:
        result.next_cursor = encode_cursor(sort, page[-1][1], page[-1][0])
    if "platform" in req.facets:
        result.facets["platform"] = _facets(db, req, stats)
    return result


def _dated(db: sqlite3.Connection, req: Request, desc: bool, after: tuple[Any, int] | None, want: int,
           total: int) -> list[tuple[int, str | None]]:
    """Up to `want` dated documents after the cursor. A query with many matches is cut into months (FTS5
    month tags), newest first, so only one month's matches are sorted instead of all of them."""
    where, args, source = _source(req)
    order = "DESC" if desc else "ASC"
    where.append("p.published_at IS NOT NULL")
    if after is not None:
        where.append(f"(p.published_at, p.rowid) {'<' if desc else '>'} (?, ?)")
        args += [after[0], after[1]]
    sql = (f"SELECT p.rowid, p.published_at FROM {source}{_where(where)} "
           f"ORDER BY p.published_at {order}, p.rowid {order} LIMIT ?")
    if not req.query or total < SLICE_FROM:
        return [tuple(r) for r in db.execute(sql, (*args, want))]  # type: ignore[misc]
    out: list[tuple[int, str | None]] = []
    expr = args[0]
    for month in _months(db, req.table, desc, after[0] if after else None):
        args[0] = f"({expr}) AND tags : {month}"
        out += [tuple(r) for r in db.execute(sql, (*args, want - len(out)))]  # type: ignore[misc]
        if len(out) >= want:
            break
    return out


def _months(db: sqlite3.Connection, table: str, desc: bool, start: str | None) -> list[str]:
    """Month tags from `start` (or the newest/oldest date stored) towards the other end."""
    low, high = db.execute(f"SELECT min(published_at), max(published_at) FROM {table}").fetchone()
    if low is None:
        return []
    if start:
        low, high = (low, start) if desc else (start, high)
    months = month_tags(datetime.fromisoformat(low), datetime.fromisoformat(high), limit=None) or []
    return months[::-1] if desc else months


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


def _total(db: sqlite3.Connection, req: Request) -> tuple[int, bool]:
    if req.query:
        return capped_count(db, req.table, match_text(req.query, tags=req.filters.tags), req.filters)
    where, args, source = _source(req)
    n = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source}{_where(where)} LIMIT ?)",
                   (*args, TOTAL_CAP + 1)).fetchone()[0]
    return min(n, TOTAL_CAP), n <= TOTAL_CAP


def _facets(db: sqlite3.Connection, req: Request, stats: SearchStats) -> dict[str, int]:
    if req.query:
        return platform_counts(db, req, match_text(req.query, tags=req.filters.tags), stats)
    where, args, source = _source(req)
    out = {}
    for platform in stats.platforms(db):
        if req.filters.platforms is not None and platform not in req.filters.platforms:
            continue
        n = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source}{_where([*where, 'p.platform = ?'])} LIMIT ?)",
                       (*args, platform, FACET_CAP + 1)).fetchone()[0]
        if n:
            out[platform] = min(n, FACET_CAP)
    return out
