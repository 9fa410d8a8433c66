"""Account mentions in sentences this project wrote (the real text is scored by real_mentions.py)."""

from __future__ import annotations

from collections.abc import Callable

from bench.realeval.corpus import read_labels
from core.models import AccountMention


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
