"""Typo and wording-error detector: each layer, known names, offsets into the decoded input."""

from __future__ import annotations

from datetime import date

import pytest

import audit.content.typos as typos
from audit.content.textmap import decode
from audit.content.typos import TypoDetector
from tests.paths import FIXTURES

CONTENT = FIXTURES / "content"


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def _pairs(found):
    return [(t.text, t.suggestion, t.rule) for t in found]


def test_dictionary_layer_flags_curated_wrong_form_with_correct_form(detector):
    found = detector.check("各部门要想法设法解决群众困难。")
    assert _pairs(found) == [("想法设法", "想方设法", "content.typo.dictionary")]
    assert found[0].offset == 4 and found[0].kind == "typo"


def test_dictionary_layer_marks_wrong_political_formulation_as_wording_error(detector):
    found = detector.check("深入开展两学一作学习教育。")
    assert [(t.text, t.kind) for t in found] == [("两学一作", "wording_error")]


@pytest.mark.parametrize(
    ("text", "written", "fixed"),
    [("完成率达到Io0%。", "Io0", "100"), ("2O19年以来", "2O19", "2019"), ("增长IO0%", "IO0", "100"),
     ("共l0万元", "l0", "10")],
)
def test_letters_inside_numbers_become_digits(detector, text, written, fixed):
    found = [t for t in detector.check(text) if t.rule == "content.typo.letter_in_number"]
    assert [(t.text, t.suggestion) for t in found] == [(written, fixed)]
    assert text[found[0].offset : found[0].offset + len(written)] == written


@pytest.mark.parametrize("text", ["推广O2O模式", "H1N1流感", "COVID-19疫情", "第5G基站", "iPhone 11发布"])
def test_letters_and_digits_that_are_names_are_left_alone(detector, text):
    assert [t for t in detector.check(text) if t.rule == "content.typo.letter_in_number"] == []


@pytest.mark.parametrize(
    ("text", "written", "fixed"),
    [("内蒙古自治区乌兰察布市大力培育发展大数局产业。", "大数局", "大数据"),
     ("本次比赛设一等奖、二登奖和三等奖。", "二登奖", "二等奖"),
     ("积极推进农村人居环竟整治。", "环竟", "环境"),
     ("各单位要认真贯彻落实会议睛神。", "睛神", "精神")],
)
def test_confusion_layer_flags_character_when_corrected_word_is_far_more_likely(detector, text, written, fixed):
    found = [t for t in detector.check(text) if t.rule == "content.typo.confusion"]
    assert [(t.text, t.suggestion) for t in found] == [(written, fixed)]


def test_confusion_layer_leaves_ordinary_official_sentence_alone(detector):
    text = "开展更大范围、更高水平、更加紧密的科学素质国际交流，推动经验互鉴和资源共享。"
    assert detector.check(text) == []


def test_leader_with_another_leaders_title_is_a_wording_error(detector):
    found = detector.check("李强总书记出席会议并讲话。")
    assert _pairs(found) == [("李强总书记", "李强总理", "content.wording_error.leader_title")]
    assert found[0].kind == "wording_error"


def test_leader_with_own_title_is_clean(detector):
    assert detector.check("习近平总书记强调，国务院总理李强主持会议。") == []


def test_misspelt_leader_name_is_a_wording_error(detector):
    found = detector.check("习近萍总书记在会上强调。")
    assert _pairs(found) == [("习近萍", "习近平", "content.wording_error.leader_name")]


def test_a_misspelt_name_that_reads_as_a_word_needs_the_leaders_title(detector):
    # 往沪宁高速: towards the Shanghai–Nanjing expressway, 沪宁 a word; with the title it is the name misspelt.
    assert detector.check("车辆可往沪宁高速方向绕行。") == []
    found = detector.check("往沪宁同志出席会议。")
    assert _pairs(found) == [("往沪宁", "王沪宁", "content.wording_error.leader_name")]
    assert _pairs(detector.check("王户宁出席会议。")) == [("王户宁", "王沪宁", "content.wording_error.leader_name")]


def test_outdated_name_flagged_only_after_the_change_and_not_as_history_or_department(detector):
    after = detector.check("农业部发布通知。", published=date(2026, 1, 5))
    assert _pairs(after) == [("农业部", "农业农村部", "content.wording_error.outdated")]
    assert detector.check("农业部发布通知。", published=date(2015, 1, 5)) == []
    assert detector.check("原农业部和各地农业部门参加。", published=date(2026, 1, 5)) == []


def test_forbidden_term_is_flagged_with_the_right_wording(detector):
    assert _pairs(detector.check("所谓台湾总统发表讲话")) == [
        ("台湾总统", "台湾地区领导人", "content.wording_error.forbidden")]


def test_settings_content_extends_every_list():
    detector = TypoDetector({"typos": {"政务公开栏目": "政务公开专栏"}, "forbidden": [{"term": "某禁词", "use": "规范用语"}],
                             "leaders": [{"name": "张明远", "titles": ["市长"]}], "titles": ["市长"]})
    found = detector.check("政务公开栏目出现某禁词。张明远书记与市长张明远")
    assert ("政务公开栏目", "政务公开专栏", "content.typo.dictionary") in _pairs(found)
    assert ("某禁词", "规范用语", "content.wording_error.forbidden") in _pairs(found)


# Two-character fixes need the most evidence by default (names and places of real pages); these tests lower
# the threshold so that an unknown place name is flagged, and show that knowing it protects it.
SENSITIVE = {"confusion_min_gain": 5.5}


def test_place_name_that_looks_like_a_typo_is_not_flagged_when_known(detector, without_words_veto):
    decoded, _ = decode((CONTENT / "place_name.html").read_bytes())
    assert detector.check_document(decoded) == []  # default: a two-character look-alike is not enough
    sensitive = TypoDetector(SENSITIVE, model=detector.model)
    assert [t.text for t in sensitive.check_document(decoded)] == ["潞州"]  # unknown: looks like 温州
    knowing = TypoDetector(SENSITIVE, known_names=["潞州区人民政府"], model=detector.model)
    assert knowing.check_document(decoded) == []


def test_place_before_a_district_suffix_is_protected(detector):
    assert detector.check("潞州区推进城市更新。") == []


def test_offsets_index_the_decoded_html_as_given():
    decoded, encoding = decode((CONTENT / "gbk_compromised.html").read_bytes())
    assert encoding == "gb18030"
    found = TypoDetector().check_document(decoded)
    assert {"想法设法", "Io0"} <= {t.text for t in found}
    for t in found:
        assert decoded[t.offset : t.offset + len(t.text)] == t.text


def test_form_used_twice_in_a_document_is_a_term_not_a_slip(detector, monkeypatch, wordfreq_alone):
    # 瑞/全 share only 王, a weak link (typos.WEAK_EXTRA leaves 瑞景 alone in plain prose): the rule is tested without it
    monkeypatch.setattr(typos, "WEAK_EXTRA", 0.0)
    sensitive = TypoDetector(SENSITIVE, model=detector.model)
    once = sensitive.check_document("会议在瑞景召开。")
    twice = sensitive.check_document("会议在瑞景召开。瑞景代表发言。")
    assert once and not twice
