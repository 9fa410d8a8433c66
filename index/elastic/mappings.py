"""Index settings and mappings for the Elasticsearch backend, in code (house style 6).

Chinese text is analysed like the built-in `cjk` analyzer (standard tokenizer, cjk_width,
lowercase, cjk_bigram) after a char filter that applies govwatch's own normalisation
(NFKC, then OpenCC traditional → simplified) character by character. A char filter keeps
the offsets of the original text, so highlights mark the text as it was written while a
simplified query still finds a traditional page. A `.chars` sub-field holds single
characters for one-character queries, which a bigram index cannot answer.

Each logical index has a version; the backend creates `<prefix>-<name>-v<version>` and
points the alias `<prefix>-<name>` at it. Changing a mapping means bumping its version and
running `govwatch index migrate`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from core.text import to_simplified

# Code points whose normalised form differs: CJK punctuation and symbols, CJK ideographs
# (traditional forms), compatibility ideographs, enclosed and full-width forms.
_RANGES = ((0x2460, 0x24FF), (0x3000, 0x33FF), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def _escape(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


@lru_cache(maxsize=1)
def normalisation_rules() -> tuple[str, ...]:
    """`mapping` char-filter rules: each character whose NFKC + simplified form differs."""
    rules = []
    for lo, hi in _RANGES:
        for cp in range(lo, hi + 1):
            char = chr(cp)
            target = to_simplified(unicodedata.normalize("NFKC", char))
            if target != char and target:
                rules.append(f"{_escape(char)} => {_escape(target)}")
    return tuple(rules)


def analysis() -> dict[str, Any]:
    """The analysis block shared by the post and page indices."""
    filters = ["cjk_width", "lowercase"]
    return {
        "char_filter": {"gw_normalise": {"type": "mapping", "mappings": list(normalisation_rules())}},
        "analyzer": {
            "gw_cjk": {"type": "custom", "char_filter": ["gw_normalise"], "tokenizer": "standard",
                       "filter": [*filters, "cjk_bigram"]},
            "gw_chars": {"type": "custom", "char_filter": ["gw_normalise"], "tokenizer": "standard",
                         "filter": filters},
        },
    }


KEYWORD = {"type": "keyword"}
DATE = {"type": "date", "format": "strict_date_hour_minute_second||strict_date_optional_time"}
_CHARS: dict[str, Any] = {"chars": {"type": "text", "analyzer": "gw_chars"}}
_TEXT: dict[str, Any] = {"type": "text", "analyzer": "gw_cjk", "fields": _CHARS}
_STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}
_SHOWN = {"type": "text", "index": False}  # returned and highlighted (in Python), searched through `search`
# The one searched field: title three times then text, built by docs.search_text and left out of
# _source. BM25 then sees what the SQLite store scores: title occurrences count three times and
# one document frequency covers both (per-field BM25 would rank differently).
_SEARCH = {**_TEXT, "index_options": "positions"}
_SEARCHABLE = {"_source": {"excludes": ["search"]}, "dynamic": "strict"}
# A post's shown fields as one binary doc value (docs.hit_value), left out of _source: a page of hits is
# read from it (search.py). Reading 20 hits' stored fields (_source, or even only _id) decompresses a
# stored-fields block per hit on Lucene 8.7: a ranked 工作 page took 14-18 ms of node CPU from _source,
# 7-10 ms from this doc value, 4-8 ms reading nothing (1M posts, load 5-8; README, Elasticsearch).
HIT = {"type": "binary", "doc_values": True}


def _settings(shards: int = 1, with_analysis: bool = False) -> dict[str, Any]:
    settings: dict[str, Any] = {"number_of_shards": shards, "number_of_replicas": 0}
    if with_analysis:
        settings["analysis"] = analysis()
    return settings


# Newest first (search.py's date order, ties by seq, platform, post id) is the posts' stored order: a
# newest-first page is then the first documents that match, and Lucene stops there instead of
# collecting every match (23,000 of 工作 in the bench's newest hour alone).
NEWEST_FIRST = ["published_at", "seq", "platform", "post_id"]
_POSTS_SORT = {"sort.field": NEWEST_FIRST, "sort.order": ["desc"] * 4, "sort.missing": ["_last"] * 4}


def _posts() -> dict[str, Any]:
    settings = {**_settings(with_analysis=True), "index": _POSTS_SORT}
    searchable = {**_SEARCHABLE, "_source": {"excludes": ["search", "hit"]}}
    return {"settings": settings, "mappings": {**searchable, "properties": {
        **{f: KEYWORD for f in ("platform", "post_id", "account_id", "content_hash")},
        "url": _STORED_ONLY, "title": _SHOWN, "text": _SHOWN, "search": _SEARCH, "hit": HIT,
        "published_at": DATE, "fetched_at": DATE, "seq": {"type": "long"},
        **{f: {"type": "boolean"} for f in ("is_original", "is_pinned", "is_repost")},
        "comments": {"type": "integer"}, "replies": {"type": "integer"},
    }}}


def _pages() -> dict[str, Any]:
    return {"settings": _settings(with_analysis=True), "mappings": {**_SEARCHABLE, "properties": {
        "url": KEYWORD, "site": KEYWORD, "column": KEYWORD, "title": _SHOWN, "text": _SHOWN, "search": _SEARCH,
        "seq": {"type": "long"},
        "html": {"type": "text", "index": False}, "encoding": _STORED_ONLY,
        "published_at": DATE, "fetched_at": DATE, "content_hash": KEYWORD,
    }}}


def _accounts() -> dict[str, Any]:
    return {"settings": _settings(with_analysis=True), "mappings": {"dynamic": "strict", "properties": {
        **{f: KEYWORD for f in ("platform", "account_id", "verified_type", "found_via", "state")},
        "name": {**_TEXT, "fields": {**_CHARS, "keyword": KEYWORD}},
        "url": _STORED_ONLY, "found_on": _STORED_ONLY, "verified_reason": {"type": "text", "analyzer": "gw_cjk"},
        "verified": {"type": "boolean"}, "interaction_enabled": {"type": "boolean"},
        "followers": {"type": "long"}, "posts_count": {"type": "long"},
        "created_at": DATE, "first_seen": DATE, "last_seen": DATE,
    }}}


def _registry() -> dict[str, Any]:
    from index.elastic.registry import KEY_PROPERTIES  # the impersonation keys (core.names.keys)

    return _simple({
        **KEY_PROPERTIES,
        **{f: KEYWORD for f in ("key", "name", "platform", "account_id", "owner", "supervisor", "registry_no",
                                "status")},
        "is_primary": {"type": "boolean"}, "registered_at": DATE,
    })


def _simple(properties: dict[str, Any]) -> dict[str, Any]:
    return {"settings": _settings(), "mappings": {"dynamic": "strict", "properties": properties}}


def _findings() -> dict[str, Any]:
    return _simple({
        **{f: KEYWORD for f in ("kind", "severity", "subject_type", "subject_key", "rule_id",
                                "ruleset_version", "status")},
        "seq": {"type": "long"}, "evidence": {"type": "object", "enabled": False},
        "detected_at": DATE, "resolved_at": DATE,
    })


# name → (version, body factory). Bump a version when its body changes.
INDICES: dict[str, tuple[int, Any]] = {
    "posts": (4, _posts),  # v2: one `search` field (title ×3 + text) and `seq`; v3: stored newest first;
    # v4: the shown fields as one doc value (`hit`)
    "pages": (2, _pages),
    "accounts": (1, _accounts),
    "links": (1, lambda: _simple({"page_url": KEYWORD, "url": KEYWORD, "text": _STORED_ONLY,
                                  "status": {"type": "integer"}, "checked_at": DATE})),
    "mentions": (1, lambda: _simple({"platform": KEYWORD, "name": KEYWORD, "page_url": KEYWORD,
                                     "context": _STORED_ONLY})),
    "registry": (2, _registry),  # v2: the impersonation keys
    "findings": (1, _findings),
    "meta": (1, lambda: _simple({"value": KEYWORD})),  # the store's identity (store_id)
}


def body(name: str) -> dict[str, Any]:
    """Settings and mappings for the logical index `name`."""
    return INDICES[name][1]()
