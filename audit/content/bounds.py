"""Which positions of a run could hold a wrong character: one linear pass, no per-position search.

The confusion model scores a replacement by how much more likely the best segmentation of the
text around it becomes. That gain is bounded: in the changed text, the segment covering the
changed position is some dictionary word u (or the new character alone), and the rest of the
segmentation was available before. So

    gain <= log p(u) - best log p(the same span as written)

The pass computes the best reading of every 2-, 3- and 4-character window once (a small dynamic
programme over the window's own words, carried along the text). Gate tables (the best word left
for each way a window can hold a hole) say whether a window leaves room for a gain of `min_gain`;
only then, and only for the holes whose own gate leaves that room, is the hole index ("大?据" →
words, most likely first) asked. Ordinary text costs one look-up of its pair of characters per
character (the pair table holds the word it spells, its gates and whether a longer word starts
with it: a 3- or 4-character window is looked up only then), and the model scores in full only
the (position, character) pairs that pass the bound: the same findings as scoring every position
with every candidate (u is one of the words candidates come from; a gain from the new character
alone, or from a word seen fewer times than candidates need, is not looked for).
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Iterable, Mapping
from typing import Any, Protocol

from audit.content.similar import Similarity

_NONE = -math.inf
# Stands for every character that is not Han: no word contains it, and a window holding one
# reads as impossibly likely, so it is never opened. One pass then covers a whole text.
SEPARATOR = "|"
_APART = 1e9
_UNBROKEN = re.compile(r"[^|]{2,}")  # a run between separators (SEPARATOR), long enough for a window


class Gates:
    """For each way a window can hold a hole, the best log p among the words that fit what is left:
    a window is looked at closely only when one of these leaves room for `min_gain`."""

    def __init__(self, words: Iterable[tuple[str, float]], chars: dict[str, float],
                 known: Mapping[str, float]) -> None:
        self.char = {**chars, SEPARATOR: _APART}.get  # log p of one character
        self.end2: dict[str, float] = {}  # ?X → X
        self.start2: dict[str, float] = {}  # X? → X
        self.pre3: dict[str, float] = {}  # XY? → XY
        self.suf3: dict[str, float] = {}  # ?XY → XY
        self.out3: dict[str, float] = {}  # X?Y → XY
        self.pre4: dict[str, float] = {}  # XY?? → XY (holes 2 and 3)
        self.suf4: dict[str, float] = {}  # ??XY → XY (holes 0 and 1)
        self.top: dict[int, float] = {2: _NONE, 3: _NONE, 4: _NONE}  # the most likely word of each size
        for word, logp in words:
            size = len(word)
            _raise(self.top, size, logp)
            if size == 2:
                _raise(self.end2, word[1], logp)
                _raise(self.start2, word[0], logp)
            elif size == 3:
                _raise(self.pre3, word[:2], logp)
                _raise(self.suf3, word[1:], logp)
                _raise(self.out3, word[0] + word[2], logp)
            elif size == 4:
                _raise(self.pre4, word[:2], logp)
                _raise(self.suf4, word[2:], logp)
        self.pairs = _pair_table(self, known)


# A window open for a closer look: its start, its best reading + min_gain, each offset's gate.
Window = tuple[int, float, tuple[float, ...]]
# What a pair of characters tells the scan: the log p of the word it spells, its gates (pre3, suf3,
# pre4, suf4), and whether a known word of 3 and of 4 characters starts with it.
PairInfo = tuple[float, float, float, float, float, bool, bool]
_NO_PAIR: PairInfo = (_NONE, _NONE, _NONE, _NONE, _NONE, False, False)


def _pair_table(gates: Gates, known: Mapping[str, float]) -> dict[str, PairInfo]:
    """Pair → PairInfo, for the pairs about which it says anything (`known`: every word → log p):
    one look-up per character of the scan, instead of one per window size and per gate."""
    starts3 = {word[:2] for word in known if len(word) == 3}
    starts4 = {word[:2] for word in known if len(word) == 4}
    keys = {word for word in known if len(word) == 2}.union(starts3, starts4, gates.pre3, gates.suf3, gates.pre4, gates.suf4)
    return {pair: (known.get(pair, _NONE), gates.pre3.get(pair, _NONE), gates.suf3.get(pair, _NONE), gates.pre4.get(pair, _NONE),
                   gates.suf4.get(pair, _NONE), pair in starts3, pair in starts4) for pair in keys}


def _raise(table: dict[Any, float], key: Any, logp: float) -> None:
    if logp > table.get(key, _NONE):
        table[key] = logp


class WindowModel(Protocol):
    """What the bound reads of confusion.ConfusionModel (which imports this module, so it is not imported here)."""

    holes: dict[str, tuple[tuple[float, str], ...]]
    similarity: Similarity
    gates: Gates
    unknown: float
    word_logp: dict[str, float]


def bounded_positions(model: WindowModel, run: str, min_gain: float,
                      skip: Container[int]) -> dict[int, set[str]]:
    """Position → the confusable characters that may gain `min_gain` or more there, for the
    positions of `run` not in `skip` that have any."""
    hits: dict[int, set[str]] = {}
    holes, similar = model.holes.get, model.similarity.similar
    for size, windows in enumerate(_open_windows(model, run, min_gain), start=2):
        for start, needed, gates in windows:
            window = run[start : start + size]
            for j, gate in enumerate(gates):
                # The confusable characters that, put at offset j, form a word at least `needed` likely.
                if gate < needed or start + j in skip:
                    continue
                entries = holes(window[:j] + "?" + window[j + 1 :])
                if entries is None or entries[0][0] < needed:
                    continue
                near = similar(window[j])
                for entry_logp, char in entries:
                    if entry_logp < needed:
                        break
                    if char in near:
                        hits.setdefault(start + j, set()).add(char)
    return hits


def _open_windows(model: WindowModel, run: str, g: float) -> tuple[list[Window], list[Window], list[Window]]:
    """The 2-, 3- and 4-character windows that leave room for a gain of `g`, each as (start, its best
    reading + g, then for each offset the gate of a hole there), in order of start.

    One loop along each run of characters between separators (a window holding a separator reads as
    impossibly likely: it is never opened), carrying the last three characters' readings: the best
    reading of the window of each size ending at a character follows from those of the smaller ones
    ending there and the words the window spells. The cheap comparison with the most likely word of
    the size first; the gate tables only then."""
    gates, unknown, logp = model.gates, model.unknown, model.word_logp.get
    char, pair_info, end2, start2, out3 = gates.char, gates.pairs.get, gates.end2.get, gates.start2.get, gates.out3.get
    top2, top3, top4 = (gates.top[size] - g for size in (2, 3, 4))
    open2: list[Window] = []
    open3: list[Window] = []
    open4: list[Window] = []
    for match in _UNBROKEN.finditer(run):
        text, at = match.group(), match.start()
        # The readings of the windows ending one, two, three characters back: one character (o1-o3),
        # a two-character word (t1, t2), a three-character word (h1); the last pairs' PairInfo (i1, i2).
        c1 = c2 = ""
        o1 = o2 = o3 = t1 = t2 = h1 = _NONE
        i1 = i2 = _NO_PAIR
        for e, ch in enumerate(text):
            one = char(ch, unknown)
            if e:
                info = pair_info(c1 + ch, _NO_PAIR)
                two = info[0]
                best2 = o1 + one if o1 + one > two else two  # the window [e-1, e]
                if best2 <= top2:
                    x, y = end2(ch, _NONE), start2(c1, _NONE)
                    if best2 + g <= (x if x > y else y):
                        open2.append((at + e - 1, best2 + g, (x, y)))
                if e > 1:
                    three = logp(text[e - 2 : e + 1], _NONE) if i1[5] else _NONE
                    best3 = max(o2 + best2, t1 + one, three)  # the window [e-2, e]
                    if best3 <= top3:
                        x, y, z = info[2], out3(c2 + ch, _NONE), i1[1]
                        if best3 + g <= max(x, y, z):
                            open3.append((at + e - 2, best3 + g, (x, y, z)))
                    if e > 2:
                        four = logp(text[e - 3 : e + 1], _NONE) if i2[6] else _NONE
                        best4 = max(o3 + best3, t2 + best2, h1 + one, four)
                        if best4 <= top4:
                            x, y = info[4], i2[3]
                            if best4 + g <= (x if x > y else y):
                                open4.append((at + e - 3, best4 + g, (x, x, y, y)))
                    h1 = three
                t2, t1, i2, i1 = t1, two, i1, info
            o3, o2, o1, c2, c1 = o2, o1, one, c1, ch
    return open2, open3, open4

