"""Never-seen queries for bench/search.py: an investigator's first search, not the memo's repeat.

The fixed mix asks the same few queries again and again, so after the
first asking their match counts come from the count memo
(index/sqlite_counts.py) and their term statistics from the 5-minute
cache: that is honest for paging through a search, but flatters a first
search. The "new-" classes ask a query nobody has asked in this run: words
of the store's own vocabulary (sampleweb.vocab, the words the bulk posts
are made of), drawn by rank with probability ∝ 1/rank as the posts draw
them, so common words come up often and tail words rarely, in the shapes
of the fixed mix. A query already asked (by any client, or in the fixed
mix) is drawn again, so every request of these classes counts its matches
afresh on every backend.
"""

from __future__ import annotations

import random
import threading
from bisect import bisect
from collections.abc import Callable, Sequence
from functools import partial
from itertools import accumulate

from sampleweb import vocab

PLATFORMS = ("weibo", "wechat", "douyin", "toutiao", "kuaishou", "bilibili")
SHAPES = ("word", "two", "or", "long", "platform", "newest")

Source = str | Callable[[], str]  # a query mix entry: a fixed /posts path, or a maker of never-seen ones
Mix = dict[str, Sequence[Source]]  # class name → its entries (bench/search.py's clients ask them in turn)


class Fresh:
    """Thread-safe source of never-seen /posts paths, one callable per shape (`classes()`)."""

    def __init__(self, seed: int = 11, asked: set[str] | None = None) -> None:
        self._words = vocab.words()
        self._cumulative = list(accumulate(1 / (rank + 1) ** vocab.ZIPF_S for rank in range(len(self._words))))
        self._sentences = vocab.sentences(seed + 1000)  # a seed the bulk store was not written with
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._asked: set[str] = set(asked or ())

    def _word(self) -> str:
        return self._words[bisect(self._cumulative, self._rng.random() * self._cumulative[-1])]

    def _query(self, shape: str) -> str:
        """One query string of `shape` (may have been asked already: the caller draws again)."""
        word = self._word()
        if shape == "word":
            return f"q={word}"
        if shape == "two":
            return f"q={word + ' ' + self._word()}"
        if shape == "or":
            return f"q={word + ' OR ' + self._word()}"
        if shape == "long":
            return f"q={self._rng.choice(self._sentences).rstrip('。')}"
        if shape == "platform":
            return f"q={word}&platform={self._rng.choice(PLATFORMS)}"
        return f"q={word}&sort=newest" + (f"&platform={self._rng.choice(PLATFORMS)}" if self._rng.random() < 0.5
                                                else "")

    def path(self, shape: str) -> str:
        """A /posts path of `shape` that no caller of this source has had yet."""
        with self._lock:
            for _ in range(10_000):
                path = "/posts?" + self._query(shape)
                if path not in self._asked:
                    self._asked.add(path)
                    return path
        raise RuntimeError(f"no unasked {shape} query left")  # 30,000 words: only after hours of a bench

    def classes(self) -> dict[str, list[Callable[[], str]]]:
        """{"new-word": [path maker], ...}: mix entries that bench/search.py's clients call for each request."""
        return {f"new-{shape}": [partial(self.path, shape)] for shape in SHAPES}
