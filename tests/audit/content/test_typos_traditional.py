"""Traditional-Chinese text is not a typo of its simplified form; real errors in it still are."""

from __future__ import annotations

from audit.content.typos import TypoDetector
from audit.content.variants import simplified_chars


def test_traditional_text_is_checked_in_simplified_form_without_false_alarms() -> None:
    text = "政務新媒體矩陣 首頁 如有疑問可撥打熱線，堅持落實上級部署，跟蹤問效。請瞭解詳情。"
    assert TypoDetector().check_document(text) == []


def test_a_real_error_in_traditional_text_is_reported_with_the_input_characters_and_offset() -> None:
    text = "各部門要想法設法解決群眾困難"
    (typo,) = TypoDetector().check_document(text)
    assert typo.text == text[typo.offset:typo.offset + len(typo.text)]
    assert typo.suggestion == "想方设法" and typo.text == "想法設法"


def test_character_level_conversion_keeps_length_so_offsets_map_back() -> None:
    text = "瀏覽次數 臺灣 乾淨 abc１２３"
    assert len(simplified_chars(text)) == len(text)
    assert simplified_chars("首頁") == "首页"
