"""A second, modern word model: wordfreq's Chinese word frequencies.

The confusion scan (audit.content.confusion) reads jieba's dictionary (built around 2012) and the
context bonus a character model of the People's Daily of January 1998 (audit.content.charlm). Both
miss today's official vocabulary (研判, 小微, 网格化) and take it for slips. `wordfreq` (pinned in
pyproject.toml) ships, inside the package, a list of about 335,000 Chinese words with their
frequencies in Wikipedia, subtitles, news, books and the web up to about 2021 (`large_zh`): read
with `get_frequency_dict`, which opens the package's own file; nothing is downloaded.

`ModernWords.gain` scores a fix the way the confusion model does, over the most likely
segmentation of the text around it (a unigram word model, jieba's route), so the two models are
independent witnesses of the same question: does the text read as more likely words once fixed?
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from audit.content.confusion import MAX_WORD, best_route

_HAN = re.compile(r"[\u4e00-\u9fff]+")
# A character wordfreq has never seen counts as this much less likely than its rarest word.
UNSEEN_PENALTY = 2.0


class ModernWords:
    """Log-probabilities of Han words of 1..MAX_WORD characters, and the best route through a text."""

    def __init__(self, freq: dict[str, float]) -> None:
        self.logp = {w: math.log(f) for w, f in freq.items() if f > 0 and len(w) <= MAX_WORD and _HAN.fullmatch(w)}
        self.unknown = min(self.logp.values(), default=-20.0) - UNSEEN_PENALTY

    def best_logp(self, text: str) -> float:
        """Log p of the most likely segmentation of `text` (non-Han characters read as unknown)."""
        return best_route(self.logp, self.unknown, text)[0][-1]

    def gain(self, text: str, start: int, written: str, fix: str, reach: int = 4) -> float:
        """How much likelier (natural log) `reach` characters each side of the change read with
        `written` at `start` replaced by `fix`."""
        lo, end = max(0, start - reach), start + len(written)
        before, after = text[lo:start], text[end : end + reach]
        return self.best_logp(before + fix + after) - self.best_logp(before + written + after)

    def witness(self, text: str, index: int, char: str) -> float:
        """The gain of putting `char` at `index` (one character changed), read over 4 characters each side."""
        return self.gain(text, index, text[index], char)

    def known(self, word: str) -> bool:
        """Whether wordfreq lists `word`."""
        return word in self.logp


@lru_cache(maxsize=1)
def shared_modern() -> ModernWords:
    """One model per process, read from the installed wordfreq package on first use (~2 s)."""
    from wordfreq import get_frequency_dict  # imported late: the import itself reads its tables

    return ModernWords(get_frequency_dict("zh", wordlist="large"))
