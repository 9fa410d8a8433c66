"""Word-level homophone slips: the input method's wrong word of the same pinyin (评估 typed, 平谷 chosen).

A writer who types pinyin and picks the wrong word from the input method's list leaves a real
word, often with both characters wrong (三方机构平谷机制 for 评估, 说明才聊 for 材料, 应激救助 for
应急): the one-character confusion scan (audit.content.confusion) cannot reach it, since no single
character's fix makes a word. This scan reads each pair of Han characters, looks up the two-character
words read with the same toneless pinyin (an index over jieba's dictionary, readings from pypinyin's
table), and keeps a replacement only when three independent witnesses agree the text reads much
better with it:

- the word model of audit.content.confusion (jieba's frequencies, best segmentation, ±4 characters);
- the modern word lists of audit.content.modern (the lesser gain of wordfreq's and JioNLP's), the same
  question asked of today's words;
- the character model of the state press (audit.content.charlm): the changed characters and the two
  after them, in context. The word lists only know which word is more common; this one knows that
  党建述职评议 is how the sentence goes on and 党建树脂评议 is not.

Cheap first: a pair is looked at only when some homophone word is likelier than the pair as written
by the word model's bar (the candidate word alone bounds the gain, as in audit.content.bounds).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Container
from functools import lru_cache
from typing import TYPE_CHECKING

from pypinyin.phrases_dict import phrases_dict

from audit.content import similar
from audit.content.confusion import Confusion, gov_words
from audit.content.similar import NUMERALS, plain_readings, toneless

if TYPE_CHECKING:
    from audit.content.charlm import CharLM
    from audit.content.confusion import ConfusionModel
    from audit.content.modern import ModernWords

_HAN2 = re.compile(r"[\u4e00-\u9fff]{2}")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
# The characters of a longer word around the pair: (before, after), at most two in all.
_AROUND = ((0, 0), (0, 1), (1, 0), (0, 2), (1, 1), (2, 0))
# A replacement word must be seen this often in jieba's dictionary (rarer homophones are noise).
MIN_WORD_FREQ = 50
# The three witnesses' bars (natural log of the likelihood ratio), chosen on ECSpell tune and the tune
# pages of bench/realpages.py: the word model's gain, the modern words' gain, the character model's.
WORD_GAIN, MODERN_GAIN, CHAR_GAIN = 4.0, 4.0, 8.0
# A wrong word that is itself a word (强直性 for 强制性, 应激救助 for 应急救助, 极地 for 基地) gains little under
# either word list; the character model then speaks for it alone when it gains CHAR_ALONE, the word lists
# still gaining LOW_GAIN each. Chosen on ECSpell tune (CHAR_ALONE 9 or 10: no false line) and the tune
# pages (LOW_GAIN 2 let 坚冰已经打破 → 兼并 through, at a character gain of 14.6: it is the word gain that says no).
# Not for a written word of the government vocabulary (data/gov_words.txt): 自发布之日起试行 reads to the 1998
# press model as 实行 (试行 10.6, 极地 11.2, 凸出 11.0 over CHAR_ALONE; the word gains 3.7/3.3, 3.7/3.4, 3.0/3.7: no
# witness of the three tells a regulation's 试行 from a slip's 极地), so the pages' own wording needs the word gains.
LOW_GAIN, CHAR_ALONE = 2.5, 10.0
# A changed character the state press has seen fewer times than this is as likely a name (金锺国).
MIN_SEEN = 5
# Only the TRIED likeliest words of each look-up are scored (most pairs have dozens of homophones).
TRIED = 2


class HomophoneScan:
    """Homophone index of two-character words and the three-witness verdict over a text."""

    def __init__(self, model: ConfusionModel, modern: ModernWords, lm: CharLM) -> None:
        self.model, self.modern, self.lm = model, modern, lm
        self._readings: dict[str, str] = {}
        index: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for word, logp in model.word_logp.items():
            if 2 <= len(word) <= 4 and (model.freq.get(word) or 0) >= MIN_WORD_FREQ and _HAN.fullmatch(word):
                # A longer word is found through each pair in it, the rest spelt out: 联席会议 under
                # "lian xi|会议" (部际练习会议 is a slip for 联席会议 that 练习 alone would hide).
                for at in range(len(word) - 1):
                    key = self.key(word[at : at + 2])
                    if key is not None:
                        index[f"{word[:at]}|{key}|{word[at + 2:]}"].append((logp, word[at : at + 2]))
        self.index = {key: tuple(sorted(entries, reverse=True)) for key, entries in index.items()}

    def key(self, pair: str) -> str | None:
        """How an input method reads the pair: pypinyin's reading of it as a word (银行 yin hang), else
        each character's first reading ("ping gu"); None when a character has no reading."""
        phrase = phrases_dict.get(pair)
        if phrase is not None and len(phrase) == 2:
            return " ".join(toneless(reading[0]) for reading in phrase)
        first, second = (self._read(char) for char in pair)
        return f"{first} {second}" if first and second else None

    def _read(self, char: str) -> str:
        found = self._readings.get(char)
        if found is None:
            readings = plain_readings(char)
            found = self._readings[char] = readings[0] if readings else ""
        return found

    def scan(self, text: str, skip: Container[int] = frozenset()) -> list[Confusion]:
        """Homophone slips in `text` (offsets index it), best evidence first where they overlap; none at `skip`."""
        found = [c for i in range(len(text) - 1) for c in [self._at(text, i, skip)] if c is not None]
        kept: list[Confusion] = []
        taken: set[int] = set()
        for c in sorted(found, key=lambda c: -c.gain):
            if taken.isdisjoint((c.start, c.start + 1)):
                kept.append(c)
                taken.update((c.start, c.start + 1))
        return sorted(kept, key=lambda c: c.start)

    def _at(self, text: str, i: int, skip: Container[int]) -> Confusion | None:
        """The best homophone word for text[i:i+2] that all three witnesses accept, if any."""
        pair = text[i : i + 2]
        if i in skip or i + 1 in skip or not _HAN2.fullmatch(pair):
            return None
        key = self.key(pair)
        if key is None:
            return None
        best: tuple[float, str] | None = None
        for before, after in _AROUND:
            if i < before or i + 2 + after > len(text):
                continue
            lead, tail = text[i - before : i], text[i + 2 : i + 2 + after]
            entries = self.index.get(f"{lead}|{key}|{tail}")
            # The best reading of the same span as written bounds what any replacement can gain; it is
            # at least the span read one character at a time, which is cheap to check first.
            if not entries or entries[0][0] < self._singles(lead + pair + tail) + LOW_GAIN:
                continue
            needed = self.model.best_logp(lead + pair + tail) + LOW_GAIN
            for entry_logp, word in entries[:TRIED]:
                if entry_logp < needed:
                    break
                if word != pair and not never_suggested(pair, word):
                    score = self._evidence(text, i, pair, word)
                    if score is not None and (best is None or score > best[0]):
                        best = (score, word)
        if best is None:
            return None
        change = next(k for k in range(2) if pair[k] != best[1][k])
        return Confusion(i + change, i, pair, best[1], best[0])

    def _singles(self, span: str) -> float:
        """Log p of `span` read one character at a time (a lower bound of its best reading)."""
        logp, unknown = self.model.word_logp.get, self.model.unknown
        return sum(logp(char, unknown) for char in span)

    def _evidence(self, text: str, i: int, pair: str, word: str) -> float | None:
        """Sum of the three witnesses' gains when each reaches its bar, else None."""
        if any(self.lm.seen(a) < MIN_SEEN for a, b in zip(pair, word, strict=True) if a != b):
            return None
        gain = self.model.gain(text, i, pair, word)
        if gain < LOW_GAIN:
            return None
        modern = self.modern.gain(text, i, pair, word)
        if modern < LOW_GAIN:
            return None
        words = gain >= WORD_GAIN and modern >= MODERN_GAIN
        if not words and pair in gov_words():
            return None  # the pages' own wording (试行): only the word lists may overrule it
        char = self.lm.delta(text, i, pair, word)
        return gain + modern + char if char >= (CHAR_GAIN if words else CHAR_ALONE) else None


def never_suggested(pair: str, word: str) -> bool:
    """Whether `word` puts, for a character of `pair` that is not a numeral, one never suggested
    (similar.NEVER_SUGGESTED, read at each call so that a test's patch of it reaches this scan too)."""
    never = similar.NEVER_SUGGESTED
    return any(a != b and b in never and a not in NUMERALS for a, b in zip(pair, word, strict=True))


@lru_cache(maxsize=1)
def shared_homophones() -> HomophoneScan:
    """The scan over the shared models (its index is built once per process, ~1 s)."""
    from audit.content.charlm import shared_charlm
    from audit.content.confusion import shared_model
    from audit.content.modern import shared_modern

    return HomophoneScan(shared_model(), shared_modern(), shared_charlm())
