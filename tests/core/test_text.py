"""Text normalisation: pinyin glosses from converters."""

from __future__ import annotations

import pytest

from core.text import strip_pinyin_glosses


@pytest.mark.parametrize(("raw", "clean"), [
    ("瀏覽次數(shù)：25", "瀏覽次數：25"),
    ("瀏覽次數(shù)", "瀏覽次數"),
    ("字號（hào）大", "字號大"),
    ("下载政务APP(APP)", "下载政务APP(APP)"),
    ("管理办法(试行)", "管理办法(试行)"),
    ("第(3)条", "第(3)条"),
])
def test_only_tone_marked_glosses_after_a_character_are_removed(raw: str, clean: str) -> None:
    assert strip_pinyin_glosses(raw) == clean
