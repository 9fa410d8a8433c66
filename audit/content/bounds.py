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

    def __init__(self, words: Iterable[tuple[str, float]], chars: dict[str, float]) -> None:
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


def _raise(table: dict[Any, float], key: Any, logp: float) -> None:
    if logp > table.get(key, _NONE):
        table[key] = logp


def bounded_positions(model: ConfusionModel, run: str, min_gain: float,
                      skip: Container[int]) -> dict[int, set[str]]:
    """Position → the confusable characters that may gain `min_gain` or more there, for the
    positions of `run` not in `skip` that have any."""
    n, gates, g = len(run), model.gates, min_gain
    logp = model.word_logp.get
    one = [gates.char(ch, model.unknown) for ch in run]  # a separator reads as _APART
    pairs = [run[s : s + 2] for s in range(n - 1)]
    two = [logp(p, _NONE) for p in pairs]
    three = [logp(run[s : s + 3], _NONE) for s in range(n - 2)]
    four = [logp(run[s : s + 4], _NONE) for s in range(n - 3)]
    best2 = [a + b if a + b > w else w for a, b, w in zip(one, one[1:], two, strict=False)]
    best3 = [max(a + b2, w + c, t) for a, b2, w, c, t in zip(one, best2[1:], two, one[2:], three, strict=False)]
    best4 = [max(a + b3, w + b2, t + d, f) for a, b3, w, b2, t, d, f
             in zip(one, best3[1:], two, best2[2:], three, one[3:], four, strict=False)]
    end2, start2 = gates.end2.get, gates.start2.get
    pre3, suf3, out3, pre4, suf4 = gates.pre3.get, gates.suf3.get, gates.out3.get, gates.pre4.get, gates.suf4.get
    # zip stops at the shortest list (each window size's own length). The cheap comparison with
    # the most likely word of the size first; the gate tables only then.
    top2, top3, top4 = (gates.top[size] - g for size in (2, 3, 4))
    open2 = [s for s, (b, x, y) in enumerate(zip(best2, run, run[1:], strict=False))
             if b <= top2 and b + g <= max(end2(y, _NONE), start2(x, _NONE))]
    open3 = [s for s, (b, p, q) in enumerate(zip(best3, pairs, pairs[1:], strict=False))
             if b <= top3 and b + g <= max(pre3(p, _NONE), suf3(q, _NONE), out3(p[0] + q[1], _NONE))]
    open4 = [s for s, (b, p, q) in enumerate(zip(best4, pairs, pairs[2:], strict=False))
             if b <= top4 and b + g <= max(pre4(p, _NONE), suf4(q, _NONE))]
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
