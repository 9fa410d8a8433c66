"""When a government page was made public, from its meta tags and visible date lines.

Evidence, strongest first (DESIGN.md, `check page`):
1. meta PubDate and its relatives (publishdate, article:published_time …);
2. 公开日期 / 发布日期 / 发布时间 / 发文日期 lines;
3. generic 日期 / 时间 labels;
4. an unlabelled date on a 来源 or 作者 line ("2024-03-21 来源：市政府办"), not a comment's;
5. 生成日期 / 成文日期 / 印发日期 (when the document was written, not published);
6. a date in the URL (/t20240321_123.html, /2024-03/21/).
Forms: "2024-03-21", "2024/3/21", "2024.03.21", "2024年3月21日", "二〇二四年三月二十一日",
optionally followed by a time "09:30" or "09:30:15"; ISO datetimes with offsets become China time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from core.dates import CHINA_TZ, YMD, china_time

PUBLISH_META = (
    "pubdate", "publishdate", "publish_date", "publishtime", "publish_time", "published", "firstpublishedtime",
    "article:published_time", "og:article:published_time", "og:release_date", "dcterms.issued", "dc.date.issued",
    "dc.date", "releasedate", "date",
)  # fmt: skip
_NUMERIC = (
    rf"(?=(?:19|20)\d\d){YMD}(?!\d)\s*日?"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
# "24-5-13 17:07": a two-digit year is read only with a clock after it (else it could be a phone number).
_SHORT = r"(?<![\d\-/.])(?P<sy>[0-3]\d)-(?P<sm>[01]?\d)-(?P<sd>[0-3]?\d)\s+(?P<sH>\d{1,2}):(?P<sM>\d{2})"
_DIGITS = "〇一二三四五六七八九"
_HANZI = rf"(?P<hy>[{_DIGITS}零○Ｏ]{{4}})\s*年\s*(?P<hm>[一二三四五六七八九十]{{1,2}})\s*月\s*(?P<hd>[一二三四五六七八九十]{{1,3}})\s*日"
_DATE = re.compile(rf"{_NUMERIC}|{_HANZI}|{_SHORT}")
_GAP = r"[\s:：\]】)）>\-—]{0,12}"
_TIERS = (
    (r"公开日期|发布日期|发布时间|发文日期|公开时间|发稿时间|发布于|上线时间|发表于|发表时间|发帖时间|发布(?=\s*[:：])|发表(?=\s*[:：])", 2),
    ("(?<![布开文稿成印签])日期|(?<![布开文稿线])时间", 3),
    ("生成日期|成文日期|印发日期|签发日期|成文时间", 5),
)
_BYLINE = re.compile(r"来源|作者|稿源|出处")
_COMMENT = re.compile(r"发表人|评论人|回复人|网友|留言人|评论者")
_URL_DATE = re.compile(r"/t?(?P<y>20\d{2})-?(?P<m>[01]\d)[-/]?(?P<d>[0-3]\d)(?:_|/|\.)")


@dataclass(frozen=True)
class Published:
    """A publication time and the text it was read from."""

    at: datetime
    raw: str
    evidence: str  # meta:<name> | label:<label> | source_line | url


def find_published(meta: dict[str, str], text: str, url: str = "", markup: str = "",
                   headline: str = "") -> Published | None:
    """The strongest publication date on a page (see module docstring), or None."""
    for name in PUBLISH_META:
        if (value := meta.get(name)) and (at := parse_page_date(value)):
            return Published(at, value.strip(), f"meta:{name}")
    if markup and (scripted := _scripted(markup)):
        return scripted
    text, headline = unicodedata.normalize("NFKC", text), unicodedata.normalize("NFKC", headline)
    found = [hit for labels, tier in _TIERS if (hit := _labelled(text, labels, tier))]
    if headline and (under := _under_headline(text, headline)):
        found.append(under)
    if source := _source_line(text):
        found.append(source)
    if url_hit := _url_date(url):
        found.append((6, url_hit))
    return min(found, key=lambda hit: hit[0])[1] if found else None


def parse_page_date(value: str) -> datetime | None:
    """The first absolute date (and time) in `value`; ISO offsets are converted to China time."""
    value = unicodedata.normalize("NFKC", value).strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None and parsed.tzinfo is not None:
        return china_time(parsed)
    match = _DATE.search(value)
    return _from_match(match) if match else None


def _from_match(match: re.Match[str]) -> datetime | None:
    if match.group("sy"):
        parts = [2000 + int(match.group("sy"))] + [int(match.group(k)) for k in ("sm", "sd", "sH", "sM")] + [0]
    elif match.group("y"):
        parts = [int(match.group(key) or 0) for key in ("y", "m", "d", "H", "M", "S")]
    else:
        year = int("".join(str(_hanzi_digit(char)) for char in match.group("hy")))
        parts = [year, _hanzi_number(match.group("hm")), _hanzi_number(match.group("hd")), 0, 0, 0]
    try:
        return datetime(*parts)  # type: ignore[arg-type]
    except ValueError:  # 2024-02-30, 25:00: not a date
        return None


def _hanzi_digit(char: str) -> int:
    return 0 if char in "〇零○Ｏ" else _DIGITS.index(char)


def _hanzi_number(text: str) -> int:
    """一 … 三十一 as an integer."""
    if "十" not in text:
        return _hanzi_digit(text)
    tens, _, ones = text.partition("十")
    return (_hanzi_digit(tens) if tens else 1) * 10 + (_hanzi_digit(ones) if ones else 0)


def _labelled(text: str, labels: str, tier: int) -> tuple[float, Published] | None:
    for match in re.finditer(rf"(?P<label>{labels}){_GAP}(?P<date>{_DATE.pattern})", text):
        if _COMMENT.search(text[text.rfind("\n", 0, match.start()) + 1 : match.start()]):
            continue  # "发表人：某某 发表时间：…" dates a reader's comment, not the page
        if at := _from_match(_DATE.match(match.group("date"))):  # type: ignore[arg-type]
            return tier, Published(at, match.group("date").strip(), f"label:{match.group('label')}")
    return None


def _source_line(text: str) -> tuple[float, Published] | None:
    """An unlabelled date on a 来源/作者 line ("作者：王某 2024年3月21日"), wherever it stands."""
    for line in text.splitlines():
        if _BYLINE.search(line) and not _COMMENT.search(line) and (match := _DATE.search(line)) and (at := _from_match(match)):
            return 4, Published(at, match.group(0).strip(), "source_line")
    return None


def _url_date(url: str) -> Published | None:
    match = _URL_DATE.search(url)
    if not match:
        return None
    try:
        at = datetime(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None
    return Published(at, match.group(0), "url")


_JSON_LD = re.compile(r'"(?:datePublished|dateCreated|uploadDate)"\s*:\s*"([^"]{8,40})"')
_WECHAT_CT = re.compile(r'\bvar\s+ct\s*=\s*"?(\d{10})"?')


def _scripted(markup: str) -> Published | None:
    """JSON-LD datePublished, or a WeChat article's `var ct` publish timestamp."""
    if (found := _JSON_LD.search(markup)) and (at := parse_page_date(found.group(1))):
        return Published(at, found.group(1), "json-ld")
    if found := _WECHAT_CT.search(markup):
        at = datetime.fromtimestamp(int(found.group(1)), CHINA_TZ).replace(tzinfo=None)
        return Published(at, found.group(1), "wechat:ct")
    return None


# A date followed by these is a birth date or a calendar's (1975年1月28日（农历…）, …出生, a header's
# 今天是… 农历…): under an encyclopedia entry's or a profile's name it does not date the page.
_NOT_PUBLISHED = re.compile(r"[\s（(]*(?:农历|出生|生于|诞生|诞辰|逝世|去世)")


def _under_headline(text: str, headline: str) -> tuple[float, Published] | None:
    """An unlabelled date on the headline's line or the few lines under it (by-line, source line).
    Every line showing the headline is tried in turn: the first is often <title> over the menus."""
    lines = text.splitlines()
    key = headline.replace(" ", "")[:30]
    starts = [i for i, line in enumerate(lines) if key and key in line.replace(" ", "")][:5]
    for start in starts:
        for line in lines[start : start + 6]:
            if (match := _DATE.search(line)) and not _NOT_PUBLISHED.match(line, match.end()) \
                    and (at := _from_match(match)):
                return 2.5, Published(at, match.group(0).strip(), "under_title")
    return None
