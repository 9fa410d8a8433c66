"""The modern words' witness (audit.content.modern, wordfreq's Chinese list): a slip the jieba word
model alone finds too weak is reported in official prose when the modern list agrees; a fix the
modern list sees no gain in is dropped. The sentences are written for these tests (none is from
../shared/realdata)."""

from __future__ import annotations

import math

import pytest

from audit.content import typos
from audit.content.modern import ModernWords, shared_modern
from audit.content.typos import CONFUSION, TypoDetector

OFFICIAL = "各县区人民政府、市直各单位要高度重视，切实加强组织领导，确保各项工作落到实处。"
SLIP = "备地要加大对小微企业的信贷支持力度，降低融资成本。"  # 备地 for 各地


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def _pairs(found):
    return [(t.text, t.suggestion, t.rule) for t in found]


def test_the_modern_list_ships_in_the_package_and_knows_new_words():
    modern = shared_modern()
    assert modern.known("研判") and modern.known("小微")
    assert modern.witness("要加大对小微企业的支持", 5, "徽") < 0  # 小徽 is no word


def test_a_slip_the_old_list_finds_too_weak_is_found_with_the_witness(detector):
    text = OFFICIAL + SLIP
    assert _pairs(detector.check_document(text)) == [("备地", "各地", CONFUSION)]
    assert detector.check_document(text)[0].offset == text.index("备地")
    without = TypoDetector({"modern_words": False}, model=detector.model)
    assert without.check_document(text) == [], "the jieba model alone does not report it"
    assert detector.check_document(OFFICIAL + SLIP.replace("备地", "各地")) == []


def test_the_witness_speaks_in_official_prose_only(detector):
    casual = "我们几个说好了，备地的朋友明天一起来吃饭，大家都别迟到。"
    assert detector.check_document(casual) == []


def test_a_fix_the_modern_list_sees_no_gain_in_is_dropped(detector):
    text = OFFICIAL + "要加快发展大数局产业，推动数字经济和实体经济深度融合。"
    assert _pairs(detector.check_document(text)) == [("大数局", "大数据", CONFUSION)]
    # A modern list in which 大数局 were a common word: the fix gains nothing there.
    vetoing = TypoDetector(model=detector.model)
    vetoing.modern = ModernWords({**{w: math.exp(v) for w, v in shared_modern().logp.items()}, "大数局": 0.01})
    assert [t for t in vetoing.check_document(text) if t.rule == CONFUSION] == []


def test_in_prose_just_official_the_scan_floor_lets_the_witness_see_weak_slips(detector, monkeypatch):
    """At a register just over the official mark the bar leaves the scan floor near 8.5; 制修顶 → 修订 gains
    about 7 under jieba's words, so only the lower floor in official prose (OFFICIAL_FLOOR) finds it."""
    import audit.content.typos as typos
    from audit.content.register import officialness

    text = "市里要求及早制修顶防汛预案。"
    assert typos.MODERN_FROM < officialness(text) < typos.REGISTER_FROM + typos.REGISTER_SPAN / 2
    assert ("修顶", "修订", CONFUSION) in _pairs(detector.check(text))
    monkeypatch.setattr(typos, "OFFICIAL_FLOOR", math.inf)
    assert detector.check(text) == []


PLAIN = ("周末约上三五好友去郊外走走，岂不快哉！", "他说，能和大家一起唱歌跳舞，岂不快哉。")


def test_outside_official_prose_the_modern_words_must_gain_plain_veto(detector, monkeypatch, without_words_veto,
                                                                      wordfreq_alone):
    # 岂不快哉 is classical wording, not 岂不怪哉 misspelt: wordfreq's list gains only about 3 from the fix (JioNLP's
    # none, so wordfreq's is asked alone here). A slip in the same plain register whose fix the list backs
    # (捡查 → 检查) is still found.
    assert [_pairs(detector.check_document(s)) for s in PLAIN] == [[], []]
    homework = "放学后他总是先把作业写完再出去玩，从来不用家长捡查。"
    assert _pairs(detector.check_document(homework)) == [("捡查", "检查", CONFUSION)]
    monkeypatch.setattr("audit.content.typos.PLAIN_VETO", typos.MODERN_VETO)  # the old code: one veto everywhere
    assert [_pairs(detector.check_document(s)) for s in PLAIN] == [[("岂不快哉", "岂不怪哉", CONFUSION)]] * 2


SECRECY = "涉密人员离岗后应当遵守脱密期管理规定，严格履行保密义务，不得擅自出境。"


def test_the_second_modern_list_ships_in_jionlp_and_knows_official_terms():
    news = shared_modern().also
    assert news is not None and len(news.logp) > 150_000
    assert news.known("脱密期") and news.known("寄递") and not news.known("再接再励")


def test_a_fix_the_second_list_sees_no_gain_in_is_not_rescued(detector, wordfreq_alone):
    """脱密期 (a secrecy rule's cooling-off period) is rare in wordfreq's subtitles and web text, which read 密期 as
    密切 misspelt; JioNLP's list of 6.2 billion words of Chinese text knows the term."""
    assert _pairs(detector.check_document(SECRECY)) == [("密期", "密切", CONFUSION)]


def test_with_both_lists_the_term_stands_and_a_slip_beside_it_is_found(detector):
    assert detector.check_document(SECRECY) == []
    assert _pairs(detector.check_document(OFFICIAL + SLIP)) == [("备地", "各地", CONFUSION)]


def test_without_jionlp_installed_the_error_names_the_package(monkeypatch):
    from importlib.metadata import PackageNotFoundError

    from audit.content import modern

    def missing(name):
        raise PackageNotFoundError(name)

    monkeypatch.setattr(modern, "distribution", missing)
    with pytest.raises(modern.WordListMissing, match="jionlp"):
        modern.news_frequencies()
