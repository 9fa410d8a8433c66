"""bench/realpages.py's typo lines: alarms per 10,000 characters per part, then a count per rule that names no
alarm's text (the held-out part's alarms are never read), the tune part's alarms only under --misses, how many
findings were labelled real slips (bench/labels/real_typos.tsv) and left out of the count, and the as-read count
taken from `check page`'s own page_findings."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import pytest

from audit.content.typos import Typo
from bench.realeval import measures, sections
from bench.realeval.corpus import RealPage, part_of
from bench.realeval.sections import _alarm_lines

FOUND = {"tune": (2, 20_000, ["页面甲 成伪→成为 (content.typo.confusion) …改造成伪基站…",
                              "页面乙 再接再励→再接再厉 (content.typo.dictionary)"],
                  Counter({"content.typo.confusion": 1, "content.typo.dictionary": 1}), 4),
         "held-out": (3, 10_000, ["页面丙 某甲→某乙 (content.typo.confusion) …不可读出的正文…",
                                  "页面丁 某丙→某丁 (content.wording_error.forbidden)",
                                  "页面戊 2O19→2019 (content.typo.letter_in_number)"],
                      Counter({"content.typo.confusion": 1, "content.wording_error.forbidden": 1,
                               "content.typo.letter_in_number": 1}), 0)}


def test_alarm_lines_count_each_rule_without_its_text() -> None:
    lines = _alarm_lines(FOUND, argparse.Namespace(part=None, misses=False), "on real main text")
    assert lines == ["typo false alarms on real main text, tune: 2 in 20000 chars = 1.00 per 10,000 chars "
                     "(confusion 1, dictionary 1); 4 more found real slips (bench/labels/real_typos.tsv)",
                     "typo false alarms on real main text, held-out: 3 in 10000 chars = 3.00 per 10,000 chars "
                     "(confusion 1, letter_in_number 1, wording_error.forbidden 1); 0 more found real slips "
                     "(bench/labels/real_typos.tsv)"]


@pytest.mark.parametrize("part", [None, "tune", "held-out"])
def test_only_the_tune_parts_alarms_are_quoted_and_only_under_misses(part: str | None) -> None:
    shown = "\n".join(_alarm_lines(FOUND, argparse.Namespace(part=part, misses=True), "x"))
    assert ("改造成伪基站" in shown) == (part != "held-out")
    assert not any(word in shown for word in ("页面丙", "某甲", "不可读出的正文", "页面丁", "页面戊"))


def _one_page(tmp_path: Path) -> RealPage:
    """A tune-part cwced page with its cleaned main text, under `tmp_path`."""
    name = next(f"p{k}.html" for k in range(100) if part_of(f"p{k}.html") == "tune")
    (tmp_path / "cwced" / "original").mkdir(parents=True)
    (tmp_path / "cwced" / "cleaned").mkdir()
    (tmp_path / "cwced" / "original" / name).write_text(
        "<html><head><title>通知</title></head><body><p>各单位再接再励。</p></body></html>", encoding="utf-8")
    (tmp_path / "cwced" / "cleaned" / name.replace(".html", ".txt")).write_text("各单位再接再励。", encoding="utf-8")
    return RealPage("cwced/original", name, tmp_path)


def test_the_as_read_count_is_what_page_findings_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, asked = _one_page(tmp_path), []

    def page_findings(info, url, settings):  # noqa: ANN001, ANN202
        asked.append(info.title)
        return [Typo("甲乙", "甲丙", 0, "content.typo.confusion", "typo")] * 2, None

    monkeypatch.setattr(sections, "page_findings", page_findings)
    lines = sections._typos_as_read([page], argparse.Namespace(part="tune", misses=False))
    assert asked == ["通知"]
    assert lines == [f"typo false alarms as check page reads the HTML (title + extracted main text), tune: 2 in "
                     f"{len('通知') + 1 + len('各单位再接再励。')} chars = {20_000 / 11:.2f} per 10,000 chars (confusion 2); "
                     "0 more found real slips (bench/labels/real_typos.tsv)"]


def test_a_labelled_real_slip_is_no_false_alarm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _one_page(tmp_path)
    slip = Typo("再接再励", "再接再厉", 3, "content.typo.dictionary", "typo")
    other = Typo("单位", "单元", 1, "content.typo.confusion", "typo")
    monkeypatch.setattr(measures, "read_labels", lambda name: iter(
        [{"page": page.key, "text": "再接再励", "suggestion": "再接再厉"}] if name == "real_typos.tsv" else []))
    alarms, chars, quotes, rules, slips = measures.typo_alarms([page], lambda text: [slip, other, slip])["tune"]
    assert (alarms, chars, slips) == (1, len("各单位再接再励。"), 2)
    assert rules == Counter({"content.typo.confusion": 1}) and len(quotes) == 1 and "单位→单元" in quotes[0]
