"""Highlights: the matched terms of a query marked in the original title and text.

Both backends return HTML-safe fragments where each match is wrapped in
``<mark>…</mark>`` and everything else is escaped. Matching happens on the
normalised form (NFKC, simplified, lower case), so a simplified query marks
the traditional or full-width characters the document really contains.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape

from core.text import to_simplified
from index.query import Term

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
FRAGMENT_CHARS = 120
# Full-width ASCII and the ideographic space, each replaced by its compatibility decomposition: NFKC of
# the result is NFKC of the original (NFKC decomposes every character first), and Chinese text, whose
# only non-NFKC characters are mostly these (，：！), then passes NFKC's quick check unchanged.
_WIDE = re.compile("[\u3000\uff01-\uff5e]")
_NARROW = {chr(c): unicodedata.normalize("NFKD", chr(c)) for c in (0x3000, *range(0xFF01, 0xFF5F))}
_HTML_SPECIAL = re.compile("[&<>\"']")  # what html.escape (quote=True) replaces


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), about twice as fast on Chinese text with full-width punctuation."""
    return unicodedata.normalize("NFKC", _WIDE.sub(lambda m: _NARROW[m.group()], text))


def _aligned(text: str) -> tuple[str, list[int] | None]:
    """The normalised text and, per character, the index of its original character (None: the same index).

    Most text is already NFKC and keeps its length through lower case and
    t2s; only the rest is normalised character by character.
    """
    folded = nfkc(text)
    if len(folded) == len(text):  # full-width punctuation and digits fold one to one
        simplified = to_simplified(folded.lower())
        if len(simplified) == len(text):
            return simplified, None
    pieces = [to_simplified(unicodedata.normalize("NFKC", c).lower()) for c in text]
    return "".join(pieces), [i for i, piece in enumerate(pieces) for _ in piece]


def normal_forms(texts: list[str]) -> list[str | None]:
    """Each text's normal form as `spans` would compute it on its fast path (None: the text needs the
    slow, per-character one), with one traditional → simplified conversion for all of them.

    A page of hits highlights 20 titles and 20 texts; OpenCC's fixed cost per call was most of the
    conversion. The texts go to it joined by newlines: no dictionary entry holds a newline, so none
    matches across one and each text converts as it would alone, and each comes back as the next
    (its own newlines + 1) lines.
    """
    folded = [nfkc(t).lower() for t in texts]
    converted = to_simplified("\n".join(folded)).split("\n")
    if len(converted) != sum(f.count("\n") + 1 for f in folded):  # never seen: a conversion made or ate a newline
        return [None] * len(texts)
    lines = iter(converted)
    out: list[str | None] = []
    for text, fold in zip(texts, folded, strict=True):
        simplified = "\n".join(next(lines) for _ in range(fold.count("\n") + 1))
        out.append(simplified if len(fold) == len(text) and len(simplified) == len(text) else None)
    return out


@lru_cache(maxsize=1024)
def _patterns(terms: tuple[Term, ...]) -> list[re.Pattern[str]]:
    """The terms' patterns: a page's hits look them up once each (title and text share them)."""
    return [_pattern(t) for t in terms]


@lru_cache(maxsize=1024)
def _pattern(term: Term) -> re.Pattern[str]:
    """Built once per term: every hit of every page highlights the same few terms."""
    # Between characters of a phrase the document may have spaces or punctuation that analysis drops.
    chars = [re.escape(c) for c in term.text if not c.isspace()]
    return re.compile(r"[\W_]*".join(chars))


def spans(text: str, terms: list[Term], normalised: str | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) spans of the original text that match one of the terms.

    `normalised` is the text's normal form when the caller has it already (the
    store keeps it); of the same length, it is aligned character by character.
    """
    return _spans(text, _patterns(tuple(terms)), normalised)


def _spans(text: str, patterns: list[re.Pattern[str]], normalised: str | None) -> list[tuple[int, int]]:
    if not text or not patterns:
        return []
    if normalised is not None and len(normalised) == len(text):
        norm, origin = normalised, None
    else:
        norm, origin = _aligned(text)
    found = []
    for pattern in patterns:
        for m in pattern.finditer(norm):
            s, e = m.span()
            if e > s:
                found.append((s, e) if origin is None else (origin[s], origin[e - 1] + 1))
    if len(patterns) > 1:  # one pattern's matches come in order already
        found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, terms: list[Term], *, fragment: int | None = None,
         found: list[tuple[int, int]] | None = None) -> str:
    """HTML-escaped `text` with matches in <mark>; with `fragment`, only a window around the first match.

    `found` passes spans() already computed for this text.
    """
    found = spans(text, terms) if found is None else found
    start, end = 0, len(text)
    if fragment is not None and len(text) > fragment:
        first = found[0][0] if found else 0
        start = max(0, min(first - fragment // 3, len(text) - fragment))
        end = start + fragment
    out, at = [], start
    plain = _HTML_SPECIAL.search(text, start, end) is None  # most Chinese text: escaping changes nothing
    for s, e in found:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += ([text[at:s], MARK_OPEN, text[s:e], MARK_CLOSE] if plain
                else [escape(text[at:s]), MARK_OPEN, escape(text[s:e]), MARK_CLOSE])
        at = e
    out.append(text[at:end] if plain else escape(text[at:end]))
    return ("…" if start else "") + "".join(out) + ("…" if end < len(text) else "")


def highlights(title: str, text: str, terms: list[Term]) -> dict[str, str]:
    """The title whole and a fragment of the text, both marked; fields without a match are left out."""
    return snippet_and_highlights(title, text, terms)[1]


def snippet_and_highlights(title: str, text: str, terms: list[Term],
                           normalised: tuple[str | None, str | None] | None = None) -> tuple[str, dict[str, str]]:
    """A plain-text window of `text` around its first match, and the marked title and text fragment.

    `normalised`: (title, text) already normalised (each None: not), which saves normalising them again.
    """
    out = {}
    n_title, n_text = normalised or (None, None)
    patterns = _patterns(tuple(terms))
    in_title, in_text = _spans(title, patterns, n_title), _spans(text, patterns, n_text)
    if in_title:
        out["title"] = mark(title, terms, found=in_title)
    if in_text:
        out["text"] = mark(text, terms, fragment=FRAGMENT_CHARS, found=in_text)
    return plain_snippet(text, terms, found=in_text), out


def plain_snippet(text: str, terms: list[Term], width: int = FRAGMENT_CHARS,
                  found: list[tuple[int, int]] | None = None) -> str:
    """A plain-text window of `text` around the first match (the start when nothing matches)."""
    if len(text) <= width:
        return text
    found = spans(text, terms) if found is None else found
    first = found[0][0] if found else 0
    start = max(0, min(first - width // 3, len(text) - width))
    return ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
