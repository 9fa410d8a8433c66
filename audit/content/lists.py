"""Configurable word lists matched in one pass (Aho-Corasick over every list at once).

Lists: the curated typo dictionary, leaders' names (and their homophone
misspellings) with their titles, outdated institution names, forbidden terms.
Defaults live in data/; Settings.content adds to them with the same keys.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

import ahocorasick

from core.errors import ConfigError

TYPO = "typo"
WORDING = "wording_error"


@dataclass(frozen=True)
class Entry:
    """One list word: what to suggest, which rule and kind a hit is, when it starts to apply."""

    term: str
    suggestion: str
    rule: str
    kind: str
    since: date | None = None
    leader: str = ""  # for leader names: the correct name (the term may be a misspelling)


@dataclass(frozen=True)
class Hit:
    start: int
    entry: Entry


def _data(name: str) -> str:
    return files("audit.content").joinpath("data", name).read_text(encoding="utf-8")


def default_lists() -> dict[str, Any]:
    """The shipped lists (data/lists.json) with the typo dictionary (data/typo_dict.tsv)."""
    lists: dict[str, Any] = json.loads(_data("lists.json"))
    rows = csv.reader((line for line in _data("typo_dict.tsv").splitlines() if line and not line.startswith("#")),
                      delimiter="\t")
    lists["typos"] = {row[0]: (row[1], row[2] if len(row) > 2 else TYPO) for row in rows}
    return lists


def merged_lists(content: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults extended by Settings.content (lists appended, mappings updated)."""
    lists = default_lists()
    for key, value in content.items():
        if key not in lists:
            continue  # other content settings (thresholds) are read elsewhere
        if isinstance(lists[key], dict) and isinstance(value, Mapping):
            lists[key].update(value)
        elif isinstance(lists[key], list) and isinstance(value, list):
            lists[key].extend(value)
        else:
            raise ConfigError(f"[content] {key}: expected a {type(lists[key]).__name__}")
    return lists


def _since(raw: Any, where: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise ConfigError(f"[content] {where}: since {raw!r} is not YYYY-MM-DD") from exc


def entries(lists: Mapping[str, Any], variants: Mapping[str, list[str]]) -> Iterator[Entry]:
    """Every list word as an Entry; `variants` maps a leader's name to its misspellings."""
    for wrong, value in lists.get("typos", {}).items():
        right, kind = (value, TYPO) if isinstance(value, str) else (value[0], value[1])
        yield Entry(wrong, right, f"content.{kind}.dictionary", kind)
    for item in lists.get("outdated", []):
        yield Entry(item["term"], item["use"], "content.wording_error.outdated", WORDING,
                    since=_since(item.get("since"), f"outdated {item['term']}"))
    for item in lists.get("forbidden", []):
        kind = item.get("kind", WORDING)
        yield Entry(item["term"], item.get("use", ""), f"content.{kind}.forbidden", kind)
    for leader in lists.get("leaders", []):
        name = leader["name"]
        yield Entry(name, name, "content.wording_error.leader_title", WORDING, leader=name)
        for variant in variants.get(name, []):
            yield Entry(variant, name, "content.wording_error.leader_name", WORDING, leader=name)


class ListMatcher:
    """All list words in one Aho-Corasick automaton; longest match wins at each position."""

    def __init__(self, items: list[Entry]) -> None:
        self.automaton = ahocorasick.Automaton()
        for entry in items:
            self.automaton.add_word(entry.term, entry)
        self.empty = not items
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits, longest first where they overlap."""
        if self.empty:
            return []
        found = [Hit(end - len(e.term) + 1, e) for end, e in self.automaton.iter(text)]
        found.sort(key=lambda h: (h.start, -len(h.entry.term)))
        kept: list[Hit] = []
        for hit in found:
            if not kept or hit.start >= kept[-1].start + len(kept[-1].entry.term):
                kept.append(hit)
        return kept
