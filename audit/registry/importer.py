"""Import a registry file into the store and say what changed since the last version."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from audit.registry.reader import RegistryFile, RowError, read_registry
from core.errors import BadInputError
from core.models import RegistryEntry
from index.base import Backend

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What one import did. `added`, `changed` and `closed` are disjoint; re-importing gives none."""

    source: str
    encoding: str
    rows: int = 0  # usable rows in the file
    added: list[RegistryEntry] = field(default_factory=list)
    changed: list[tuple[RegistryEntry, RegistryEntry]] = field(default_factory=list)  # (before, after)
    closed: list[RegistryEntry] = field(default_factory=list)  # active before, closed (注销/关停) now
    unchanged: int = 0
    not_in_file: list[RegistryEntry] = field(default_factory=list)  # stored, absent here: kept as they are
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"{self.source}: {self.rows} rows ({self.encoding}): {len(self.added)} added, "
            f"{len(self.changed)} changed, {len(self.closed)} closed, {self.unchanged} unchanged, "
            f"{len(self.errors)} rejected, {len(self.not_in_file)} stored entries not in this file"
        )


def import_registry(backend: Backend, path: str | Path, sheet: str | None = None) -> ImportReport:
    """Read `path`, store its good rows, and report the difference with the stored registry.

    Raises BadInputError (naming file, row and field of the first problem) when
    the file has no usable row; otherwise bad rows are only reported.
    """
    parsed = read_registry(path, sheet)
    if not parsed.entries:
        raise _nothing_usable(parsed)
    report = diff_registry(parsed, {e.key: e for e in backend.iter_registry()})
    backend.upsert_registry(parsed.entries)
    log.info("%s", report.summary())
    return report


def diff_registry(parsed: RegistryFile, stored: dict[str, RegistryEntry]) -> ImportReport:
    """Classify each entry of `parsed` against the stored entries, by registry key."""
    report = ImportReport(source=parsed.source, encoding=parsed.encoding, rows=len(parsed.entries),
                          errors=list(parsed.errors))
    keys = set()
    for entry in parsed.entries:
        keys.add(entry.key)
        before = stored.get(entry.key)
        if before is None:
            report.added.append(entry)
        elif before == entry:
            report.unchanged += 1
        elif before.status != "closed" and entry.status == "closed":
            report.closed.append(entry)
        else:
            report.changed.append((before, entry))
    report.not_in_file = [e for key, e in sorted(stored.items()) if key not in keys]
    return report


def _nothing_usable(parsed: RegistryFile) -> BadInputError:
    if parsed.errors:
        first = parsed.errors[0]
        more = f" (and {len(parsed.errors) - 1} more rejected rows)" if len(parsed.errors) > 1 else ""
        return BadInputError(first.reason + more, source=first.source, row=first.row, field=first.field)
    return BadInputError("no account rows under the header", source=parsed.source, row=2, field="name")
