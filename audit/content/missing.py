"""A character missing from a set phrase: 高度视 for 高度重视, 贯彻实 for 贯彻落实.

Set phrases are the dictionary's four-character words seen often enough (idioms, and the
official phrases of data/gov_words.txt). Each one, less its second or third character, is a key
of the deletion index (less its first or last, it is mostly another word: 也就是, 日涅夫). One pass over the text's three-character windows looks the keys up; a window that is not
a word itself, and where putting the whole phrase back makes the text around it much more likely
(the same gain as for a wrong character), is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container
from typing import NamedTuple, Protocol

from audit.content.bounds import SEPARATOR

_HAN4 = re.compile(r"[\u4e00-\u9fff]{4}")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
# A four-character word seen this often is a set phrase (jieba counts; data/gov_words.txt gives 200).
MIN_COUNT = 50
CONTEXT = 4


class Missing(NamedTuple):
    """A set phrase written without one of its characters: where, as written, the phrase, the gain."""

    start: int
    written: str
    suggested: str
    gain: float


def deletion_index(freq: dict[str, int], min_count: int = MIN_COUNT) -> dict[str, tuple[str, ...]]:
    """"高度视" → ("高度重视",): every set phrase less one of its characters."""
    index: dict[str, set[str]] = defaultdict(set)
    for word, count in freq.items():
        if count and count >= min_count and _HAN4.fullmatch(word):
            for j in (1, 2):  # inside the phrase: a missing first or last one is a different word
                index[word[:j] + word[j + 1 :]].add(word)
    return {key: tuple(sorted(words)) for key, words in index.items()}


class PhraseModel(Protocol):
    """What the check reads of confusion.ConfusionModel (which imports this module, so it is not imported here)."""

    deletions: dict[str, tuple[str, ...]]
    word_logp: dict[str, float]

    def best_logp(self, text: str) -> float:
        """Log-probability of the most likely segmentation of `text`."""
        ...


def missing_characters(model: PhraseModel, text: str, min_gain: float, skip: Container[int]) -> list[Missing]:
    """Three-character windows of `text` that are a set phrase less one character, with a gain of at
    least `min_gain` for putting the phrase back; offsets index `text`."""
    han = _NOT_HAN.sub(SEPARATOR, text)
    get, n, found = model.deletions.get, len(han), []
    for start in range(n - 2):
        phrases = get(han[start : start + 3])
        if phrases is None or han[start : start + 3] in model.word_logp \
                or any(k in skip for k in range(start, start + 3)):
            continue
        lo, hi = max(0, start - CONTEXT), min(n, start + 3 + CONTEXT)
        base = model.best_logp(han[lo:hi])
        for phrase in phrases:
            if han.startswith(phrase, start) or (start and han.startswith(phrase, start - 1)):
                continue  # the phrase is there, whole
            gain = model.best_logp(han[lo:start] + phrase + han[start + 3 : hi]) - base
            if gain >= min_gain:
                found.append(Missing(start, han[start : start + 3], phrase, gain))
                break
    return found
