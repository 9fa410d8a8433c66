"""A word trigram model of modern Chinese: does a fix make the words around it likelier?

The third witness of the typo detector. The word-frequency model (audit.content.confusion) and
wordfreq's list (audit.content.modern) know words one at a time, and the character model
(audit.content.charlm) knows the People's Daily of 1998. This one knows which words follow which
in modern text: it is the language model of the fcitx5 input method (Debian's
`libime-data-language-model`: a KenLM trigram over 164,887 words, built by the fcitx project,
LGPL-2.1+), read with the `kenlm` package. Nothing is downloaded: both come from package registries.

A text has no spaces, so it is scored by its likeliest reading: a Viterbi pass over every way of
cutting it into the model's words (a character it does not know is one unknown word).
"""

from __future__ import annotations

import glob
import os
import re
from functools import lru_cache
from pathlib import Path

import kenlm

_HAN = re.compile(r"[\u4e00-\u9fff]")
ENV = "GOVWATCH_WORDLM"
_DEFAULT = "/usr/lib/*/libime/zh_CN.lm"
LONGEST = 8  # the longest word tried; longer vocabulary words are rare and set phrases
BEAM = 4  # readings kept at each position
# How far on each side of a change the words are read.
REACH = 4


class WordModelMissing(RuntimeError):
    """Raised when the model file is not installed (scripts/setup.sh installs it)."""


def model_path() -> Path:
    """`$GOVWATCH_WORDLM`, or where Debian's libime-data-language-model puts zh_CN.lm."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    found = sorted(glob.glob(_DEFAULT))
    if not found:
        raise WordModelMissing(f"no word language model at {_DEFAULT}: install Debian's "
                               f"libime-data-language-model (make setup) or set {ENV}")
    return Path(found[0])


def vocabulary(path: Path) -> frozenset[str]:
    """The model's words: a KenLM binary file ends with them, NUL-separated, from <unk> on."""
    data = path.read_bytes()
    start = data.rfind(b"\x00<unk>\x00") + 1
    if start == 0:
        raise WordModelMissing(f"{path}: no vocabulary at the end (not a KenLM binary with words)")
    return frozenset(w.decode("utf-8") for w in data[start:].split(b"\x00") if w)


class WordModel:
    """Log10 probabilities of texts under their likeliest cut into the model's words."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_path()
        self.lm = kenlm.Model(str(path))
        self.words = vocabulary(path)

    def score(self, text: str) -> float:
        """Log10 probability of the likeliest reading of `text` (no sentence start or end)."""
        lm, words = self.lm, self.words
        start = kenlm.State()
        lm.NullContextWrite(start)
        # readings[i]: up to BEAM (score, state) pairs that end at character i
        readings: list[list[tuple[float, kenlm.State]]] = [[] for _ in range(len(text) + 1)]
        readings[0] = [(0.0, start)]
        for i in range(len(text)):
            # Every reading ending at i is in by now (a single character always extends): keep the best.
            here = sorted(readings[i], key=lambda r: -r[0])[:BEAM]
            for j in range(i + 1, min(len(text), i + LONGEST) + 1):
                word = text[i:j]
                if j > i + 1 and word not in words:
                    continue
                for score, state in here:
                    after = kenlm.State()
                    readings[j].append((score + lm.BaseScore(state, word, after), after))
        return max(score for score, _ in readings[-1])

    def delta(self, text: str, start: int, written: str, fix: str, reach: int = REACH) -> float:
        """How much likelier (log10) the words around `written` at `start` read with `fix`."""
        lo, hi = start, start + len(written)
        # The window stops at punctuation, digits and Latin: the model has no words for them.
        while lo > max(0, start - reach) and _HAN.match(text[lo - 1]):
            lo -= 1
        while hi < min(len(text), start + len(written) + reach) and _HAN.match(text[hi]):
            hi += 1
        before = text[lo:hi]
        after = text[lo:start] + fix + text[start + len(written) : hi]
        return self.score(after) - self.score(before)


@lru_cache(maxsize=1)
def shared_wordlm() -> WordModel:
    """The process's model (KenLM memory-maps the file; loading with the vocabulary takes about 0.1 s)."""
    return WordModel()
