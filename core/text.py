"""Text normalisation shared by the pipelines, the index and the rules."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_WS = re.compile(r"\s+")
# Converter artefacts on traditional pages: 瀏覽次數(shù) — a pinyin gloss in parentheses right after a
# character, tone-marked (shù, ń) or tone-numbered (shu4, at most six letters). A tone is required so
# that (APP), (试行) or (2024) are left alone. The only gloss pattern: mentions and page dates use it too.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_PINYIN_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]\s*"
    rf"(?:[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*|[a-zü]{{1,6}}[1-5])"
    r"\s*[)）]"
)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    # "t2s" covers Taiwan and Hong Kong forms well enough for search and matching.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC); other text unchanged."""
    if not text:
        return text
    return _converter().convert(text)


def strip_pinyin_glosses(text: str) -> str:
    """Drop pinyin glosses that page converters insert after characters."""
    return _PINYIN_GLOSS.sub("", text)


def clean_whitespace(text: str) -> str:
    """Collapse all whitespace (including U+3000 and NBSP) to single spaces."""
    return _WS.sub(" ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()
