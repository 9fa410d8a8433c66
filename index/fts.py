"""Turning a user's search text into a safe FTS5 MATCH expression, and snippets."""

from __future__ import annotations

import re

from core.errors import QueryError
from core.text import search_form, to_simplified

MAX_QUERY_CHARS = 200
MAX_TERMS = 16
_TOKEN = re.compile(r"\w+")


def match_expression(q: str) -> str:
    """Build an FTS5 expression: each whitespace-separated term is a quoted phrase, ANDed.

    Nothing the user types reaches FTS5 syntax: operators, quotes, column
    filters and NEAR are reduced to their word characters, so a hostile query
    can only fail to match, never error or read other columns.
    """
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(q)} characters; the limit is {MAX_QUERY_CHARS}", field="q")
    phrases = []
    for term in q.split()[:MAX_TERMS]:
        tokens = _TOKEN.findall(search_form(term))
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"')
    if not phrases:
        raise QueryError("query has no searchable characters", field="q")
    return " AND ".join(phrases)


def snippet(text: str, q: str, width: int = 60) -> str:
    """A window of `text` around the first occurrence of the query's first term."""
    plain = to_simplified(text)
    terms = [to_simplified(t) for t in q.split() if t]
    at = -1
    for term in terms:
        at = plain.lower().find(term.lower())
        if at >= 0:
            break
    if at < 0:
        return text[:width * 2]
    start = max(0, at - width)
    return ("…" if start else "") + text[start:at + width] + ("…" if at + width < len(text) else "")
