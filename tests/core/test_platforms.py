"""One platform vocabulary: every word, host and label names a known platform."""

from __future__ import annotations

import re
from pathlib import Path

from core.platforms import PLATFORM_HOSTS, PLATFORM_LABELS, PLATFORM_WORDS, PLATFORMS, REGISTRY_ONLY_WORDS
from crawler.pages import mention_forms


def test_every_table_maps_to_known_platforms_and_every_platform_has_a_label() -> None:
    for table in (PLATFORM_WORDS, REGISTRY_ONLY_WORDS, PLATFORM_HOSTS):
        assert set(table.values()) <= set(PLATFORMS)
    assert set(PLATFORM_LABELS) == set(PLATFORMS)


def test_words_the_mention_forms_match_are_page_words() -> None:
    """mention_forms' regexes pick a subset of the page words; each must be in the one table."""
    source = Path(mention_forms.__file__).read_text(encoding="utf-8")
    words = {w for group in re.findall(r"\(\?P<word>([^)]*)\)", source) for w in group.split("|")}
    assert words and words <= set(PLATFORM_WORDS)
