"""Which source (platform, account id) a request URL belongs to, for stats and needs_credentials records.

Spiders may say it outright in `request.meta["govwatch_source"]`; otherwise
it is read from the URL: Weibo `value=`/`uid=`, Bilibili `host_mid=`/`mid=`,
WeChat `biz=`/`__biz=`, Douyin `/user/<sec_uid>`, feeds `/feeds/<platform>/<id>`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from crawler.pages.platforms import platform_of_url

_ID_PARAMS = ("value", "uid", "host_mid", "mid", "biz", "__biz", "sec_uid", "id")
_PATH_ID = re.compile(r"/(?:user|u|feeds/[a-z_]+)/([^/?#]+?)(?:\.(?:xml|atom|json|rss))?/?$")


def source_of(url: str) -> tuple[str, str]:
    """(platform, account id) of a URL; ("website", "") for anything that is not a platform."""
    platform = platform_of_url(url)
    if platform is None:
        return "website", ""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for name in _ID_PARAMS:
        if query.get(name):
            return platform, query[name][0]
    match = _PATH_ID.search(parts.path)
    return platform, match.group(1) if match else ""
