"""How injected text is hidden: inline styles, <style> rules on classes and ids, tiny marquees."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_RULE = re.compile(r"([^{}]+)\{([^}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^[a-z0-9]*([.#])([\w-]+)$", re.I)
_OFFSCREEN = re.compile(r"(?:^|;)(?:left|top|right|text-indent|margin-left|margin-top):-(\d+)")
_SIZE = re.compile(r"(?:^|;)font-size:(\d*\.?\d+)(px|pt|em|rem)?")
_ZERO_BOX = re.compile(r"(?:^|;)(?:height|width|max-height):(?:0|[01]px)(?:;|$)")


def style_kind(style: str) -> str:
    """The hiding technique a CSS declaration block uses, or ''."""
    s = re.sub(r"\s+", "", style.lower())
    if "display:none" in s:
        return "hidden_display_none"
    if "visibility:hidden" in s or "opacity:0;" in s + ";" and "opacity:0." not in s:
        return "hidden_visibility"
    off = _OFFSCREEN.search(s)
    if off and int(off.group(1)) >= 500:
        return "offscreen"
    size = _SIZE.search(s)
    if size and float(size.group(1)) <= (0.1 if size.group(2) in ("em", "rem") else 2):
        return "zero_font"
    if _ZERO_BOX.search(s) and "overflow:hidden" in s:
        return "hidden_visibility"
    return ""


@dataclass
class HiddenRules:
    """Classes and ids that page-level <style> rules hide."""

    classes: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_styles(cls, styles: Iterable[str]) -> HiddenRules:
        rules = cls()
        for css in styles:
            for selectors, body in _RULE.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
                kind = style_kind(body)
                if not kind:
                    continue
                for selector in selectors.split(","):
                    simple = _SIMPLE_SELECTOR.match(selector.strip())
                    if simple:
                        (rules.classes if simple.group(1) == "." else rules.ids)[simple.group(2)] = kind
        return rules


def _tiny(value: str | None) -> bool:
    digits = re.match(r"\s*(\d+)", value or "")
    return digits is not None and int(digits.group(1)) <= 5


def element_hidden(el: Any, rules: HiddenRules) -> str:
    """The hiding technique of one element (not its ancestors), or ''."""
    if el.tag == "marquee":
        style = re.sub(r"\s+", "", (el.get("style") or "").lower())
        sizes = re.findall(r"(?:height|width):(\d+)", style)
        if _tiny(el.get("height")) or _tiny(el.get("width")) or any(int(v) <= 5 for v in sizes):
            return "tiny_marquee"
    if el.get("hidden") is not None:
        return "hidden_display_none"
    kind = style_kind(el.get("style") or "")
    if kind:
        return kind
    for name in (el.get("class") or "").split():
        if name in rules.classes:
            return rules.classes[name]
    return rules.ids.get(el.get("id") or "", "")


def where(el: Any) -> str:
    """A short CSS-like path to an element: html > body > div#id.class (style)."""
    parts: list[str] = []
    node = el
    while node is not None and len(parts) < 6:
        label = node.tag if isinstance(node.tag, str) else "?"
        if node.get("id"):
            label += "#" + node.get("id")
        if node.get("class"):
            label += "." + ".".join(node.get("class").split())
        parts.append(label)
        node = node.getparent()
    path = " > ".join(reversed(parts))
    style = el.get("style") if el.tag != "meta" else f"name={el.get('name')}"
    return f"{path} [{style}]" if style else path
