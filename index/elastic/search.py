"""Post and page search on Elasticsearch, built from the query language's AST (index/query.py).

Nothing the user typed reaches Elasticsearch syntax: every clause is a match_phrase / match
of a Term's normalised text on the `search` field. Ranking is BM25 on that field, where the
title counts three times (as in the SQLite store's scoring), each word weighed by its rarest
token's idf as SQLite weighs it (weights.py); totals are capped at TOTAL_CAP and counts per
platform at FACET_CAP, both from one tally search (facets.py); pages after the first use
search_after through an opaque cursor; highlights and snippets come from index/highlight.py,
the same code the SQLite store uses, so both mark the same characters.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any

from core.errors import QueryError
from index.base import TOTAL_CAP, Hit, PageQuery, PostQuery, SearchResult
from index.elastic import docs as D
from index.elastic.candidates import at_most, finder, newest
from index.elastic.facets import (
    PLATFORM_AGGS,
    aggregated,
    count_body,
    counted,
    counting,
    facet_values,
    msearch,
    note_platforms,
    ordered,
    present_platforms,
    tallied,
    tally_body,
)
from index.elastic.filters import page_filters, post_filters
from index.elastic.kept import Kept
from index.elastic.parts import EsStore
from index.elastic.weights import term_boosts
from index.highlight import normal_forms, snippet_and_highlights
from index.query import Clause, Query, Term, parse

log = logging.getLogger(__name__)
PLAIN_TTL = 60.0  # seconds an index whose posts lack `hit` is searched with _source before `hit` is tried again
_plain: Kept[str, bool] = Kept(PLAIN_TTL)  # index → True: some posts lack their `hit` doc value

# What a hit carries: a post its shown fields' doc value (docs.hit_value; no stored field is read), a page
# (or a post without that value, _from_source) its _source without the html.
_FROM_HIT: dict[str, Any] = {"_source": False, "stored_fields": "_none_", "docvalue_fields": ["hit"]}
_FROM_SOURCE: dict[str, Any] = {"_source": {"excludes": ["html"]}}

def _term(term: Term, boosts: dict[str, float] | None = None) -> dict[str, Any]:
    """A word or phrase in the title or the text (a lone CJK character: the unigram sub-field)."""
    if term.single_char:
        return {"match": {"search.chars": {"query": term.text}}}
    phrase: dict[str, Any] = {"query": term.text}
    if boosts and term.text in boosts:
        phrase["boost"] = boosts[term.text]
    return {"match_phrase": {"search": phrase}}


def _clause(clause: Clause, boosts: dict[str, float]) -> dict[str, Any]:
    if isinstance(clause, Term):
        return _term(clause, boosts)
    options = [{"bool": {"must": [_term(t, boosts) for t in option]}} for option in clause.options]
    return {"bool": {"should": options, "minimum_should_match": 1}}


def text_query(query: Query, filters: list[dict[str, Any]], boosts: dict[str, float] | None = None) -> dict[str, Any]:
    """The bool query of a parsed query plus structured filters (`boosts`: weights.term_boosts)."""
    boosts = boosts or {}
    body: dict[str, Any] = {"filter": filters}
    if query.must:
        body["must"] = [_clause(c, boosts) for c in query.must]
    if query.should:
        body["should"] = [_term(t, boosts) for t in query.should]
        body["minimum_should_match"] = query.minimum_should_match
    if query.must_not:
        body["must_not"] = [_term(t) for t in query.must_not]
    return {"bool": body}


def _sort(sort: str, has_text: bool, tiebreak: list[str]) -> tuple[str, list[dict[str, Any]]]:
    if sort not in ("relevance", "newest", "oldest"):
        raise QueryError(f"sort must be relevance, newest or oldest, not {sort!r}", field="sort")
    if sort == "relevance" and not has_text:
        sort = "newest"
    if sort == "relevance":  # equal scores: the latest indexed first, as the SQLite store orders them
        return sort, [{"_score": "desc"}, {"seq": "desc"}, *({f: "desc"} for f in tiebreak)]
    order = "asc" if sort == "oldest" else "desc"
    return sort, [{"published_at": {"order": order, "missing": "_last"}}, {"seq": order},
                  *({f: order} for f in tiebreak)]


def encode_cursor(sort: str, values: list[Any], cutoff: int | None = None) -> str:
    """An opaque cursor: the last hit's sort values and, for a search over candidates, their cutoff (the
    next pages rank the same candidates without looking for them again; with no cutoff, the next page
    looks, as cheaply as it did: every document was a candidate)."""
    data: dict[str, Any] = {"s": sort, "a": values}
    if cutoff is not None:
        data["c"] = cutoff
    raw = json.dumps(data, ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[list[Any], int | None]:
    """search_after values and the carried cutoff (None: not carried) of a cursor of this sort; anything
    else is a QueryError naming the cursor. A cutoff is a document's seq (docs.seq, a positive int):
    anything else carried would rank other documents than the first page's, or every match."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        values, made_for = data["a"], data["s"]
        cutoff = data.get("c")
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise QueryError("cursor is not one this search returned", field="cursor") from exc
    if made_for != sort or not isinstance(values, list):
        raise QueryError(f"cursor belongs to a search sorted by {made_for!r}, not {sort!r}", field="cursor")
    if "c" in data and not (type(cutoff) is int and cutoff > 0):  # bool is an int; null, 0 would rank all
        raise QueryError(f"cursor carries a cutoff that is not a document's seq: {cutoff!r}", field="cursor")
    return values, cutoff


def _run(backend: EsStore, name: str, parsed: Query, filters: list[dict[str, Any]], req: Any,
         tiebreak: list[str], platforms: list[str] | None = None) -> tuple[SearchResult, list[dict[str, Any]]]:
    """The search and its total and capped counts per platform (facets.py; `platforms`: those with posts
    that the search counts, None: no counts), in one _msearch.

    Relevance, and any order of a relaxed query, rank only the newest CANDIDATES matches (candidates.py).
    When the search holds every match (or every candidate), or lists matches in date order without
    counts per platform, it counts them itself (up to TOTAL_CAP); otherwise one tally search beside it
    counts the matches (facets.tally_body), and the search counts nothing, so a sort can stop early."""
    sort, order = _sort(req.sort, bool(parsed), tiebreak)
    relaxed = parsed.minimum_should_match < len(parsed.should)
    ranked = sort == "relevance" or relaxed
    after, carried = decode_cursor(req.cursor, sort) if req.cursor else (None, None)
    cutoff = carried if ranked else None
    if ranked and cutoff is None:
        find = finder(backend, name, parsed)
        cutoff = newest(backend, name, text_query(find, filters), at_most(backend, name, find))
    bounded = filters + ([{"range": {"seq": {"gte": cutoff}}}] if cutoff is not None else [])
    boosts = term_boosts(backend, name, parsed) if sort == "relevance" else {}
    counted_here = ranked and (cutoff is None or relaxed)  # this search holds every match (or candidate)
    alone = not ranked and platforms is None  # a listing without counts per platform (an account's timeline)
    body: dict[str, Any] = {"query": text_query(parsed, bounded, boosts), "sort": order, "size": req.limit,
                            "track_total_hits": True if counted_here else TOTAL_CAP if alone else False,
                            **(_FROM_HIT if name == "posts" and not _plain.get(backend.index(name)) else _FROM_SOURCE)}
    if after is not None:
        body["search_after"] = after
    elif req.offset:
        body["from"] = req.offset
    if platforms is not None and counted_here:
        body["aggs"] = PLATFORM_AGGS
    index, matching = backend.index(name), text_query(parsed, filters)
    tally = [] if counted_here or alone else [counting(index, tally_body(matching, platforms))]
    answer, *tallies = msearch(backend.client, [(index, body), *tally])
    hits = answer["hits"]["hits"]
    if "docvalue_fields" in body and any("hit" not in h.get("fields", ()) for h in hits):
        hits = _from_source(backend, index, body)
    if not tally:
        total = answer["hits"]["total"]
        # relaxed: the candidates are counted, more may match
        exact = total["relation"] == "eq" and not (relaxed and cutoff is not None)
        result = SearchResult(total=int(total["value"]), total_exact=exact)
        counts = aggregated(answer) if platforms is not None else {}
    else:
        result, counts = _tallied(backend, index, matching, tallies[0], platforms)
    note_platforms(index, counts)  # a platform the kept list lacks (another process wrote it) counts at once
    if len(hits) == req.limit and hits:
        result.next_cursor = encode_cursor(sort, hits[-1]["sort"], cutoff)
    if platforms is not None:
        result.facets["platform"] = counts
    return result, hits


def _from_source(backend: EsStore, index: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The hits of `body` with their _source: a post without its `hit` doc value (an index before posts v4,
    or a post written there by older code) is read as before v4, in a second search; for PLAIN_TTL seconds
    this index's searches then ask for _source at once (an index not yet migrated costs one search)."""
    if _plain.get(index) is None:
        log.warning("%s: posts without their `hit` doc value (run `govwatch index migrate posts`)", index)
    _plain.put(index, True)
    plain = {k: v for k, v in body.items() if k not in _FROM_HIT}
    return list(msearch(backend.client, [(index, {**plain, **_FROM_SOURCE})])[0]["hits"]["hits"])


def shown(hit: dict[str, Any]) -> dict[str, Any]:
    """A post hit's shown fields: from its `hit` doc value, or its _source (_from_source)."""
    return D.shown_of(hit["fields"]["hit"][0]) if "fields" in hit else dict(hit["_source"])


def _tallied(backend: EsStore, index: str, matching: dict[str, Any], answer: dict[str, Any],
             platforms: list[str] | None) -> tuple[SearchResult, dict[str, int]]:
    """The total and counts of a tally answer; platforms its sample left below the cap counted alone."""
    total, exact, counts, short = tallied(answer, platforms)
    if short:
        answers = msearch(backend.client, [counting(index, count_body(matching, p)) for p in short])
        counts = ordered({**counts, **counted(answers, short)})
    return SearchResult(total=total, total_exact=exact), counts


def _hits(items: list[Any], hits: list[dict[str, Any]], terms: list[Term]) -> list[Hit]:
    """Hits with their snippets and highlights (each text's matches found once for both), the page's titles
    and texts normalised in one go (highlight.normal_forms)."""
    forms = normal_forms([part for i in items for part in (i.title, i.text)]) if terms else []
    out = []
    for n, (item, hit) in enumerate(zip(items, hits, strict=True)):
        snippet, marked = (snippet_and_highlights(item.title, item.text, terms, (forms[2 * n], forms[2 * n + 1]))
                           if terms else ("", {}))
        out.append(Hit(item=item, score=float(hit.get("_score") or 0.0), snippet=snippet, highlights=marked))
    return out


def search_posts(backend: EsStore, query: PostQuery) -> SearchResult:
    parsed = parse(query.q)
    filters = post_filters(backend, query)
    if filters is None:  # an account or owner filter that no stored account passes
        return SearchResult(total=0, facets={f: {} for f in query.facets})
    platforms = facet_values(tuple(query.facets), query.platform)
    present = present_platforms(backend.client, backend.index("posts")) if platforms else None
    if platforms and present is not None:  # only a platform with posts is counted on its own (facets.py)
        platforms = [p for p in platforms if p in present]
    result, hits = _run(backend, "posts", parsed, filters, query, ["platform", "post_id"], platforms)
    terms = parsed.positive_terms()
    result.hits = _hits([D.post_from(shown(h)) for h in hits], hits, terms)
    return result


def search_pages(backend: EsStore, query: PageQuery) -> SearchResult:
    parsed = parse(query.q)
    result, hits = _run(backend, "pages", parsed, page_filters(query), query, ["url"])
    terms = parsed.positive_terms()
    result.hits = _hits([D.page_from(h["_source"]) for h in hits], hits, terms)
    return result

