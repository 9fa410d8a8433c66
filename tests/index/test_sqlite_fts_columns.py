"""A term of Han bigrams is matched without FTS5's column filter (index/sqlite_fts.py term_match): the same
matches as with it, while other words keep the filter (a word may look like one of the tag tokens)."""

from __future__ import annotations

import pytest

from core.models import Post
from index.base import PostQuery
from index.query import parse
from index.sqlite import SqliteBackend
from index.sqlite_fts import TEXT_COLUMNS, tag, term_match

TEXTS = ["工作会议", "工 作", "会议纪要", "工作 hello", "乡村振兴 工作", "振 兴", "会", "ア工作", "hello world"]


@pytest.fixture
def store() -> SqliteBackend:
    """Posts where each word is also present as lone characters (the unigram column) and split by spaces."""
    backend = SqliteBackend(":memory:")
    backend.setup()
    backend.upsert_posts([Post("weibo", "1", f"w{i}", title=text[:2], text=text) for i, text in enumerate(TEXTS)])
    return backend


@pytest.mark.parametrize("words", ["工作", "会议", '"乡村振兴"', '"工作会议"', "振兴", "hello", '"ア工作"'])
def test_a_term_matches_the_posts_the_column_filter_gives(store: SqliteBackend, words: str) -> None:
    (term,) = parse(words).positive_terms()
    filtered = f'{TEXT_COLUMNS} : "{" ".join(term.tokens)}"'
    found = "SELECT group_concat(rowid) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rowid)"
    assert store.db.execute(found, (term_match(term),)).fetchone() == store.db.execute(found, (filtered,)).fetchone()
    assert store.db.execute(found, (filtered,)).fetchone()[0], "the word is in some post"


def test_han_bigrams_go_without_the_filter_other_words_keep_it() -> None:
    assert term_match(parse("工作").positive_terms()[0]) == '"工作"'
    assert term_match(parse('"乡村振兴"').positive_terms()[0]) == '"乡村 村振 振兴"'
    assert term_match(parse("hello").positive_terms()[0]).startswith(TEXT_COLUMNS)
    assert term_match(parse('"ア工作"').positive_terms()[0]).startswith(TEXT_COLUMNS)  # kana: kept (not only Han)


def test_a_word_spelled_like_a_tag_does_not_match_the_tags(store: SqliteBackend) -> None:
    assert store.search_posts(PostQuery(q=tag("p", "weibo"))).total == 0
    assert store.search_posts(PostQuery(q="工作")).total == 4
