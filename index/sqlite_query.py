"""SqliteBackend's search: bounded candidates from FTS5, ranked in Python, capped totals, cursors, facets.

Why not ``ORDER BY bm25()``: FTS5 computes bm25 for every match before it
can sort, so a common word over a million posts costs seconds. Here FTS5
only finds matches, newest-indexed first, and stops after CANDIDATES; those
are scored with BM25 (term statistics from the fts5vocab table, cached) and
sorted. Totals stop counting at TOTAL_CAP. A long natural query (some
words optional) takes candidates that contain one of its rarest words —
any document with enough of the words must contain one of them — and keeps
those with at least `minimum_should_match` words.
"""

from __future__ import annotations

import base64
import json
import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import QueryError
from index.base import FACET_CAP, FACETS, SORTS, TOTAL_CAP, Hit, SearchResult
from index.highlight import snippet_and_highlights
from index.query import Query
from index.sqlite_fts import match_text
from index.sqlite_stats import SearchStats

CANDIDATES = 300  # how many matches are ranked by relevance (results go this deep)
TITLE_WEIGHT, K1, B = 3.0, 1.2, 0.75


@dataclass
class Filters:
    """One search's filters, as FTS5 tag alternatives and as SQL on alias p (the table's rows)."""

    tags: list[list[str]] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)  # every filter, for listing without a query
    args: list[Any] = field(default_factory=list)
    row_sql: list[str] = field(default_factory=list)  # what tags cannot say exactly (dates)
    row_args: list[Any] = field(default_factory=list)
    nothing: bool = False  # a filter no document can pass (an owner without accounts)
    platforms: set[str] | None = None  # the only platforms the filters allow (None: any)


@dataclass
class Request:
    table: str  # "posts" or "pages"
    query: Query
    filters: Filters
    sort: str
    limit: int
    offset: int
    cursor: str | None
    facets: tuple[str, ...]
    columns: str  # SELECT list for the rows handed to `convert`
    convert: Callable[[sqlite3.Row], Any]


def search(db: sqlite3.Connection, req: Request, stats: SearchStats) -> SearchResult:
    """Run one search request; see the module docstring for how."""
    if req.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {req.sort!r}", field="sort")
    unknown = set(req.facets) - set(FACETS) if req.table == "posts" else set(req.facets)
    if unknown:
        raise QueryError(f"no facet {sorted(unknown)[0]!r}; facets are {', '.join(FACETS)}", field="facets")
    if req.filters.nothing:
        return SearchResult(total=0, facets={f: {} for f in req.facets})
    relaxed = req.query.minimum_should_match < len(req.query.should)
    if not req.query or (req.sort != "relevance" and not relaxed):
        from index.sqlite_listing import listed

        return listed(db, req, stats)
    return _ranked(db, req, stats)


# relevance ----------------------------------------------------------------------
def _ranked(db: sqlite3.Connection, req: Request, stats: SearchStats) -> SearchResult:
    q, f = req.query, req.filters
    relaxed = q.minimum_should_match < len(q.should)
    if relaxed:
        by_rarity = sorted(q.should, key=lambda t: stats.doc_freq(db, req.table, t))
        rare = by_rarity[: len(q.should) - q.minimum_should_match + 1]
        expr = match_text(q, rare, any_should=True, tags=f.tags)
    else:
        expr = match_text(q, tags=f.tags)
    rows = _candidates(db, req, expr)
    truncated = len(rows) > CANDIDATES
    scored = _score(db, req, stats, rows[:CANDIDATES], relaxed)
    if relaxed or not truncated:
        total, exact = len(scored), not truncated
    else:
        total, exact = capped_count(db, req.table, expr, f)
    page, next_cursor = _page_of(scored, req)
    result = SearchResult(total=total, total_exact=exact, next_cursor=next_cursor)
    result.hits = hits(db, req, page)
    if "platform" in req.facets:
        result.facets["platform"] = (
            _counts((s[2][2] for s in scored), FACET_CAP) if relaxed or not truncated
            else platform_counts(db, req, expr, stats)
        )
    return result


def _candidates(db: sqlite3.Connection, req: Request, expr: str) -> list[tuple[Any, ...]]:
    """Up to CANDIDATES + 1 newest-indexed matches as tuples (rowid, date, platform, norm, title, text).

    FTS5 walks its doclists newest first and stops at the limit, so a word
    in half the store costs no more than a rare one. Tuples, not Rows: the
    scoring loop is the hot path.
    """
    facet = "p.platform" if req.table == "posts" else "NULL"
    fts = f"{req.table}_fts"
    cursor = db.cursor()
    cursor.row_factory = None
    return cursor.execute(
        f"SELECT p.rowid, COALESCE(p.published_at, '0000'), {facet}, p.norm, p.title, p.text "
        f"FROM {fts} CROSS JOIN {req.table} p ON p.rowid = {fts}.rowid WHERE {fts} MATCH ?"
        + "".join(f" AND {c}" for c in req.filters.row_sql) + f" ORDER BY {fts}.rowid DESC LIMIT ?",
        (expr, *req.filters.row_args, CANDIDATES + 1),
    ).fetchall()


def _score(
    db: sqlite3.Connection, req: Request, stats: SearchStats, rows: list[tuple[Any, ...]], relaxed: bool
) -> list[tuple[float, int, tuple[Any, ...]]]:
    """(score, rowid, row) of the candidates by BM25, best first; in relaxed mode only those with enough words.

    Term frequencies are counted on the normalised text (`norm`, stored
    only when normalising changed something); a title occurrence counts
    TITLE_WEIGHT times.
    """
    terms = req.query.positive_terms()
    n_docs, avg_len = stats.totals(db, req.table)
    per_term = [(t.text, math.log(1 + (n_docs - df + 0.5) / (df + 0.5)), t in req.query.should)
                for t, df in ((t, stats.doc_freq(db, req.table, t)) for t in terms)]
    needed = req.query.minimum_should_match
    k1_short, k1_long = K1 * (1 - B), K1 * B / avg_len
    out = []
    for row in rows:
        norm, title, text = row[3], row[4] or "", row[5] or ""
        if norm is not None:
            title, _, text = norm.partition("\x1f")
        norm_len = k1_short + k1_long * len(text)
        score, matched = 0.0, 0
        for needle, weight, counts in per_term:
            tf = text.count(needle) + (TITLE_WEIGHT * title.count(needle) if needle in title else 0)
            if tf:
                score += weight * tf * (K1 + 1) / (tf + norm_len)
                matched += counts
        if relaxed and matched < needed:
            continue
        out.append((round(score, 6), row[0], row))
    if req.sort == "relevance":
        out.sort(key=lambda s: (s[0], s[1]), reverse=True)
    else:  # a relaxed query in date order: its verified candidates by date
        out.sort(key=lambda s: (s[2][1], s[1]), reverse=req.sort == "newest")
    return out


def _page_of(
    scored: list[tuple[float, int, tuple[Any, ...]]], req: Request
) -> tuple[list[tuple[float, int]], str | None]:
    """Rowids of the requested page after the cursor, and the cursor of the page after it."""
    if req.sort == "relevance":
        keyed = [((s[0], s[1]), s) for s in scored]
    else:
        keyed = [((s[2][1], s[1]), s) for s in scored]
    if req.cursor:
        after = tuple(decode_cursor(req.cursor, req.sort))
        ahead = (lambda k: k > after) if req.sort == "oldest" else (lambda k: k < after)
        keyed = [(k, s) for k, s in keyed if ahead(k)]
    window = keyed[req.offset: req.offset + req.limit]
    more = len(keyed) > req.offset + req.limit
    cursor = encode_cursor(req.sort, *window[-1][0]) if more and window else None
    return [(s[0], s[1]) for _, s in window], cursor


def hits(db: sqlite3.Connection, req: Request, page: list[tuple[float, int]]) -> list[Hit]:
    """Full rows for the page's (score, rowid) pairs, in that order, with highlights and snippets."""
    if not page:
        return []
    rowids = [rowid for _, rowid in page]
    marks = ",".join("?" * len(rowids))
    rows = {r["rowid"]: r for r in db.execute(
        f"SELECT p.rowid AS rowid, {req.columns} FROM {req.table} p WHERE p.rowid IN ({marks})", rowids)}
    terms = req.query.positive_terms()
    out = []
    for score, rowid in page:
        item = req.convert(rows[rowid])
        snippet, marked = snippet_and_highlights(item.title, item.text, terms) if terms else (item.text[:120], {})
        out.append(Hit(item, score, snippet, marked))
    return out


def capped_count(db: sqlite3.Connection, table: str, expr: str, f: Filters, cap: int | None = None
                 ) -> tuple[int, bool]:
    """Matches counted up to `cap` (TOTAL_CAP) + 1: (count, exact)."""
    cap = TOTAL_CAP if cap is None else cap
    if f.row_sql:
        sql = (f"SELECT count(*) FROM (SELECT 1 FROM {table}_fts CROSS JOIN {table} p ON p.rowid = {table}_fts.rowid "
               f"WHERE {table}_fts MATCH ?" + "".join(f" AND {c}" for c in f.row_sql) + " LIMIT ?)")
    else:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {table}_fts WHERE {table}_fts MATCH ? LIMIT ?)"
    n = db.execute(sql, (expr, *f.row_args, cap + 1)).fetchone()[0]
    return min(n, cap), n <= cap


def platform_counts(db: sqlite3.Connection, req: Request, expr: str, stats: SearchStats) -> dict[str, int]:
    """Match counts per platform up to FACET_CAP, each by the platform's tag inside FTS5."""
    from index.sqlite_fts import tag

    out = {}
    allowed = req.filters.platforms
    for platform in stats.platforms(db):
        if allowed is not None and platform not in allowed:
            continue  # zero, and proving it would merge two platforms' whole tag lists
        n, _ = capped_count(db, req.table, f"({expr}) AND tags : {tag('p', platform)}", req.filters, FACET_CAP)
        if n:
            out[platform] = n
    return out


def _counts(values: Any, cap: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(((k, min(n, cap)) for k, n in out.items()), key=lambda kv: (-kv[1], kv[0])))


# cursors ------------------------------------------------------------------------
def encode_cursor(sort: str, key: Any, rowid: int) -> str:
    """An opaque cursor: the sort it belongs to and the last hit's sort key and rowid."""
    return base64.urlsafe_b64encode(json.dumps([sort, key, rowid]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """The (key, rowid) of a cursor made by encode_cursor for `sort`; QueryError when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        kind, key, rowid = json.loads(raw)
        if not isinstance(rowid, int):
            raise ValueError(rowid)
    except (ValueError, TypeError) as exc:
        raise QueryError("cursor is not one this search returned", field="cursor") from exc
    if kind != sort:
        raise QueryError(f"cursor belongs to sort {kind!r}, not {sort!r}", field="cursor")
    return key, rowid
