"""Account mentions in real text written by others, labelled by hand (bench/labels/mentions_real.tsv).

Units are every real page (cwced/original/, pages/) read as the crawler reads it (page_info),
every distinct post of the real Weibo answers (weibo_bilibili/), whose text is HTML, read with
mentions_in_html as on m.weibo.cn, the Weibo profile's description, and every Bilibili dynamic
(its text, and a video's title and description) read as on t.bilibili.com. The labels name the unit
and the account a reader sees (platform, name, id); nothing of the text is copied.

The real material holds few mentions, so the split is by mention, not by page: a hash of
"unit|platform|name" puts about half of them in the held-out part, which is never looked at while
tuning. A found mention that matches a label takes that label's part; any other found mention
(a false one) takes the part of its own unit|platform|name, so precision is split the same way.
"""

from __future__ import annotations

import hashlib
import html as html_escape
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from bench.realeval.corpus import pages, read_labels
from core.models import AccountMention

WEIBO = "weibo_bilibili"
WEIBO_ORIGIN = "https://m.weibo.cn/"  # where a post's relative links (/n/NAME, /u/ID) point
BILIBILI_ORIGIN = "https://t.bilibili.com/"
PageMentions = Callable[[bytes], list[AccountMention]]
HtmlMentions = Callable[[str, str], list[AccountMention]]


def part_of_mention(unit: str, platform: str, name: str) -> str:
    """`held-out` for about half of the mentions (fixed by the hash), else `tune`."""
    digest = hashlib.sha256(f"govwatch-mentions:{unit}|{platform}|{name}".encode()).hexdigest()
    return "held-out" if int(digest, 16) % 2 == 0 else "tune"


def weibo_posts(root: Path) -> Iterator[tuple[str, str, str]]:
    """(unit, post HTML, origin) for each distinct post of the saved Weibo and Bilibili answers."""
    seen: set[str] = set()
    for path in sorted((root / WEIBO).glob("weibo_ak_list_*.json")):
        for card in json.loads(path.read_text(encoding="utf-8"))["data"]["cards"]:
            blog = card.get("mblog") or {}
            post_id = str(blog.get("id") or "")
            if post_id and post_id not in seen and blog.get("text"):
                seen.add(post_id)
                yield f"{WEIBO}/{path.name}#{post_id}", blog["text"], WEIBO_ORIGIN
    for path in sorted((root / WEIBO).glob("weibo_detail_*")):
        yield f"{WEIBO}/{path.name}", json.loads(path.read_text(encoding="utf-8"))["data"]["longTextContent"], WEIBO_ORIGIN
    for path in sorted((root / WEIBO).glob("weibo_*_profile.json")):
        user = (json.loads(path.read_text(encoding="utf-8")).get("data") or {}).get("userInfo") or {}
        if user.get("description"):
            yield f"{WEIBO}/{path.name}#description", _as_html(user["description"]), WEIBO_ORIGIN
    yield from _bilibili_dynamics(root)


def _bilibili_dynamics(root: Path) -> Iterator[tuple[str, str, str]]:
    for path in sorted((root / WEIBO).glob("bilibili-*.json")):
        for item in (json.loads(path.read_text(encoding="utf-8")).get("data") or {}).get("items") or []:
            dynamic = item.get("modules", {}).get("module_dynamic") or {}
            parts = [(dynamic.get("desc") or {}).get("text") or ""]
            for major in (dynamic.get("major") or {}).values():
                if isinstance(major, dict):
                    parts += [str(major.get("title") or ""), str(major.get("desc") or "")]
            if any(parts):
                yield f"{WEIBO}/{path.name}#{item['id_str']}", _as_html("\n".join(parts)), BILIBILI_ORIGIN


def _as_html(text: str) -> str:
    return "<div>" + html_escape.escape(text).replace("\n", "<br>") + "</div>"


def units(root: Path, page_mentions: PageMentions, html_mentions: HtmlMentions
          ) -> Iterator[tuple[str, list[AccountMention]]]:
    """(unit, mentions found in it) for every real page, Weibo post and Bilibili dynamic."""
    for page in pages(root):
        yield page.key, page_mentions(page.raw)
    for unit, html, origin in weibo_posts(root):
        yield unit, html_mentions(html, origin)


def html_fragment_mentions(html: str, url: str) -> list[AccountMention]:
    """crawler.pages.mentions over an HTML fragment (a Weibo post's text)."""
    from crawler.pages.mentions import mentions_in_html

    return mentions_in_html(lxml.html.fromstring(html), url)


@dataclass
class Score:
    """Right, found and labelled mentions per part; what went wrong on the tune part."""

    right: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    labelled: Counter[str] = field(default_factory=Counter)
    tune_misses: list[str] = field(default_factory=list)

    def line(self, part: str) -> str:
        r, f, n = self.right[part], self.found[part], self.labelled[part]
        return (f"mentions in real text, {part}: recall {r}/{n} = {r / max(1, n):.2f}, "
                f"precision {r}/{f} = {r / max(1, f):.2f}")


def _same(found: AccountMention, label: dict[str, str]) -> bool:
    return found.platform == label["platform"] and (
        found.name == label["name"] or bool(label["account_id"]) and found.account_id == label["account_id"])


def score(root: Path, page_mentions: PageMentions, html_mentions: HtmlMentions = html_fragment_mentions) -> Score:
    """Recall and precision per part over every unit (labels: bench/labels/mentions_real.tsv)."""
    labels: dict[str, list[dict[str, str]]] = {}
    for row in read_labels("mentions_real.tsv"):
        labels.setdefault(row["unit"], []).append(row)
    result = Score()
    for unit, got in units(root, page_mentions, html_mentions):
        wanted = labels.pop(unit, [])
        for label in wanted:
            part = part_of_mention(unit, label["platform"], label["name"])
            result.labelled[part] += 1
            if any(_same(m, label) for m in got):
                result.right[part] += 1
            elif part == "tune":
                result.tune_misses.append(f"{unit}: missed {label['platform']}:{label['name']}")
        for m in got:
            match = next((w for w in wanted if _same(m, w)), None)
            part = part_of_mention(unit, m.platform, match["name"] if match else m.name)
            result.found[part] += 1
            if match is None and part == "tune":
                result.tune_misses.append(f"{unit}: unexpected {m.platform}:{m.name} ({m.context[:40]})")
    if labels:
        raise ValueError(f"bench/labels/mentions_real.tsv names units not in realdata: {sorted(labels)}")
    return result
