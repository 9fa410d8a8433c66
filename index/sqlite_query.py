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

import math
import sqlite3
from itertools import compress, repeat
from operator import or_
from typing import Any

from core.errors import QueryError
from index.base import CANDIDATES, FACET_CAP, FACETS, SORTS, SearchResult
from index.sqlite_fts import match_text
from index.sqlite_listing import listed
from index.sqlite_request import (
    Request,
    capped_count,
    decode_cursor,
    encode_cursor,
    hits,
    known_total,
    platform_counts,
    total_and_platforms,
)
from index.sqlite_stats import TITLE_WEIGHT, SearchStats

K1, B = 1.2, 0.75


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
    facets = None
    if relaxed or not truncated:
        total, exact = len(scored), not truncated
    else:
        known = known_total(db, req, stats)  # a dense word: its per-platform queries reach the cap at once
        both = None if known or "platform" not in req.facets else total_and_platforms(db, req, expr, stats)
        (total, exact), facets = both or (known or capped_count(db, stats, req.table, expr, f), None)
    page, next_cursor = _page_of(scored, req)
    result = SearchResult(total=total, total_exact=exact, next_cursor=next_cursor)
    result.hits = hits(db, req, page)
    if "platform" in req.facets:
        result.facets["platform"] = (
            _counts((s[2][2] for s in scored), FACET_CAP) if relaxed or not truncated
            else facets if facets is not None else platform_counts(db, req, expr, stats)
        )
    return result


def _candidates(db: sqlite3.Connection, req: Request, expr: str) -> list[tuple[Any, ...]]:
    """Up to CANDIDATES + 1 newest-indexed matches as tuples (rowid, date, platform, normal title \x1f text).

    FTS5 walks its doclists newest first and stops at the limit, so a word
    in half the store costs no more than a rare one. Tuples, not Rows: the
    scoring loop is the hot path; one text column (the stored normal form, or
    title and text when they are normal already) halves what is read.
    """
    facet = "p.platform" if req.table == "posts" else "NULL"
    fts = f"{req.table}_fts"
    cursor = db.cursor()
    cursor.row_factory = None
    return cursor.execute(
        f"SELECT p.rowid, COALESCE(p.published_at, '0000'), {facet}, "
        "COALESCE(p.norm, COALESCE(p.title, '') || char(31) || COALESCE(p.text, '')) "
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
    split = [row[3].partition("\x1f") for row in rows]
    titles, texts = [s[0] for s in split], [s[2] for s in split]
    norm_lens = [k1_short + k1_long * (len(text) + TITLE_WEIGHT * len(title))  # as ES's `search` field
                 for title, text in zip(titles, texts, strict=True)]
    scores, matched = [0.0] * len(rows), [0] * len(rows)
    for needle, weight, counts in per_term:  # term by term, so the counting runs in C (map) over all rows
        in_text = list(map(str.count, texts, repeat(needle)))
        in_title = list(map(str.count, titles, repeat(needle)))
        for i in compress(range(len(rows)), map(or_, in_text, in_title)):  # only the rows holding the term
            tf = in_text[i] + (TITLE_WEIGHT * in_title[i] if in_title[i] else 0)
            scores[i] += weight * tf * (K1 + 1) / (tf + norm_lens[i])
            matched[i] += counts
    out = [(round(score, 6), row[0], row) for row, score, n in zip(rows, scores, matched, strict=True)
           if not relaxed or n >= needed]
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


def _counts(values: Any, cap: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(((k, min(n, cap)) for k, n in out.items()), key=lambda kv: (-kv[1], kv[0])))
