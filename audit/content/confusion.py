"""Character confusions: a character replaced by a look-alike or sound-alike.

A position is flagged only when swapping its character for a confusable one
makes the surrounding text a *much* more likely word sequence under jieba's
word frequencies (a unigram word model over the best segmentation). The
candidates come from dictionary words that differ from the text in exactly
that position, so only replacements that form a real word are tried.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import jieba

from audit.content.bounds import SEPARATOR, Gates, bounded_positions
from audit.content.missing import deletion_index
from audit.content.similar import Similarity, plain_readings

_HAN = re.compile(r"[\u4e00-\u9fff]+")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
MAX_WORD = 4
# Context on each side of the changed character when comparing segmentations.
CONTEXT = 4


@dataclass(frozen=True)
class Confusion:
    """One suspected wrong character: position in the run, the written and the suggested word."""

    index: int
    start: int
    written: str
    suggested: str
    gain: float


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], float]:
    """jieba's word frequencies plus current government vocabulary (data/gov_words.txt)."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    freq = dict(jieba.dt.FREQ)
    for word, count in _gov_counts().items():
        freq[word] = max(freq.get(word) or 0, count)
    return freq, float(jieba.dt.total)


@lru_cache(maxsize=1)
def _gov_counts() -> dict[str, int]:
    """data/gov_words.txt: word → count (200 when not given)."""
    raw = files("audit.content").joinpath("data", "gov_words.txt").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for line in raw.splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            counts[parts[0]] = max(counts.get(parts[0], 0), int(parts[1]) if len(parts) > 1 else 200)
    return counts


@lru_cache(maxsize=1)
def gov_words() -> frozenset[str]:
    """The current government vocabulary of data/gov_words.txt (营商环境, 最多跑一次)."""
    return frozenset(_gov_counts())


def word_counts() -> dict[str, int]:
    """jieba's word counts with the government vocabulary (shared, built once)."""
    return _dictionary()[0]


class ConfusionModel:
    """Word-frequency model plus confusion sets (same or fuzzy pinyin, shared components)."""

    def __init__(self, min_word_freq: int = 3) -> None:
        self.freq, total = _dictionary()
        self.log_total = math.log(total)
        self.unknown = -self.log_total  # jieba's floor: an unknown single character counts once
        # log p of every known word, computed once: the scan reads it a few times per character.
        self.word_logp = {w: math.log(c) - self.log_total for w, c in self.freq.items() if c and c > 0}
        self.holes = _hole_index(self.freq, self.log_total, min_word_freq)
        # The most likely word of each length: a window whose own best reading is within
        # min_gain of it cannot be beaten by any replacement (checked before building keys).
        self.gates = Gates([(w, v) for w, v in self.word_logp.items()
                            if 2 <= len(w) <= MAX_WORD and self.freq[w] >= min_word_freq and _HAN.fullmatch(w)],
                           {w: v for w, v in self.word_logp.items() if len(w) == 1}, self.word_logp)
        self.deletions = deletion_index(self.freq)
        self.similarity = Similarity({char for key in self.holes for char in key if char != "?"})
        self._by_reading: dict[str, set[str]] | None = None

    def logp(self, word: str) -> float:
        count = self.freq.get(word) or 0
        return math.log(count) - self.log_total if count > 0 else self.unknown

    def best_logp(self, text: str) -> float:
        """Log-probability of the most likely segmentation of `text` (jieba's DAG route)."""
        return self._route(text)[0][-1]

    def gain(self, text: str, start: int, written: str, fix: str, reach: int = CONTEXT) -> float:
        """How much likelier (natural log) `reach` characters each side of the change read with `written` at
        `start` replaced by `fix` (ModernWords.gain asks the same of today's words)."""
        lo, end = max(0, start - reach), start + len(written)
        return self.best_logp(text[lo:start] + fix + text[end : end + reach]) - self.best_logp(text[lo : end + reach])

    def segment(self, text: str) -> list[str]:
        """The words of the most likely segmentation of `text`."""
        _, sizes = self._route(text)
        words, end = [], len(text)
        while end > 0:
            words.append(text[end - sizes[end] : end])
            end -= sizes[end]
        return words[::-1]

    def _route(self, text: str) -> tuple[list[float], list[int]]:
        return best_route(self.word_logp, self.unknown, text)

    def fluency(self, text: str, start: int, end: int, fix: str, reach: int = 10) -> tuple[float, float]:
        """How well the text reads with text[start:end] replaced by `fix`: (log p per Han character,
        share of single-character words) over `reach` characters each side.

        A slip in fluent official prose leaves fluent prose once fixed; a rare name, a foreign
        name or classical wording leaves a run of single characters whatever is changed.
        """
        fixed = text[max(0, start - reach) : start] + fix + text[end : end + reach]
        total, chars, words, singles = 0.0, 0, 0, 0
        for run in _HAN.findall(fixed):
            found = self.segment(run)
            total += self.best_logp(run)
            chars += len(run)
            words += len(found)
            singles += sum(len(w) == 1 for w in found)
        return total / max(1, chars), singles / max(1, words)

    def confusable(self, a: str, b: str) -> bool:
        """Same or fuzzy pinyin, or a shared distinctive component (很/银, 呆/保)."""
        return b in self.similarity.similar(a)

    def candidates(self, run: str, i: int) -> set[str]:
        """Characters that, put at position i, complete a dictionary word covering i."""
        found: set[str] = set()
        for size in range(2, MAX_WORD + 1):
            for start in range(max(0, i - size + 1), min(i, len(run) - size) + 1):
                window = run[start : start + size]
                key = window[: i - start] + "?" + window[i - start + 1 :]
                found.update(char for _, char in self.holes.get(key, ()))
        found.discard(run[i])
        return found & self.similarity.similar(run[i])

    def homophones(self, char: str) -> set[str]:
        """Common characters read exactly like `char` (for misspelt names: 习近萍)."""
        if self._by_reading is None:
            self._by_reading = defaultdict(set)
            for word, count in self.freq.items():
                if len(word) == 1 and count >= 50 and _HAN.fullmatch(word):
                    for reading in plain_readings(word):
                        self._by_reading[reading].add(word)
        found: set[str] = set()
        for reading in plain_readings(char):
            found |= self._by_reading.get(reading, set())
        found.discard(char)
        return found

    def scan(self, run: str, min_gain: float, skip: Container[int] = frozenset(),
             rank: Callable[[Confusion], float] | None = None) -> list[Confusion]:
        """Suspected wrong characters in `run` (any text; only its Han characters are read), best gain
        first where they overlap; offsets index `run`.

        A position is reported when its best replacement gains at least
        `min_gain` (natural log of the likelihood ratio); positions in `skip`
        (known names, list hits) never are. One pass over the text's windows finds
        the few positions where any replacement could gain that much (see
        `audit.content.bounds`); only those are scored in full. Where two overlap, the one with
        the larger `rank` (default: the gain) is kept.
        """
        han = _NOT_HAN.sub(SEPARATOR, run)  # same length: offsets still index the input
        found = [c for i, chars in bounded_positions(self, han, min_gain, skip).items()
                 for c in [self._best(han, i, min_gain, chars)] if c is not None]
        kept: list[Confusion] = []
        taken: set[int] = set()
        for c in sorted(found, key=(lambda c: -c.gain) if rank is None else (lambda c: -rank(c))):
            span = range(c.start, c.start + len(c.written))
            if taken.isdisjoint(span):
                kept.append(c)
                taken.update(span)
        return sorted(kept, key=lambda c: c.start)

    def _best(self, run: str, i: int, min_gain: float, chars: set[str] | None = None) -> Confusion | None:
        """The replacement at i with the largest gain of at least `min_gain`, among `chars` (else all candidates)."""
        lo, hi = max(0, i - CONTEXT), min(len(run), i + CONTEXT + 1)
        local = run[lo:hi]
        base = self.best_logp(local)
        best: tuple[float, str] | None = None
        for char in self.candidates(run, i) if chars is None else chars:
            changed = local[: i - lo] + char + local[i - lo + 1 :]
            gain = self.best_logp(changed) - base
            if gain >= min_gain and (best is None or gain > best[0]):
                best = (gain, char)
        return self._confusion(run, i, best[1], best[0]) if best else None

    def _confusion(self, run: str, i: int, char: str, gain: float) -> Confusion:
        lo = max(0, i - MAX_WORD + 1)
        written = run[lo : i + MAX_WORD]
        fixed = written[: i - lo] + char + written[i - lo + 1 :]
        for size in range(MAX_WORD, 1, -1):  # report the longest dictionary word the fix forms
            for start in range(max(0, i - size + 1), min(i, len(run) - size) + 1):
                if self.freq.get(fixed[start - lo : start - lo + size]):
                    return Confusion(i, start, run[start : start + size], fixed[start - lo : start - lo + size], gain)
        return Confusion(i, i, run[i], char, gain)


def _hole_index(freq: dict[str, int], log_total: float, min_word_freq: int) -> dict[str, tuple[tuple[float, str], ...]]:
    """"大?据" → ((log p(大数据), "数"), ...), most likely first, for Han words of 2-4 characters seen
    at least `min_word_freq` times: the words a replacement may form."""
    holes: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for word, count in freq.items():
        if count >= min_word_freq and 2 <= len(word) <= MAX_WORD and _HAN.fullmatch(word):
            entry_logp = math.log(count) - log_total
            for j in range(len(word)):
                holes[word[:j] + "?" + word[j + 1 :]].append((entry_logp, word[j]))
    return {key: tuple(sorted(entries, reverse=True)) for key, entries in holes.items()}


def best_route(word_logp: dict[str, float], unknown: float, text: str) -> tuple[list[float], list[int]]:
    """Best log p of each prefix of `text` under a unigram word model (jieba's DAG route: words of up to
    MAX_WORD characters, an unknown character at `unknown`), and the size of the last word on that route."""
    logp = word_logp.get
    best, sizes = [0.0], [0]
    for end in range(1, len(text) + 1):
        score, last = best[end - 1] + logp(text[end - 1], unknown), 1
        for size in range(2, min(MAX_WORD, end) + 1):
            word = logp(text[end - size : end])
            if word is not None and best[end - size] + word > score:
                score, last = best[end - size] + word, size
        best.append(score)
        sizes.append(last)
    return best, sizes


def han_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, run) for each run of Han characters in `text`."""
    for match in _HAN.finditer(text):
        yield match.start(), match.group()


@lru_cache(maxsize=1)
def shared_model() -> ConfusionModel:
    """One confusion model per process (building it reads jieba's dictionary, ~3 s)."""
    return ConfusionModel()
