"""Read a registry file (备案库): CSV in UTF-8, UTF-8 with BOM or GB18030, or XLSX.

Row numbers are the spreadsheet's own (the header is usually row 1, the first
account row 2), so an office can find the row an error names. A bad row is
reported with its field and reason and skipped; the good rows are kept. A file
that cannot be read at all (no name/platform header, unknown format) raises
BadInputError.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from audit.registry.fields import (
    REQUIRED,
    header_columns,
    parse_bool,
    parse_date,
    parse_platform,
    parse_status,
    readable,
)
from audit.registry.sheets import read_sheet
from core.errors import BadInputError
from core.models import RegistryEntry

log = logging.getLogger(__name__)
HEADER_SEARCH_ROWS = 10  # a title row such as "XX市政务新媒体备案表" may precede the header


@dataclass
class RowError:
    """One rejected registry row: where, which field, why."""

    source: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}, row {self.row}, field {self.field!r}: {self.reason}"


@dataclass
class RegistryFile:
    """What a registry file held: the usable entries (with their row numbers) and the rejected rows."""

    source: str
    encoding: str
    sheet: str = ""  # the workbook sheet read (XLSX)
    entries: list[RegistryEntry] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_registry(path: str | Path, sheet: str | None = None) -> RegistryFile:
    """Parse a registry file; raises BadInputError only when no row could ever be usable.

    In a workbook, the sheet named `sheet`, else the first sheet with a header row.
    """
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read registry file: {exc.strerror}", source=source) from None
    if data.startswith(b"PK\x03\x04"):
        title, rows = read_sheet(source, data, sheet)
        parsed = _parse(source, "xlsx", iter(rows))
        parsed.sheet = title
        return parsed
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInputError("old binary .xls is not supported; save it as .xlsx or .csv", source=source)
    encoding, text = decode(source, data)
    return _parse(source, encoding, _csv_rows(text))


def decode(source: str, data: bytes) -> tuple[str, str]:
    """Text of a CSV file: BOM first, then strict UTF-8, then GB18030 (a superset of GBK/GB2312).

    A UTF-8 BOM in front of GB18030 bytes (an editor added it) is dropped and the rest read as GB18030.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return encoding, data.decode(encoding)
            except UnicodeDecodeError:
                data = data[len(bom):]
                break
    for encoding in ("utf-8", "gb18030"):
        try:
            return encoding, data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadInputError("not UTF-8 or GB18030 text", source=source)


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any] | str]]:
    """(row number, cells), or (row number, reason) for a row the csv module rejects (a 128 KB field)."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row_no = 0
    while True:
        row_no += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the reader goes on with the next row
            yield row_no, f"unreadable row: {exc}"
            continue
        yield row_no, list(row)


def _parse(source: str, encoding: str, rows: Iterator[tuple[int, list[Any] | str]]) -> RegistryFile:
    result = RegistryFile(source=source, encoding=encoding)
    columns = _find_header(source, rows, result.errors)
    seen: dict[str, int] = {}
    for row_no, values in rows:
        if isinstance(values, str):
            result.errors.append(RowError(source, row_no, "(row)", values))
            continue
        if all(str(v).strip() == "" for v in values):
            continue
        entry = _entry(source, row_no, values, columns, result.errors)
        if entry is None:
            continue
        for field_name, ident in _identities(entry):
            if ident in seen:
                result.errors.append(RowError(source, row_no, field_name, f"duplicate of row {seen[ident]}"))
                break
        else:
            seen.update((ident, row_no) for _, ident in _identities(entry))
            result.entries.append(entry)
            result.rows.append(row_no)
    log.info("%s: %d registry rows read, %d rejected", source, len(result.entries), len(result.errors))
    return result


def _find_header(source: str, rows: Iterator[tuple[int, list[Any] | str]], errors: list[RowError]) -> dict[str, int]:
    """Column index of each known field, from the first row naming both required fields.

    A header cell with unreadable characters (a NUL byte, U+FFFD) is read without them and reported,
    never silently dropped with its column.
    """
    best: tuple[int, dict[str, int]] = (1, {})
    for row_no, values in rows:
        if isinstance(values, str):
            continue
        columns = header_columns(values)
        if all(f in columns for f in REQUIRED):
            errors.extend(RowError(source, row_no, repr(str(v)), "header has unreadable characters; read as "
                                   f"{readable(str(v))!r}") for v in values if readable(str(v)) != str(v).strip())
            return columns
        if len(columns) > len(best[1]):
            best = (row_no, columns)
        if row_no >= HEADER_SEARCH_ROWS:
            break
    row_no, columns = best
    missing = next(f for f in REQUIRED if f not in columns)
    raise BadInputError("no header naming a required column (账号名称/name, 平台/platform)", source=source,
                        row=row_no, field=missing)


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "platform": parse_platform, "is_primary": parse_bool, "status": parse_status, "registered_at": parse_date,
}


def _entry(
    source: str, row_no: int, values: Sequence[Any], columns: dict[str, int], errors: list[RowError]
) -> RegistryEntry | None:
    """One entry from a row, or None after recording every bad field of the row."""
    cells = {f: values[i] if i < len(values) else "" for f, i in columns.items()}
    # a spreadsheet date in a text column (platform, name) is text here; only registered_at reads dates
    text = {f: (v.date().isoformat() if isinstance(v, datetime) else str(v)).strip() for f, v in cells.items()}
    before = len(errors)
    if not text.get("name"):
        errors.append(RowError(source, row_no, "name", "account name is empty"))
    parsed: dict[str, Any] = {}
    for name, parse in _PARSERS.items():
        if name in cells:
            try:
                parsed[name] = parse(cells[name] if name == "registered_at" and not isinstance(cells[name], str)
                                     else text[name])  # fmt: skip
            except ValueError as exc:
                errors.append(RowError(source, row_no, name, str(exc)))
    if len(errors) > before:
        return None
    return RegistryEntry(
        name=text["name"], platform=parsed["platform"], account_id=text.get("account_id", ""),
        owner=text.get("owner", ""), supervisor=text.get("supervisor", ""),
        registry_no=text.get("registry_no", ""), is_primary=parsed.get("is_primary", False),
        status=parsed.get("status", "active"), registered_at=parsed.get("registered_at"),
    )


def _identities(entry: RegistryEntry) -> list[tuple[str, str]]:
    """(field, key) pairs unique within one file: registry number or platform+name, platform+account id."""
    idents = [("registry_no" if entry.registry_no else "name", f"key:{entry.key}")]
    if entry.account_id:
        idents.append(("account_id", f"id:{entry.platform}:{entry.account_id}"))
    return idents
