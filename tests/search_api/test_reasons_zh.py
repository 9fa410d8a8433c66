"""The Chinese reasons table: each line translates its reason and keeps the names it carries."""

from __future__ import annotations

import pytest

from search_api.reasons_zh import TABLE, reason_zh

LINES = [line.split(" | ") for line in TABLE.strip().splitlines()]


@pytest.mark.parametrize(("english", "zh"), LINES, ids=[e for e, _ in LINES])
def test_each_line_translates_and_keeps_names(english: str, zh: str) -> None:
    names = ["无锡发布", "锡→钖"][: english.count("{}")]
    assert reason_zh(english.format(*names)) == zh.format(*names)


def test_unknown_reason_and_partial_match_are_not_translated() -> None:
    assert reason_zh("something new") == ""
    assert reason_zh("account not verified, twice") == ""  # anchored: no prefix match
