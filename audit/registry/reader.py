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
    HEADER_LOOKUP,
    REQUIRED,
    fold,
    parse_bool,
    parse_date,
    parse_platform,
    parse_status,
)
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
    entries: list[RegistryEntry] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_registry(path: str | Path) -> RegistryFile:
    """Parse a registry file; raises BadInputError only when no row could ever be usable."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read registry file: {exc.strerror}", source=source) from None
    if data.startswith(b"PK\x03\x04"):
        return _parse(source, "xlsx", _xlsx_rows(source, data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInputError("old binary .xls is not supported; save it as .xlsx or .csv", source=source)
    encoding, text = decode(source, data)
    return _parse(source, encoding, _csv_rows(text))


def decode(source: str, data: bytes) -> tuple[str, str]:
    """Text of a CSV file: BOM first, then strict UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return encoding, data.decode(encoding)
    for encoding in ("utf-8", "gb18030"):
        try:
            return encoding, data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadInputError("not UTF-8 or GB18030 text", source=source)


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    for row_no, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield row_no, list(row)


def _xlsx_rows(source: str, data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl  # only XLSX imports need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken zip/xml
        raise BadInputError(f"not a readable XLSX workbook: {exc}", source=source) from None
    try:
        sheet = book.worksheets[0]
        for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield row_no, [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # account ids typed as numbers: 1234567890.0 -> "1234567890"
    return value if isinstance(value, datetime) else str(value)


def _parse(source: str, encoding: str, rows: Iterator[tuple[int, list[Any]]]) -> RegistryFile:
    result = RegistryFile(source=source, encoding=encoding)
    columns = _find_header(source, rows)
    seen: dict[str, int] = {}
    for row_no, values in rows:
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


def _find_header(source: str, rows: Iterator[tuple[int, list[Any]]]) -> dict[str, int]:
    """Column index of each known field, from the first row naming both required fields."""
    best: tuple[int, dict[str, int]] = (1, {})
    for row_no, values in rows:
        columns: dict[str, int] = {}
        for index, value in enumerate(values):
            known = HEADER_LOOKUP.get(fold(str(value)))
            if known and known not in columns:
                columns[known] = index
        if all(f in columns for f in REQUIRED):
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
    text = {f: v.strip() for f, v in cells.items() if isinstance(v, str)}
    before = len(errors)
    if not text.get("name"):
        errors.append(RowError(source, row_no, "name", "account name is empty"))
    parsed: dict[str, Any] = {}
    for name, parse in _PARSERS.items():
        if name in cells:
            try:
                parsed[name] = parse(text.get(name, cells[name]))
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
