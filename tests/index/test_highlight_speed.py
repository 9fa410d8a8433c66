"""The highlighter's shortcuts give what the plain way gives: its NFKC, and one pass for snippet and marks."""

from __future__ import annotations

import random
import unicodedata

import pytest

from core.text import to_simplified
from index.highlight import highlights, nfkc, normal_forms, plain_snippet, snippet_and_highlights
from index.query import parse
from sampleweb.world import generate

# full-width forms, combining marks that compose with what the shortcut narrows, half-width kana with their
# voicing mark, compatibility ideographs, ligatures, circled and super-script digits, Hangul jamo
TRICKY = ("Ａａ０９！，：；？（）［］｛｝～\u3000\u00a0\u0301\u0308\u030a\u0327\u3099ｶﾞﾊﾟ豈更ﬁ①²ᄀ\u1161\u11a8"
          "醫保繳費一二三abcABC ,.\t")


def test_nfkc_is_unicodedata_nfkc() -> None:
    rng = random.Random(5)
    samples = ["", "市民如有疑问，可拨打１２３４５热线。", "ＡＢＣ\u0301", "Ａ\u030a", "（注）\u3000第一条"]
    samples += ["".join(rng.choice(TRICKY) for _ in range(rng.randint(1, 40))) for _ in range(5000)]
    for text in samples:
        assert nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)


def test_one_pass_gives_the_snippet_and_highlights_of_two() -> None:
    world = generate(seed=3)
    posts = [p for a in world.accounts for p in a.posts][:400]
    marked = 0
    for q in ("医保", "工作 通知", "医保 OR 防火", '"森林防火"', "会", "醫保繳費", "１２３４５", "安全 -生产"):
        terms = parse(q).positive_terms()
        for p in posts:
            text = p.text * 3  # past the snippet's width too
            snippet, marks = snippet_and_highlights(p.title, text, terms)
            assert (snippet, marks) == (plain_snippet(text, terms), highlights(p.title, text, terms))
            marked += "text" in marks
    assert marked > 100


def test_a_page_normalised_in_one_go_marks_what_each_text_alone_marks() -> None:
    """normal_forms converts a page's titles and texts in one OpenCC call; every hit's snippet and marks are
    the same as with each text normalised alone (traditional phrases at a text's ends, texts with newlines,
    texts that change length, empty ones)."""
    rng = random.Random(9)
    world = generate(seed=4)
    texts = [x for a in world.accounts for p in a.posts[:3] for x in (p.title, p.text)][:300]
    texts += ["醫保繳費", "乾隆", "乾\n燥", "頭髮\n", "\n\n", "", "ﬁ醫保", "ΑΣ", "Σ\nα", "於是", "著名的\r\n醫院",
              *("".join(rng.choice(TRICKY + "\n醫療頭髮乾燥") for _ in range(rng.randint(0, 30))) for _ in range(300))]
    rng.shuffle(texts)
    forms = normal_forms(texts)
    assert len(forms) == len(texts) and sum(f is not None for f in forms) > len(texts) // 2
    for text, form in zip(texts, forms, strict=True):  # each as OpenCC converts it alone
        assert form is None or form == to_simplified(nfkc(text).lower()), ascii(text)
    for q in ("医保", "工作 通知", "医保 OR 防火", "干燥", "头发", "会", "１２３４５"):
        terms = parse(q).positive_terms()
        for i in range(0, len(texts) - 1, 2):
            title, text = texts[i], texts[i + 1]
            assert snippet_and_highlights(title, text, terms, (forms[i], forms[i + 1])) == \
                snippet_and_highlights(title, text, terms), ascii((title, text))


def test_marks_escape_what_html_escape_would_inside_the_window_only() -> None:
    from html import unescape

    from index.highlight import mark

    terms = parse("医保").positive_terms()
    far = "<b>" + "甲" * 200 + "医保" + "乙" * 200 + "&"  # specials outside the fragment: nothing to escape
    assert mark(far, terms, fragment=120) == "…" + "甲" * 40 + "<mark>医保</mark>" + "乙" * 78 + "…"
    near = "甲" * 10 + "\"医保\" & '缴费' <i>"
    assert mark(near, terms, fragment=120) == "甲" * 10 + "&quot;<mark>医保</mark>&quot; &amp; &#x27;缴费&#x27; &lt;i&gt;"
    rng = random.Random(11)
    for _ in range(2000):
        text = "".join(rng.choice("医保甲乙&<>\"'") for _ in range(rng.randint(1, 300)))
        out = mark(text, terms, fragment=rng.choice([None, 20, 120]))
        plain = out.replace("<mark>", "").replace("</mark>", "")
        assert not set("<>\"'") & set(plain) and unescape(plain).strip("…") in text


@pytest.mark.parametrize(("q", "text", "expected"), [
    # 工作 (2, 4) and 作风 (4, 6) touch: one span; 工 lies inside 工作; 工作工作 is two touching matches
    ("工作 作风 OR 工", "加强工作作风建设，工作工作，作风", [(2, 6), (9, 13), (14, 16)]),
    ("工作 作风", "工作风", [(0, 3)]),  # overlapping matches of two terms: their union
    ("工作作风 OR 作", "加强工作作风", [(2, 6)]),  # matches inside a longer one: it, whole
    ("风 工作", "工作作风", [(0, 2), (3, 4)]),  # the later term matches first: in text order, one character apart
    ("工作 作风", "工作，作风", [(0, 2), (3, 5)]),  # a character between them: two spans
    ("风 工作", "风工作", [(0, 3)]),  # touching, each term's match found by its own pattern
    ("工作", "工 作", [(0, 3)]),  # punctuation or space inside a term's match is part of its span
])
def test_spans_of_several_terms_merge_where_they_touch_or_overlap(q: str, text: str,
                                                                    expected: list[tuple[int, int]]) -> None:
    from index.highlight import spans

    assert spans(text, parse(q).positive_terms()) == expected
