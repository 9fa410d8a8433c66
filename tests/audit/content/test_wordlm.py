"""The word trigram witness (audit.content.wordlm) and what it changes in the typo detector."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.content import typos, wordlm
from audit.content.typos import TypoDetector
from audit.content.wordlm import WordModel, WordModelMissing, model_path, shared_wordlm, vocabulary


def test_the_vocabulary_is_read_from_the_end_of_the_model_file() -> None:
    words = shared_wordlm().words
    assert len(words) > 100_000
    assert {"再接再厉", "我们", "政府"} <= words
    assert "<unk>" in words and "" not in words


def test_the_right_phrase_reads_likelier_than_the_slip() -> None:
    model = shared_wordlm()
    assert model.score("我们要再接再厉") > model.score("我们要再接再励") + 3
    text = "他门一起去了"
    assert model.delta(text, 1, "门", "们") > 3  # a slip fixed: the words get much likelier
    text = "关于做好防汛工作的通知"
    assert model.delta(text, 4, "防", "仿") < -3  # a right text broken: much less likely


def test_delta_reads_only_the_words_near_the_change() -> None:
    model = shared_wordlm()
    near = "我们要再接再励"
    far = "今年全县粮食总产量稳定在五十万吨以上，" + near
    assert model.delta(far, len(far) - 4, "再接再励", "再接再厉") == pytest.approx(
        model.delta(near, 3, "再接再励", "再接再厉"))


def test_a_missing_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(wordlm.ENV, raising=False)
    monkeypatch.setattr(wordlm, "_DEFAULT", str(tmp_path / "*" / "zh_CN.lm"))
    with pytest.raises(WordModelMissing, match="libime-data-language-model"):
        model_path()
    monkeypatch.setenv(wordlm.ENV, str(tmp_path / "mine.lm"))
    assert model_path() == tmp_path / "mine.lm"
    junk = tmp_path / "junk.lm"
    junk.write_bytes(b"not a language model")
    with pytest.raises(WordModelMissing, match="no vocabulary"):
        vocabulary(junk)


def test_the_model_file_named_by_the_environment_is_the_one_read(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    mine = tmp_path / "mine.lm"
    mine.symlink_to(model_path())
    monkeypatch.setattr(wordlm, "_DEFAULT", str(tmp_path / "*" / "zh_CN.lm"))  # nothing where Debian puts it
    monkeypatch.setenv(wordlm.ENV, str(mine))
    assert WordModel().words == shared_wordlm().words


def _found(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.suggestion) for t in TypoDetector().check_document(text)]


@pytest.mark.parametrize("text, fix", [
    ("党员干部要正确看待组织安排，不背思想包袱，轻装上阵。", ("不背", "不能")),
    ("市委书记在会上强调，要推动产业转型，实施科教兴药战略。", ("兴药", "火药")),
])
def test_a_fix_the_words_around_it_do_not_want_is_dropped(monkeypatch: pytest.MonkeyPatch, text: str,
                                                          fix: tuple[str, str]) -> None:
    assert _found(text) == []
    monkeypatch.setattr(typos, "WORDS_VETO", -99.0)  # without the veto the word lists take it
    assert _found(text) == [fix]


def test_official_prose_keeps_a_slip_the_words_around_it_want(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "县人民政府有关部门应当在规定期限内办结，并将办理过珵向社会公开。"
    assert _found(text) == [("过珵", "过程")]
    strict = TypoDetector({"confusion_min_gain": 11.0})  # a bar the word lists' evidence does not reach here
    assert [(t.text, t.suggestion) for t in strict.check_document(text)] == [("过珵", "过程")]
    monkeypatch.setattr(typos, "WORDS_GAIN", 99.0)  # without the rescue it passes
    assert strict.check_document(text) == []


def test_plain_prose_keeps_a_slip_all_three_witnesses_back(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "听到这个消息，他真是苦笑不得，只好摇摇头走开了。"  # not official prose: the bar is the highest
    assert _found(text) == [("苦笑不得", "哭笑不得")]
    monkeypatch.setattr(typos, "PLAIN_WORDS", 99.0)  # the words in context alone decide it here
    assert _found(text) == []


def test_the_plain_rescue_leaves_a_form_reaching_into_a_name_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "他早年在维也纳佛罗依德医学院进修。"  # 维也纳佛罗 is a transliteration's span (protect.py)
    detector, seen = TypoDetector(), []
    confirmed = TypoDetector._confirmed

    def spy(self, text, c, bar, official, rescue=True):  # type: ignore[no-untyped-def]
        if c.written == "佛罗依":
            seen.append((c.suggested, rescue, self._all_back(text, c)))
        return confirmed(self, text, c, bar, official, rescue)

    monkeypatch.setattr(TypoDetector, "_confirmed", spy)
    assert detector.check_document(text) == []
    # All three witnesses back 佛罗伦 (Florence), but the form reaches into the name: no rescue.
    assert seen == [("佛罗伦", False, True)]
