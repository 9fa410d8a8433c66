"""HTML → tree and readable text with the layout that extraction relies on.

Block elements end lines, table cells are separated by tabs, so a matrix
table reads as "无锡发布\t微信公众号" and a list as one name per line.
Parsing never raises on junk: anything lxml cannot make a document of
becomes an empty tree and the caller reports it.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from core.errors import ParseError

_BLOCK = frozenset(
    "address article aside blockquote body br dd div dl dt fieldset figcaption figure footer form h1 h2 h3"
    " h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul caption option".split()
)
_CELL = frozenset(("td", "th"))
_SKIP = frozenset(("script", "style", "noscript", "template", "head", "iframe", "object", "svg"))
_BLANKS = re.compile(r"[ \t\u3000\xa0]*\n[ \t\u3000\xa0\n]*")
_SPACES = re.compile(r"[ \u3000\xa0]+")
_TABS = re.compile(r" *\t *")  # keeps empty cells: a column may be blank
_LOOKS_HTML = re.compile(
    r"<\s*(?:!doctype|html|head|body|meta|title|div|p|table|span|a|br|ul|li|h[1-6])\b", re.I
)


def looks_like_html(text: str) -> bool:
    """True when the text is markup rather than plain text."""
    return bool(_LOOKS_HTML.search(text[:20000]))


def parse_html(html: str, source: str = "") -> lxml.html.HtmlElement:
    """Parse markup into an lxml tree; ParseError (naming `source`) when nothing usable remains."""
    # lxml refuses str input that carries an XML encoding declaration.
    cleaned = re.sub(r"^\s*<\?xml[^>]*\?>", "", html.replace("\x00", ""))
    try:
        tree = lxml.html.document_fromstring(cleaned or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"not parseable as HTML: {exc}", source=source) from exc
    return tree


def element_text(element: lxml.html.HtmlElement) -> str:
    """Visible text of an element with block/cell layout preserved."""
    parts: list[str] = []
    _walk(element, parts)
    text = _SPACES.sub(" ", "".join(parts))
    text = _TABS.sub("\t", text)
    return _BLANKS.sub("\n", text).strip()


def table_rows(table: lxml.html.HtmlElement) -> list[list[str]]:
    """Cell texts of a table's own rows, with rowspan/colspan cells repeated into the grid."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still spanned, text)
    for tr in (row for row in table.iter("tr") if _owner_table(row) is table):
        row: list[str] = []
        cells = [cell for cell in tr if isinstance(cell.tag, str) and cell.tag in _CELL]
        for cell in cells:
            _fill_spanned(row, pending)
            text = element_text(cell).replace("\t", " ").replace("\n", " ")
            for _ in range(_span(cell, "colspan")):
                if (rowspan := _span(cell, "rowspan")) > 1:
                    pending[len(row)] = (rowspan - 1, text)
                row.append(text)
        _fill_spanned(row, pending)
        grid.append(row)
    return grid


def _owner_table(row: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    return next(row.iterancestors("table"), None)


def _span(cell: lxml.html.HtmlElement, attribute: str) -> int:
    try:
        return max(1, min(int(cell.get(attribute, "1")), 50))  # absurd spans are template bugs
    except ValueError:
        return 1


def _fill_spanned(row: list[str], pending: dict[int, tuple[int, str]]) -> None:
    """Append the cells that rowspans above carry into the row's current column."""
    while (column := len(row)) in pending:
        left, text = pending.pop(column)
        if left > 1:
            pending[column] = (left - 1, text)
        row.append(text)


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    # A skipped element's tail is visible text: "<script>…</script>发布时间：…" keeps its date line.
    if isinstance(element.tag, str) and tag.lower() not in _SKIP:
        if tag in _BLOCK:
            parts.append("\n")
        if element.text:
            parts.append(_inline(element.text))
        for child in element:
            _walk(child, parts)
        if tag in _BLOCK:
            parts.append("\n")
        elif tag in _CELL:
            parts.append("\t")
    if element.tail:
        parts.append(_inline(element.tail))


def _inline(text: str) -> str:
    # Source newlines inside inline text are layout of the HTML file, not of the page.
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
