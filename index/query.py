"""govwatch's one query language: parser, AST and analysis shared by every backend.

    q = parse('永州 "医保缴费" 通知 OR 公告 -招聘')

The language (documented for users in README.md, section "Query language"):

- **words**: bare text. Chinese is segmented into words with jieba, so
  ``医保缴费`` is the two words 医保 and 缴费. Up to three words must all
  occur; from four words on (a long natural query such as
  ``永州市医疗保障局发布关于城乡居民医保缴费的通知``) a document must contain
  ``minimum_should_match`` = ceil(60 %) of them, and those containing more of
  them rank first. Stop words (的, 关于 …) and single characters are dropped
  from queries of two or more words.
- **"exact phrase"** (ASCII or Chinese quotes): must occur verbatim, after
  normalisation, punctuation and spaces between words ignored.
- **a OR b**: either side; each side may be a word, a phrase or a run of
  words (all of which must occur). An OR group must match.
- **-word**, **-"phrase"**: documents containing it are excluded.
- Filters (platform, account, site, owner, dates) are structured
  parameters of PostQuery / PageQuery, never query syntax.

Limits (no silent truncation: exceeding one raises QueryError naming it,
which the API returns as 400): MAX_QUERY_CHARS characters, MAX_TERMS words
and phrases in all, MAX_OR_OPTIONS alternatives in one OR group. A query
that has nothing to find (only punctuation, or only exclusions) is an error
too.

Analysis (the contract both backends index with): text is normalised (NFKC,
traditional → simplified, lower case); runs of CJK characters become
overlapping bigrams, a run of one character stays a unigram, other words
are tokens of their own — the tokens of Elasticsearch's ``cjk`` analyzer.
A one-character word must match that character anywhere, including inside
a longer run (Elasticsearch: a unigram sub-field; SQLite: a prefix query
over bigrams plus the run-final unigram). Nothing a user types reaches a
backend's own syntax: backends build their queries from `Term.tokens`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from core.errors import QueryError
from core.text import to_simplified

MAX_QUERY_CHARS = 200
MAX_TERMS = 32
MAX_OR_OPTIONS = 16
RELAXED_FROM = 4  # from this many words on, not all of them need to match
RELAXED_SHARE = 0.6

_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
CJK_RUN = re.compile(f"[{_CJK_CLASS}]+")
_TOKEN = re.compile(f"([{_CJK_CLASS}]+)|([^\\W{_CJK_CLASS}]+)")
_QUOTES = {'"': '"', "“": "”", "”": "”", "「": "」", "『": "』"}
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 在 是 对 于 为 将 把 被 由 从 向 等 之 其 并 而 也 就 都 以 "
    "关于 有关 以及 及其 进一步 一个 这个 那个 我们 你们 他们 进行 开展 the a an of and or to in on for".split()
)


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase: its normalised text and its analysed tokens (in order)."""

    text: str
    tokens: tuple[str, ...]
    quoted: bool = False

    @property
    def single_char(self) -> bool:
        """A one-character CJK word: matches that character anywhere, not only as a token."""
        return len(self.tokens) == 1 and len(self.text) == 1 and bool(CJK_RUN.fullmatch(self.text))


@dataclass(frozen=True)
class AnyOf:
    """``a OR b OR …``: matches when one option does; an option is terms that must all occur."""

    options: tuple[tuple[Term, ...], ...]


Clause = Term | AnyOf


@dataclass(frozen=True)
class Query:
    """A parsed query. Empty (``not q``) means "everything the filters allow", newest first."""

    raw: str = ""
    must: tuple[Clause, ...] = ()  # quoted phrases and OR groups: each must match
    should: tuple[Term, ...] = ()  # bare words: at least minimum_should_match of them
    minimum_should_match: int = 0
    must_not: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)  # what was dropped (stop words), for the UI

    def __bool__(self) -> bool:
        return bool(self.must or self.should)

    def positive_terms(self) -> list[Term]:
        """Every term that can match (for highlighting and ranking), in query order, no repeats."""
        return list(self._positive)

    @cached_property
    def _positive(self) -> tuple[Term, ...]:
        seen: dict[str, Term] = {}
        for clause in (*self.must, *self.should):
            for term in _terms_of(clause):
                seen.setdefault(term.text, term)
        return tuple(seen.values())


def _terms_of(clause: Clause) -> list[Term]:
    if isinstance(clause, Term):
        return [clause]
    return [t for option in clause.options for t in option]


# analysis ------------------------------------------------------------------
def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), traditional → simplified, lower case."""
    if not unicodedata.is_normalized("NFKC", text):  # the check is ~100x cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    return to_simplified(text).lower()


def analyse(text: str, *, normalised: bool = False) -> list[str]:
    """Tokens as Elasticsearch's ``cjk`` analyzer makes them: CJK bigrams, other words whole."""
    out: list[str] = []
    for cjk, word in _TOKEN.findall(text if normalised else normalise(text)):
        if word:
            out.append(word)
        elif len(cjk) == 1:
            out.append(cjk)
        else:
            out.extend(cjk[i:i + 2] for i in range(len(cjk) - 1))
    return out


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to log
    jieba.initialize()
    return jieba


def warm_up() -> None:
    """Load jieba's dictionary now (a second or more) rather than in the first long query."""
    _jieba()


def segment(text: str) -> list[str]:
    """Normalised words of bare query text: jieba for CJK runs of 3+ characters, other words as they are."""
    words: list[str] = []
    for cjk, word in _TOKEN.findall(normalise(text)):
        if word:
            words.append(word)
        elif len(cjk) <= 2:  # one word either way; no need to load jieba
            words.append(cjk)
        else:
            words.extend(w for w in _jieba().lcut(cjk) if w.strip())
    return words


def _phrase_text(text: str) -> str:
    """A quoted phrase's normalised text: spaces collapsed, and dropped between CJK characters
    (Chinese has no spaces between words, so "医保 缴费" means 医保缴费)."""
    text = " ".join(normalise(text).split())
    return re.sub(f"(?<=[{_CJK_CLASS}]) (?=[{_CJK_CLASS}])", "", text)


def _term(text: str, quoted: bool = False) -> Term | None:
    tokens = tuple(analyse(text, normalised=True))
    return Term(text=text, tokens=tokens, quoted=quoted) if tokens else None


# parsing -------------------------------------------------------------------
_LEX = re.compile(r'(?P<neg>-?)(?:(?P<q>["“”「『])(?P<phrase>[^"“”」』]*)["”」』]?|(?P<bare>[^\s"“”「『]+))')


@dataclass
class _Atom:
    terms: list[Term]  # a phrase is one term; a bare chunk is its words
    negated: bool
    quoted: bool
    is_or: bool = False


def _lex(q: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _LEX.finditer(q):
        negated = bool(m["neg"])
        if m["q"] is not None:
            term = _term(_phrase_text(m["phrase"]), quoted=True)
            atoms.append(_Atom([term] if term else [], negated, True))
        elif m["bare"] == "OR" and not negated:
            atoms.append(_Atom([], False, False, is_or=True))
        else:
            terms = [t for w in segment(m["bare"]) if (t := _term(w))]
            atoms.append(_Atom(terms, negated, False))
    return atoms


def _groups(atoms: list[_Atom]) -> list[list[_Atom]]:
    """Atoms joined by OR become one group; an OR at either end or doubled is ignored."""
    groups: list[list[_Atom]] = []
    joining = False
    for atom in atoms:
        if atom.is_or:
            joining = bool(groups)
            continue
        if not atom.terms:
            continue
        if joining and not atom.negated and not groups[-1][-1].negated:
            groups[-1].append(atom)
        else:
            groups.append([atom])
        joining = False
    return groups


def parse(q: str) -> Query:
    """Parse user text into a Query; raises QueryError naming what was wrong."""
    raw = q.strip()
    if not raw:
        return Query()
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(raw)} characters; the limit is {MAX_QUERY_CHARS}", field="q")
    must: list[Clause] = []
    words: list[Term] = []
    must_not: list[Term] = []
    for group in _groups(_lex(raw)):
        if len(group) > 1:
            if len(group) > MAX_OR_OPTIONS:
                raise QueryError(f"an OR group has {len(group)} alternatives; the limit is {MAX_OR_OPTIONS}",
                                 field="q")
            must.append(AnyOf(tuple(tuple(a.terms) for a in group)))
        elif group[0].negated:
            must_not.extend(group[0].terms)
        elif group[0].quoted:
            must.extend(group[0].terms)
        else:
            words.extend(group[0].terms)
    should, notes = _meaningful(words, has_other=bool(must))
    n_terms = sum(len(_terms_of(c)) for c in must) + len(should) + len(must_not)
    if n_terms > MAX_TERMS:
        raise QueryError(f"query has {n_terms} words and phrases; the limit is {MAX_TERMS}", field="q")
    if not must and not should:
        if must_not:
            raise QueryError("query has only excluded words; add a word to find", field="q")
        raise QueryError("query has no searchable characters", field="q")
    return Query(raw=raw, must=tuple(must), should=tuple(should), minimum_should_match=_msm(len(should)),
                 must_not=tuple(_dedupe(must_not)), notes=tuple(notes))


def _meaningful(words: list[Term], *, has_other: bool) -> tuple[list[Term], list[str]]:
    """Drop stop words and lone characters when enough other words remain; no repeats."""
    words = _dedupe(words)
    strong = [w for w in words if w.text not in STOP_WORDS and not w.single_char]
    if len(strong) >= 2 or (strong and has_other):
        return strong, [w.text for w in words if w not in strong]
    return words, []


def _dedupe(terms: list[Term]) -> list[Term]:
    return list({t.text: t for t in terms}.values())


def _msm(n: int) -> int:
    """How many of n bare words a document must contain."""
    return n if n < RELAXED_FROM else math.ceil(n * RELAXED_SHARE)

