"""The highlighter's shortcuts give what the plain way gives: its NFKC, and one pass for snippet and marks."""

from __future__ import annotations

import random
import unicodedata

from index.highlight import highlights, nfkc, plain_snippet, snippet_and_highlights
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
