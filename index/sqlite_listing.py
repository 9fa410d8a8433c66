"""Searches sorted by date: every filtered document (no query), or every match of a query, newest or oldest first.

Pages are cut with a (published_at, rowid) cursor, so paging costs the same
on page 500 as on page 1. Documents without a date sort last either way.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from index.base import TOTAL_CAP, SearchResult
from index.sqlite_fts import match_text
from index.sqlite_query import Request, capped_count, decode_cursor, encode_cursor, hits, platform_counts
from index.sqlite_stats import SearchStats

_NO_DATE = "0000"  # stands in for NULL dates in cursors and comparisons


def listed(db: sqlite3.Connection, req: Request, stats: SearchStats) -> SearchResult:
    """One page of documents in date order, with a capped total and optional platform counts."""
    desc = req.sort != "oldest"
    sort = "oldest" if not desc else "newest"
    date = f"COALESCE(p.published_at, '{_NO_DATE}')"
    where, args, source = _source(req)
    if req.cursor:
        key, rowid = decode_cursor(req.cursor, sort)
        where.append(f"({date}, p.rowid) {'<' if desc else '>'} (?, ?)")
        args += [key, rowid]
    order = "DESC" if desc else "ASC"
    rows = db.execute(
        f"SELECT p.rowid AS rid, {date} AS day FROM {source}" + _where(where)
        + f" ORDER BY {date} {order}, p.rowid {order} LIMIT ? OFFSET ?",
        (*args, req.limit + 1, req.offset),
    ).fetchall()
    more, rows = len(rows) > req.limit, rows[: req.limit]
    total, exact = _total(db, req)
    result = SearchResult(total=total, total_exact=exact)
    result.hits = hits(db, req, [(0.0, r["rid"]) for r in rows])
    if more and rows:
        result.next_cursor = encode_cursor(sort, rows[-1]["day"], rows[-1]["rid"])
    if "platform" in req.facets:
        result.facets["platform"] = _facets(db, req, stats)
    return result


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
        n = db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {source}{_where([*where, 'p.platform = ?'])} LIMIT ?)",
                       (*args, platform, TOTAL_CAP + 1)).fetchone()[0]
        if n:
            out[platform] = min(n, TOTAL_CAP)
    return out
