"""A streaming XLSX writer for big reports: SpreadsheetML parts written straight into the zip.

openpyxl (even write-only) spends tens of microseconds per cell; a quarterly
report of 100,000 accounts has millions of cells. Cells here are numbers,
percentages (style 1) or inline strings — everything the report needs, and
what openpyxl, Excel and LibreOffice read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Percent(float):
    """A fraction shown as a percentage (0.593 → 59.3%)."""


def column_name(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _cell(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        style = ' s="1"' if isinstance(value, Percent) else ""
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>' if not isinstance(value, bool) else ""
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_xml(rows: Iterable[Sequence[Any]]) -> Iterable[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}><sheetData>'
    letters: list[str] = []
    for r, row in enumerate(rows, 1):
        while len(letters) < len(row):
            letters.append(column_name(len(letters)))
        yield f'<row r="{r}">' + "".join(_cell(f"{letters[c]}{r}", v) for c, v in enumerate(row)) + "</row>"
    yield "</sheetData></worksheet>"


def write_xlsx(sheets: Sequence[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """An .xlsx with one worksheet per (name, rows); names must be unique and at most 31 characters."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _content_types(len(sheets)))
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}/'
                   f'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", _workbook([name for name, _ in sheets]))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        z.writestr("xl/styles.xml", _STYLES)
        for i, (_, rows) in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w") as part:
                for chunk in _sheet_xml(rows):
                    part.write(chunk.encode("utf-8"))
    return out.getvalue()


def _content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxml'
                     f'formats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.styles+xml"/>{sheets}</Types>')


def _workbook(names: list[str]) -> str:
    sheets = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} xmlns:r="{_REL}"><sheets>{sheets}</sheets>'
            "</workbook>")


def _workbook_rels(n: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, n + 1))
    rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>')


# style 0: general; style 1: built-in number format 10 ("0.00%"); the "Normal" cell style readers expect
_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {_NS}><fonts count="1"><font><sz val="11"/>'
           '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>'
           '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="10" xfId="0" applyNumberFormat="1"/></cellXfs>'
           '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
