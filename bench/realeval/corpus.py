"""Where the real pages are, which part each belongs to, and the labels that come with them."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "bench" / "labels"
PARTS = ("tune", "held-out")


def realdata_dir() -> Path:
    """$GOVWATCH_REALDATA, else ../shared/realdata beside the repository."""
    return Path(os.environ.get("GOVWATCH_REALDATA") or ROOT.parent / "shared" / "realdata")


def part_of(name: str) -> str:
    """`held-out` for about a third of the files (fixed by the hash of the name), else `tune`."""
    digest = hashlib.sha256(f"govwatch-realpages:{name}".encode()).hexdigest()
    return "held-out" if int(digest, 16) % 3 == 0 else "tune"


@dataclass(frozen=True)
class RealPage:
    """One saved page and what the realdata labels say about it."""

    folder: str
    name: str  # file name inside the folder
    root: Path

    @property
    def key(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def part(self) -> str:
        return part_of(self.name)

    @cached_property
    def raw(self) -> bytes:
        return (self.root / self.folder / self.name).read_bytes()

    def _label(self, kind: str) -> str | None:
        path = self.root / "cwced" / kind / (self.name.rsplit(".", 1)[0] + ".txt")
        return path.read_text(encoding="utf-8").strip() if self.folder == "cwced/original" and path.is_file() else None

    @property
    def cleaned(self) -> str | None:
        """The hand-cleaned main text (cwced pages only)."""
        return self._label("cleaned")

    @property
    def date_label(self) -> str | None:
        """The labelled publication time, "UNKNOWN", or None when the page has no label."""
        return self._label("date")


def pages(root: Path | None = None) -> list[RealPage]:
    """Every saved HTML page: cwced/original/*.html and pages/*.html."""
    root = root or realdata_dir()
    found = []
    for folder in ("cwced/original", "pages"):
        directory = root / folder
        if directory.is_dir():
            found += [RealPage(folder, p.name, root) for p in sorted(directory.glob("*.html"))]
    return found


def read_labels(name: str) -> Iterator[dict[str, str]]:
    """Rows of bench/labels/NAME.tsv (tab-separated, header first, '#' lines are comments)."""
    with (LABELS / name).open(encoding="utf-8") as handle:
        yield from csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
