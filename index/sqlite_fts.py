"""The SQLite side of the query language: what goes into FTS5 and the MATCH text built from a Query.

FTS5 tables have four columns, filled with pre-analysed text (unicode61
then only splits on spaces):

- ``title``, ``body``: the tokens of index.query.analyse (CJK bigrams,
  other words whole), in order, so phrases are consecutive tokens;
- ``uni``: every CJK character once per occurrence, so a one-character
  query finds the character inside longer runs (the Elasticsearch
  mapping uses a unigram sub-field for the same);
- ``tags``: filter keys (platform, account, site, month, day) as made-up
  tokens, so filters are evaluated inside the full-text index instead of
  by a join that runs the match once per row. Day tags also let a
  newest-first search walk a common word's matches a few days at a time
  instead of sorting all of them (index/sqlite_listing.py).

MATCH text is built only from analysed tokens, each quoted, so nothing a
user types is FTS5 syntax.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from index.query import Clause, Query, Term, normalise

_TOKEN = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]+)"
    "|([^\\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff]+)"
)
# two or more Han characters of Unicode 3.0 (Extension A and the base block), which FTS5's unicode61 tokenizer
# (Unicode 6.1 tables) surely keeps as one token; a rarer character might be a separator to it
_CJK_MANY = re.compile("[\u3400-\u4db5\u4e00-\u9fa5]{2,}")
TEXT_COLUMNS = "{title body}"
MAX_MONTH_TAGS = 36  # a wider date range is checked on the rows only


def index_texts(norm: str) -> tuple[str, str]:
    """(tokens, unigrams) of normalised text, space-separated: query.analyse's tokens, made faster.

    This runs for every stored document, so it stays in C where it can:
    one findall, bigrams by mapping str.__add__ over two slices.
    """
    out: list[str] = []
    runs: list[str] = []
    for cjk, word in _TOKEN.findall(norm):
        if word:
            out.append(word)
        else:
            runs.append(cjk)
            out.append(cjk if len(cjk) == 1 else " ".join(map(str.__add__, cjk[:-1], cjk[1:])))
    return " ".join(out), " ".join("".join(runs))


def tag(kind: str, value: str) -> str:
    """A filter token: 'zz' + kind letter + a hash of the value (only [a-z0-9], so one FTS5 token)."""
    return "zz" + kind + hashlib.blake2s(value.encode(), digest_size=8).hexdigest()


def month_tag(when: date) -> str:
    return f"zzm{when.year:04d}{when.month:02d}"


def day_tag(when: date) -> str:
    return f"zzd{when.year:04d}{when.month:02d}{when.day:02d}"


def date_tags(when: datetime | None) -> list[str]:
    """The month and day tokens of a document's date (none when undated)."""
    return [month_tag(when), day_tag(when)] if when else []


def fts_values(title: str, text: str, tags: Iterable[str]) -> tuple[str, str, str, str, str | None]:
    """(title, body, uni, tags, norm) for one document; norm is None when normalising changed nothing."""
    title, text = title or "", text or ""
    n_title, n_text = normalise(title), normalise(text)
    norm = None if n_title == title and n_text == text else n_title + "\x1f" + n_text
    t_tokens, t_uni = index_texts(n_title)
    b_tokens, b_uni = index_texts(n_text)
    return t_tokens, b_tokens, f"{t_uni} {b_uni}", " ".join(tags), norm


def post_tags(platform: str, account_id: str, published_at: datetime | None) -> list[str]:
    return [tag("p", platform), tag("a", f"{platform}\x1f{account_id}"), *date_tags(published_at)]


def page_tags(site: str, published_at: datetime | None) -> list[str]:
    return [tag("s", site), *date_tags(published_at)]


# MATCH text -------------------------------------------------------------------
def term_match(term: Term) -> str:
    """A term's MATCH text: one character in the unigram column, a word or phrase in title and body.

    Tokens of two or more Han characters (bigrams) are only ever in title and
    body (`uni` holds single characters, `tags` made-up ASCII tokens), so a
    term made of them needs no column filter, which would make FTS5 read each
    match's positions to check the column: 10–20 % of the FTS5 work of a
    search at 1,000,000 posts. Other words keep it (a word may look like a tag).
    """
    if term.single_char:
        return f'uni : "{term.text}"'
    phrase = f'"{" ".join(term.tokens)}"'
    if all(_CJK_MANY.fullmatch(token) for token in term.tokens):
        return phrase
    return f'{TEXT_COLUMNS} : {phrase}'


def clause_match(clause: Clause) -> str:
    if isinstance(clause, Term):
        return term_match(clause)
    options = [" AND ".join(term_match(t) for t in option) for option in clause.options]
    return "(" + " OR ".join(f"({o})" for o in options) + ")"


def match_text(query: Query, should: Iterable[Term] | None = None, *, any_should: bool = False,
               tags: Iterable[list[str]] = ()) -> str:
    """FTS5 MATCH text: must clauses, the should terms (all, or any when `any_should`), tag filters, NOTs.

    `tags` is a list of alternatives per filter: each filter must match one of its tokens.
    """
    should = list(query.should if should is None else should)
    parts = [clause_match(c) for c in query.must]
    if should:
        joined = (" OR " if any_should else " AND ").join(term_match(t) for t in should)
        parts.append(f"({joined})")
    for alternatives in tags:
        parts.append("tags : (" + " OR ".join(alternatives) + ")")
    text = " AND ".join(parts)
    if query.must_not:
        text = f"({text}) NOT (" + " OR ".join(term_match(t) for t in query.must_not) + ")"
    return text


def window_tags(first: date, last: date) -> list[str]:
    """Tokens covering the days [first, last] exactly: a month tag for each whole month, day tags at the ends.

    At most 62 day tags plus one per month, so a long window stays a short
    OR inside FTS5.
    """
    out: list[str] = []
    day = first
    while day <= last:
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if day.day == 1 and month_end <= last:
            out.append(month_tag(day))
            day = month_end + timedelta(days=1)
        else:
            out.append(day_tag(day))
            day += timedelta(days=1)
    return out


def range_tags(since: datetime | None, until: datetime | None) -> list[str] | None:
    """window_tags of a date filter, or None when it is open or wider than MAX_MONTH_TAGS months."""
    if since is None or until is None or until < since:
        return None
    if (until.year - since.year) * 12 + until.month - since.month + 1 > MAX_MONTH_TAGS:
        return None
    return window_tags(since.date(), until.date())
