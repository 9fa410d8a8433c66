"""Decoding and text segments with offsets into the decoded input.

Detectors report offsets in the decoded input *as given* (DESIGN.md, `check
page`), so for HTML we scan the markup itself and hand the detectors the runs
of text between tags, each with its start offset, instead of re-serialised
text whose offsets would not map back.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_SPACE = re.compile(r"\s+")
_LOOKS_HTML = re.compile(r"<(?:!doctype|html|head|body|div|p|a|meta|title|span|table)\b", re.I)
# Markup that holds no visible text: comments, scripts, styles, then any tag.
_SKIP = re.compile(r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>", re.I | re.S)
# Encodings Chinese pages declare that are subsets of a wider one: decode with the wider one.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "big5": "big5hkscs"}


@dataclass(frozen=True)
class Segment:
    """A run of text and the offset of its first character in the decoded input."""

    start: int
    text: str


def decode(body: bytes | str) -> tuple[str, str]:
    """(text, encoding) of a page body: declared charset, else UTF-8, else detection."""
    if isinstance(body, str):
        return body, "str"
    for candidate in _candidates(body):
        try:
            return body.decode(candidate), candidate
        except (UnicodeDecodeError, LookupError):
            continue
    best = from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding
    return body.decode("gb18030", errors="replace"), "gb18030"


def _candidates(body: bytes) -> list[str]:
    if body.startswith(b"\xef\xbb\xbf"):
        return ["utf-8-sig"]
    found = _META_CHARSET.search(body[:4096])
    declared = found.group(1).decode("ascii").lower() if found else ""
    names = [_WIDER.get(declared, declared)] if declared else []
    return [*names, "utf-8"]


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than a plain-text dump."""
    return bool(_LOOKS_HTML.search(text[:5000]))


def segments(decoded: str) -> Iterator[Segment]:
    """Visible text runs of HTML (outside tags, scripts, styles, comments), or the whole plain text."""
    if not looks_like_html(decoded):
        yield Segment(0, decoded)
        return
    pos = 0
    for match in _SKIP.finditer(decoded):
        if match.start() > pos:
            yield Segment(pos, decoded[pos : match.start()])
        pos = match.end()
    if pos < len(decoded):
        yield Segment(pos, decoded[pos:])


def within(found: Iterable[Segment], text: str) -> Iterator[Segment]:
    """The segments whose visible text (entities decoded, spaces ignored) is part of `text`.

    Keeps a page's typo checks on its main text and title (the extractor's output) while
    offsets still index the decoded input: navigation, sidebars and footers drop out.
    """
    squeezed = _SPACE.sub("", text)
    for segment in found:
        visible = _SPACE.sub("", html.unescape(segment.text))
        if visible and visible in squeezed:
            yield segment
