"""Wording chosen on purpose, read from the sentence's shape (audit.content.frames): parallel items,
the end of a body's name before a responsibility verb, a rare character that is the document's
subject. Each sentence is flagged by the old code (asserted with the rules switched off), so each
test can fail; slips inside the same shapes are still found."""

from __future__ import annotations

import pytest

import audit.content.typos as typos
from audit.content.frames import Shape, name_ends, paired, parallel_places, parallel_slots, topic_chars
from audit.content.protect import reduplicated
from audit.content.typos import TypoDetector

PARALLEL = ("要健全老有所养、幼有所育的保障体系。", "推动本地食业、农业、商业一体发展。")
BODY = "国家标准委按职责分工负责。"
FRAMED = "各区要细化措施，切实把好事办好、实事办实。"  # the frame 事办 repeated by both items
SHARED = "依法严禁刑讯逼供、诱供，对违反规定的依纪依法严肃处理。"  # two items sharing only 供
# An official notice about shuttlecock kicking: 毽 is its subject, used three times.
TOPIC = ("关于开展全民健身踢毽活动的通知。各单位要认真贯彻落实工作部署，加强组织领导，推进踢毽运动进社区。"
         "毽有几种做法，各地可因地制宜选用。")


class _NoShape:
    """The old code: no sentence shape."""

    def __init__(self, text: str, known: object = None) -> None:
        pass

    def breaks(self, start: int, written: str, fix: str) -> bool:
        return False


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def _found(detector: TypoDetector, text: str) -> list[tuple[str, str]]:
    return [(t.text, t.suggestion) for t in detector.check_document(text)]


def test_without_the_new_rules_these_are_flagged(detector, monkeypatch, wordfreq_alone):
    monkeypatch.setattr(typos, "Shape", _NoShape)
    monkeypatch.setattr(typos, "topic_chars", lambda document, chars, seen, press=0: set())
    assert [_found(detector, s) for s in PARALLEL] == [[("所育", "所有")], [("食业", "事业")]]
    assert _found(detector, FRAMED) == [("办实", "其实")]
    assert _found(detector, SHARED) == [("诱供", "有功")]
    assert _found(detector, BODY) == [("委按", "委托")]
    assert _found(detector, TOPIC) == [("毽有", "建有")]


def test_parallel_items_keep_their_slots(detector):
    assert [_found(detector, s) for s in PARALLEL] == [[], []]
    text = "坚持有仓必到、有粮必查、有账必核"
    assert "".join(text[i] for i in sorted(parallel_slots(text))) == "仓到粮查账核"


def test_a_fix_of_a_character_both_items_repeat_breaks_the_pair(detector):
    assert _found(detector, FRAMED) == []
    text = "把好事办好、把实事办实"
    slots, frame = parallel_places(text)
    assert "".join(text[i] for i in sorted(slots)) == "好好实实"
    assert "".join(text[i] for i in sorted(frame)) == "把事办把事办"


def test_two_items_sharing_one_character_keep_it(detector):
    # A gne test page's confidentiality rules (read in session 16): 诱供 → 有功 undoes the pair 逼供、诱供.
    assert _found(detector, SHARED) == []
    slots, frame = parallel_places("逼供、诱供")
    assert (slots, frame) == (set(), {1, 4})
    # the differing character is no slot: a one-place difference may be the slip (资金，茨金来源 below)


def test_slots_worked_out_per_list_are_those_of_the_whole_text():
    # Shape works slots out only for the list a fix falls in; they must be exactly the whole text's.
    text = ("坚持有仓必到、有粮必查、有账必核。2024年要健全老有所养、幼有所育的保障体系，推动本地食业、农业、商业"
            "一体发展；如京、津、冀、辽的“老有所养、幼有所育”做好防汛工作，做好防汛工做\n因地制宜、因时制宜")
    whole, shape = parallel_slots(text), Shape(text)
    assert whole  # the text has lists with slots, so the comparison can fail
    assert {at for at in range(len(text)) if at in shape.places_near(at)[0]} == whole


def test_slips_in_parallel_shapes_are_still_found(detector):
    # A set phrase is still read in a slot; items that differ in a whole word are names, not a frame;
    # two items sharing one character are not a list.
    assert ("因地制意", "因地制宜") in _found(detector, "要因地制意、因时制宜，不断完善应急预案。")
    # (淮/准 share their four-corner code, so the fix reads as the longer word 国家标准; not across 委|按)
    assert _found(detector, "国家认监委、国家标淮委按职责分工负责") == [("国家标淮", "国家标准")]
    assert [t[0] for t in _found(detector, "有必要的资金，茨金来源渠道合法；")] == ["茨金来源"]


def test_a_repeated_clause_with_one_slip_is_not_a_parallel_pair(detector):
    # Parallel items differ in two places or more; one place is a slip in a repeated clause.
    assert ("工做", "工作") in _found(detector, "做好防汛工作，做好防汛工做。")
    assert parallel_slots("做好防汛工作，做好防汛工做") == set()
    assert parallel_slots("有必要的资金，茨金来源渠道合法") == set()


def test_no_word_runs_across_a_bodys_name(detector):
    assert _found(detector, BODY) == []
    shape = Shape("财政部牵头，国家标准委按职责分工负责")
    assert shape.breaks(10, "委按", "委托") and not shape.breaks(11, "按职", "按只")


def test_a_rare_character_the_document_keeps_using_is_its_subject(detector):
    assert _found(detector, TOPIC) == []
    # Used once, the same character is still read as a possible slip.
    once = "各单位要认真贯彻落实工作部署，加强组织领导。毽有几种做法，各地可因地制宜选用。"
    assert _found(detector, once) == [("毽有", "建有")]
    assert topic_chars(TOPIC, {"毽", "有"}, lambda c: 0 if c == "毽" else 10_000) == {"毽"}


def test_inspector_classes_still_caught(detector):
    assert ("再接再励", "再接再厉") in _found(detector, "全体干部要再接再励，推动各项工作取得新成效。")
    assert ("高度视", "高度重视") in _found(detector, "各单位要高度视安全生产工作。")
    assert [t.text for t in detector.check_document("2O2X年工作要点")] == ["2O2X"]


def test_no_word_runs_across_a_days_date():
    shape = Shape("代表团于１２月２５日抵老进行访问")
    assert shape.breaks(9, "日抵", "日子")  # 日 closes the date, 抵 (arrive) begins the verb
    assert not shape.breaks(10, "抵老", "抵达") and not Shape("今日抵京").breaks(1, "日抵", "日子")


def test_a_numeral_inside_a_word_is_no_date():
    # 一日 of 统一日程 is no day of the month: the numerals of a date follow 月, 于 or no Han character
    assert name_ends("会议统一日程安排") == []
    assert name_ends("十二月二十五日抵京") == [7] and name_ends("于二十五日抵京") == [5]


LIST = "抓好几个林果开发区，如京、津、冀、辽干果开发区。"
ECHO = "大家努力工作，克服困难，使企业越办越好。"


def test_single_character_lists_and_echoes_were_flagged(monkeypatch, without_words_veto):
    low_bar = TypoDetector({"confusion_min_gain": 3.0})
    assert _found(low_bar, LIST) == []
    assert _found(low_bar, ECHO) == []
    monkeypatch.setattr(typos, "Shape", _NoShape)
    monkeypatch.setattr(typos, "intended", lambda written, suggested, known, after="": False)
    assert _found(low_bar, LIST) == [("如京", "如今")]
    assert _found(low_bar, ECHO) == [("越办越", "越小越")]


def test_echo_frames_unless_a_set_phrase():
    assert reduplicated("越办越", "越小越") and not reduplicated("不拆不扣", "不折不扣")
    assert not reduplicated("保正", "保证")
    text = "如京、津、冀、辽干果"
    assert "".join(text[i] for i in sorted(parallel_slots(text))) == "京津冀辽"


PAIRED = ("各级党组织要依法依纪严肃查处违规问题，切实落实主体责任。", "大力强化农业增产增效要素，提高农业综合生产能力。")


def test_paired_words_sharing_their_first_character_were_flagged(detector, monkeypatch):
    monkeypatch.setattr("audit.content.frames.paired", lambda text, at, known: False)
    assert [_found(detector, s) for s in PAIRED] == [[("依纪", "以及")], [("增产增效", "增产增收")]]


def test_paired_words_keep_their_second_character(detector):
    # 依法依纪, 增产增效: the writer pairs two words; where a half is no word, the pair holds a slip
    assert [_found(detector, s) for s in PAIRED] == [[], []]
    assert ("建立建全", "建立健全") in _found(detector, "山西省人民政府要建立建全相关工作协调机制。")
    assert ("不拆不扣", "不折不扣") in _found(detector, "对各项监督制度不拆不扣执行到位。")
    assert ("农亚", "农业") in _found(detector, "及时报告所在地县级人民政府农亚农村主管部门。")


def test_paired_is_the_abac_shape_of_two_words_only():
    words = {"依法": 2359, "依纪": 10, "增产": 823, "增效": 24, "建立": 23118, "项目": 9000, "研究": 9000, "看看": 900}
    assert paired("要依法依纪查处", 3, words) and paired("要依法依纪查处", 1, words) and not paired("要依法依纪查处", 5, words)
    assert paired("增产增效", 3, words) and not paired("建立建全", 3, words) and not paired("项目项目场务", 5, words)
    assert not paired("研究研究", 1, words) and not paired("好好好好", 1, {"好好": 99}) and not paired("看看看法", 1, words)


LORRIES = ("我们的出发点是商用车。公司生产重型卡车、轻型货车和专用车，车型覆盖牵引车、自卸车、载货车，还有新能源车和"
           "冷藏车。至于以后是否会考虑别的车样，不是没有可能，我们现在没有考虑生产乘用车。")


def test_a_common_character_the_document_uses_far_more_than_the_press_is_its_subject(detector, monkeypatch, yi_suggested):
    assert _found(detector, LORRIES) == []
    monkeypatch.setattr("audit.content.frames.TOPIC_MANY", 10**6)  # the old code: rare characters only
    monkeypatch.setattr("audit.content.typos.WEAK_EXTRA", 0.0)  # 车/一 is a weak link too (test_typo_weak_links)
    assert _found(detector, LORRIES) == [("车样", "一样")]


def test_the_subject_needs_many_uses_at_many_times_the_press_share():
    press = {"车": 1_000, "的": 50_000}.get
    text = "车" * 10 + "的" * 10 + "甲" * 80  # 10 % of the text each; 车 is 0.1 % of the press, 的 5 %
    assert topic_chars(text, {"车", "的"}, lambda c: press(c, 0), 1_000_000) == {"车"}
    assert topic_chars(text[1:], {"车"}, lambda c: press(c, 0), 1_000_000) == set()  # nine uses
    assert topic_chars(text, {"车"}, lambda c: press(c, 0)) == set()  # without the press's size: rare ones only
