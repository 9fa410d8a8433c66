"""Names the typo check must leave alone: after a title, with a surname the first list lacked, foreign names."""

from __future__ import annotations

import pytest

import audit.content.typos as typos
from audit.content.protect import protected_spans
from audit.content.typos import TypoDetector

# Each is flagged by the confusion layer when nothing is protected (checked below), so each test can fail.
TITLE_FIRST = "这一做法得到了体育学院副教授郝维亚的肯定。"
FOREIGN = ("身为统治精英的奥布来恩却嘲笑史密斯的这种看法。", "他早年在维也纳佛罗依德医学院进修。")


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def _spans(text: str) -> list[str]:
    return [text[a:b] for a, b in protected_spans(text)]


def test_without_protection_these_names_are_flagged(detector, monkeypatch):
    monkeypatch.setattr(typos, "protected_spans", lambda text: iter(()))
    assert [t.text for t in detector.check(TITLE_FIRST)] == ["郝维亚"]
    assert [t.text for s in FOREIGN for t in detector.check(s)] == ["奥布来恩", "佛罗依德"]


def test_a_name_after_its_title_is_not_a_typo(detector):
    assert "郝维亚" in _spans(TITLE_FIRST)
    assert detector.check(TITLE_FIRST) == []


def test_surnames_such_as_zhan_and_yan_mark_names_between_punctuation():
    assert set(_spans("作者：战明华（某学院），阎大颖（某大学）")) == {"战明华", "阎大颖"}


def test_transliterated_names_are_not_typos(detector):
    assert "奥布来恩" in _spans(FOREIGN[0]) and "阿杜拉" in _spans("巴勒莫附近的阿杜拉窟")
    assert [t for s in FOREIGN for t in detector.check(s)] == []


def test_official_prose_is_not_taken_for_a_foreign_name():
    assert _spans("各地区要加强普查达标工作，依法查处违法违规行为，推动经济高质量发展。") == []


def test_the_tagged_corpus_adds_surnames_and_the_words_around_names():
    from audit.content.tagged import tagged

    corpus = tagged()
    assert {"洪", "傅"} <= corpus.surnames and not {"原", "理", "经"} & corpus.surnames
    assert {"秘书长", "夫人", "队长"} <= corpus.before and {"同志", "致信"} <= corpus.after
    assert {"家", "步", "条"} <= corpus.measures and "说" not in corpus.measures


# Real sentences of the People's Daily (January 1998) the typo check flagged: a surname a hand list
# lacked (洪, 傅), a title the corpus puts before names (副队长), a name joined by a middle dot, and a
# line of names in brackets.
NAMED = {
    "南京大学洪银兴认为，资本论的作用不可低估。": "洪银兴",
    "该校果树专家傅玉瑚教授立项并主持了研究。": "傅玉瑚",
    "东区治安大队副队长刘佑民汇报说，报道很及时。": "刘佑民",
    "代表瓦哈甫·苏来曼（哈萨克族）发言。": "瓦哈甫·苏来曼",
    "传统回来了。\n（桂望国曹冬蓉）\n": "桂望国曹冬蓉",
}


@pytest.mark.parametrize("text", NAMED)
def test_names_found_through_the_tagged_corpus_are_protected(text):
    assert any(NAMED[text] in span for span in _spans(text))


def test_items_of_an_official_list_are_not_names():
    # 、林木等 and 、商务部等 (ECSpell tune) are items, not names: a list ended by 等 protects nothing.
    assert _spans("统筹水、土地、林木等资源资产。") == [] and _spans("选举单位就代表候选人提出意见。") == []
