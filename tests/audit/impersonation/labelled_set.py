"""The labelled impersonation set: the fixture registry and the cases, loaded for the tests."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from core.models import RegistryEntry

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "impersonation"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")  # cases write invisible characters as \u200b


@dataclass(frozen=True)
class Case:
    name: str
    platform: str
    account_id: str
    expected: str
    category: str
    imitates: str
    note: str


def load_registry() -> list[RegistryEntry]:
    """The fixture registry (English headers, read here so the set does not depend on the file reader)."""
    with (FIXTURES / "registry.csv").open(encoding="utf-8", newline="") as fh:
        return [
            RegistryEntry(
                name=row["name"], platform=row["platform"], account_id=row["account_id"], owner=row["owner"],
                supervisor=row["supervisor"], registry_no=row["registry_no"], is_primary=row["is_primary"] == "是",
                status="active" if row["status"] == "active" else "closed",
            )
            for row in csv.DictReader(fh)
        ]


def load_cases() -> list[Case]:
    """The labelled cases; \\uXXXX escapes in names become the characters they name."""
    with (FIXTURES / "cases.csv").open(encoding="utf-8", newline="") as fh:
        return [
            Case(**{**row, "name": _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), row["name"])})
            for row in csv.DictReader(fh)
        ]



CASES = load_cases()
