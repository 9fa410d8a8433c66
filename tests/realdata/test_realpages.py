"""Detectors on real pages written by others, asserted on the held-out part (bench/realeval/corpus.py):
main text, titles, dates, account mentions and spam injections. Skips when ../shared/realdata is absent.

The figures with the tune part, the typo false-alarm rate and ECSpell are printed by bench/realpages.py
(the typo checks are too slow for the suite).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bench.realeval import measures, real_mentions, spam
from bench.realeval.corpus import RealPage, pages
from crawler.pages.page_info import PageInfo, page_info

pytestmark = pytest.mark.realdata


@pytest.fixture
def held_out(realdata: Path) -> list[RealPage]:
    return [p for p in pages(realdata) if p.part == "held-out"]


@cache
def info(raw: bytes) -> PageInfo:
    return page_info(raw)


def test_split_keeps_a_third_held_out(realdata: Path) -> None:
    """The split is fixed by file names: about a third of the pages are never read while tuning."""
    everything = pages(realdata)
    assert 0.2 < sum(p.part == "held-out" for p in everything) / len(everything) < 0.45


def test_main_text_f1_on_held_out_pages(held_out: list[RealPage]) -> None:
    """Main text against the hand-cleaned text: mean character F1 ≥ 0.8 (0.78 with the CMS selectors alone
    on the tune part)."""
    f1 = measures.main_text_f1(held_out, lambda raw: info(raw).body_text)
    assert f1["held-out"] >= 0.8


def test_dates_on_held_out_pages(held_out: list[RealPage]) -> None:
    """Publication days as labelled (UNKNOWN must stay None): at least 70% right."""
    tally = measures.dates(held_out, lambda raw: info(raw).published)
    assert tally.right["held-out"] >= 0.7 * tally.total["held-out"], tally.misses["held-out"]


def test_titles_on_held_out_pages(held_out: list[RealPage]) -> None:
    """Headlines as a reader sees them (bench/labels/titles.tsv): at least 60% exactly right."""
    tally = measures.titles(held_out, lambda raw: info(raw).title)
    assert tally.total["held-out"] >= 10
    assert tally.right["held-out"] >= 0.6 * tally.total["held-out"], tally.misses["held-out"]


def test_mentions_in_real_text_on_both_parts(realdata: Path) -> None:
    """Account mentions a reader sees in real pages, Weibo posts and Bilibili dynamics
    (bench/labels/mentions_real.tsv, 29 labels): recall and precision ≥ 0.8 on both parts. The held-out
    recall was 12/16 when first measured blind; 14/16 after two forms taken from the issue's list (QR
    captions "某某官方微信", "@某某" on a platform's own page), so it is no longer a blind figure."""
    found = real_mentions.score(realdata, lambda raw: info(raw).accounts)
    for part, recall in (("tune", 0.8), ("held-out", 0.8)):
        assert found.labelled[part] >= 10
        assert found.right[part] >= recall * found.labelled[part], found.line(part)
        assert found.right[part] >= 0.8 * found.found[part], found.line(part)


def test_spam_injections_caught_and_real_pages_clean(held_out: list[RealPage]) -> None:
    """Injected porn/gambling lists, top-of-body text and look-alike government links are caught in
    ≥ 95% of held-out pages; no real page is flagged."""
    caught, injected, flagged, real, _ = spam.measure(held_out)
    assert flagged["held-out"] == 0
    assert caught["held-out"] >= 0.95 * injected["held-out"]
