"""The platforms govwatch knows and every word Chinese pages and registry files use for them.

One vocabulary for the whole code base: mention extraction (crawler/pages/mentions.py)
reads page words from PLATFORM_WORDS, registry import (audit/registry/fields.py)
accepts those same words plus REGISTRY_ONLY_WORDS, URL routing uses
PLATFORM_HOSTS and the search page shows PLATFORM_LABELS. A test checks that every word a page may use is also accepted
in a registry file. Adding a platform starts here (see crawler/spiders/base.py).
"""

from __future__ import annotations

# Platform identifiers (DESIGN.md "Glossary").
PLATFORMS = (
    "wechat",
    "wechat_channels",
    "weibo",
    "douyin",
    "kuaishou",
    "toutiao",
    "bilibili",
    "xiaohongshu",
    "app",
    "website",
)

# The name reports and the search page show for each platform.
PLATFORM_LABELS: dict[str, str] = {
    "wechat": "微信公众号", "wechat_channels": "视频号", "weibo": "微博", "douyin": "抖音", "kuaishou": "快手",
    "toutiao": "今日头条", "bilibili": "哔哩哔哩", "xiaohongshu": "小红书", "app": "政务客户端", "website": "网站",
}  # fmt: skip

# Words pages write next to account names. Longer words first where one contains
# another (微信视频号 before 微信, 视频号 before 微信号); the regex built from it sorts anyway.
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
    "官方微信": "wechat",  # a QR caption: 某某官方微信
    "微信": "wechat",
    "新浪微博": "weibo",
    "政务微博": "weibo",
    "官方微博": "weibo",
    "微博号": "weibo",
    "微博": "weibo",
    "抖音号": "douyin",
    "官方抖音": "douyin",
    "抖音": "douyin",
    "快手号": "kuaishou",
    "官方快手": "kuaishou",
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

# Words a registry's platform column may hold that are too generic to mark a
# mention inside running page text ("本网站", "下载移动客户端").
REGISTRY_ONLY_WORDS: dict[str, str] = {
    "移动客户端": "app",
    "政务app": "app",
    "网站": "website",
}

# Hosts (and their subdomains) that belong to a platform.
PLATFORM_HOSTS: dict[str, str] = {
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


def registry_platform_words() -> dict[str, str]:
    """Every platform word a registry file may use: identifiers, page words and registry-only words."""
    return {**{p: p for p in PLATFORMS}, **PLATFORM_WORDS, **REGISTRY_ONLY_WORDS}
