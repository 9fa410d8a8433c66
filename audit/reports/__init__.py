"""Reports written from the store: dated files that never overwrite an earlier night's.

`write_report(backend, settings, kind, fmt, as_of)` is the entry point the CLI,
the scheduler and the demo use. Kinds are listed in REPORTS; formats are
csv (UTF-8 with BOM, so Excel shows the Chinese), xlsx and json.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from audit.reports.nightly import COLUMNS as NIGHTLY_COLUMNS
from audit.reports.nightly import nightly_unregistered
from core.config import Settings
from core.errors import BadInputError
from index.base import Backend

# kind -> (row builder, column order)
REPORTS: dict[str, tuple[Callable[[Backend], list[dict[str, Any]]], tuple[str, ...]]] = {
    "nightly-unregistered": (nightly_unregistered, NIGHTLY_COLUMNS),
}
FORMATS = ("csv", "xlsx", "json")


def write_report(
    backend: Backend, settings: Settings, kind: str, fmt: str, as_of: datetime, out_dir: str | Path | None = None
) -> Path:
    """Write report `kind` as `fmt` to `<out_dir or reports_dir>/<kind>-<YYYY-MM-DD>[-N].<fmt>`."""
    if kind not in REPORTS:
        raise BadInputError(f"unknown report {kind!r}; known: {', '.join(REPORTS)}", field="KIND")
    if fmt not in FORMATS:
        raise BadInputError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}", field="--format")
    build, columns = REPORTS[kind]
    rows = build(backend)
    data = render(kind, fmt, rows, columns, as_of)
    return save_dated(Path(out_dir or settings.reports_dir), f"{kind}-{as_of:%Y-%m-%d}", fmt, data)


def render(kind: str, fmt: str, rows: list[dict[str, Any]], columns: tuple[str, ...], as_of: datetime) -> bytes:
    """The report file's bytes."""
    if fmt == "json":
        doc = {"report": kind, "as_of": as_of.isoformat(sep=" "), "count": len(rows), "rows": rows}
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    table = [[_cell(_flat(row.get(c))) for c in columns] for row in rows]
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(table)
        return out.getvalue().encode("utf-8-sig")
    return _xlsx(kind, columns, table)


def _flat(value: Any) -> str:
    """One cell: lists of similar accounts as "name (platform, owner, 0.93); …"."""
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        detail = ", ".join(str(value[k]) for k in ("platform", "owner", "score") if value.get(k) not in (None, ""))
        return f"{value.get('name', '')} ({detail})"
    return "" if value is None else str(value)


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas: account names are chosen by strangers (=HYPERLINK(...))."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _xlsx(kind: str, columns: tuple[str, ...], table: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind[:31]  # Excel's sheet-name limit
    sheet.append(list(columns))
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def save_dated(directory: Path, stem: str, ext: str, data: bytes) -> Path:
    """Create `stem.ext`, or `stem-2.ext`, `stem-3.ext` … : never overwrite an earlier file."""
    directory.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        path = directory / (f"{stem}.{ext}" if n == 1 else f"{stem}-{n}.{ext}")
        try:
            with path.open("xb") as fh:  # exclusive create: safe against a concurrent writer too
                fh.write(data)
            return path
        except FileExistsError:
            n += 1
