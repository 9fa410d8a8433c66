"""Account mentions in page text: "永州人社"微信号, 抖音号"永州文旅", 新浪微博：@无锡发布, matrix tables.

Text is normalised first (converter pinyin glosses dropped, traditional →
simplified), so traditional pages yield the same mentions and names come out
in simplified characters. Every mention keeps the line it was found in as
context, as evidence for discovery.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import lxml.html

from core.models import AccountMention
from core.text import strip_pinyin_glosses, to_simplified
from crawler.pages.htmltext import element_text, table_rows
from crawler.pages.mention_forms import card_mentions, follow_mentions, link_mentions, text_mentions
from crawler.pages.platforms import PLATFORM_RE, platform_of_label, platform_of_word

# 《》 mark titles of books, films and shows, never account names.
_OPEN = "\"“「『【‘'"
_CLOSE = "\"”」』】’'"
_QNAME = rf"[{_OPEN}]\s*@?(?P<name>[^\s{_OPEN}{_CLOSE}，。,;；:：!！?？()（）<>]{{2,30}}?)\s*[{_CLOSE}]"
_UNAME = r"[\u4e00-\u9fffA-Za-z0-9_·\-]{2,24}"
_WORD = rf"(?P<word>{PLATFORM_RE})"

_PATTERNS = [
    # "永州人社"微信号 · “平安宜兴”视频号 · 「无锡发布」（微信公众号）
    re.compile(rf"{_QNAME}\s*(?:的)?\s*[（(]?\s*(?:官方)?{_WORD}"),
    # 抖音号"永州文旅" · 微信公众号：“无锡医保” · 微信搜索「永州发布」
    re.compile(
        rf"{_WORD}\s*(?:账号|帐号|名称|号)?\s*[:：]?\s*(?:搜索|搜|关注)?\s*[:：]?\s*{_QNAME}"
        rf"(?!\s*(?:的)?\s*[（(]?\s*(?:官方)?(?:{PLATFORM_RE}))"  # that name belongs to the next word
    ),
    # 新浪微博@无锡发布
    re.compile(rf"(?P<word>新浪微博|官方微博|政务微博|微博)\s*@(?P<name>{_UNAME})"),
    # 无锡发布（微信公众号） at the start of a line or after a separator
    re.compile(
        rf"(?:^|(?<=[\s、，,；;|.．:：)）]))@?(?P<name>{_UNAME})\s*[（(]\s*(?:官方)?{_WORD}\s*[)）]", re.M
    ),
    # 请关注永州发布微信公众号 (unquoted, after a verb)
    re.compile(
        r"(?:关注|搜索|订阅)\s*(?P<name>[\u4e00-\u9fff]{2,12}?)\s*(?:的)?\s*(?:官方)?"
        r"(?P<word>微信公众号|公众号|官方微博|新浪微博|微博|抖音号|视频号|头条号|快手号)"
    ),
]
# 微信公众号：无锡发布、无锡医保 · 新浪微博：@无锡发布
_COLON_LIST = re.compile(
    rf"{_WORD}\s*(?:账号|帐号|名称)?\s*[:：]\s*(?P<names>@?{_UNAME}(?:\s*[、，,/；;]\s*@?{_UNAME})*)(?![./:@\w])"
)
_MARKUP = re.compile(r"[<>=&{}]|&\w+;")
_LIST_SPLIT = re.compile(r"\s*[、，,/；;]\s*")
_CELL_SPLIT = re.compile(r"\t|\s*[|｜]\s*| {2,}")
_STOPWORDS = (
    "二维码", "扫描", "扫一扫", "扫码", "点击", "关注", "搜索", "下载", "登录", "链接", "网址", "地址",
    "电话", "邮箱", "http", "www", "更多", "分享", "转发", "名称", "账号", "帐号", "平台", "类型",
)  # fmt: skip
# "关注这个公众号", "我们的微博": pronouns and deictic words are not names.
_PRONOUN = re.compile(
    r"^(?:这|那|该|此|本|我|你|您|他|她|各|每|以下|下方|上述|相关|官方|新浪|腾讯|网易|搜狐|凤凰|政务)[个些们的家条号站网]*$"
)
# A list heading must look like one ("微信公众号：", "政务微博矩阵"), not a share button ("新浪微博").
_LIST_HEADING = re.compile(r"(?:[:：]|账号|帐号|矩阵)$")
_PLATFORM_HEADERS = {"平台", "所属平台", "平台名称", "平台类型", "账号类型", "帐号类型", "类型", "类别", "渠道", "媒体类型", "新媒体类型", "发布平台", "账号平台"}  # fmt: skip
_NAME_HEADERS = {"账号名称", "帐号名称", "名称", "账号", "帐号", "账号名", "公众号名称", "新媒体名称", "新媒体账号", "名字", "昵称", "账号昵称"}  # fmt: skip


def normalise(text: str) -> str:
    """Drop converter pinyin glosses (瀏覽次數(shù) → 瀏覽次數) and convert to simplified."""
    return to_simplified(strip_pinyin_glosses(text))


def extract_mentions(text: str, page_url: str = "") -> list[AccountMention]:
    """All account mentions in `text` (plain text, or text with tab-separated table rows)."""
    lines = normalise(text).splitlines()
    found = [*_inline_mentions(lines), *_list_mentions(lines), *_text_table_mentions(lines)]
    quoted = [AccountMention(name, platform, page_url, context) for name, platform, context in found]
    return dedupe([*quoted, *_other_forms(lines, page_url)])


def _other_forms(lines: list[str], page_url: str) -> Iterator[AccountMention]:
    """Unquoted names, "@name 微博", QR captions, profile cards, 关注“…” on a platform page (mention_forms)."""
    found = [m for line in lines for m in text_mentions(line)]
    for raw, platform, account_id, context in [*found, *card_mentions(lines), *follow_mentions(lines, page_url)]:
        if name := clean_name(raw):
            yield AccountMention(name, platform, page_url, context, account_id)


def mentions_in_html(tree: lxml.html.HtmlElement, page_url: str = "") -> list[AccountMention]:
    """Mentions in a parsed page: its tables cell by cell (spans resolved), then its text."""
    from_tables = [m for table in tree.iter("table") for m in mentions_in_rows(table_rows(table), page_url)]
    from_lists = [m for lst in tree.iter("ul", "ol", "dl") for m in _html_list_mentions(lst, page_url)]
    from_links = [AccountMention(to_simplified(name), platform, page_url, context, account_id)
                  for name, platform, account_id, context in link_mentions(tree, page_url)]
    return dedupe([*from_tables, *from_lists, *extract_mentions(element_text(tree), page_url), *from_links])


def _html_list_mentions(lst: lxml.html.HtmlElement, page_url: str) -> Iterator[AccountMention]:
    """<h3>政务微博</h3><ul><li>平安宜兴</li>…</ul> and <dl><dt>抖音</dt><dd>永州文旅</dd></dl>."""
    heading = lst.getprevious()
    while heading is not None and not isinstance(heading.tag, str):
        heading = heading.getprevious()
    label = normalise(element_text(heading)) if heading is not None else ""
    platform = platform_of_label(label) if heading is not None and heading.tag != "a" else None
    for item in lst:
        if not isinstance(item.tag, str):
            continue
        text = normalise(element_text(item))
        if item.tag == "dt":
            platform, label = platform_of_label(text), text
        elif platform and (name := _bare_name(text)):
            yield AccountMention(name, platform, page_url, f"{label} {name}")


def mentions_in_rows(rows: list[list[str]], page_url: str = "") -> list[AccountMention]:
    """Mentions in a table given as rows of cell texts (header row with a platform column, or not)."""
    rows = [[normalise(cell).strip() for cell in row] for row in rows if any(cell.strip() for cell in row)]
    return dedupe(AccountMention(n, p, page_url, c) for n, p, c in _table_mentions(rows))


def dedupe(mentions: Iterable[AccountMention]) -> list[AccountMention]:
    """First mention of each (name, platform), in page order; a later one that gives the id wins."""
    seen: dict[tuple[str, str], AccountMention] = {}
    for mention in mentions:
        key = (mention.name, mention.platform)
        if key not in seen or (mention.account_id and not seen[key].account_id):
            seen[key] = mention
    return list(seen.values())


def clean_name(raw: str) -> str | None:
    """The account name in `raw`, or None when it cannot be one (URL, number, instruction, platform word)."""
    name = raw.strip().lstrip("@").strip()
    if _MARKUP.search(name):
        return None  # "<span>…" or "&nbsp;": a template fragment, not a name
    if not 2 <= len(name) <= 30 or name.isdigit() or platform_of_label(name) or _PRONOUN.match(name):
        return None
    if any(word in name.lower() for word in _STOPWORDS):
        return None
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", name) or re.fullmatch(r"[\d\W_]+", name):
        return None
    return name


def _context(line: str, start: int, end: int) -> str:
    return line[max(0, start - 40) : end + 40].strip()


def _inline_mentions(lines: list[str]) -> Iterator[tuple[str, str, str]]:
    for line in lines:
        for pattern in _PATTERNS:
            for match in pattern.finditer(line):
                if name := clean_name(match.group("name")):
                    yield name, platform_of_word(match.group("word")), _context(line, *match.span())
        for match in _COLON_LIST.finditer(line):
            platform = platform_of_word(match.group("word"))
            for raw in _LIST_SPLIT.split(match.group("names")):
                if name := clean_name(raw):
                    yield name, platform, _context(line, *match.span())


def _list_mentions(lines: list[str]) -> Iterator[tuple[str, str, str]]:
    """A line that is only a platform label ("微信公众号：") followed by one name per line."""
    platform = None
    heading = ""
    for line in lines:
        stripped = line.strip()
        if (label := platform_of_label(stripped)) and _LIST_HEADING.search(stripped):
            platform, heading = label, stripped
        elif platform and (name := _bare_name(stripped)):
            yield name, platform, f"{heading} {name}"
        else:
            platform = None


def _bare_name(line: str) -> str | None:
    line = re.sub(r"^(?:\d+[.、．)]|[•·●◆■\-*])\s*", "", line)  # list numbering and bullets
    if "\t" in line or not re.fullmatch(r"@?" + _UNAME, line):
        return None
    return clean_name(line)


def _text_table_mentions(lines: list[str]) -> Iterator[tuple[str, str, str]]:
    """Runs of lines with the same number (≥ 2) of cells (tabs, pipes or wide spaces) read as tables."""
    table: list[list[str]] = []
    for line in [*lines, ""]:
        cells = [cell.strip() for cell in _CELL_SPLIT.split(line.strip().strip("|｜"))]
        is_row = sum(1 for cell in cells if cell) >= 2
        if table and (not is_row or len(cells) != len(table[0])):
            yield from _table_mentions(table)
            table = []
        if is_row:
            table.append(cells)


def _table_mentions(rows: list[list[str]]) -> Iterator[tuple[str, str, str]]:
    for index, row in enumerate(rows[:3]):
        columns = _header_columns(row)
        if columns:
            yield from _rows_by_header(rows[index + 1 :], len(row), *columns)
            return
        platform_columns = {i: p for i, cell in enumerate(row) if (p := platform_of_label(cell))}
        if len(platform_columns) >= 2 and len(platform_columns) >= len(row) - 1:
            yield from _rows_by_platform_columns(rows[index + 1 :], len(row), platform_columns)
            return
    yield from _headerless_rows(rows)


def _header_columns(row: list[str]) -> tuple[int, int] | None:
    keys = [re.sub(r"[\s:：*]", "", cell) for cell in row]
    platform = next((i for i, key in enumerate(keys) if key in _PLATFORM_HEADERS), None)
    name = next((i for i, key in enumerate(keys) if key in _NAME_HEADERS), None)
    return (platform, name) if platform is not None and name is not None else None


def _cell_platform(cell: str) -> str | None:
    if platform := platform_of_label(cell):
        return platform
    match = re.search(PLATFORM_RE, cell)  # "微信（服务号）", "新浪微博 / 政务微博"
    return platform_of_word(match.group(0)) if match else None


def _rows_by_header(rows: list[list[str]], width: int, platform_col: int, name_col: int) -> Iterator:
    for row in rows:
        if len(row) != width:  # a merged or broken row: cells would pair up wrongly
            continue
        platform = _cell_platform(row[platform_col])
        if platform and (name := clean_name(row[name_col])):
            yield name, platform, " | ".join(row)


def _rows_by_platform_columns(rows: list[list[str]], width: int, columns: dict[int, str]) -> Iterator:
    for row in rows:
        if len(row) != width:
            continue
        for index, platform in columns.items():
            for raw in _LIST_SPLIT.split(row[index]):
                if name := clean_name(raw):
                    yield name, platform, " | ".join(row)


def _headerless_rows(rows: list[list[str]]) -> Iterator:
    for row in rows:
        platforms = [(i, p) for i, cell in enumerate(row) if (p := platform_of_label(cell))]
        if len(platforms) != 1:
            continue
        names = [n for i, cell in enumerate(row) if i != platforms[0][0] and (n := _bare_name(cell))]
        if names:
            yield names[0], platforms[0][1], " | ".join(row)
