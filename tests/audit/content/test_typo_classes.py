"""False alarms removed by class, not by instance (session 11): 一 is never suggested for another character,
outside official prose only the government's set phrases miss a character, and a variant in print (帐户) is
the norm for official prose only. The plain sentences are the People's Daily's (bench/typos_pd98.py), where
the code before these rules flagged each of them."""

from __future__ import annotations

import pytest

from audit.content.confusion import shared_model
from audit.content.listhits import VARIANT_COUNT, VARIANT_SHARE, ListFinding
from audit.content.register import officialness
from audit.content.similar import reading_keys
from audit.content.typos import REGISTER_FROM, TypoDetector

OFFICIAL = "各单位要加强{}管理，落实监管责任，推进制度建设工作。"


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def _found(detector: TypoDetector, text: str) -> list[tuple[str, str]]:
    return [(t.text, t.suggestion) for t in detector.check_document(text)]


def test_yi_is_in_no_confusion_set_though_it_shares_readings():
    similarity = shared_model().similarity
    for char in "已宜抑亦依":
        assert reading_keys(char) & reading_keys("一"), char  # read yi: only the rule keeps 一 out
        assert "一" not in similarity.similar(char)
    assert "依" in similarity.similar("一")  # 一 written for another character is still read (一坨 → 依托)


def test_a_fix_into_yi_is_not_suggested(detector):
    assert _found(detector, "国有企业改革的大政方针已定。这就是中央经济工作会议的精神。") == []
    # a slip beside 一 is still read
    assert ("贵定", "规定") in _found(detector, "对批准聘用的文职人员，根据军队有关贵定实行委任制或者聘用制。")


@pytest.mark.parametrize("text", ["暴风雪横扫加拿大，所到之处险象生。", "香港娱乐活动多姿彩"])
def test_an_idiom_short_of_a_character_in_plain_prose_is_not_reported(detector, text):
    assert officialness(text) <= REGISTER_FROM
    assert _found(detector, text) == []


def test_a_government_set_phrase_short_of_a_character_is_reported_anywhere(detector):
    plain = "老师们高度视这件事。"
    assert officialness(plain) <= REGISTER_FROM
    assert _found(detector, plain) == [("高度视", "高度重视")]


def test_a_variant_in_print_is_flagged_in_official_prose_only(detector):
    plain = "他在银行开了一个帐户，每月存一点钱。"
    assert officialness(plain) <= REGISTER_FROM < officialness(OFFICIAL.format("帐户"))
    assert _found(detector, plain) == []
    assert _found(detector, OFFICIAL.format("帐户")) == [("帐户", "账户")]
    assert ("再接再励", "再接再厉") in _found(detector, "他说大家要再接再励。")  # a slip, not a variant


def test_which_dictionary_entries_are_variants_in_print(detector):
    freq = detector.model.freq

    def variant(written: str, right: str, rule: str = "content.typo.dictionary") -> bool:
        return detector.lists.variant_in_print(ListFinding(written, right, 0, rule, "typo"))

    assert variant("帐户", "账户") and variant("结帐", "结账")
    assert freq["帐户"] >= VARIANT_COUNT and freq["帐户"] >= VARIANT_SHARE * freq["账户"]
    assert not variant("寒喧", "寒暄") and not variant("报帐", "报账")  # too rare beside the right form
    assert not variant("帐户", "账户", "content.wording_error.forbidden")  # the user's own lists always count
