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

wordfreq's sources are mostly subtitles, Wikipedia and the web; news and official prose are a small
part, and their terms (寄递, 脱密期, 直报) are rare there. So the witness asks a second modern list too,
JioNLP's word distribution (`jionlp`, pinned; Apache-2.0): word counts over about 6.2 billion words of
Chinese text cut by jieba, words under a probability of 1e-6 left out, shipped zipped inside the
package. A fix gains what the lesser of the two lists grants: both must find the text likelier fixed.
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, distribution

from audit.content.confusion import MAX_WORD, best_route

_HAN = re.compile(r"[\u4e00-\u9fff]+")
# A character wordfreq has never seen counts as this much less likely than its rarest word.
UNSEEN_PENALTY = 2.0


class ModernWords:
    """Log-probabilities of Han words of 1..MAX_WORD characters, and the best route through a text."""

    def __init__(self, freq: dict[str, float], also: ModernWords | None = None) -> None:
        self.logp = {w: math.log(f) for w, f in freq.items() if f > 0 and len(w) <= MAX_WORD and _HAN.fullmatch(w)}
        self.unknown = min(self.logp.values(), default=-20.0) - UNSEEN_PENALTY
        self.also = also  # a second list that must agree: gain() is the lesser of the two

    def best_logp(self, text: str) -> float:
        """Log p of the most likely segmentation of `text` (non-Han characters read as unknown)."""
        return best_route(self.logp, self.unknown, text)[0][-1]

    def gain(self, text: str, start: int, written: str, fix: str, reach: int = 4) -> float:
        """How much likelier (natural log) `reach` characters each side of the change read with
        `written` at `start` replaced by `fix`."""
        lo, end = max(0, start - reach), start + len(written)
        before, after = text[lo:start], text[end : end + reach]
        own = self.best_logp(before + fix + after) - self.best_logp(before + written + after)
        return own if self.also is None else min(own, self.also.gain(text, start, written, fix, reach))

    def witness(self, text: str, index: int, char: str) -> float:
        """The gain of putting `char` at `index` (one character changed), read over 4 characters each side."""
        return self.gain(text, index, text[index], char)

    def known(self, word: str) -> bool:
        """Whether the first list (wordfreq's) lists `word`."""
        return word in self.logp


class WordListMissing(RuntimeError):
    """Raised when the jionlp package, whose word distribution is the second list, is not installed."""


NEWS_FILE = "jionlp/dictionary/word_distribution.zip"


def news_frequencies() -> dict[str, float]:
    """JioNLP's word distribution as frequencies. Read from the installed distribution's files: importing
    jionlp itself would load its segmenter and print a banner."""
    try:
        path = distribution("jionlp").locate_file(NEWS_FILE)
    except PackageNotFoundError:
        raise WordListMissing("the jionlp package is not installed (make setup installs it)") from None
    with zipfile.ZipFile(str(path)) as archive:  # one ["word", count] a line
        pairs = [json.loads(line) for line in archive.read(archive.namelist()[0]).decode("utf-8").splitlines()]
    total = sum(count for _, count in pairs)
    return {word: count / total for word, count in pairs}


@lru_cache(maxsize=1)
def shared_modern() -> ModernWords:
    """One model per process, read from the installed wordfreq and jionlp packages on first use (~3 s)."""
    from wordfreq import get_frequency_dict  # imported late: the import itself reads its tables

    return ModernWords(get_frequency_dict("zh", wordlist="large"), also=ModernWords(news_frequencies()))
