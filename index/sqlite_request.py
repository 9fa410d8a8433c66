"""What both search orders share: the request, its filters, the hit rows, capped counts and cursors.

sqlite_query ranks by relevance and hands date-sorted searches to
sqlite_listing; both build on this module, which imports neither.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import QueryError
from index.base import FACET_CAP, TOTAL_CAP, Hit
from index.highlight import snippet_and_highlights
from index.query import CJK_RUN, Query, Term
from index.sqlite_fts import tag
from index.sqlite_platforms import matches_by_platform
from index.sqlite_stats import SearchStats


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
        row = rows[rowid]
        item = req.convert(row)
        if terms:  # the stored normal form (None: the text is normal already) spares normalising it again
            norm = row["norm"]
            pair = (item.title or "", item.text or "") if norm is None else tuple(norm.split("\x1f", 1))
            snippet, marked = snippet_and_highlights(item.title, item.text, terms, pair if len(pair) == 2 else None)
        else:
            snippet, marked = item.text[:120], {}
        out.append(Hit(item, score, snippet, marked))
    return out


def matching(table: str, f: Filters, column: str) -> str:
    """SELECT `column` of the matches of one MATCH text (the first argument) with the row filters, LIMIT ?."""
    if f.row_sql:
        return (f"SELECT {column} FROM {table}_fts CROSS JOIN {table} p ON p.rowid = {table}_fts.rowid "
                f"WHERE {table}_fts MATCH ?" + "".join(f" AND {c}" for c in f.row_sql) + " LIMIT ?")
    return f"SELECT {column} FROM {table}_fts WHERE {table}_fts MATCH ? LIMIT ?"


def capped_count(db: sqlite3.Connection, stats: SearchStats, table: str, expr: str, f: Filters,
                 cap: int | None = None) -> tuple[int, bool]:
    """Matches counted up to `cap` (TOTAL_CAP) + 1: (count, exact); kept while the store is unchanged."""
    cap = TOTAL_CAP if cap is None else cap
    n = stats.counts.count(db, f"SELECT count(*) FROM ({matching(table, f, '1')})", (expr, *f.row_args, cap + 1))
    return min(n, cap), n <= cap


class NoMap(Exception):
    """The platform map does not describe the store as the count saw it."""


def total_and_platforms(db: sqlite3.Connection, req: Request, expr: str, stats: SearchStats
                        ) -> tuple[tuple[int, bool], dict[str, int]] | None:
    """capped_count and platform_counts of a post search in one pass over its matches (index/sqlite_platforms.py);
    None when the platform map cannot answer for this state of the store (the caller counts as before).

    Worth it when the total must be counted anyway: the matches' rowids cost a little more than counting
    them, and the platform counts then cost nothing (a platform short of FACET_CAP among the first
    TOTAL_CAP + 1 of a larger total is counted by its own query, as before)."""
    f = req.filters
    if req.table != "posts" or (f.platforms is not None and len(f.platforms) < 2):
        return None  # one platform: its one count query is cheaper than reading the rowids
    args = (expr, *f.row_args, TOTAL_CAP + 1)
    sql = matching("posts", f, "posts_fts.rowid")

    def compute() -> tuple[int, Counter[str]]:
        seen = matches_by_platform(db, stats.platform_map, sql, args)
        if seen is None:
            raise NoMap  # not kept in the memo: the map may be ready for the next asking
        return seen

    try:
        n, by_platform = stats.counts.value(db, ("by platform", sql, *args), compute)
    except NoMap:
        return None
    all_seen = n <= TOTAL_CAP
    out = {}
    for platform in stats.platforms(db):
        if f.platforms is not None and platform not in f.platforms:
            continue  # as platform_counts: not counted
        count = min(by_platform[platform], FACET_CAP)
        if count < FACET_CAP and not all_seen:  # more matches than were read: this platform's own count
            count, _ = capped_count(db, stats, "posts", f"({expr}) AND tags : {tag('p', platform)}", f, FACET_CAP)
        if count:
            out[platform] = count
    return (min(n, TOTAL_CAP), all_seen), out


def known_total(db: sqlite3.Connection, req: Request, stats: SearchStats) -> tuple[int, bool] | None:
    """(TOTAL_CAP, not exact) without counting (1–4 ms a search at 1M posts) when the query is one CJK token,
    unfiltered, in at least twice TOTAL_CAP documents; None when the matches must be counted.

    Only then is the token's document count (fts5vocab, cached) the match count
    itself: a two-character token is only ever in the title and body columns the
    query searches, a single character in the unigram column. The margin
    covers the cache's age (SearchStats.TTL) for another process's edits.
    """
    q, f = req.query, req.filters
    words = [*q.must, *q.should]
    if len(words) != 1 or q.must_not or f.tags or f.row_sql or not isinstance(words[0], Term):
        return None
    tokens = words[0].tokens
    if len(tokens) == 1 and CJK_RUN.fullmatch(tokens[0]) and stats.token_freq(db, req.table, tokens[0]) >= 2 * TOTAL_CAP:
        return TOTAL_CAP, False
    return None


def platform_counts(db: sqlite3.Connection, req: Request, expr: str, stats: SearchStats) -> dict[str, int]:
    """Match counts per platform up to FACET_CAP, each by the platform's tag inside FTS5."""
    out = {}
    allowed = req.filters.platforms
    for platform in stats.platforms(db):
        if allowed is not None and platform not in allowed:
            continue  # zero, and proving it would merge two platforms' whole tag lists
        n, _ = capped_count(db, stats, req.table, f"({expr}) AND tags : {tag('p', platform)}", req.filters, FACET_CAP)
        if n:
            out[platform] = n
    return out


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
