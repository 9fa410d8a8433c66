"""Platform words as Chinese pages write them, mapped to govwatch platform identifiers.

Shared by mention extraction, registry import and URL routing: "微信公众号",
"视频号", "新浪微博", "抖音号", "B站" … → wechat, wechat_channels, weibo, douyin, bilibili.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Longer words first where one contains another (微信视频号 before 微信, 视频号 before 微信号).
PLATFORM_WORDS: dict[str, str] = {
    "微信视频号": "wechat_channels",
    "视频号": "wechat_channels",
    "微信公众号": "wechat",
    "微信公众平台": "wechat",
    "微信订阅号": "wechat",
    "微信服务号": "wechat",
    "公众号": "wechat",
    "订阅号": "wechat",
    "服务号": "wechat",
    "微信号": "wechat",
    "微信": "wechat",
    "新浪微博": "weibo",
    "政务微博": "weibo",
    "官方微博": "weibo",
    "微博号": "weibo",
    "微博": "weibo",
    "抖音号": "douyin",
    "抖音": "douyin",
    "快手号": "kuaishou",
    "快手": "kuaishou",
    "今日头条": "toutiao",
    "头条号": "toutiao",
    "头条": "toutiao",
    "哔哩哔哩": "bilibili",
    "B站": "bilibili",
    "b站": "bilibili",
    "bilibili": "bilibili",
    "小红书": "xiaohongshu",
    "客户端": "app",
    "APP": "app",
    "App": "app",
    "app": "app",
    "门户网站": "website",
    "政府网站": "website",
}
PLATFORM_RE = "|".join(re.escape(word) for word in sorted(PLATFORM_WORDS, key=len, reverse=True))
# A cell or heading that is nothing but a platform label: "微信公众号", "平台：抖音", "新浪微博账号".
_LABEL = re.compile(rf"^(?:平台[:：]?\s*)?(?P<word>{PLATFORM_RE})(?:账号|帐号|平台|矩阵)?\s*[:：]?$")

_HOSTS = {
    "weibo.com": "weibo",
    "weibo.cn": "weibo",
    "mp.weixin.qq.com": "wechat",
    "channels.weixin.qq.com": "wechat_channels",
    "douyin.com": "douyin",
    "iesdouyin.com": "douyin",
    "kuaishou.com": "kuaishou",
    "toutiao.com": "toutiao",
    "bilibili.com": "bilibili",
    "xiaohongshu.com": "xiaohongshu",
}
# Sample-web and RSSHub-style paths: /weibo/…, /feeds/<platform>/…
_PATH = re.compile(
    r"^/(?:feeds/)?(wechat_channels|wechat|weibo|douyin|kuaishou|toutiao|bilibili|xiaohongshu)(?:/|$)"
)


def platform_of_label(label: str) -> str | None:
    """The platform a table cell or heading names ("微信公众号" → wechat), else None."""
    match = _LABEL.match(label.strip())
    return PLATFORM_WORDS[match.group("word")] if match else None


def platform_of_word(word: str) -> str:
    """The platform of a word matched by PLATFORM_RE."""
    return PLATFORM_WORDS[word]


def platform_of_url(url: str) -> str | None:
    """The platform a URL belongs to, from its host or (sample web, feeds) its path; else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for suffix, platform in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    match = _PATH.match(parts.path)
    return match.group(1) if match else None
