"""bench/realpages.py's typo lines: alarms per 10,000 characters per part, then a count per rule that names no
alarm's text (the held-out part's alarms are never read), and the tune part's alarms only under --misses."""

from __future__ import annotations

import argparse

from bench.realeval.sections import _alarm_lines


def test_alarm_lines_count_each_rule_and_quote_the_tune_part_only_when_asked() -> None:
    found = {"tune": (2, 20_000, ["页面甲 成伪→成为 (content.typo.confusion) …改造成伪基站…",
                                  "页面乙 再接再励→再接再厉 (content.typo.dictionary)"]),
             "held-out": (3, 10_000, ["x (content.typo.confusion)", "y (content.typo.confusion)",
                                      "z (content.typo.letter_in_number)"])}
    lines = _alarm_lines(found, argparse.Namespace(part=None, misses=False), "on real main text")
    assert lines == ["typo false alarms on real main text, tune: 2 in 20000 chars = 1.00 per 10,000 chars "
                     "(confusion 1, dictionary 1)",
                     "typo false alarms on real main text, held-out: 3 in 10000 chars = 3.00 per 10,000 chars "
                     "(confusion 2, letter_in_number 1)"]
    shown = _alarm_lines(found, argparse.Namespace(part="tune", misses=True), "on real main text")
    assert len(shown) == 3 and "改造成伪基站" in shown[1] and not any("held-out" in line for line in shown)
