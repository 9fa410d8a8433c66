"""Pins the name normalisation used by registry matching and impersonation checks."""

from __future__ import annotations

import pytest

from audit.names import decorations_of, normalise_name, pinyin_key, strip_decorations


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("【永州人社】", "永州人社"),  # brackets are decoration
        ("「上海发布」", "上海发布"),
        ("永州\u200b人社", "永州人社"),  # zero-width space
        ("永\u200d州\ufeff人\u2060社", "永州人社"),  # joiner, BOM, word joiner
        ("永州人社🌟", "永州人社"),  # emoji
        ("永州人社\ufe0f✅", "永州人社"),  # variation selector + emoji
        ("上海·发布", "上海发布"),
        ("上海_发布 - ", "上海发布"),
        ("廣州公安", "广州公安"),  # traditional → simplified
        ("中华人民共和囯", "中华人民共和国"),  # variant character
        ("佈告", "布告"),
        ("ＹＯＮＧＺＨＯＵ发布", "yongzhou发布"),  # full-width Latin, lower-cased
        ("永州发布２０２４", "永州发布2024"),  # full-width digits
        ("⼈民日报", "人民日报"),  # Kangxi radical ⼈ (U+2F08)
        ("", ""),
    ],
)
def test_normalise_name_folds_to_identity_form(raw: str, expected: str) -> None:
    """normalise_name folds width, script, variants, invisibles and punctuation; nothing else."""
    assert normalise_name(raw) == expected


def test_normalise_name_keeps_decorative_words() -> None:
    """Decorative words are part of the identity form: 永州人社官微 is not the name 永州人社."""
    assert normalise_name("永州人社官微") == "永州人社官微"


@pytest.mark.parametrize(
    ("normalised", "core"),
    [
        ("永州人社官微", "永州人社"),
        ("永州人社官方账号2024", "永州人社"),
        ("官方永州发布", "永州发布"),
        ("2024永州发布", "永州发布"),
        ("官方", "官方"),  # never strips a name to nothing
        ("永州发布", "永州发布"),
    ],
)
def test_strip_decorations(normalised: str, core: str) -> None:
    """strip_decorations removes prefixes/suffixes such as 官方/官微/years, repeatedly."""
    assert strip_decorations(normalised) == core


def test_decorations_of_reports_what_was_removed() -> None:
    """decorations_of names the removed decoration for a reason text, empty when none."""
    assert decorations_of("永州人社官微") == "官微"
    assert decorations_of("永州人社") == ""


def test_pinyin_key_is_tone_insensitive_and_keeps_latin() -> None:
    """Homophones and pinyin-in-Latin share one key; a different syllable does not."""
    assert pinyin_key("永洲人社") == pinyin_key("永州人社") == "yongzhourenshe"
    assert pinyin_key(normalise_name("ＹＯＮＧＺＨＯＵ发布")) == pinyin_key("永州发布")
    assert pinyin_key("永安人社") != pinyin_key("永州人社")


def test_normalise_name_keeps_exactly_the_letters_and_digits_of_the_normalised_text() -> None:
    """The translate table (filled on first sight of a character) keeps what a category test keeps."""
    import unicodedata

    from core.names import _INVISIBLE, _VARIANT_TABLE
    from core.text import to_simplified

    def by_category(name: str) -> str:
        text = to_simplified(unicodedata.normalize("NFKC", name).translate(_INVISIBLE)).translate(_VARIANT_TABLE)
        return "".join(ch for ch in text.lower() if unicodedata.category(ch)[0] in "LN")

    names = [chr(c) + "永州 ★【官方】\u200b２０２４" + chr(c + 1) for c in range(0x20, 0x3100, 3)]
    names += ["", "🙂發佈", "Ⅻ②½", "a_b-c·d", "零陵公安局\ufe0f"]
    assert [normalise_name(n) for n in names] == [by_category(n) for n in names]
    assert normalise_name("【永州·发布】官方 2024") == "永州发布官方2024"
