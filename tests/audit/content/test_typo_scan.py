"""The one-pass confusion scan: its bound loses nothing, confusion sets come from tables built once,
and a character missing from a set phrase is found."""

from __future__ import annotations

import math
import random
import re

import pytest

from audit.content.bounds import SEPARATOR, bounded_positions
from audit.content.confusion import han_runs
from audit.content.similar import plain_readings, reading_keys
from audit.content.typos import TypoDetector, shared_model

SENTENCES = [
    "内蒙古自治区乌兰察布市大力培育发展大数局产业。", "本次比赛设一等奖、二登奖和三等奖。",
    "积极推进农村人居环竟整治。", "各单位要认真贯彻落实会议睛神。", "中国人民很行、财政部、银呆监会指导各地。",
    "开展更大范围、更高水平、更加紧密的科学素质国际交流，推动经验互鉴和资源共享。",
    "市人力资源和社会保障局将于近期开展就业援助月专项活动，为困难群众提供就业服务。",
    "会议强调，要坚持以人民为中心的发展思想，持续优化营商环境，推动经济高质量发展。",
]


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def _exhaustive(model, run: str, min_gain: float) -> set[tuple[int, str]]:
    """Every position scored with every candidate: what the bound must not lose."""
    found = set()
    for i in range(len(run)):
        best = model._best(run, i, min_gain, model.candidates(run, i))
        if best is not None:
            found.add((best.index, best.suggested))
    return found


@pytest.mark.parametrize("min_gain", [5.0, 8.0])
def test_bounded_scan_finds_what_scoring_every_position_finds(detector, min_gain) -> None:
    model = detector.model
    for text in SENTENCES:
        for offset, run in han_runs(text):
            scanned = {(c.index - offset, c.suggested) for c in model.scan(text, min_gain) if offset <= c.index < offset + len(run)}
            every = _exhaustive(model, run, min_gain)
            # The scan keeps the best of overlapping findings; each kept one is among the exhaustive ones.
            assert scanned <= every, text
            assert {i for i, _ in every} - {i for i, _ in scanned} <= _overlapped(scanned, model, run, min_gain), text


def _overlapped(scanned, model, run, min_gain) -> set[int]:
    kept = [model._best(run, i, min_gain, model.candidates(run, i)) for i, _ in scanned]
    return {i for c in kept if c is not None for i in range(c.start, c.start + len(c.written))}


def _best_reading(model, window: str) -> float:
    """The most likely reading of a window, from its own words (the bound's dynamic programme, unrolled)."""
    one = model.gates.char(window[0], model.unknown)
    if len(window) == 1:
        return one
    return max(one + _best_reading(model, window[1:]),
               *(model.word_logp.get(window[:k], -math.inf) + _best_reading(model, window[k:]) for k in range(2, len(window))),
               model.word_logp.get(window, -math.inf))


def _window_by_window(model, run: str, min_gain: float, skip: set[int]) -> dict[int, set[str]]:
    """Every window of 2-4 characters and every hole in it looked up on its own: what the one pass must find."""
    hits: dict[int, set[str]] = {}
    for size in (2, 3, 4):
        for start in range(len(run) - size + 1):
            window = run[start : start + size]
            needed = _best_reading(model, window) + min_gain
            for j in range(size):
                near = model.similarity.similar(window[j])
                for logp, char in model.holes.get(window[:j] + "?" + window[j + 1 :], ()):
                    if logp >= needed and char in near and start + j not in skip:
                        hits.setdefault(start + j, set()).add(char)
    return hits


@pytest.mark.parametrize("min_gain", [2.0, 5.0, 8.5])
def test_the_one_pass_opens_what_looking_at_each_window_opens(detector, min_gain) -> None:
    model, rng = detector.model, random.Random(7)
    text = "".join(SENTENCES)
    shuffled = "".join(rng.sample(text, len(text)))  # unusual neighbours, separators anywhere
    for run in (text, shuffled, "大数", "据", ""):
        run = re.sub(r"[^\u4e00-\u9fff]", SEPARATOR, run)
        skip = set(rng.sample(range(len(run)), len(run) // 10))
        found = bounded_positions(model, run, min_gain, skip)
        assert found == _window_by_window(model, run, min_gain, skip), run
        assert found or len(run) < 3


def test_skipped_positions_are_never_reported(detector) -> None:
    text = "本次比赛设一等奖、二登奖和三等奖。"
    assert [c.written for c in detector.model.scan(text, 8.0)] == ["二登奖"]
    assert detector.model.scan(text, 8.0, skip={text.index("登")}) == []


def test_confusion_sets_join_sound_alikes_and_look_alikes() -> None:
    similar = shared_model().similarity.similar
    assert "再" in similar("在") and "在" in similar("再")  # zai
    assert "银" in similar("很") and "保" in similar("呆")  # shared 艮; 呆 inside 保
    assert "员" in similar("贝")
    assert "城" in similar("成")
    assert "山" not in similar("水")


def test_characters_of_the_same_four_corner_code_are_confusable(detector) -> None:
    """白/自 and 淮/准 share no reading and no distinctive component; their four-corner codes (四角号码, all five
    digits, from the four-corner-method package) are the same, so a slip between them is read."""
    similarity = shared_model().similarity
    assert similarity.shape("白") == similarity.shape("自") == "26000"
    assert "自" in similarity.similar("白") and "准" in similarity.similar("淮")
    assert "日" not in similarity.similar("目")  # 60101 / 60100: the extra corner differs
    assert "工" not in similarity.similar("正")  # the same four corners (1010) are not enough
    assert [(t.text, t.suggestion) for t in detector.check("各级干部要白觉接受群众的监督。")] == [("白觉", "自觉")]


def test_characters_built_alike_but_for_one_component_are_found_by_look_ups() -> None:
    """帅/师 (丨 丿 + 巾/帀) and 汁/计 (氵/讠 + 十): built the same way but for one component, codes one digit apart;
    坍/城 (two digits) are not paired. The index answers what comparing every character's code would."""
    similarity = shared_model().similarity
    assert "师" in similarity.swapped("帅") and "计" in similarity.swapped("汁")
    assert "城" not in similarity.swapped("坍")
    for char in "帅汁坍旷淮白":
        code, frames = similarity.shape(char), similarity.frames(char)
        compared = {other for other in similarity.vocabulary if code and similarity.frames(other) & frames
                    and sum(a != b for a, b in zip(code, similarity.shape(other) or "?????", strict=True)) <= 1}
        assert similarity.swapped(char) == compared
    assert "师" not in similarity.similar("帅"), "not a confusion set of its own (README: withdrawn)"


def test_readings_come_from_the_table_without_tones() -> None:
    assert plain_readings("中") == ["zhong"]
    assert "lv" in plain_readings("绿")
    assert {"zhong", "zong"} <= reading_keys("中")
    assert plain_readings("a") == []


def test_a_character_missing_from_a_set_phrase_is_reported(detector) -> None:
    found = detector.check("各单位要高度视这项工作。")
    assert [(t.text, t.suggestion, t.rule) for t in found] == [("高度视", "高度重视", "content.typo.missing_character")]
    assert found[0].offset == 4
    assert detector.check("各单位要高度重视这项工作。") == []


@pytest.mark.parametrize("text", ["这些出土物很少能体现新的面貌。", "狠抓落实处置措施。", "他也就是不相信。"])
def test_a_shorter_word_is_not_a_missing_character(detector, text) -> None:
    assert [t for t in detector.check(text) if t.rule == "content.typo.missing_character"] == []


def test_firm_names_before_their_suffix_are_protected(detector) -> None:
    assert detector.check("上海汇达丰律师事务所有关负责人表示。") == []
    assert detector.check("长安集团和江铃汽车全力合作。") == []


def test_a_fix_reaching_out_of_a_guessed_name_is_read(detector) -> None:
    """Two characters before 区/市/科技 … stand where a name would; a fix that forms a word reaching out of
    them, or through their suffix, is no name (城市群, 深入推进, 居民区); a name the modern words know is."""
    def fixes(text: str) -> list[tuple[str, str]]:
        return [(t.text, t.suggestion) for t in detector.check(text)]

    assert ("深入推井", "深入推进") in fixes("今年要继续深入推井科技体制改革。")
    assert ("成市群", "城市群") in fixes("加快推动成渝地区双城经济圈和中原成市群建设。")
    assert ("锯民区", "居民区") in fixes("市里将在新建锯民区设置垃圾分类投放点。")
    assert fixes("长安汽车和广汽集团签署合作协议。") == []  # 广汽: a name the modern words know


def test_officialness_is_the_share_of_administrative_words() -> None:
    from audit.content.register import officialness

    assert officialness("各级政府要切实加强组织领导，确保各项工作落到实处。") > 0.3
    assert officialness("他从洛克度假中心抽身而出，遵循自己的心意。") == 0.0
    assert officialness("abc 123") == 0.0
    assert officialness("人民政府的人民") == 6 / 7  # 人民 + 政府 + 人民, not 的
    assert officialness("的的") == 0.0
