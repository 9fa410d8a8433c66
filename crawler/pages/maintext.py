"""The article's main text: what content checks read (not menus, sidebars, related lists, footers).

Three readers, chosen by what the page offers (measured on the hand-labelled
real pages by bench/realpages.py):
1. a government CMS or WeChat body container (div#zoom, TRS_Editor, #js_content …),
   the template's own statement of where the article is;
2. trafilatura (precision mode), a maintained boilerplate remover;
3. a paragraph-density reader for table-layout pages (forums, old portals) that
   trafilatura returns nothing or a layout table for: paragraphs with sentence
   punctuation score their block and its parent, the best block wins.
"""

from __future__ import annotations

import logging
import re

import lxml.html

from crawler.pages.htmltext import element_text

# Containers whose name says "this is the article" on CMS families (TRS, 大汉, 拓尔思, WeChat, custom).
CMS_BODY = (
    "div#zoom", "div.TRS_Editor", "div.trs_editor_view", "div#UCAP-CONTENT", "div.article-content",
    "div#js_content", "div.rich_media_content", "div.pages_content", "div#content_text", "div.view.TRS_UEDITOR",
)  # fmt: skip
# Generic names that are usually, but not always, the article: used only when nothing better reads.
GENERIC_BODY = ("article", "div.article", "div#content", "div.content")
_MIN_CMS = 40
_MIN_EXTRACTED = 120
_PUNCT = re.compile(r"[，。；！？、,.;!?]")
_LAYOUT_TABLE = re.compile(r"^\|.*\|\s*$", re.M)
_SKIP = frozenset(("script", "style", "noscript", "a", "select", "option", "textarea", "button"))
_BLOCKS = frozenset(("div", "td", "article", "section", "main", "body", "li", "dd", "blockquote", "font", "span"))


def main_text(html: str, tree: lxml.html.HtmlElement) -> str:
    """The main text of a page ("" when the page has no readable article)."""
    cms = _first_container(tree, CMS_BODY, _MIN_CMS)
    if cms:
        return cms
    extracted = _trafilatura(html)
    if len(extracted) >= _MIN_EXTRACTED and not _is_layout_table(extracted):
        return extracted
    dense = _densest_block(tree)
    return dense or extracted or _first_container(tree, GENERIC_BODY, 1)


def _first_container(tree: lxml.html.HtmlElement, selectors: tuple[str, ...], minimum: int) -> str:
    for selector in selectors:
        for element in tree.cssselect(selector):
            text = element_text(element)
            if len(text) >= minimum:
                return text
    return ""


def _trafilatura(html: str) -> str:
    import trafilatura  # lazy: its import costs ~0.3 s and most callers never need it

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every page it finds empty as an error
    try:
        return trafilatura.extract(html, favor_precision=True, include_comments=False, deduplicate=False) or ""
    except (ValueError, TypeError, AttributeError):  # its tree cleaning trips over rare junk markup
        return ""


def _is_layout_table(text: str) -> bool:
    """Markdown table rows for most of the output: a layout table, not an article."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and len(_LAYOUT_TABLE.findall(text)) > len(lines) / 2


def _densest_block(tree: lxml.html.HtmlElement) -> str:
    """Text of the block where sentence-like paragraphs concentrate (readability-style scoring)."""
    scores: dict[lxml.html.HtmlElement, float] = {}
    for owner, text in _text_nodes(tree):
        if len(text) < 20:
            continue
        score = 1 + len(_PUNCT.findall(text)) + min(len(text) / 100, 3)
        scores[owner] = scores.get(owner, 0) + score
        parent = _block_parent(owner)
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + score / 2
    if not scores:
        return ""
    best = max(scores, key=lambda element: scores[element])
    return element_text(best)


def _text_nodes(tree: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    """(nearest block ancestor, text) for every text and tail outside links, scripts and forms."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or any(a.tag in _SKIP for a in element.iterancestors()):
            continue
        if element.tag not in _SKIP and element.text and element.text.strip():
            found.append((_block(element), element.text.strip()))
        if element.tail and element.tail.strip() and element.getparent() is not None:
            found.append((_block(element.getparent()), element.tail.strip()))
    return found


def _block(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    while element.tag not in _BLOCKS and element.getparent() is not None:
        element = element.getparent()
    return element


def _block_parent(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    parent = element.getparent()
    return _block(parent) if parent is not None else None
