"""What a hit of the configurable lists (audit.content.lists) means where it stands: an outdated
name only in a text published after the change and not as history (原农业部), a leader's name
misspelt or beside another leader's title, a wrong form of the typo dictionary only where it is a word
(not 凑和 in 拼凑和堆砌)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from audit.content.confusion import CONTEXT
from audit.content.lists import WORDING, Entry, ListMatcher, entries

if TYPE_CHECKING:
    from audit.content.confusion import ConfusionModel

# "农业部门" is not the ministry; "原农业部" names the old body on purpose.
_NOT_A_NAME_AFTER = ("门", "署")
_HISTORICAL_BEFORE = ("原", "前")
# A misspelt leader's name whose other characters are a word seen this often, the changed one at an end
# (往沪宁: 沪宁, the Shanghai–Nanjing line), is that word unless the leader's title stands next to it.
NAME_WORD = 10
# A wrong form of the typo dictionary that jieba counts VARIANT_COUNT times or more, and at least VARIANT_SHARE as
# often as its right form, is a variant in print (帐户 110 / 账户 489, 结帐): the norm for official writing only.
# No other entry comes near (寒喧 21 / 寒暄 218; 报帐 3 / 报账 8 is no word in print).
VARIANT_COUNT, VARIANT_SHARE = 20, 0.2
# A wrong form whose characters the likeliest words around it take (拼凑|和 for 凑和) is still a slip when the word
# model reads the text this much likelier once fixed (natural log): 提高竟争力 → 竞争力 gains 6.1, 按装修 → 安装修 0.4,
# 核对帐目 → 核对账目 0.9; no ECSpell tune line nor tune page moved (bench/typos.py, bench/realpages.py).
CLAIMED_GAIN = 2.0


class ListFinding(NamedTuple):
    """A list hit that is a finding: as written, the suggestion, its offset, rule and kind."""

    text: str
    suggestion: str
    offset: int
    rule: str
    kind: str


class ListReader:
    """The lists' matcher with the leaders' titles; `names` are every name the typo check leaves alone."""

    def __init__(self, lists: Mapping[str, Any], model: ConfusionModel, known: set[str]) -> None:
        self.model = model
        self.leader_titles = {item["name"]: set(item.get("titles", [])) for item in lists.get("leaders", [])}
        self.titles = sorted(set(lists.get("titles", [])) | {t for ts in self.leader_titles.values() for t in ts
                                                            if len(t) > 2}, key=len, reverse=True)
        self.names = known | set(lists.get("names", [])) | set(self.leader_titles)
        variants = {name: self._name_variants(name, self.names) for name in self.leader_titles}
        self.matcher = ListMatcher(list(entries(lists, variants)))

    def _name_variants(self, name: str, names: set[str]) -> list[str]:
        out = []
        for i, char in enumerate(name):
            for other in self.model.homophones(char):
                variant = name[:i] + other + name[i + 1 :]
                if variant not in names and not self.model.freq.get(variant):
                    out.append(variant)
        return out

    def _word_beside(self, variant: str, name: str) -> bool:
        """Whether the misspelt `variant` of `name` reads as a character beside an ordinary word (往 + 沪宁)."""
        changed = [k for k, (a, b) in enumerate(zip(variant, name, strict=True)) if a != b]
        rest = variant[1:] if changed == [0] else variant[:-1] if changed == [len(name) - 1] else ""
        return (self.model.freq.get(rest) or 0) >= NAME_WORD

    def read(self, text: str, published: date | None) -> Iterator[tuple[int, int, ListFinding | None]]:
        """(start, end, finding or None) of every list hit in `text`."""
        for hit in self.matcher.find(text):
            yield hit.start, hit.start + len(hit.entry.term), self._list_typo(text, hit.start, hit.entry, published)

    def variant_in_print(self, finding: ListFinding) -> bool:
        """Whether a typo dictionary hit is a variant in print (VARIANT_SHARE): flagged in official prose only."""
        if not finding.rule.endswith(".dictionary"):
            return False
        written, right = (self.model.freq.get(w) or 0 for w in (finding.text, finding.suggestion))
        return written >= VARIANT_COUNT and written >= VARIANT_SHARE * right

    def _list_typo(self, text: str, start: int, entry: Entry, published: date | None) -> ListFinding | None:
        end = start + len(entry.term)
        if entry.rule.endswith(".outdated"):
            historical = text[max(0, start - 1) : start] in _HISTORICAL_BEFORE
            if published is None or entry.since is None or published < entry.since or historical \
                    or text[end : end + 1] in _NOT_A_NAME_AFTER:
                return None
        if entry.leader:
            return self._leader(text, start, entry)
        if entry.rule.endswith(".dictionary") and self._claimed_by_neighbours(text, start, end, entry.suggestion) \
                and self.model.gain(text, start, entry.term, entry.suggestion) < CLAIMED_GAIN:
            return None
        return ListFinding(entry.term, entry.suggestion, start, entry.rule, entry.kind)

    def _claimed_by_neighbours(self, text: str, start: int, end: int, fix: str) -> bool:
        """Whether, in the likeliest reading of the words around it, a word reaching past the wrong form's first
        or last character takes it (拼凑|和|堆砌 holds no 凑和, 究竟|争取 no 竟争, 按|装修 no 按装) while no word holds
        a character the fix changes together with another of the form's own (截止|今年底 is still 截止 misspelt,
        截止|目前 too). Only for a fix of the same length: the word model's gain of a longer one is not comparable."""
        if end - start != len(fix):
            return False
        changed = {start + k for k, (a, b) in enumerate(zip(text[start:end], fix, strict=True)) if a != b}
        lo = max(0, start - CONTEXT)
        at, claimed = lo, False
        for word in self.model.segment(text[lo : end + CONTEXT]):
            span = range(at, at + len(word))
            own = range(max(at, start), min(span.stop, end))  # the form's characters in this word
            if len(word) > 1 and changed.intersection(span) and len(own) > 1:
                return False
            claimed = claimed or len(word) > 1 and (at < start < span.stop or at < end < span.stop)
            at = span.stop
        return claimed

    def _leader(self, text: str, start: int, entry: Entry) -> ListFinding | None:
        """Wrong title next to a leader's name, or a misspelt name next to a right title."""
        end = start + len(entry.term)
        own = self.leader_titles.get(entry.leader, set())
        after = end + 2 if text.startswith("同志", end) else end
        title_after = next((t for t in self.titles if text.startswith(t, after)), "")
        title_before = next((t for t in self.titles if text.endswith(t, 0, start)), "")
        misspelt = entry.term != entry.leader
        if misspelt:
            near_own = bool(title_after in own and title_after or title_before in own and title_before
                            or text.startswith("同志", end))
            if near_own or len(entry.leader) >= 3 and not self._word_beside(entry.term, entry.leader):
                return ListFinding(entry.term, entry.leader, start, entry.rule, WORDING)
            return None
        for title, at in ((title_after, after), (title_before, start - len(title_before))):
            if title and title not in own:
                shown = text[min(start, at) : max(end, at + len(title))]
                right = entry.leader + min(own, key=len) if own else entry.leader
                return ListFinding(shown, right, min(start, at), entry.rule, WORDING)
        return None
