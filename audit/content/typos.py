"""Typos (错别字) and serious wording errors (严重表述错误): a layered detector.

1. the curated dictionary of wrong forms (data/typo_dict.tsv) and the
   configurable lists (leaders' names and titles, outdated names, forbidden
   terms), all in one Aho-Corasick pass (audit.content.lists);
2. letters inside numbers ("Io0%", "2O19年");
3. character confusions judged by word frequencies (audit.content.confusion);
4. optionally (`real_word_scan`), in official prose, slips that leave a real word, judged by a
   character model (audit.content.context);
5. in official prose (`homophone_words`), a wrong word of the same pinyin (audit.content.homophones);
6. missing characters (audit.content.missing).
Fixes that break the sentence's shape (parallel items, a body's name, a date: audit.content.frames)
or change the document's subject are dropped.
Wrong leader names or titles and wrong formulations are `wording_error`
(veto); the rest are `typo` (deduction). Known names are never flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from math import inf
from typing import Any

import ahocorasick

from audit.content.charlm import shared_charlm
from audit.content.confusion import Confusion, ConfusionModel, gov_words, shared_model
from audit.content.context import ContextScan, shared_context
from audit.content.digits import letters_in_numbers
from audit.content.frames import Shape, changed_chars, occurrences, topic_chars
from audit.content.homophones import HomophoneScan, shared_homophones
from audit.content.listhits import ListReader
from audit.content.lists import TYPO, merged_lists
from audit.content.missing import missing_characters
from audit.content.modern import ModernWords, shared_modern
from audit.content.people import likely_names
from audit.content.protect import (
    across_wrap,
    guessed_names,
    inside_guessed_name,
    intended,
    known_name_forms,
    protected_spans,
    quoted_slip,
    quoted_terms,
    rare_for_common,
    trade_names,
)
from audit.content.register import officialness
from audit.content.textmap import segments, within
from audit.content.typo_bars import (
    BONUS_ROOM,
    COMMON_WORD,
    CONTEXT_EXTRA,
    CONTEXT_FROM,
    DEFAULT_MIN_GAIN,
    EXTRA,
    FLUENCY_CAP,
    HOMOPHONE_FROM,
    LM_CAP,
    LM_MIN_SEEN,
    LM_WEIGHT,
    MISSING_EXTRA,
    MODERN_FROM,
    MODERN_GAIN,
    MODERN_VETO,
    OFFICIAL_FLOOR,
    PLAIN_FLOOR,
    PLAIN_MODERN,
    PLAIN_VETO,
    PLAIN_WORDS,
    REGISTER_FROM,
    REGISTER_SHIFT,
    REGISTER_SPAN,
    SCAN_FLOOR,
    WEAK_EXTRA,
    WORD_EXTRA,
    WORDS_GAIN,
    WORDS_VETO,
)
from audit.content.variants import simplified_chars
from audit.content.wordlm import shared_wordlm

CONFUSION = "content.typo.confusion"
MISSING = "content.typo.missing_character"
CONTEXT = "content.typo.context"
HOMOPHONE = "content.typo.homophone"
_SLIPS = (CONFUSION, MISSING, CONTEXT, HOMOPHONE)


@dataclass(frozen=True)
class Typo:
    """One finding: the text as written, the suggestion, its offset in the decoded input, the rule."""

    text: str
    suggestion: str
    offset: int
    rule: str
    kind: str  # typo | wording_error

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class TypoDetector:
    """All layers over plain text or HTML; configured by Settings.content and known names."""

    def __init__(self, content: Mapping[str, Any] | None = None, known_names: Iterable[str] = (),
                 model: ConfusionModel | None = None) -> None:
        content = content or {}
        lists = merged_lists(content)
        self.model = model or shared_model()
        # Off unless asked for: on the held-out ECSpell lines it cost precision (README, typo section).
        self.context = None if not content.get("real_word_scan", False) else \
            shared_context() if self.model is shared_model() else ContextScan(self.model, shared_charlm())
        self.min_gain = float(content.get("confusion_min_gain", DEFAULT_MIN_GAIN))
        self.modern: ModernWords | None = shared_modern() if content.get("modern_words", True) else None
        self.homophones: HomophoneScan | None = shared_homophones() \
            if self.modern is not None and content.get("homophone_words", True) else None
        self.lists = ListReader(lists, self.model, {f for n in known_names for f in known_name_forms(n)})
        names = self.lists.names
        self.names = ahocorasick.Automaton()
        for name in names:
            self.names.add_word(name, len(name))
        if names:
            self.names.make_automaton()
        self._has_names = bool(names)

    def check_document(self, decoded: str, published: date | None = None,
                       main: str | None = None) -> list[Typo]:
        """Findings over the visible text of HTML or plain text; offsets index `decoded`.

        With `main` (the page's main text and title), only the parts of the page inside it are
        read: menus, sidebars, related lists, footers and licence lines are not the article.
        """
        runs = list(segments(decoded) if main is None else within(segments(decoded), main))
        register = officialness("\n".join(seg.text for seg in runs))  # of the document, not each run
        found = [t for seg in runs for t in self.check(seg.text, published, seg.start, register=register)
                 if t.rule not in _SLIPS or not across_wrap(decoded, t.offset, t.text, self.model.freq)]
        return self.consistent(found, decoded)

    def check(self, text: str, published: date | None = None, base: int = 0, *,
              register: float | None = None) -> list[Typo]:
        """Findings in one run of text, offsets shifted by `base`.

        Traditional text is checked in simplified form, character for character so that
        offsets still index the input: 首頁 is not a typo of 首页. Each finding quotes the input.
        """
        simple = simplified_chars(text)
        register = officialness(simple) if register is None else register
        found = self._check_simplified(simple, published, base, register)
        if simple == text:
            return found
        return [Typo(text[t.offset - base : t.offset - base + len(t.text)], t.suggestion, t.offset, t.rule,
                     t.kind) for t in found]

    def _check_simplified(self, text: str, published: date | None, base: int, register: float) -> list[Typo]:
        found: list[Typo] = []
        quoted, spans = set(quoted_terms(text)), list(protected_spans(text))
        # Quoted terms are read after all, but only a fix that restores a known term counts (quoted_slip).
        soft = [span for span in spans if span in quoted]
        covered: set[int] = set(self._protected(text, [span for span in spans if span not in quoted]))
        guessed = guessed_names(text)
        for start, end, hit in self.lists.read(text, published):
            covered.update(range(start, end))
            if hit is not None and (register > REGISTER_FROM or not self.lists.variant_in_print(hit)):
                found.append(Typo(hit.text, hit.suggestion, hit.offset + base, hit.rule, hit.kind))
        found.extend(Typo(run, fixed, at + base, "content.typo.letter_in_number", TYPO)
                     for at, run, fixed in letters_in_numbers(text))
        shape = Shape(text, self.model.freq)  # parallel items and bodies' names (audit.content.frames)
        # 刘佑民: no fix unless 涛 → 焘
        names = {at for start, end in likely_names(text) for at in range(start, end)}
        found.extend(t for t in self._confusions(text, base, covered, register, soft, guessed, names)
                     if not shape.breaks(t.offset - base, t.text, t.suggestion))
        return sorted(found, key=lambda t: t.offset)

    def _protected(self, text: str, spans: Iterable[tuple[int, int]]) -> Iterable[int]:
        if self._has_names:
            for end, size in self.names.iter(text):
                yield from range(end - size + 1, end + 1)
        for start, end in (*spans, *trade_names(text, self.model.freq)):
            yield from range(start, end)

    def _confusions(self, text: str, base: int, covered: set[int], register: float,
                    soft: list[tuple[int, int]], guessed: dict[int, list[tuple[int, int, int]]],
                    names: set[int]) -> Iterable[Typo]:
        bar = self.min_gain - REGISTER_SHIFT * min(1.0, max(0.0, (register - REGISTER_FROM) / REGISTER_SPAN))
        modern, official = self.modern, register > MODERN_FROM
        floor = min(max(SCAN_FLOOR, bar + min(EXTRA.values()) - BONUS_ROOM),
                    (OFFICIAL_FLOOR if official else PLAIN_FLOOR) if modern else inf)
        taken = covered.union(names, (at for at, spans in guessed.items()
                                      if any(at < end for _, end, _ in spans)))
        rank = None if modern is None else \
            lambda c: c.gain + _modern(modern, text, c)
        for c in self.model.scan(text, floor, covered, rank):  # one pass over the whole text
            if inside_guessed_name(text, guessed, c.start, c.written, c.suggested,  # names known: 广汽, 江铃
                                   modern.known if modern else self.model.freq.__contains__) \
                    or c.index in names and not rare_for_common(c.written, c.suggested):
                continue
            # The below-the-bar rescue of plain prose leaves a form reaching into a name alone (佛罗依德 after 维也纳佛罗).
            rescue = not any(at in covered for at in range(c.start, c.start + len(c.written)))
            if self._confirmed(text, c, bar, official, rescue) \
                    and self._slip_if_quoted(text, soft, c.start, c.written, c.suggested):
                taken.update(range(c.start, c.start + len(c.written)))
                yield Typo(c.written, c.suggested, base + c.start, CONFUSION, TYPO)
        context = self.context if register > CONTEXT_FROM else None
        for c in context.scan(text, bar + CONTEXT_EXTRA, taken) if context else ():
            if not self._slip_if_quoted(text, soft, c.start, c.written, c.suggested):
                continue
            taken.update(range(c.start, c.start + len(c.written)))
            yield Typo(c.written, c.suggested, base + c.start, CONTEXT, TYPO)
        homophones = self.homophones if register > HOMOPHONE_FROM else None
        for c in homophones.scan(text, taken) if homophones else ():
            if not intended(c.written, c.suggested, self.model.freq, _next_char(text, c)) \
                    and self._slip_if_quoted(text, soft, c.start, c.written, c.suggested):
                taken.update((c.start, c.start + 1))
                yield Typo(c.written, c.suggested, base + c.start, HOMOPHONE, TYPO)
        need = bar + MISSING_EXTRA
        for m in missing_characters(self.model, text, max(SCAN_FLOOR, need - BONUS_ROOM), taken):
            evidence = m.gain + self._bonus(text, m.start, m.written, m.suggested)
            if (official or m.suggested in gov_words()) and evidence >= need \
                    and self._slip_if_quoted(text, soft, m.start, m.written, m.suggested):
                yield Typo(m.written, m.suggested, base + m.start, MISSING, TYPO)

    def _slip_if_quoted(self, text: str, soft: list[tuple[int, int]], start: int, written: str,
                        fix: str) -> bool:
        """False for a fix inside a short quoted term that does not make a known term of it."""
        for lo, hi in soft:
            if lo <= start < hi:
                return quoted_slip(text[lo:hi], start - lo, written, fix, self.model.freq, gov_words())
        return True

    def _confirmed(self, text: str, c: Confusion, bar: float, official: bool, rescue: bool) -> bool:
        """The word model's evidence, then the modern words' and the words in context's verdicts: vetoes
        (MODERN_VETO / PLAIN_VETO, WORDS_VETO) and rescues (MODERN_GAIN or WORDS_GAIN in official prose,
        `_all_back` elsewhere when `rescue`)."""
        if intended(c.written, c.suggested, self.model.freq, _next_char(text, c)):
            return False
        need = bar + EXTRA.get(len(c.suggested), EXTRA[4])
        need += WORD_EXTRA if (self.model.freq.get(c.written) or 0) >= COMMON_WORD else 0.0
        # Outside official prose a weak link needs more; weak() only where the fix can still be sure.
        if not official and c.gain >= need - BONUS_ROOM and self.model.similarity.weak(c.written, c.suggested):
            need += WEAK_EXTRA
        sure = c.gain >= need - BONUS_ROOM \
            and c.gain + self._bonus(text, c.start, c.written, c.suggested) >= need
        if not official and not sure:
            return rescue and self._all_back(text, c)
        if self.modern is None:
            return sure
        modern = _modern(self.modern, text, c)
        if sure:
            return modern >= (MODERN_VETO if official else PLAIN_VETO) and _words(text, c) >= WORDS_VETO
        if modern < MODERN_VETO:
            return False
        words = _words(text, c)
        return words >= WORDS_GAIN or modern >= MODERN_GAIN and words >= WORDS_VETO and _press_knows(text, c)

    def _all_back(self, text: str, c: Confusion) -> bool:
        """Outside official prose, a fix the bar refuses that both modern witnesses back strongly
        (PLAIN_MODERN, PLAIN_WORDS), at a character the state press knows (not a name's 潞)."""
        if self.modern is None or c.gain < PLAIN_FLOOR:
            return False
        return _modern(self.modern, text, c) >= PLAIN_MODERN and _press_knows(text, c) \
            and _words(text, c) >= PLAIN_WORDS

    def _bonus(self, text: str, start: int, written: str, fix: str) -> float:
        """Fluency of the fixed context plus the context model's verdict, each capped."""
        if len(fix) == len(written):  # one character changed: the fluency window is centred on it
            index = start + next(k for k, (a, b) in enumerate(zip(written, fix, strict=True)) if a != b)
            per_char, singles = self.model.fluency(text, index, index + 1, fix[index - start])
        else:
            per_char, singles = self.model.fluency(text, start, start + len(written), fix)
        fluency = min(FLUENCY_CAP, per_char + 5.5 - 12 * (singles - 0.3))
        lm = shared_charlm()
        if len(fix) == len(written) \
                and any(lm.seen(a) < LM_MIN_SEEN for a, b in zip(written, fix, strict=True) if a != b):
            return fluency
        return fluency + min(LM_CAP, LM_WEIGHT * lm.delta(text, start, written, fix))

    @staticmethod
    def consistent(found: list[Typo], decoded: str) -> list[Typo]:
        """Drop confusion findings for a form the document uses twice or more (a term, not a slip),
        or that change a rare character the document keeps using (its subject: 毽)."""
        forms = {t.text for t in found if t.rule in _SLIPS}
        if not forms:
            return found
        counts = occurrences(forms, decoded)
        changed = {t: set(changed_chars(t.text, t.suggestion)) for t in found if t.rule in _SLIPS}
        lm = shared_charlm()
        topic = topic_chars(decoded, set().union(*changed.values()), lm.seen, lm.total)
        return [t for t in found if t.rule not in _SLIPS or counts[t.text] < 2 and not changed[t] & topic]


def _modern(modern: ModernWords, text: str, c: Confusion) -> float:
    """The modern words' gain for `c`'s changed character."""
    return modern.witness(text, c.index, c.suggested[c.index - c.start])


def _press_knows(text: str, c: Confusion) -> bool:
    """Whether the state press has seen the changed character LM_MIN_SEEN times: one it has not (潞) is as
    likely a name's."""
    return shared_charlm().seen(text[c.index]) >= LM_MIN_SEEN


def _words(text: str, c: Confusion) -> float:
    """The words in context's gain for `c` (audit.content.wordlm), computed only where a verdict needs it."""
    return shared_wordlm().delta(text, c.start, c.written, c.suggested)


def _next_char(text: str, c: Confusion) -> str:
    """The character after the written form of `c` ("" at the end): a slice of one character."""
    end = c.start + len(c.written)
    return text[end : end + 1]
