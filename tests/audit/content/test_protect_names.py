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
