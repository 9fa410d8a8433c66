"""Figures per part: main-text F1, titles and dates right, typo false alarms on real main text."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from bench.realeval.corpus import RealPage, read_labels

_LABEL_DATE = re.compile(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})")


def char_f1(predicted: str, gold: str) -> float:
    """F1 of the multisets of non-space characters (the usual measure for Chinese main text)."""
    p = Counter(c for c in predicted if not c.isspace())
    g = Counter(c for c in gold if not c.isspace())
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def label_date(label: str) -> date | None:
    """'2005-5-7 21:23:57' → 2005-05-07; UNKNOWN → None."""
    match = _LABEL_DATE.search(label)
    return date(*map(int, match.groups())) if match else None


class Tally:
    """right / n per part, with the misses kept for reading (tune part only is ever printed)."""

    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.misses: dict[str, list[str]] = defaultdict(list)

    def add(self, part: str, ok: bool, miss: str = "") -> None:
        self.total[part] += 1
        self.right[part] += ok
        if not ok:
            self.misses[part].append(miss)

    def figure(self, part: str) -> str:
        return f"{self.right[part]}/{self.total[part]}"


def main_text_f1(pages: Iterable[RealPage], extract: Callable[[bytes], str]) -> dict[str, float]:
    """Mean character F1 of extract(page) against cleaned/ per part."""
    scores: dict[str, list[float]] = defaultdict(list)
    for page in pages:
        if page.cleaned is not None:
            scores[page.part].append(char_f1(extract(page.raw), page.cleaned))
    return {part: sum(values) / len(values) for part, values in scores.items()}


def dates(pages: Iterable[RealPage], published: Callable[[bytes], date | None]) -> Tally:
    """Publication day against date/ labels (UNKNOWN must give no date)."""
    tally = Tally()
    for page in pages:
        if page.date_label is None:
            continue
        want, got = label_date(page.date_label), published(page.raw)
        tally.add(page.part, want == got, f"{page.name}: want {want} got {got}")
    return tally


def titles(pages: Iterable[RealPage], title: Callable[[bytes], str]) -> Tally:
    """Titles against bench/labels/titles.tsv (exact after collapsing whitespace)."""
    wanted = {row["page"]: row["title"] for row in read_labels("titles.tsv")}
    tally = Tally()
    for page in pages:
        if page.key in wanted:
            got = " ".join(title(page.raw).split())
            tally.add(page.part, got == " ".join(wanted[page.key].split()), f"{page.name}: want {wanted[page.key]!r} got {got!r}")
    return tally


# part → (false alarms, characters read, quotes, per rule, findings labelled real slips)
Alarms = dict[str, tuple[int, int, list[str], Counter[str], int]]


def by_rule(rules: Mapping[str, int]) -> str:
    """`confusion 6, dictionary 2, wording_error.forbidden 1`: how many alarms each rule gave, no text."""
    return ", ".join(f"{rule.removeprefix('content.').removeprefix('typo.')} {n}" for rule, n in sorted(rules.items()))


def typo_alarms(pages: Iterable[RealPage], check: Callable[[str], list], chars_per_page: int = 0) -> Alarms:
    """(alarms, characters, quotes) per part over the hand-cleaned main text (its first
    `chars_per_page` characters when given); real typos listed in bench/labels/real_typos.tsv
    are not false alarms."""

    def read(page: RealPage, cleaned: str) -> tuple[str, list, str]:
        text = cleaned[:chars_per_page] if chars_per_page else cleaned
        return text, check(text), text

    return _false_alarms(pages, read)


def typo_alarms_as_read(pages: Iterable[RealPage], check: Callable[[bytes], tuple[str, list]]) -> Alarms:
    """(alarms, characters of main text, quotes) per part as `govwatch check page` reads each page:
    `check(raw)` gives the title and extracted main text it read and its findings, so menus or
    footers the extractor lets through count against it. Real typos (real_typos.tsv) are not alarms."""

    def read(page: RealPage, cleaned: str) -> tuple[str, list, str]:
        main, typos = check(page.raw)
        return main, typos, ""  # offsets index the decoded HTML, not `main`: no context quoted

    return _false_alarms(pages, read)


def _false_alarms(pages: Iterable[RealPage], read: Callable[[RealPage, str], tuple[str, list, str]]) -> Alarms:
    """Count and quote the findings of `read(page, cleaned)` → (text read, findings, text their
    offsets index or "") over the pages with a cleaned/ label, leaving out listed real typos."""
    real = {(row["page"], row["text"]) for row in read_labels("real_typos.tsv")}
    out: Alarms = {}
    for page in pages:
        if page.cleaned is None:
            continue
        text, typos, around = read(page, page.cleaned)
        found = [t for t in typos if (page.key, t.text) not in real]
        alarms, chars, quotes, rules, slips = out.get(page.part, (0, 0, [], Counter(), 0))
        quotes += [_quote(page, t, around) for t in found]
        rules.update(t.rule for t in found)
        out[page.part] = (alarms + len(found), chars + len(text), quotes, rules, slips + len(typos) - len(found))
    return out


def _quote(page: RealPage, typo: Any, around: str) -> str:
    """`name text→suggestion (rule)`, then the text around it when its offsets index `around`."""
    quote = f"{page.name[:8]} {typo.text}→{typo.suggestion} ({typo.rule})"
    return f"{quote} …{around[max(0, typo.offset - 8):typo.offset + 10]}…" if around else quote
