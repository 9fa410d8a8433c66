"""A page's title as a reader sees it: the headline, without site or column names.

Evidence, in order:
1. the government CMS `ArticleTitle` meta (markup inside it read as text, never kept);
2. the part of <title> (split at _ | ｜ - -- — » :: <) that the page also shows as a
   line of its own: "栏目--某某网" suffixes and "多维博客 »" prefixes fall away, a
   title that itself holds "|" or "｜" stays whole when the page shows it whole;
3. the headline line just above the main text ("主题：" labels dropped), for pages
   whose <title> is empty or names only the site;
4. og:title, then the first part of <title> (site name dropped), then the first <h1>.
"""

from __future__ import annotations

import re

import lxml.html

from core.text import clean_whitespace

_SEPARATORS = re.compile(r"(\s*(?:_+|\||｜|::|»|«|<|>|--+|—+|–)\s*|\s+-\s+|-(?=[^-]{2,12}$))")
_LABEL = re.compile(r"^(?:主题|标题|题目|文章标题|标\s*题)\s*[:：]\s*")
_TAGS = re.compile(r"<[^>]+>")
_NOT_HEADLINE = re.compile(r"https?://|www\.|作者|来源|发布|时间|日期|编辑|点击|浏览|责任|^\W*$|\d{4}[-/年.]\d{1,2}")
_PRIVATE = re.compile(r"[\ue000-\uf8ff]")  # icon-font glyphs, not text
MAX_TITLE = 80


def reader_title(tree: lxml.html.HtmlElement, meta: dict[str, str], text: str, main: str, site: str = "") -> str:
    """The page's headline (see module docstring); "" when the page has none."""
    if article := _strip_markup(meta.get("articletitle", "")):
        return article
    raw = _html_title(tree)
    # Broken markup can put <title> in the body: its own line there is no evidence.
    lines = {_LABEL.sub("", line.strip()) for line in text.splitlines()} - {raw}
    lines |= {clean_whitespace(h.text_content()) for h in tree.iter("h1", "h2", "h3")}
    if shown := _shown_part(raw, lines):
        return shown
    if headline := _labelled_headline(text) or _headline_above(text, main):
        return headline
    if og := _strip_markup(meta.get("og:title", "")):
        return og
    if raw:
        return _first_part(raw, site)
    h1 = tree.find(".//h1")
    return clean_whitespace(h1.text_content()) if h1 is not None else ""


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


def _headline_above(text: str, main: str) -> str:
    """The short line above the main text's first line, skipping by-lines, dates and sources."""
    first = next((line.strip() for line in main.splitlines() if len(line.strip()) >= 6), "")
    at = text.find(first[:20]) if first else -1
    if at <= 0:
        return ""
    for line in reversed(text[:at].splitlines()[-6:]):
        line = _LABEL.sub("", line.strip())
        if 4 <= len(line) <= MAX_TITLE and "\t" not in line and not _NOT_HEADLINE.search(line):
            return line
    return ""


def _first_part(title: str, site: str) -> str:
    """Drop the site name: 通知标题_永州市人民政府 → 通知标题; a title of one part stays whole."""
    parts = [part.strip() for part in _SEPARATORS.split(title)[::2] if part.strip()]
    if len(parts) < 2:
        return title
    kept = [part for part in parts if not (site and (part in site or site in part))]
    return " ".join(kept) if site and kept and len(kept) < len(parts) else parts[0]
