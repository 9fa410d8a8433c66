"""Word-level homophone slips (audit.content.homophones): the input method's wrong word of the same
pinyin, with both characters wrong, found in official prose only."""

from __future__ import annotations

import pytest

from audit.content.homophones import shared_homophones
from audit.content.typos import HOMOPHONE, TypoDetector

# Sentences written for these tests: official prose with a wrong word of the same pinyin.
SLIPS = [
    ("各级人民政府要严格执行政府菜狗法律法规，加强监督检查。", "菜狗", "采购"),
    ("各地区各部门要认真贯彻落实，及时报送说明才聊，做好监督检查工作。", "才聊", "材料"),
    ("各级人民政府要加强组织领导，提高用户漫溢度，确保落实到位。", "漫溢", "满意"),
    # 练习 is a common word; only the longer word around it (联席会议) shows the slip
    ("国务院建立安全生产工作练习会议制度，统筹协调有关部门。", "练习", "联席"),
]


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


@pytest.mark.parametrize(("text", "written", "fix"), SLIPS)
def test_a_wrong_word_of_the_same_pinyin_is_found_in_official_prose(detector: TypoDetector, text: str,
                                                                     written: str, fix: str) -> None:
    found = [(t.text, t.suggestion, t.rule, t.offset) for t in detector.check_document(text)]
    assert found == [(written, fix, HOMOPHONE, text.index(written))]


def test_the_scan_can_be_turned_off() -> None:
    off = TypoDetector({"homophone_words": False})
    assert [t for text, _, _ in SLIPS for t in off.check_document(text)] == []


@pytest.mark.parametrize("text", [
    "他写了一份说明才聊，交给了老师。",  # the same slip outside official prose: left alone
    "我们刚才聊了很久，他说明天再来。",  # 才聊 read across two words
    "各地区各部门要认真贯彻落实，及时报送说明材料，做好监督检查工作。",  # the right word
    "周末我们全家去北京平谷看桃花。",  # a place name
    "各级人民政府要组织学生开展安全演练，加强练习。",  # 练习 where no longer word calls for 联席
])
def test_correct_or_informal_text_is_left_alone(detector: TypoDetector, text: str) -> None:
    assert [t for t in detector.check_document(text) if t.rule == HOMOPHONE] == []


def test_a_pair_is_read_as_the_input_method_reads_it() -> None:
    scan = shared_homophones()
    assert scan.key("银行") == "yin hang"  # a word: pypinyin's reading of the word, not 行's first (xing)
    assert scan.key("平谷") == scan.key("评估") == "ping gu"  # not a listed word: each character's first reading
    assert scan.key("郭励") == "guo li" != scan.key("活力")  # 活 reads guo only in rare words


def test_a_rare_written_character_is_a_name_not_a_slip() -> None:
    scan = shared_homophones()
    text = "各级人民政府要加强组织领导，金锺国表示。"
    at = text.index("金锺")
    assert scan.lm.seen("锺") < 5
    assert scan._evidence(text, at, "金锺", "晋中") is None


@pytest.mark.parametrize(("text", "written", "fix"), [
    ("各地要加快建设返乡创业示范极地，完善配套政策措施。", "极地", "基地"),
    ("各级政府要着力解决群众反映凸出的问题，切实加强监督检查。", "凸出", "突出"),
    ("各地要严格执行强直性国家标准，加强监督检查。", "直性", "制性"),
])
def test_a_wrong_word_that_is_itself_a_word_is_found_on_the_character_model_alone(
        detector: TypoDetector, text: str, written: str, fix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """极地, 凸出, 强直 are words: the word lists gain little from the fix (under WORD_GAIN / MODERN_GAIN), the
    character model of the state press a lot (CHAR_ALONE): how the sentence goes on."""
    import audit.content.homophones as homophones

    assert [(t.text, t.suggestion, t.rule) for t in detector.check_document(text)] == [(written, fix, HOMOPHONE)]
    monkeypatch.setattr(homophones, "CHAR_ALONE", float("inf"))
    assert detector.check_document(text) == []


@pytest.mark.parametrize("text", [
    "各有关部门要加强极地科学考察工作，完善极地考察保障体系。",
    "各级政府要切实加强组织领导，突出重点，狠抓落实。",
    "有关部门要依法加强监管，切实落实企业主体责任。",
])
def test_the_right_word_is_left_alone_by_the_character_model(detector: TypoDetector, text: str) -> None:
    assert detector.check_document(text) == []


@pytest.mark.parametrize("text", [
    "本办法自发布之日起试行，由市发展改革委负责解释。",
    "本规定自印发之日起试行，有效期两年。",
])
def test_a_regulations_own_wording_is_not_overruled_by_the_character_model_alone(detector: TypoDetector, text: str) -> None:
    """试行 gains as much over CHAR_ALONE as 极地 (review8 M3): a word of the government vocabulary needs the word gains."""
    scan = shared_homophones()
    at = text.index("试行")
    assert scan.lm.delta(text, at, "试行", "实行") >= 10.0  # the character model alone would speak
    assert detector.check_document(text) == []


def test_one_is_never_suggested_unless_a_test_lets_it(yi_suggested: None) -> None:
    """The yi_suggested fixture patches similar.NEVER_SUGGESTED; the scan reads it at each call (review r11 R14),
    so the fixture reaches this scan as its docstring says, not only the confusion sets."""
    from audit.content.homophones import never_suggested

    assert not never_suggested("已定", "一定")


def test_one_is_not_suggested_for_another_character() -> None:
    from audit.content.homophones import never_suggested

    assert never_suggested("已定", "一定")
    assert not never_suggested("二生", "一生")  # a numeral written for 一 is still read (九死二生)
    assert not never_suggested("菜狗", "采购")
