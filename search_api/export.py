"""CSV and XLSX exports of the list routes, streamed, with the query in the first row.

Cells that a spreadsheet would run as a formula (= + - @ at the start) are
prefixed with an apostrophe: crawled text is written by strangers.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAX_ROWS = 10_000  # an export is for a report, not a copy of the store
CHUNK = 64 * 1024
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: text, number or naive datetime; formulas defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters: XLSX cannot hold them
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv(query_line: str, header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["查询 query", cell(query_line)])
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 Chinese right
    for n, row in enumerate(rows):
        if n >= MAX_ROWS:
            break
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell(v) for v in row])
        yield buffer.getvalue().encode("utf-8")


def _xlsx(query_line: str, header: list[str], rows: Iterable[list[Any]], title: str) -> Iterator[bytes]:
    book = Workbook(write_only=True)  # rows go to disk as they come, not into memory
    sheet = book.create_sheet(title[:31])
    sheet.append(["查询 query", cell(query_line)])
    sheet.append(header)
    for n, row in enumerate(rows):
        if n >= MAX_ROWS:
            break
        sheet.append([cell(v) for v in row])
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


def export(fmt: str, name: str, query_line: str, header: list[str], rows: Iterable[list[Any]]) -> StreamingResponse:
    """The rows as a downloadable CSV or XLSX named `name`-YYYYMMDD-HHMM.`fmt`."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    body = _csv(query_line, header, rows) if fmt == "csv" else _xlsx(query_line, header, rows, name)
    return StreamingResponse(body, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}-{stamp}.{fmt}"'})


def describe_query(params: dict[str, Any]) -> str:
    """The query as one line: "q=医保 platform=weibo since=2026-11-01" (parameters given only)."""
    return " ".join(f"{k}={v}" for k, v in params.items() if v not in (None, "", ()) and k != "format") or "(all)"
