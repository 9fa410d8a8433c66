"""Slips that leave a real word (职责刀工 for 职责分工), found by the character model in official prose only.

The sentences are written for these tests (none is from ../shared/realdata)."""

from __future__ import annotations

import pytest

from audit.content.context import shared_context
from audit.content.typos import CONTEXT, TypoDetector

OFFICIAL = "各县区人民政府、市直各单位要高度重视，切实加强组织领导，确保各项工作落到实处。"


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    # The modern words' witness off: it finds some of these slips first (tests/audit/content/test_modern_words.py).
    return TypoDetector({"real_word_scan": True, "modern_words": False})


def _context(found):
    return [(t.text, t.suggestion) for t in found if t.rule == CONTEXT]


def test_a_slip_that_leaves_a_word_is_found_in_official_prose(detector):
    text = OFFICIAL + "进一步明确各部门职责刀工，形成工作合力。"  # 刀工 is a word: knife skills
    assert _context(detector.check_document(text)) == [("刀工", "分工")]
    assert detector.check_document(text.replace("刀工", "分工")) == []


def test_a_slip_whose_pairs_the_corpus_never_shows_is_found(detector):
    text = OFFICIAL + "严格执行机动车尾气排坊标准，加快淘汰老旧车辆。"
    # Without the modern words the word scan (bar 9 − 4 in official prose) takes it first, as 牌坊: bar 10 here.
    context_only = TypoDetector({"real_word_scan": True, "modern_words": False, "confusion_min_gain": 10.0},
                                model=detector.model)
    found = context_only.check_document(text)
    assert _context(found) == [("排坊", "排放")]
    assert found[0].offset == text.index("排坊")


def test_casual_prose_is_not_read_by_the_character_model(detector):
    # The same slip in chat: the register is not official, so the scan is not run.
    text = "他说咱们几个的职责刀工得先讲清楚，不然又要吵起来，我们照办就是了。"
    assert detector.check_document(text) == []
    assert detector.context.scan(text, 0.0), "the character model alone would have proposed a fix"


def test_a_known_name_is_never_corrected(detector):
    text = OFFICIAL + "进一步明确各部门职责刀工，形成工作合力。"
    knowing = TypoDetector({"real_word_scan": True, "modern_words": False}, known_names=["刀工"],
                           model=detector.model)
    assert knowing.check_document(text) == []


def test_the_scan_is_off_unless_asked_for(detector):
    text = OFFICIAL + "进一步明确各部门职责刀工，形成工作合力。"
    assert TypoDetector(model=detector.model).check_document(text) == []


def test_only_confusable_characters_are_proposed():
    scan = shared_context()
    text = "严格执行机动车尾气排坊标准，加快淘汰老旧车辆。"
    found = scan.scan(text, 0.0)
    assert found, "the slip must be proposed at all"
    similar = scan.model.similarity.similar
    for c in found:
        written, fixed = text[c.index], c.suggested[c.index - c.start]
        assert fixed in similar(written)


def test_skipped_positions_and_rare_characters_are_left_alone():
    scan = shared_context()
    text = "严格执行机动车尾气排坊标准，加快淘汰老旧车辆。"
    at = text.index("坊")
    assert all(c.index != at for c in scan.scan(text, 0.0, skip={at}))
    # 潞 is seen fewer than MIN_SEEN times in the corpus: as likely a name as a slip.
    assert all(c.index != 0 for c in scan.scan("潞州区人民政府召开会议", -50.0))



def test_the_candidate_cache_is_bounded(monkeypatch):
    from audit.content import context
    from audit.content.charlm import shared_charlm
    from audit.content.confusion import shared_model

    monkeypatch.setattr(context, "CACHE_SIZE", 3)
    scan = context.ContextScan(shared_model(), shared_charlm())
    scan.scan("严格执行机动车尾气排坊标准，进一步明确各部门职责刀工，加快淘汰老旧车辆，形成工作合力。", 0.0)
    assert 0 < len(scan._cands) <= 3
