"""Real-word slips: a wrong character that still leaves a word (网战整改 for 网站整改, 懂事会 for 董事会).

The word-frequency scan (audit.content.confusion) looks for fixes that make the text a much more
likely word sequence; a slip that leaves a real word (懂事, 平谷) often gains too little there. This
scan asks the character model of the state press (audit.content.charlm) instead, in three steps:

1. Suspicious positions only: a character that neither follows its left neighbour nor precedes its
   right one in the corpus more than RARE_PAIR times. In ordinary prose that is about one character
   in twenty (names, rare terms, slips). Two dictionary look-ups per character, done with `map`.
2. Candidates only from the confusion set (same or fuzzy pinyin, shared component: similar.py) that
   the corpus shows after the left neighbour and before the right one (`_candidates`, cached).
3. A candidate is kept when the text reads much more likely with it: the trigram model's gain over
   the changed character and the two after it, plus WORD_WEIGHT × the word model's gain.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Container
from functools import lru_cache
from itertools import repeat
from operator import add
from typing import TYPE_CHECKING

from audit.content.bounds import SEPARATOR
from audit.content.charlm import shared_charlm
from audit.content.confusion import Confusion, shared_model

if TYPE_CHECKING:
    from audit.content.charlm import CharLM
    from audit.content.confusion import ConfusionModel

_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
# A pair of characters seen at most this often in the corpus is rare (the corpus has 1.8 M characters).
RARE_PAIR = 0
# A candidate must form pairs seen at least this often with both neighbours.
CANDIDATE_PAIR = 2
# A character the corpus has seen fewer times than this (潞) is as likely a name as a slip: the model
# knows only that it is rare (the same rule as the context bonus of audit.content.typos).
MIN_SEEN = 5
# The word model's gain counts this much beside the character model's.
WORD_WEIGHT = 0.5
WORD_CONTEXT = 4
# Candidate sets kept per (left, character, right) triple; past this many the cache is emptied
# (about 100 bytes a triple with its key: some 20 MB at most).
CACHE_SIZE = 200_000


class ContextScan:
    """Suspicious positions, their candidates and the character model's verdict (built once per model)."""

    def __init__(self, model: ConfusionModel, lm: CharLM) -> None:
        self.model, self.lm = model, lm
        after: dict[str, set[str]] = defaultdict(set)
        before: dict[str, set[str]] = defaultdict(set)
        for pair, count in lm.c2.items():
            if count >= CANDIDATE_PAIR:
                after[pair[0]].add(pair[1])
                before[pair[1]].add(pair[0])
        self._after = {k: frozenset(v) for k, v in after.items()}
        self._before = {k: frozenset(v) for k, v in before.items()}
        self._cands: dict[str, frozenset[str]] = {}

    def scan(self, run: str, bar: float, skip: Container[int] = frozenset()) -> list[Confusion]:
        """Real-word slips in `run` (offsets index it) whose evidence reaches `bar`; never at `skip`."""
        han = SEPARATOR + _NOT_HAN.sub(SEPARATOR, run) + SEPARATOR * 2  # offsets shifted by one
        counts = list(map(self.lm.c2.get, map(add, han, han[1:]), repeat(0)))
        seen = self.lm.c1.get
        # The gate as one comprehension over the pair counts: a Python loop per character is the cost.
        rare = [i for i, (left, right) in enumerate(zip(counts, counts[1:], strict=False), 1)
                if left <= RARE_PAIR and right <= RARE_PAIR]
        found = []
        for i in rare:
            if han[i] == SEPARATOR or i - 1 in skip or seen(han[i], 0) < MIN_SEEN:
                continue
            best = self._best(han, i)
            if best is None or best[0] + WORD_WEIGHT * _WORD_ROOM < bar:
                continue
            score = best[0] + WORD_WEIGHT * self._word_gain(han, i, best[1])
            if score >= bar:
                found.append(self.model._confusion(han[1:-2], i - 1, best[1], score))
        return found

    def _best(self, han: str, i: int) -> tuple[float, str] | None:
        """The candidate with the largest character-model gain at i, with that gain."""
        written = han[i]
        key = han[i - 1] + written + han[i + 1]
        cands = self._cands.get(key)
        if cands is None:
            if len(self._cands) >= CACHE_SIZE:  # a long-running process reads many texts: start afresh
                self._cands.clear()
            cands = self._cands[key] = (self.model.similarity.similar(written)
                                        & self._after.get(han[i - 1], frozenset())
                                        & self._before.get(han[i + 1], frozenset()))
        if not cands:
            return None
        h2, h1, n1, n2 = han[i - 2] if i >= 2 else SEPARATOR, han[i - 1], han[i + 1], han[i + 2]
        base = self._window(h2, h1, written, n1, n2)
        return max((self._window(h2, h1, c, n1, n2) - base, c) for c in cands)

    def _window(self, h2: str, h1: str, c: str, n1: str, n2: str) -> float:
        """log p of c and the two characters after it, given the two before."""
        return self._one(h2, h1, c) + self._one(h1, c, n1) + self._one(c, n1, n2)

    def _one(self, h2: str, h1: str, c: str) -> float:
        """log p(c | h2 h1) as CharLM.logp reads it: a separator ends the history; none is scored."""
        if c == SEPARATOR:
            return 0.0
        lm = self.lm
        return math.log(lm._p2(h1, c) if h1 == SEPARATOR else lm._p3(h2 + h1, c))

    def _word_gain(self, han: str, i: int, char: str) -> float:
        """The word model's gain for the change, over WORD_CONTEXT characters each side, capped."""
        gain = self.model.gain(han, i, han[i], char, WORD_CONTEXT)
        return max(-_WORD_ROOM, min(_WORD_ROOM, gain))


# The word model's gain is read within ±_WORD_ROOM: a name's reading can swing it far either way.
_WORD_ROOM = 12.0


@lru_cache(maxsize=1)
def shared_context() -> ContextScan:
    """The scan over the shared models (its pair tables are built once per process)."""
    return ContextScan(shared_model(), shared_charlm())
