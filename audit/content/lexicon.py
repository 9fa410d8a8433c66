"""The injected-spam lexicon (data/spam_terms.tsv) and the context that makes a hit legitimate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlsplit

import ahocorasick

from core.text import to_simplified

# A government page may name gambling or porn to fight it: 严厉打击网络赌博, 扫黄打非.
ANTI_CONTEXT = re.compile(
    r"打击|整治|严禁|禁止|取缔|防范|警惕|查处|治理|违法|犯罪|非法|专项|远离|拒绝|举报|案件|涉赌|涉黄|"
    r"诈骗|抵制|曝光|侦破|抓获|判处|扫黄|打非|罪"
)
ANTI_WINDOW = 30


@dataclass(frozen=True)
class Term:
    term: str
    category: str  # gambling | lottery | porn
    strong: bool
    start: int = 0


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    raw = files("audit.content").joinpath("data", "spam_terms.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            term, category, strength = line.split("\t")
            automaton.add_word(term.lower(), Term(term, category, strength == "strong"))
    automaton.make_automaton()
    return automaton


def find_terms(text: str) -> list[Term]:
    """Lexicon hits in `text` (case-insensitive), longest first where they overlap."""
    # Traditional pages (澳門葡京, 彩票計劃) match the simplified lexicon; t2s keeps offsets close enough
    # for the context window.
    hits = [Term(t.term, t.category, t.strong, end - len(t.term) + 1)
            for end, t in _automaton().iter(to_simplified(text).lower())]
    hits.sort(key=lambda t: (t.start, -len(t.term)))
    kept: list[Term] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].start + len(kept[-1].term):
            kept.append(hit)
    return kept


def suspicious_terms(text: str, *, weak: bool = False) -> list[Term]:
    """Hits not excused by an anti-gambling/anti-porn context nearby; strong ones unless `weak`."""
    out = []
    for hit in find_terms(text):
        if not (hit.strong or weak):
            continue
        window = text[max(0, hit.start - ANTI_WINDOW) : hit.start + len(hit.term) + ANTI_WINDOW]
        if not ANTI_CONTEXT.search(window):
            out.append(hit)
    return out


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_government_host(host: str, gov_domains: tuple[str, ...] = ()) -> bool:
    """*.gov.cn, or a configured government domain (or a subdomain of one)."""
    host = host.lower().rstrip(".")
    if host == "gov.cn" or host.endswith(".gov.cn"):
        return True
    return any(host == d or host.endswith("." + d) for d in (d.lower().lstrip(".") for d in gov_domains))
