"""Realistic text for benchmark-scale posts: real Chinese words drawn with Zipf-like frequencies.

Search speed depends on the shape of the text: a few words in most posts,
a long tail of words in a handful. Five fixed bodies cannot show that, so
bulk posts are built from

- government-style title and opening sentences (sampleweb.content's
  templates and a few notice titles, every placeholder filled), and
- a pool of sentences of real words — the 30,000 most frequent multi-
  character words of jieba's dictionary (shipped with the pinned jieba, no
  download), drawn by rank with probability ∝ 1/rank (Zipf) — so common
  words (工作, 发展) are in a large share of posts and tail words in very few.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from sampleweb.content import BODY, TITLES, TOPICS

VOCABULARY = 30_000
SENTENCES = 50_000
ZIPF_S = 1.0
_HAN = re.compile(r"[\u4e00-\u9fff]{2,4}")
NOTICE_TITLES = (
    "{p}市医疗保障局关于{y}年度城乡居民医保缴费的通知", "{p}市人民政府办公室关于印发{t}实施方案的通知",
    "{p}市{t}工作领导小组关于开展专项检查的通报", "关于{y}年{p}市{t}工作情况的报告",
)


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    """The VOCABULARY most frequent 2–4 character Chinese words of jieba's dictionary, most frequent first."""
    import jieba

    rows = []
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, freq, _ = line.split(" ", 2)
            if _HAN.fullmatch(word):
                rows.append((-int(freq), word))
    rows.sort()
    return tuple(word for _, word in rows[:VOCABULARY])


@lru_cache(maxsize=4)
def sentences(seed: int) -> tuple[str, ...]:
    """SENTENCES sentences of 6–14 Zipf-drawn words, with a comma inside and a full stop."""
    vocab = words()
    cumulative = list(accumulate(1 / (rank + 1) ** ZIPF_S for rank in range(len(vocab))))
    top = cumulative[-1]
    rng = random.Random(seed)
    out = []
    for _ in range(SENTENCES):
        n = rng.randint(6, 14)
        picked = [vocab[bisect(cumulative, rng.random() * top)] for _ in range(n)]
        comma = rng.randint(2, n - 2)
        out.append("".join(picked[:comma]) + "，" + "".join(picked[comma:]) + "。")
    return tuple(out)


def titles(places: tuple[str, ...]) -> list[str]:
    """Post titles: every template with every topic and place filled in."""
    out = [t.format(t=topic, p=place) for t in TITLES for topic in TOPICS for place in places]
    out += [t.format(t=topic, p=place, y=2020 + i % 7) for i, t in enumerate(NOTICE_TITLES * 3)
            for topic in TOPICS for place in places]
    return out


def openings(places: tuple[str, ...]) -> list[str]:
    """First sentences of posts: sampleweb.content's body sentences, placeholders filled."""
    return [s.format(t=topic, p=place) for s in BODY for topic in TOPICS for place in places]
