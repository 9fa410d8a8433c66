"""Wording chosen on purpose, read from the shape of the sentence rather than from word lists.

- Parallel items (排比), lists of single characters (京、津、冀): neighbouring items of a list or a run of clauses that share a frame and
  differ in a slot (有仓必到、有粮必查; 老有所养、幼有所育; 食业、农业、商业). The slot characters are
  what the writer varies, so a fix that joins one with its frame (有仓 → 有人, 所育 → 所有) reads the
  sentence against its shape; so does one that changes the frame, even of two items sharing one character
  (逼供、诱供: 诱供 → 有功).
- The end of a body's name in a responsibility clause (国家标准委按职责分工负责, 财政部牵头) or of a
  day's date (１２月２５日抵老挝): no word runs across it (委按 → 委托, 日抵 → 日子).
- A rare character the document keeps using is its subject (踢毽, 打毽儿, 毽有几种做法), not a slip; so is a
  common one it uses far more than the state press does (车 on a page about lorries: 别的车样).
- Paired words that share their first character (依法依纪, 增产增效: the frame ABAC, both halves words) vary
  the second on purpose: a fix there reads the pair against its shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping

import ahocorasick

from audit.content.protect import SET_PHRASE, changed_places

# Items are runs of Han characters between single list or clause marks (not 。: a new sentence).
_ITEM = re.compile(r"[\u4e00-\u9fff]+")
_SEPARATORS = "、，；,;"
# The end of an item and the beginning of the next are compared over ITEM_MIN to ITEM_MAX characters
# (the longest that fits): see _parallel.
FRAME_MIN = 2
# Parallel items differ in at least this many places (老有所养、幼有所育): one differing place is a slip.
SLOTS_MIN = 2
# A fix that makes a set phrase of SET_PHRASE characters (audit.content.protect) is read even in a slot.
ITEM_MIN, ITEM_MAX = 2, 8

# A body's short name ends in one of these (发展改革委, 财政部, 市场监管总局) right before the verb
# of a responsibility clause, the house form of official documents.
_BODY_END = re.compile(r"(?<=[\u4e00-\u9fff])[委部局署办厅院行](?=按职责|按照职责|牵头|负责|会同|配合|参与)")
# A day of the month in figures or numerals (25日, ２５日, 二十五日), then the sentence goes on. Numerals
# follow 月, 于 or no Han character: 一日 inside 统一日程 is part of a word, not a date.
_DAY_END = re.compile(r"(?:[0-9０-９]{1,2}|(?:(?<=[月于])|(?<![\u4e00-\u9fff]))[〇一二三四五六七八九十]{1,3})日"
                      r"(?=[\u4e00-\u9fff])")

# A character seen fewer than TOPIC_RARE times in the state press, used TOPIC_USES times or more in
# one document, is what the document is about.
TOPIC_RARE, TOPIC_USES = 500, 3
# A character the document uses TOPIC_MANY times or more, at TOPIC_RATIO times its share of the state press
# or more, is its subject however common it is (车 used 56 times on a page about lorries: 别的车样 is no 一样).
TOPIC_MANY, TOPIC_RATIO = 10, 20
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Paired words (依法依纪, 增产增效) whose halves are both words seen this often are paired on purpose, even
# when a fix would make a set phrase of them (增产增收); 农亚农村, 建立建全 and 不拆不扣 pair a non-word: slips.
PAIR_WORD = 10


def parallel_slots(text: str) -> set[int]:
    """Offsets of the slot characters of neighbouring parallel items in `text`."""
    return parallel_places(text)[0]


def parallel_places(text: str) -> tuple[set[int], set[int]]:
    """Offsets of the slot characters and of the frame characters of neighbouring parallel items in `text`."""
    slots: set[int] = set()
    frame: set[int] = set()
    items = list(_ITEM.finditer(text))
    pairs = [(a, b) for a, b in zip(items, items[1:], strict=False)
             if b.start() == a.end() + 1 and text[a.end()] in _SEPARATORS]
    for a, b in pairs:
        differ, same = _pair(text, a.end(), b.start(), min(len(a.group()), len(b.group()), ITEM_MAX))
        slots.update(differ)
        frame.update(same)
    # A list of three or more items ending in the same character (食业、农业、商业): the one before it varies.
    for (a, b), (c, d) in zip(pairs, pairs[1:], strict=False):
        if b is c and len(b.group()) == 2 and text[a.end() - 1] == b.group()[1] == text[d.start() + 1]:
            slots.update((a.end() - 2, b.start(), d.start()))
    # A list of single characters (如京、津、冀、辽的): abbreviations, the first and last glued to the text.
    for a, b in pairs:
        if text[a.end()] == "、" and (len(a.group()) == 1 or len(b.group()) == 1):
            slots.update((a.end() - 1, b.start()))
    return slots, frame


def _pair(text: str, end: int, start: int, longest: int) -> tuple[list[int], list[int]]:
    """The differing and the shared places of the longest parallel pair: the last k characters before `end`
    against the first k from `start` (an item's end meets the next one's beginning: 老有所养、幼有所育的)."""
    for size in range(longest, ITEM_MIN - 1, -1):
        differ = [k for k in range(size) if text[end - size + k] != text[start + k]]
        if differ and _parallel(size, differ):
            same = [k for k in range(size) if k not in differ]
            starts = (end - size, start)
            return [p + k for p in starts for k in differ], [p + k for p in starts for k in same]
    # Two items ending alike in one shared character (逼供、诱供): one slot is too few for a parallel pair (a
    # one-place difference may be a slip), but the shared character is still the frame both repeat.
    if longest >= ITEM_MIN and text[end - 1] == text[start + 1] and text[end - 2] != text[start]:
        return [], [end - 1, start + 1]
    return [], []


def _parallel(size: int, differ: list[int]) -> bool:
    """A frame of FRAME_MIN or more shared places, at least half, and SLOTS_MIN or more slots of one
    character each (国家认监委、国家标淮委 differ in a word, the bodies' names, where a slip is a slip;
    做好防汛工作，做好防汛工做 differ in one place: a repeated clause with a slip, not a parallel pair)."""
    apart = all(b - a > 1 for a, b in zip(differ, differ[1:], strict=False))
    return apart and len(differ) >= SLOTS_MIN and size - len(differ) >= max(FRAME_MIN, (size + 1) // 2)


def paired(text: str, at: int, known: Mapping[str, int]) -> bool:
    """Whether offset `at` falls in four Han characters ABAC whose halves AB and AC are both words seen
    PAIR_WORD times in `known` (依法依纪, 增产增效: two words sharing their first character, the writer's
    pairing). Not 农亚农村, 保正保险, 建立建全 (a half is no word: a slip), nor 目项目场 (项目项目场务)."""
    for i in range(max(0, at - 3), at + 1):
        four = text[i : i + 4]
        if len(four) == 4 and four[0] == four[2] != four[1] != four[3] != four[0] and _ITEM.fullmatch(four) \
                and min(known.get(four[:2]) or 0, known.get(four[2:]) or 0) >= PAIR_WORD:
            return True
    return False


def name_ends(text: str) -> list[int]:
    """Offsets just after a body's name that a responsibility verb follows (委|按), or a day's date (日|抵)."""
    return [match.end() for pattern in (_BODY_END, _DAY_END) for match in pattern.finditer(text)]


def _in_list(char: str) -> bool:
    """A character an item or a list mark can be: a list's items never run across any other."""
    return "\u4e00" <= char <= "\u9fff" or char in _SEPARATORS


class Shape:
    """The parallel slots and the ends of bodies' names of one run of text.

    Slots are worked out only for the list a fix falls in (the stretch of items and list marks around
    it), when a fix is asked about: items, pairs and runs of items never cross another character, so
    this is exactly `parallel_slots(text)` there. Computed for the whole text up front, they cost
    ~0.8 s of every 1 MB checked, mostly for lists no candidate touches."""

    def __init__(self, text: str, known: Mapping[str, int] | None = None) -> None:
        self.text, self.known = text, known or {}
        self.ends = name_ends(text)
        # slot and frame offsets of each list worked out, by its first offset
        self._lists: dict[int, tuple[set[int], set[int]]] = {}

    def places_near(self, at: int) -> tuple[set[int], set[int]]:
        """The slot and the frame offsets of the list holding offset `at` (parallel_places, over that list alone)."""
        text, lo = self.text, at
        while lo > 0 and _in_list(text[lo - 1]):
            lo -= 1
        if lo not in self._lists:
            hi = at
            while hi < len(text) and _in_list(text[hi]):
                hi += 1
            slots, frame = parallel_places(text[lo:hi])
            self._lists[lo] = ({lo + k for k in slots}, {lo + k for k in frame})
        return self._lists[lo]

    def breaks(self, start: int, written: str, fix: str) -> bool:
        """True when the fix of `written` at `start` runs a word across a body's name end, or
        changes a pair of words sharing their first character (依法依纪, 增产增效 → 增产增收), or a parallel
        slot without making a set phrase of SET_PHRASE characters (因地制意、因时制宜 is still a slip), or a
        character of the frame both items repeat (好事办好、实事办实: 办实 → 其实 undoes the pair)."""
        if any(start < at < start + len(written) for at in self.ends):
            return True
        places = changed_places(written, fix)
        if any(paired(self.text, start + k, self.known) for k in places):
            return True
        near = [(start + k, self.places_near(start + k)) for k in places]
        return any(at in frame for at, (_, frame) in near) \
            or len(fix) < SET_PHRASE and any(at in slots for at, (slots, _) in near)


def changed_chars(written: str, suggested: str) -> Iterator[str]:
    """The written characters a same-length fix changes (none for an insertion)."""
    yield from (written[k] for k in changed_places(written, suggested))


def topic_chars(document: str, chars: set[str], seen: Callable[[str], int], press: int = 0) -> set[str]:
    """Those of `chars` rare in the state press (`seen`) that `document` uses TOPIC_USES times or more, and,
    given the press's size in characters (`press`), those it uses TOPIC_MANY times or more at TOPIC_RATIO
    times their share of the press (车 on a page about lorries)."""
    counts = Counter(c for c in document if c in chars)
    found = {c for c in chars if seen(c) < TOPIC_RARE and counts[c] >= TOPIC_USES}
    many = {c for c in chars if counts[c] >= TOPIC_MANY} if press else set()
    if many:
        han = len(_HAN_CHAR.findall(document))
        found |= {c for c in many if counts[c] * press >= TOPIC_RATIO * seen(c) * han}
    return found


def occurrences(forms: set[str], text: str) -> dict[str, int]:
    """How often each form occurs in `text`, in one pass (a str.count per finding was quadratic)."""
    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, form)
    automaton.make_automaton()
    counts = dict.fromkeys(forms, 0)
    for _, form in automaton.iter(text):
        counts[form] += 1
    return counts
