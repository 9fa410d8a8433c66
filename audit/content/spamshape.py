"""Where attackers put spam, beyond hidden blocks: look-alike government hosts, the top of the body,
and dense runs of short porn/gambling titles.

- A link (or script, iframe, form) whose host embeds a government domain without being
  one (www.example.gov.cn.cp8888.com) is spam even alone and with government-sounding text.
- Spam words in the first lines a visitor sees (top of the body) are an injection.
- A run of at least five short items (links or list entries) in one block, of which a
  good share carry spam words while the page's own title carries none, is an injected list:
  the structure, not a single phrase, gives it away.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

from audit.content.hiding import where
from audit.content.lexicon import Term, find_terms, host_of, is_government_host, suspicious_terms

TOP_CHARS = 160  # the first visible characters of the body: what a visitor reads first
MIN_RUN = 5
MAX_ITEM = 40  # characters: titles in a spam list are short
RUN_SHARE = 0.4
_GOV_INSIDE = re.compile(r"gov\.cn[.\-a-z0-9]")  # www.example.gov.cn.cp8888.com, zwfw-gov.cn.bet9527.cc
_SOURCES = (("a", "href"), ("area", "href"), ("iframe", "src"), ("script", "src"), ("form", "action"),
            ("frame", "src"), ("embed", "src"))
_SKIP = frozenset(("script", "style", "noscript", "template", "head"))


def fake_government_hosts(root: Any, url: str, gov_domains: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """(where, quote, host) for every reference to a host that dresses up as a government one."""
    for tag, attribute in _SOURCES:
        for element in root.iter(tag):
            host = host_of(urljoin(url, element.get(attribute) or ""))
            if host and _dresses_as_government(host, gov_domains):
                text = " ".join((element.text_content() or "").split())[:80]
                yield where(element), f"{text} → {element.get(attribute)}", host


def _dresses_as_government(host: str, gov_domains: tuple[str, ...]) -> bool:
    if is_government_host(host, gov_domains):
        return False
    if _GOV_INSIDE.search(host):
        return True
    return any(d and d.lower() in host for d in gov_domains)


def top_of_body(root: Any, hidden: set[Any]) -> tuple[str, str, list[Term]] | None:
    """(where, quote, terms) when the body's first visible characters carry spam words."""
    body = root if root.tag == "body" else root.find(".//body")
    text = "".join(_visible_text(root if body is None else body, TOP_CHARS, hidden))
    terms = suspicious_terms(text)
    return ("body (top)", text, terms) if terms else None


def _visible_text(element: Any, limit: int, hidden: set[Any]) -> Iterator[str]:
    taken = 0
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP or node in hidden \
                or any(a.tag in _SKIP or a in hidden for a in node.iterancestors()):
            continue
        for piece in (node.text, node.tail):
            if piece and piece.strip() and taken < limit:
                yield piece.strip() + " "
                taken += len(piece.strip())
        if taken >= limit:
            return


def spam_runs(root: Any, title: str) -> Iterator[tuple[str, str, list[Term]]]:
    """(where, quote, terms) for each block holding a dense run of short spam titles."""
    if find_terms(title):
        return  # a page about lotteries lists lottery titles legitimately (cwl.gov.cn)
    flagged = []
    for block, items in _runs(root):
        hits = [terms for text in items if (terms := suspicious_terms(text, weak=True))]
        if len(items) >= MIN_RUN and len(hits) >= max(3, RUN_SHARE * len(items)):
            flagged.append((block, items, [t for terms in hits for t in terms]))
    inner = {id(a) for block, _, _ in flagged for a in block.iterancestors()}
    for block, items, terms in flagged:
        if id(block) not in inner:  # the innermost block is the injected list, not the page around it
            yield where(block), " | ".join(items), terms


def _runs(root: Any) -> Iterable[tuple[Any, list[str]]]:
    """Blocks with their short items: the links under one parent (through <li>), or its short lines."""
    blocks: dict[Any, list[str]] = {}
    for anchor in root.iter("a"):
        parent = anchor.getparent()
        if parent is not None and parent.tag in ("li", "dd", "span", "font", "strong", "b") \
                and parent.getparent() is not None:
            parent = parent.getparent()
        text = " ".join(anchor.text_content().split())
        if parent is not None and 2 <= len(text) <= MAX_ITEM:
            blocks.setdefault(parent, []).append(text)
    for element in root.iter("div", "p", "td", "span"):
        lines = [" ".join(line.split()) for line in element.text_content().splitlines()]
        short = [line for line in lines if 2 <= len(line) <= MAX_ITEM]
        if len(short) >= MIN_RUN and element not in blocks:
            blocks[element] = short
    return blocks.items()
