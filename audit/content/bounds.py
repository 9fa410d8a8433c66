"""Which positions of a run could hold a wrong character: one linear pass, no per-position search.

The confusion model scores a replacement by how much more likely the best segmentation of the
text around it becomes. That gain is bounded: in the changed text, the segment covering the
changed position is some dictionary word u (or the new character alone), and the rest of the
segmentation was available before. So

    gain <= log p(u) - best log p(the same span as written)

The pass computes the best reading of every 2-, 3- and 4-character window once (a small dynamic
programme over the window's own words). Gate tables (the best word left for each way a window
can hold a hole) say whether a window leaves room for a gain of `min_gain`; only then is the hole
index ("大?据" → words, most likely first) asked. Ordinary text costs a few dictionary look-ups
per character, and the model scores in full only the (position, character) pairs that pass the
bound: the same findings as scoring every position with every candidate (u is one of the words
candidates come from; a gain from the new character alone, or from a word seen fewer times than
candidates need, is not looked for).
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audit.content.confusion import ConfusionModel

_NONE = -math.inf
# Stands for every character that is not Han: no word contains it, and a window holding one
# reads as impossibly likely, so it is never opened. One pass then covers a whole text.
SEPARATOR = "|"
_APART = 1e9


class Gates:
    """For each way a window can hold a hole, the best log p among the words that fit what is left:
    a window is looked at closely only when one of these leaves room for `min_gain`."""

    def __init__(self, words: Iterable[tuple[str, float]]) -> None:
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


def _best2(a: float, b: float, word: float) -> float:
    return a + b if a + b > word else word


def _raise(table: dict[Any, float], key: Any, logp: float) -> None:
    if logp > table.get(key, _NONE):
        table[key] = logp


def bounded_positions(model: ConfusionModel, run: str, min_gain: float,
                      skip: Container[int]) -> dict[int, set[str]]:
    """Position → the confusable characters that may gain `min_gain` or more there, for the
    positions of `run` not in `skip` that have any."""
    n, gates = len(run), model.gates
    logp, unknown = model.word_logp.get, model.unknown
    pairs = [run[s : s + 2] for s in range(n - 1)]
    one = [logp(ch, unknown) if ch != SEPARATOR else _APART for ch in run]
    two = [logp(p, _NONE) for p in pairs]
    three = [logp(run[s : s + 3], _NONE) for s in range(n - 2)]
    four = [logp(run[s : s + 4], _NONE) for s in range(n - 3)]
    best2 = [_best2(one[s], one[s + 1], two[s]) for s in range(n - 1)]
    best3 = [max(one[s] + best2[s + 1], two[s] + one[s + 2], three[s]) for s in range(n - 2)]
    best4 = [max(one[s] + best3[s + 1], two[s] + best2[s + 2], three[s] + one[s + 3], four[s]) for s in range(n - 3)]
    end2, start2 = gates.end2.get, gates.start2.get
    pre3, suf3, out3, pre4, suf4 = gates.pre3.get, gates.suf3.get, gates.out3.get, gates.pre4.get, gates.suf4.get
    # The cheap comparison with the most likely word of the size first; the gate tables only then.
    top2, top3, top4 = (gates.top[size] - min_gain for size in (2, 3, 4))
    open2 = [s for s in range(n - 1) if best2[s] <= top2
             and best2[s] + min_gain <= max(end2(run[s + 1], _NONE), start2(run[s], _NONE))]
    open3 = [s for s in range(n - 2) if best3[s] <= top3
             and best3[s] + min_gain <= max(pre3(pairs[s], _NONE), suf3(pairs[s + 1], _NONE),
                                            out3(run[s] + run[s + 2], _NONE))]
    open4 = [s for s in range(n - 3) if best4[s] <= top4
             and best4[s] + min_gain <= max(pre4(pairs[s], _NONE), suf4(pairs[s + 2], _NONE))]
    hits: dict[int, set[str]] = {}
    for size, best, starts in ((2, best2, open2), (3, best3, open3), (4, best4, open4)):
        for start in starts:
            _window(model, run[start : start + size], start, best[start] + min_gain, skip, hits)
    return hits


def _window(model: ConfusionModel, window: str, start: int, needed: float, skip: Container[int],
            hits: dict[int, set[str]]) -> None:
    """Note the confusable characters that form a word at least `needed` likely in one window."""
    get, similar = model.holes.get, model.similarity.similar
    for j in range(len(window)):
        entries = get(window[:j] + "?" + window[j + 1 :])
        if entries is None or entries[0][0] < needed or start + j in skip:
            continue
        near = similar(window[j])
        for entry_logp, char in entries:
            if entry_logp < needed:
                break
            if char in near:
                hits.setdefault(start + j, set()).add(char)
