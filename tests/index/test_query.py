"""The query language: parsing into the AST, analysis, limits and highlighting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.dates import china_time
from core.errors import QueryError
from index.highlight import highlights, mark
from index.query import MAX_QUERY_CHARS, MAX_TERMS, AnyOf, Term, analyse, normalise, parse


def texts(terms: tuple[Term, ...] | list[Term]) -> list[str]:
    return [t.text for t in terms]


def test_analysis_matches_the_cjk_analyzer_bigrams_and_normalises_width_and_script() -> None:
    assert analyse("醫保繳費２０２４年 COVID-19") == ["医保", "保缴", "缴费", "2024", "年", "covid", "19"]
    assert analyse("局，医保") == ["局", "医保"]  # punctuation ends a run; a run of one stays a unigram
    assert normalise("ＡＢＣ１２３") == "abc123"


def test_bare_chinese_is_segmented_into_words_that_must_all_occur() -> None:
    q = parse("医保缴费")
    assert texts(q.should) == ["医保", "缴费"]
    assert q.minimum_should_match == 2 and not q.must


def test_long_natural_query_needs_most_of_its_meaningful_words() -> None:
    q = parse("永州市医疗保障局发布关于城乡居民医保缴费的通知")
    words = texts(q.should)
    assert {"永州市", "城乡居民", "医保", "缴费", "通知"} <= set(words)
    assert "的" not in words and "关于" not in words  # stop words are dropped, and said so
    assert "的" in q.notes
    assert len(words) >= 6 and q.minimum_should_match == -(-len(words) * 6 // 10)


def test_quoted_phrase_or_group_and_exclusion() -> None:
    q = parse('"医保 缴费" 永州 OR 无锡 -招聘')
    assert q.must[0] == Term("医保缴费", ("医保", "保缴", "缴费"), quoted=True)  # no spaces between Chinese words
    group = q.must[1]
    assert isinstance(group, AnyOf) and [texts(o) for o in group.options] == [["永州"], ["无锡"]]
    assert texts(q.must_not) == ["招聘"] and not q.should


def test_chinese_quotes_and_unclosed_quotes_are_phrases() -> None:
    assert parse("“城乡居民”").must[0].tokens == ("城乡", "乡居", "居民")  # type: ignore[union-attr]
    assert texts(parse('"医保').must) == ["医保"]  # type: ignore[arg-type]


def test_hyphen_inside_a_word_is_not_an_exclusion() -> None:
    q = parse("COVID-19")
    assert texts(q.should) == ["covid", "19"] and not q.must_not


@pytest.mark.parametrize("q", ["OR", "OR 医保 OR", "医保 OR OR 永州"])
def test_dangling_or_is_ignored(q: str) -> None:
    if q == "OR":
        with pytest.raises(QueryError, match="no searchable"):
            parse(q)
    else:
        assert parse(q)


def test_too_long_query_names_the_limit() -> None:
    with pytest.raises(QueryError, match=f"limit is {MAX_QUERY_CHARS}"):
        parse("医" * (MAX_QUERY_CHARS + 1))


def test_too_many_terms_names_the_limit() -> None:
    with pytest.raises(QueryError, match=f"limit is {MAX_TERMS}"):
        parse(" ".join(f"w{i}" for i in range(MAX_TERMS + 1)))


@pytest.mark.parametrize("q, message", [("“”！？", "no searchable"), ("-医保", "only excluded")])
def test_queries_with_nothing_to_find_are_errors(q: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(q)


def test_empty_query_is_falsy_and_lists_everything() -> None:
    assert not parse("   ")


def test_single_character_query_is_kept_and_flagged() -> None:
    q = parse("医")
    assert q.should[0].single_char and q.minimum_should_match == 1


def test_aware_dates_become_china_time() -> None:
    utc = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert china_time(utc) == datetime(2026, 12, 1, 0, 0)
    assert china_time(datetime(2026, 12, 1, tzinfo=timezone(timedelta(hours=8)))) == datetime(2026, 12, 1)


def test_highlight_marks_traditional_and_full_width_text_and_escapes_the_rest() -> None:
    terms = parse("医保 2024").positive_terms()
    assert mark("<b>醫保</b>於２０２４年", terms) == "&lt;b&gt;<mark>醫保</mark>&lt;/b&gt;於<mark>２０２４</mark>年"
    assert highlights("无关标题", "医保", terms) == {"text": "<mark>医保</mark>"}


def test_highlight_fragment_is_a_window_around_the_first_match() -> None:
    text = "甲" * 300 + "医保" + "乙" * 300
    out = mark(text, parse("医保").positive_terms(), fragment=120)
    assert out.startswith("…") and out.endswith("…") and "<mark>医保</mark>" in out
    assert len(out) < 160


def test_phrase_highlight_spans_punctuation_between_words() -> None:
    assert mark("城乡，居民", parse('"城乡居民"').positive_terms()) == "<mark>城乡，居民</mark>"
