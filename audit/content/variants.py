"""Variant characters (异体字) that OpenCC's traditional → simplified table leaves alone.

Real pages mix scripts: a Japanese programme name on a Chinese page writes 硏究所, an old text
writes 衞. These are not slips of the writer's hand but other standards' forms of a common
character, so the typo check reads them as that character. The variants come from OpenCC's own
Hong Kong, Taiwan and Japanese variant tables (shipped in the package), not from a hand list.
`simplified_chars` reads a traditional or mixed-script text in simplified form, character for character.
"""

from __future__ import annotations

from functools import lru_cache

import opencc

from audit.content.charlm import shared_charlm
from core.text import to_simplified

# The CJK Unified Ideographs with extension A: every character a page is likely to hold.
_FIRST, _LAST = 0x3400, 0x9FFF
# OpenCC configurations tried in order: each maps a region's variant to its standard form.
_CONFIGS = ("hk2s", "tw2s", "t2jp")
# A variant is a character the state press rarely prints (RARE times less than its standard form, which
# it prints at least COMMON times): 硏 → 研, but never 兔 → 兎 or 著 → 着, Chinese characters in their own right.
RARE, COMMON = 100, 20


@lru_cache(maxsize=1)
def variant_table() -> dict[int, str]:
    """{code point: standard character} for variants OpenCC's t2s keeps but a variant table changes.

    A mapping is kept only when the standard form is itself left alone by t2s, is common in the People's
    Daily character counts (audit.content.charlm) and the variant is rare there (see RARE).
    """
    seen = shared_charlm().seen
    chars = [chr(c) for c in range(_FIRST, _LAST + 1)]
    # One character per line: OpenCC's phrase tables never see two characters side by side.
    simplified = to_simplified("\n".join(chars)).split("\n")
    kept = [c for c, s in zip(chars, simplified, strict=True) if c == s]
    table: dict[int, str] = {}
    for config in _CONFIGS:
        converted = opencc.OpenCC(config).convert("\n".join(kept)).split("\n")
        for char, other in zip(kept, converted, strict=True):
            if len(other) == 1 and other != char and ord(char) not in table and to_simplified(other) == other \
                    and seen(other) >= max(COMMON, RARE * seen(char)):
                table[ord(char)] = other
    return table


def fold_variants(text: str) -> str:
    """`text` with variant characters replaced by their standard form (same length)."""
    return text.translate(variant_table())


@lru_cache(maxsize=65536)
def _simplified_char(char: str) -> str:
    converted = to_simplified(char)
    return converted if len(converted) == 1 else char


def simplified_chars(text: str) -> str:
    """Traditional → simplified with the same length, so offsets still map back.

    OpenCC's phrase conversion (瞭解 → 了解) when it keeps the length, which is nearly
    always; otherwise one character at a time. Variant characters (硏 → 研) are folded too.
    """
    whole = to_simplified(text)
    if len(whole) == len(text):
        return fold_variants(whole)
    return fold_variants("".join(_simplified_char(c) if "\u3400" <= c else c for c in text))
