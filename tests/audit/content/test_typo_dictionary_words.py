"""A wrong form of the typo dictionary is a slip only where it is a word: when the likeliest words around it take
its characters (拼凑|和|堆砌) and the fix reads no better, it is two neighbours' characters, not 凑和 misspelt."""

from __future__ import annotations

import math

import pytest

from audit.content.typos import TypoDetector

SPLIT_BY_WORDS = ["这些材料不过是拼凑和堆砌而已。", "我们究竟争取什么样的未来？", "群众究竟选哪一个方案，要看实际效果。",
                  "按装修面积计算补贴金额。", "这次比赛究竟赛出了什么水平？"]
SLIPS = [("努力提高竟争力。", "竟争"), ("请按装说明书操作。", "按装"), ("截止目前，全市共完成投资。", "截止目前"),
         ("各单位要再接再励。", "再接再励"), ("市场竟争日趋激烈。", "竟争"), ("做好布署工作。", "布署"),
         ("这些旧桌椅还能凑和着用。", "凑和"), ("截止今年底，全市共完成投资。", "截止今年"),
         ("全市截止今年底共完成投资。", "截止今年"), ("他在全国人民代表大会常委会任职。", "全国人民代表大会常委会")]


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


@pytest.mark.parametrize("text", SPLIT_BY_WORDS)
def test_a_wrong_form_whose_characters_the_words_around_take_is_no_slip(detector, text, monkeypatch):
    assert [t for t in detector.check(text) if t.rule == "content.typo.dictionary"] == []
    monkeypatch.setattr("audit.content.listhits.CLAIMED_GAIN", -math.inf)  # the old code: every hit a slip
    assert [t.rule for t in detector.check(text)] == ["content.typo.dictionary"]


@pytest.mark.parametrize(("text", "slip"), SLIPS)
def test_a_wrong_form_standing_as_a_word_or_fixed_into_a_likelier_one_stays_a_slip(detector, text, slip):
    # 竟争力: 争力 takes 争, but 竞争力 reads far likelier (the fix's gain is over CLAIMED_GAIN); 截止|今年底: 今年底
    # takes 年, but 截止 holds the changed 止 with the form's 截 (review r14b); 常委会 → 常务委员会: a longer fix
    assert [(t.text, t.rule.split(".")[-1]) for t in detector.check(text)] == [(slip, "dictionary")]
