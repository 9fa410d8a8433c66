"""Finding platforms in page text, table cells and URLs.

The vocabulary itself (PLATFORM_WORDS, PLATFORM_HOSTS) lives in core/platforms.py,
shared with registry import: "微信公众号", "视频号", "新浪微博", "抖音号", "B站" …
→ wechat, wechat_channels, weibo, douyin, bilibili.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.platforms import PLATFORM_HOSTS, PLATFORM_WORDS, PLATFORMS

PLATFORM_RE = "|".join(re.escape(word) for word in sorted(PLATFORM_WORDS, key=len, reverse=True))
# A cell or heading that is nothing but a platform label: "微信公众号", "平台：抖音", "新浪微博账号".
_LABEL = re.compile(rf"^(?:平台[:：]?\s*)?(?P<word>{PLATFORM_RE})(?:账号|帐号|平台|矩阵)?\s*[:：]?$")

# Sample-web and RSSHub-style paths: /weibo/…, /feeds/<platform>/… (wechat_channels before wechat).
_PATH_PLATFORMS = sorted((p for p in PLATFORMS if p not in ("app", "website")), key=len, reverse=True)
_PATH = re.compile(rf"^/(?:feeds/)?({'|'.join(_PATH_PLATFORMS)})(?:/|$)")


def platform_of_label(label: str) -> str | None:
    """The platform a table cell or heading names ("微信公众号" → wechat), else None."""
    match = _LABEL.match(label.strip())
    return PLATFORM_WORDS[match.group("word")] if match else None


def platform_of_word(word: str) -> str:
    """The platform of a word matched by PLATFORM_RE."""
    return PLATFORM_WORDS[word]


def platform_of_url(url: str) -> str | None:
    """The platform a URL belongs to, from its host or (sample web, feeds) its path; else None."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # "http://[bad": no host to tell the platform by
        return None
    for suffix, platform in PLATFORM_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    return platform_in_path(url)


def platform_in_path(url: str) -> str | None:
    """The platform an RSSHub-style route names in its path (/feeds/weibo/1.xml, /bilibili/user/…)."""
    try:
        match = _PATH.match(urlsplit(url).path)
    except ValueError:
        return None
    return match.group(1) if match else None
