"""The sheet of a registry workbook (XLSX) that holds the registry, with merged cells filled in.

Offices keep the registry on whatever sheet they like, often after a cover
sheet, and merge cells for an owner or supervisor that spans several rows.
The sheet is the one named by `--sheet`, else the first whose top rows hold a
header naming the required columns; each merged cell takes its anchor's value.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from audit.registry.fields import REQUIRED, header_columns
from core.errors import BadInputError

HEADER_SEARCH_ROWS = 10  # a title row such as "XX市政务新媒体备案表" may precede the header


def read_sheet(source: str, data: bytes, name: str | None = None) -> tuple[str, list[tuple[int, list[Any]]]]:
    """(sheet title, [(row number, cells)]) of the registry sheet; BadInputError naming the sheets otherwise."""
    import openpyxl  # only XLSX imports need it

    try:  # not read-only: merged-cell ranges are only known to a fully loaded sheet
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken or cut-off zip/xml
        raise BadInputError(f"not a readable XLSX workbook (cut off or damaged?): {exc}", source=source) from None
    try:
        titles = [sheet.title for sheet in book.worksheets]
        if name is not None:
            if name not in titles:
                raise BadInputError(f"no sheet named {name!r}; the workbook has {titles}", source=source, field="--sheet")
            return name, _rows(book[name])
        for sheet in book.worksheets:
            rows = _rows(sheet)
            if _has_header(rows):
                return sheet.title, rows
        raise BadInputError(f"no sheet has a header naming 账号名称/name and 平台/platform in its first "
                            f"{HEADER_SEARCH_ROWS} rows (sheets: {titles}); choose one with --sheet NAME",
                            source=source)  # fmt: skip
    finally:
        book.close()


def _rows(sheet: Any) -> list[tuple[int, list[Any]]]:
    grid = [[_cell(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:  # every cell of a merged range shows the anchor's value
        anchor = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            cells = grid[row - 1]
            cells.extend([""] * (merged.max_col - len(cells)))
            for col in range(merged.min_col, merged.max_col + 1):
                cells[col - 1] = _cell(anchor)
    return list(enumerate(grid, start=1))


def _has_header(rows: list[tuple[int, list[Any]]]) -> bool:
    return any(all(f in header_columns(cells) for f in REQUIRED) for _, cells in rows[:HEADER_SEARCH_ROWS])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # account ids typed as numbers: 1234567890.0 -> "1234567890"
    return value if isinstance(value, datetime) else str(value)
