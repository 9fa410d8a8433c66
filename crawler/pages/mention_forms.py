"""Account mentions beyond quoted names: unquoted names before a platform word, ids in brackets,
"@name" with a platform word, QR-code captions, and links to platform profile pages.

- 据永州发布微信公众号消息 · 关注永州发布公众号（yongzhoufabu） · @平安永州 微博 · 永州发布微信二维码 ·
  永州发布官方微信 (a QR caption) · @永州发布 and 关注“永州发布” on a platform's own page
- 关注明日方舟BILIBILI官方账号: a name before a platform's own name and 账号
- weibo.com/u/ID, weibo.com/NAME, mp.weixin.qq.com/mp/profile_ext?__biz=…, douyin.com/user/ID,
  space.bilibili.com/ID, toutiao.com/c/user/ID (or /c/user/token/T): the link gives the account by
  its id (the anchor text, when it is a name, gives the name). A saved page read without its address
  resolves relative links against <base>, its canonical address, or the host most of its links go to.
Each yields (name, platform, account_id, context); names are checked by mentions.clean_name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import lxml.html

from core.platforms import PLATFORM_HOSTS, PLATFORM_WORDS

_NAME = r"[\u4e00-\u9fffA-Za-z0-9·_\-]{2,16}?"
_ID = r"[A-Za-z][A-Za-z0-9_\-]{2,29}|gh_[0-9a-f]{6,20}|\d{5,12}"
# Where an unquoted name can start: line start, punctuation, or a verb that introduces a source.
_LEAD = r"(?:^|(?<=[\s，。；;、：:！!？?（(“\"'】]))(?:据|通过|在|由|经|来自|转自|请关注|关注|搜索|订阅|扫码关注|扫描二维码关注|长按识别二维码关注|识别二维码关注|(?:扫描|扫码|长按识别|识别)(?:下方|上方|右侧|左侧)?)?"
_UNQUOTED = re.compile(
    rf"{_LEAD}(?P<name>{_NAME})\s*(?:的)?\s*(?:官方)?(?P<word>微信公众号|公众号|微信号|官方微博|新浪微博|政务微博|抖音号|视频号|快手号|头条号|官方微信|官方抖音|官方快手)"
    rf"(?:\s*[（(]\s*(?:ID|id|微信号|抖音号|账号)?\s*[:：]?\s*(?P<id>{_ID})\s*[)）])?"
    r"(?!\s*[:：]?\s*[“\"「『【'])",  # 抖音号“永州文旅”: the quoted name after the word is the account
    re.M,
)
_AT = re.compile(r"@(?P<name>[\u4e00-\u9fffA-Za-z0-9_\-·]{2,20})\s*(?:的)?\s*(?P<word>官方微博|新浪微博|微博|抖音号|抖音|视频号|快手)")
_QR = re.compile(rf"{_LEAD}(?P<name>{_NAME})\s*(?:官方)?(?P<word>微信公众号|公众号|微信|微博|抖音|视频号)?\s*二维码", re.M)
# 关注明日方舟BILIBILI官方账号: a platform's own name (not an account kind such as 公众号) needs 账号 after it.
_ACCOUNT_OF = re.compile(
    r"(?:关注|搜索|订阅)\s*(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)\s*(?:的)?\s*"
    r"(?P<word>微信|微博|抖音|快手|今日头条|头条|小红书|哔哩哔哩|B站|bilibili)\s*(?:官方|政务)?\s*(?:账号|帐号)",
    re.I,
)
# Unquoted names are cut from running text: one that holds a function word is a phrase, not a name.
_FUNCTION = re.compile(r"[的了将由在被把对向从为是这那该本此我你您他她它们请和与及或以就都也还更最已]")
# sinaurl wraps every outgoing link of a Weibo post ("网页链接"): not a profile
_WEIBO_RESERVED = frozenset("login signup p home u n profile search hot tv video ajax sorry unlogin sinaurl".split())
# A profile card: the name on one line, then "微信号 ID" (WeChat's account card, QR captions).
_ID_LINE = re.compile(rf"^(?P<word>微信号|抖音号|快手号|视频号|头条号)\s*[:：]?\s*(?P<id>{_ID})$")
_CARD_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·_\-]{2,24}")
# 关注“明日方舟朝陇山” on a platform's own page: an account of that platform, though no platform word is written.
_FOLLOW_QUOTED = re.compile(r"关注\s*[“\"「『](?P<name>[^”\"」』\s]{2,24})[”\"」』](?!\s*(?:的)?\s*(?:官方)?(?:微信|公众号|微博|抖音|视频号|快手|头条|B站))")
# "恭喜@永州发布 获奖" on a platform's own page (a Weibo post, a Bilibili dynamic): an account there. Not an
# e-mail address (a letter or digit before the @).
_AT_HERE = re.compile(r"(?<![A-Za-z0-9_.\-])@(?P<name>[\u4e00-\u9fffA-Za-z0-9_\-·]{2,20})")
_ANCHOR_SUFFIX = re.compile(r"(?:的)?(?:新浪|官方|政务)?(?:微博|微信公众号|公众号|抖音号?|哔哩哔哩|B站|主页|空间)$")
# "新华网客户端 ⋅": separators a list template puts after a source name
_ANCHOR_TRIM = " \u00a0⋅·•|｜:：-"


def text_mentions(line: str) -> Iterator[tuple[str, str, str, str]]:
    """(name, platform, account_id, context) for the unquoted, @-name and QR-caption forms in one line."""
    for pattern in (_UNQUOTED, _AT, _QR, _ACCOUNT_OF):
        for match in pattern.finditer(line):
            word = match.group("word") or ""  # a QR caption without a platform word names no platform
            if not word or (pattern is not _AT and _FUNCTION.search(match.group("name"))):
                continue
            account_id = (match.groupdict().get("id") or "").strip()
            context = line[max(0, match.start() - 30) : match.end() + 30].strip()
            yield match.group("name"), _platform(word), account_id, context


def _platform(word: str) -> str:
    """The platform of a matched word: 官方微信 → wechat, BILIBILI → bilibili."""
    return PLATFORM_WORDS.get(word) or PLATFORM_WORDS[word.lower()]


def card_mentions(lines: list[str]) -> Iterator[tuple[str, str, str, str]]:
    """(name, platform, account_id, context) for a name line followed by an id line ("微信号 FViewXFG")."""
    previous = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        match = _ID_LINE.match(line)
        if match and _CARD_NAME.fullmatch(previous) and not _FUNCTION.search(previous):
            yield previous, PLATFORM_WORDS[match.group("word")], match.group("id"), f"{previous} {line}"
        previous = line


def follow_mentions(lines: list[str], page_url: str) -> Iterator[tuple[str, str, str, str]]:
    """关注“NAME” and @NAME on a page of a platform's own site (a Weibo post, a Bilibili dynamic): an
    account of that platform."""
    platform = platform_of_host(page_url)
    if platform is None:
        return  # on a government page the platform of 关注“…” or @… is unknown: the other forms need its word
    for line in lines:
        for pattern in (_FOLLOW_QUOTED, _AT_HERE):
            for match in pattern.finditer(line):
                yield match.group("name"), platform, "", line[max(0, match.start() - 30) : match.end() + 30].strip()


def platform_of_host(url: str) -> str | None:
    """The platform whose site serves `url` (m.weibo.cn → weibo), or None."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return next((p for h, p in PLATFORM_HOSTS.items() if host == h or host.endswith("." + h)), None)


def link_mentions(tree: lxml.html.HtmlElement, page_url: str = "") -> Iterator[tuple[str, str, str, str]]:
    """(name, platform, account_id, context) for every link to a platform profile page."""
    best: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    page_url = page_url or page_origin(tree)
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        url = _absolute(page_url, href) if href else ""
        found = profile_of(url) if url else None
        if found:
            platform, account_id = found
            text = " ".join(anchor.text_content().split())
            name = _ANCHOR_SUFFIX.sub("", text.strip(_ANCHOR_TRIM)).strip(_ANCHOR_TRIM).lstrip("@")  # "@平安永州": the @ is not the name
            if _by_name(url):  # weibo.com/n/NAME names the account and gives no id
                name, account_id = name or unquote(account_id), ""
                found = (platform, name)
            if found not in best or (name and best[found][0] == account_id):  # a named link beats an image link
                best[found] = (name or account_id, platform, account_id, f"{text} → {href}"[:200])
    yield from best.values()


def profile_of(url: str) -> tuple[str, str] | None:
    """(platform, account id) of a platform profile URL, or None for any other link."""
    try:
        parts = urlsplit(url)
        host_name = parts.hostname
    except ValueError:  # "http://[broken": a malformed link is not a page error
        return None
    host = (host_name or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if host in ("weibo.com", "weibo.cn") and segments:
        if segments[0] in ("u", "n") and len(segments) > 1:
            return "weibo", segments[1]
        if len(segments) == 1 and segments[0].lower() not in _WEIBO_RESERVED and re.fullmatch(r"[A-Za-z0-9_\-]{3,30}", segments[0]):
            return "weibo", segments[0]
    if host == "mp.weixin.qq.com" and parts.path.startswith("/mp/") and (biz := parse_qs(parts.query).get("__biz")):
        return "wechat", biz[0]
    if host == "douyin.com" and len(segments) >= 2 and segments[0] == "user":
        return "douyin", segments[1]
    if host == "space.bilibili.com" and segments and segments[0].isdigit():
        return "bilibili", segments[0]
    if host == "toutiao.com" and segments[:2] == ["c", "user"] and len(segments) > 2:
        account_id = segments[3] if segments[2] == "token" and len(segments) > 3 else segments[2]
        return ("toutiao", account_id) if account_id != "token" else None
    return None


def page_origin(tree: lxml.html.HtmlElement) -> str:
    """Where a page read without its address came from: <base href>, its canonical or og:url address,
    else the host more than half of its absolute links go to (a saved Toutiao page links its own
    articles absolutely and its authors relatively). "" when none of these tells."""
    for xpath in ("//base/@href", "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        for value in tree.xpath(xpath):
            if str(value).startswith(("http://", "https://")):
                return str(value)
    hosts: Counter[str] = Counter()
    for href in tree.xpath("//a/@href"):
        if str(href).startswith(("http://", "https://")):
            try:
                hosts[urlsplit(str(href)).hostname or ""] += 1
            except ValueError:
                continue
    if hosts:
        host, count = hosts.most_common(1)[0]
        if host and count > sum(hosts.values()) / 2:
            return f"https://{host}/"
    return ""


def _by_name(url: str) -> bool:
    """weibo.com/n/NAME (how a Weibo post links an @name): the path holds a name, not an id."""
    try:
        return urlsplit(url).path.startswith("/n/")
    except ValueError:
        return False


def _absolute(page_url: str, href: str) -> str:
    try:
        return urljoin(page_url or "https://example.invalid/", href)
    except ValueError:
        return ""
