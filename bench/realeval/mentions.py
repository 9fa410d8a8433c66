"""Account mentions: hand labels on real pages (precision over every page) and written sentences."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from bench.realeval.corpus import RealPage, read_labels
from core.models import AccountMention


def _matches(found: AccountMention, platform: str, name: str, account_id: str) -> bool:
    return found.platform == platform and (found.name == name or bool(account_id) and found.account_id == account_id)


def on_pages(pages: Iterable[RealPage], mentions: Callable[[bytes], list[AccountMention]]
             ) -> tuple[Counter[str], Counter[str], Counter[str], list[str]]:
    """(right, found, labelled) per part and the wrong ones (tune part) over the real pages."""
    labels: dict[str, list[dict[str, str]]] = {}
    for row in read_labels("mentions.tsv"):
        labels.setdefault(row["page"], []).append(row)
    right: Counter[str] = Counter()
    found: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    wrong = []
    for page in pages:
        wanted = labels.get(page.key, [])
        got = mentions(page.raw)
        labelled[page.part] += len(wanted)
        found[page.part] += len(got)
        hits = [m for m in got if any(_matches(m, w["platform"], w["name"], w["account_id"]) for w in wanted)]
        right[page.part] += len({(w["platform"], w["name"]) for w in wanted
                                 if any(_matches(m, w["platform"], w["name"], w["account_id"]) for m in got)})
        if page.part == "tune":
            wrong += [f"{page.name[:8]} unexpected {m.platform}:{m.name} ({m.context[:40]})" for m in got if m not in hits]
    return right, found, labelled, wrong


def on_sentences(extract: Callable[[str], list[AccountMention]]) -> tuple[int, int, int, list[str]]:
    """(right, found, labelled, wrong) over bench/labels/mention_sentences.tsv."""
    right = found = labelled = 0
    wrong = []
    for row in read_labels("mention_sentences.tsv"):
        wanted = {tuple(item.split(":", 1)) for item in row["expected"].split(";") if item}
        got = {(m.platform, m.name) for m in extract(row["sentence"])}
        right, found, labelled = right + len(wanted & got), found + len(got), labelled + len(wanted)
        if wanted != got:
            wrong.append(f"{row['sentence']}: want {sorted(wanted)} got {sorted(got)}")
    return right, found, labelled, wrong
