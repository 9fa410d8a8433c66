"""A page's title as a reader sees it: the headline, without site or column names.

Evidence, in order:
1. the government CMS `ArticleTitle` meta (markup inside it read as text, never kept);
2. the part of <title> (split at _ | ｜ - -- — » :: < " @ ") that the page also shows as a
   line of its own: "栏目--某某网" suffixes and "多维博客 »" prefixes fall away, a
   title that itself holds "|" or "｜" stays whole when the page shows it whole; a
   part the page shows as its <h1> wins over a longer one shown as a plain line (a
   wiki's tagline); Discuz "(页 1)" paging marks are dropped;
3. the main text's first line when the page confirms it is a headline (an <h1>–<h3>
   says the same, or the page prints it twice);
4. the headline line just above the main text ("主题：" labels dropped), for pages
   whose <title> is empty or names only the site; menus, breadcrumbs, button rows
   and sentences are skipped, a line holding a <title> part gives that part;
5. og:title, then the first part of <title> (site name dropped), then the main
   text's first line when <title> is a placeholder ("显示"), then the first <h1>.
"""

from __future__ import annotations

import re

import lxml.html

from core.text import clean_whitespace

_SEPARATORS = re.compile(r"(\s*(?:_+|\||｜|::|»|«|<|>|--+|—+|–)\s*|\s+[-@]\s+|-(?=[^-]{2,12}$))")
_LABEL = re.compile(r"^(?:主题|标题|题目|文章标题|标\s*题)\s*[:：]\s*")
_TAGS = re.compile(r"<[^>]+>")
_NOT_HEADLINE = re.compile(r"https?://|www\.|作者|来源|发布|时间|日期|编辑|点击|浏览|责任|^\W*$|\d{4}[-/年.]\d{1,2}")
_PRIVATE = re.compile(r"[\ue000-\uf8ff]")  # icon-font glyphs, not text
_PAGING = re.compile(r"\s*[(（](?:页\s*\d+|第\s*\d+\s*页)[)）]")  # Discuz archiver: "标题(页 1)"
_TRAILER = re.compile(r"(?:\s*-\s*-|\s*--)\s*$")  # BlogDriver prints "标题- -"
# Lines above an article that are page furniture: menus (>>, -->, |), button rows (【打印】), UI words.
_FURNITURE = re.compile(r">>|-->|»|【[^】]*】.*【|我要|注册|登录|登入|收藏|推荐|分享|打印|关闭|首页|积分|[。…]$")
_HEADS = ("h1", "h2", "h3")
MAX_TITLE = 80


def reader_title(tree: lxml.html.HtmlElement, meta: dict[str, str], text: str, main: str, site: str = "") -> str:
    """The page's headline (see module docstring); "" when the page has none."""
    if article := _strip_markup(meta.get("articletitle", "")):
        return article
    raw = _PAGING.sub("", _html_title(tree))
    text = _PRIVATE.sub("", text)
    every = [_LABEL.sub("", line.strip()) for line in text.splitlines()]
    # Broken markup can put <title> in the body: its own line there is no evidence, unless printed twice.
    lines = set(every) - ({raw} if every.count(raw) < 2 else set())
    heads = {_TRAILER.sub("", clean_whitespace(h.text_content())) for h in tree.iter(*_HEADS)}
    named = heads - _site_names(raw, site)  # headings other than the site's own name
    if shown := _shown_part(raw, named) or _shown_part(raw, lines | heads):
        return shown
    if headline := _labelled_headline(text) or _confirmed_first_line(main, named, every):
        return headline
    if headline := _headline_above(text, main, raw):
        return headline
    if og := _strip_markup(meta.get("og:title", "")):
        return og
    if len(raw) >= 4:
        return _first_part(raw, site)
    if first := _headline_like(_first_line(main)):
        return first
    h1 = tree.find(".//h1")
    return clean_whitespace(h1.text_content()) if h1 is not None else raw


def _strip_markup(value: str) -> str:
    """'<p>通知</p>' → '通知': some CMSs store the title's markup in the meta."""
    return clean_whitespace(_TAGS.sub("", value)) if value else ""


def _html_title(tree: lxml.html.HtmlElement) -> str:
    element = tree.find(".//title")
    return _PRIVATE.sub("", clean_whitespace(element.text_content())).strip("\ufeff ") if element is not None else ""


def _shown_part(title: str, lines: set[str]) -> str:
    """The longest run of consecutive <title> parts that the page shows as a line of its own."""
    if not title:
        return ""
    pieces = _SEPARATORS.split(title)  # parts at even indexes, separators between them
    parts = pieces[::2]
    best = ""
    for start in range(len(parts)):
        for end in range(start + 1, len(parts) + 1):
            candidate = "".join(pieces[2 * start : 2 * end - 1]).strip()
            if len(candidate) > len(best) and len(candidate) >= 2 and _shown(candidate, lines):
                best = candidate
    return best


def _shown(candidate: str, lines: set[str]) -> bool:
    squeezed = candidate.replace(" ", "")
    return any(line.replace(" ", "").rstrip("- ") == squeezed for line in lines)


def _labelled_headline(text: str) -> str:
    """A forum or CMS line that says what the title is: 主题：… / 标题：…."""
    for line in text.splitlines():
        line = line.strip()
        if _LABEL.match(line) and 4 <= len(rest := _LABEL.sub("", line)) <= MAX_TITLE:
            return rest
    return ""


def _first_line(main: str) -> str:
    return next((line.strip() for line in main.splitlines() if line.strip()), "")


def _headline_like(line: str) -> str:
    """`line` without a BlogDriver trailer when it can be a headline (short, not a sentence or menu), else ""."""
    line = _TRAILER.sub("", _LABEL.sub("", line.strip()))
    if 4 <= len(line) <= MAX_TITLE and "\t" not in line and not _NOT_HEADLINE.search(line) and not _FURNITURE.search(line):
        return line
    return ""


def _site_names(title: str, site: str) -> set[str]:
    """The site name (SiteName meta, the last part of <title>): a heading that only names the site
    does not confirm a headline."""
    parts = [part.strip() for part in _SEPARATORS.split(title)[::2] if part.strip()]
    return {name for name in (site, parts[-1] if len(parts) > 1 else "") if name}


def _confirmed_first_line(main: str, heads: set[str], every: list[str]) -> str:
    """The main text's first line, when a heading repeats it or the page prints it twice."""
    first = _headline_like(_first_line(main))
    return first if first and (first in heads or every.count(first) >= 2) else ""


def _headline_above(text: str, main: str, title: str = "") -> str:
    """The short line above the main text's first line, skipping by-lines, dates, sources and furniture.
    A line that holds a part of <title> ("标题 标题" printed twice) gives that part."""
    first = next((line.strip() for line in main.splitlines() if len(line.strip()) >= 6), "")
    at = text.find(first[:20]) if first else -1
    if at <= 0:
        return ""
    parts = [part.strip() for part in _SEPARATORS.split(title)[::2] if len(re.sub(r"\W", "", part)) >= 3]
    for line in reversed(text[:at].splitlines()[-6:]):
        if (line := _headline_like(line)) and (len(parts) < 2 or _shares_words(line, title)):
            return next((part for part in parts if part in line and part != line), line)
    return ""


def _shares_words(line: str, title: str) -> bool:
    """True when `line` and <title> have a two-character run in common: when <title> reads "headline -
    column - site", a line above the text that shares nothing with it is page furniture ("看我还写了啥？")."""
    return any(line[i : i + 2] in title for i in range(len(line) - 1))


def _first_part(title: str, site: str) -> str:
    """Drop the site name: 通知标题_永州市人民政府 → 通知标题; a title of one part stays whole."""
    parts = [part.strip() for part in _SEPARATORS.split(title)[::2] if part.strip()]
    if len(parts) < 2:
        return title
    kept = [part for part in parts if not (site and (part in site or site in part))]
    return " ".join(kept) if site and kept and len(kept) < len(parts) else parts[0]
