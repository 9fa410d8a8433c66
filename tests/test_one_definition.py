"""Each shared concept is defined once (issue 13 "One vocabulary"): a second copy anywhere in the code fails here.

China's time zone lives in core/dates.py (CHINA_TZ, with the year-month-day pattern YMD), the pinyin-gloss
pattern in core/text.py, the platform words in core/platforms.py, and the spider list comes from Scrapy's
spider loader (govwatch.crawling.spider_names). The scan reads source text and literals, not behaviour: it
catches the copies that drifted apart before (a time zone built again in crawler/distributed.py, platform
words in a registry table of their own, spider tuples in the CLI, the demo and the crawl bench).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from core.platforms import PLATFORM_WORDS, PLATFORMS, REGISTRY_ONLY_WORDS

ROOT = Path(__file__).resolve().parent.parent
CODE = ("core", "index", "crawler", "audit", "ops", "search_api", "sampleweb", "govwatch", "bench")
# (what, the one module allowed to define it, a line that defines it again)
LINE_PATTERNS = (
    ("China time zone", "core/dates.py", re.compile(r"timedelta\(hours=8\)|Asia/Shanghai|ZoneInfo\(")),
    ("conversion to naive China time", "core/dates.py", re.compile(r"astimezone\(CHINA_TZ\)\.replace\(tzinfo=None\)")),
    ("year-month-day pattern", "core/dates.py", re.compile(r"\\d\{4\}\)?\\s\*\[[^\]]*年")),
    ("pinyin-gloss pattern", "core/text.py", re.compile(r"[āáǎà]{2}")),
)
SPIDERS = frozenset(
    name
    for path in (ROOT / "crawler" / "spiders").glob("*.py")
    for name in re.findall(r'^    name = "(\w+)"', path.read_text(encoding="utf-8"), re.M)
)


def modules() -> Iterator[tuple[str, str]]:
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def literal_strings(node: ast.AST) -> list[str]:
    elements = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", [])
    return [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def second_copies(sources: Iterable[tuple[str, str]]) -> list[str]:
    """`path:line: what` for every second definition in (path, source text) pairs."""
    found = []
    words = set(PLATFORM_WORDS) | set(REGISTRY_ONLY_WORDS)
    for name, source in sources:
        for what, home, pattern in LINE_PATTERNS:
            found += [f"{name}:{n}: {what}" for n, line in enumerate(source.splitlines(), 1)
                      if name != home and pattern.search(line)]  # fmt: skip
        for node in ast.walk(ast.parse(source)):
            strings = literal_strings(node)
            if name != "core/platforms.py" and isinstance(node, ast.Dict) and len(words.intersection(strings)) >= 3:
                values = [v.value for v in node.values if isinstance(v, ast.Constant)]
                if set(values) <= set(PLATFORMS):
                    found.append(f"{name}:{node.lineno}: platform words")
            if len(SPIDERS.intersection(strings)) >= 3 and SPIDERS.difference(PLATFORMS).intersection(strings):
                found.append(f"{name}:{node.lineno}: spider list")
    return found


def test_each_shared_concept_is_defined_once() -> None:
    assert SPIDERS >= {"gov_site", "weibo", "discovery"}  # the spider names were found
    assert second_copies(modules()) == []


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import timedelta, timezone\nCHINA = timezone(timedelta(hours=8))\n",
        'SPIDERS = ("gov_site", "wechat", "weibo", "feeds")\n',
        'NAMES = {"微博": "weibo", "抖音": "douyin", "B站": "bilibili"}\n',
        'GLOSS = "[āáǎàēéěè]"\n',
        "def naive(at):\n    return at.astimezone(CHINA_TZ).replace(tzinfo=None)\n",
        'DAY = re.compile(r"(\\d{4})\\s*[年./-]\\s*(\\d{1,2})")\n',
    ],
)
def test_the_scan_sees_a_second_copy(source: str) -> None:
    assert len(second_copies([("crawler/copy.py", source)])) == 1
    assert second_copies([("crawler/copy.py", "X = 1\n")]) == []
