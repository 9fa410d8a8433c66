"""Confusions linked only by a radical or a stroke (audit.content.similar.weak) need more evidence outside
official prose: in the People's Daily (bench/typos_pd98.py) and on real pages such fixes were idiom variants,
names and rare words (百年未遇 → 百年一遇, 蕻菜 → 蔬菜, 抽身而出 → 挺身而出) far more often than slips."""

from __future__ import annotations

import pytest

import audit.content.typos as typos
from audit.content.confusion import shared_model
from audit.content.typos import TypoDetector

# Sentences of the People's Daily, January 1998: plain prose (register 0), flagged before this rule.
VARIANTS = ("去年青岛地区遭受百年未遇的特大干旱。", "连南方的苦瓜、蕻菜、苋菜也多起来了。")


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def test_weak_links_are_a_shared_radical_or_stroke_only():
    similarity = shared_model().similarity
    assert similarity.weak("抽身", "挺身") and similarity.weak("七山", "一山") and similarity.weak("未遇", "一遇")
    # a shared reading (烽/峰, 义/仪), a four-corner code (白/自) or a rarer component (很/银: 艮) is a real link
    assert not any(similarity.weak(a, b) for a, b in (("喜烽", "喜峰"), ("礼义", "礼仪"), ("白觉", "自觉"), ("很行", "银行")))
    assert not similarity.weak("险象生", "险象环生")  # an insertion is no pair of characters


def test_without_the_rule_these_variants_were_flagged(detector, monkeypatch, yi_suggested):  # 未遇 → 一遇
    monkeypatch.setattr(typos, "WEAK_EXTRA", 0.0)
    assert [t.text for s in VARIANTS for t in detector.check_document(s)] == ["百年未遇", "蕻菜"]


def test_weakly_linked_variants_in_plain_prose_are_not_slips(detector):
    assert [t for s in VARIANTS for t in detector.check_document(s)] == []


def test_clear_weak_slips_and_official_prose_are_still_read(detector):
    # a weak link with strong evidence (技木 → 技术), and official prose, where the bar is unchanged
    assert [t.suggestion for t in detector.check_document("他在上海学习科学技木，后来回到家乡。")] == ["科学技术"]
    official = "各级政府要加快推进公共言息服务平台建设，完善管理制度。"
    assert [t.suggestion for t in detector.check_document(official)] == ["公共信息"]
