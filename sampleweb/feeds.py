"""RSSHub-style feeds `/feeds/<platform>/<id>.xml|.atom|.json` (RSS 2.0, Atom, JSON Feed 1.1)."""

from __future__ import annotations

import json
import re
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from core.dates import CHINA_TZ
from sampleweb.routing import Request, Response, not_found

if TYPE_CHECKING:
    from sampleweb.model import SampleAccount, SamplePost, WorldData

FEED_PLATFORMS = ("toutiao", "kuaishou", "bilibili", "wechat")
FEED_ONLY = ("toutiao", "kuaishou")  # reached only through feeds (sources.json `feeds`)
FORMATS = {"xml": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
LIMIT = 50  # RSSHub routes return the newest items only
_PATH = re.compile(r"^/feeds/(\w+)/([\w-]+)\.(xml|atom|json)$")
_HOME = {"toutiao": "https://www.toutiao.com/c/user/{}/", "kuaishou": "https://www.kuaishou.com/profile/{}",
         "bilibili": "https://space.bilibili.com/{}", "wechat": "https://mp.weixin.qq.com/profile?id={}"}


def feed_url(base_url: str, acc: SampleAccount, fmt: str = "xml") -> str:
    return f"{base_url}/feeds/{acc.platform}/{acc.account_id}.{fmt}"


def item_url(acc: SampleAccount, post: SamplePost) -> str:
    """Where an item points: the platform's article/video URL, keyed by the post id."""
    return {"toutiao": "https://www.toutiao.com/article/{}/", "kuaishou": "https://www.kuaishou.com/short-video/{}",
            "bilibili": "https://t.bilibili.com/{}", "wechat": "https://mp.weixin.qq.com/s/{}"}[acc.platform].format(
        post.post_id)


def route(world: WorldData, req: Request) -> Response | None:
    """The response for a `/feeds/…` path, or None when no route matches."""
    m = _PATH.match(req.path)
    if not m:
        return None
    platform, account_id, fmt = m.groups()
    acc = world.account(platform, account_id)
    if platform not in FEED_PLATFORMS or acc is None or acc.state != "ok":
        return not_found()
    posts = [p for p in acc.posts if p.published_at <= world.now and not p.is_pinned][:LIMIT]
    self_url = req.base_url + req.path
    text = {"xml": rss, "atom": atom, "json": json_feed}[fmt](acc, posts, self_url)
    return Response(200, f"{FORMATS[fmt]}; charset=utf-8", text.encode())


RSS_ITEM = (
    '<item><title>{title}</title><link>{url}</link><guid isPermaLink="false">{id}</guid><pubDate>{rfc822}</pubDate>'
    "<category>{category}</category><author>{author}</author><description>{text}</description></item>"
)
ATOM_ENTRY = (
    '<entry><title>{title}</title><link href="{url}"/><id>{id}</id><published>{iso}</published><updated>{iso}</updated>'
    '<category term="{category}"/><author><name>{author}</name></author><content type="text">{text}</content></entry>'
)


def _fields(acc: SampleAccount, post: SamplePost) -> dict[str, str]:
    """What every format says about one post (raw text; the XML formats escape it)."""
    when = post.published_at.replace(tzinfo=CHINA_TZ)
    return {"id": post.post_id, "url": item_url(acc, post), "title": post.title, "text": post.text,
            "author": acc.name, "category": "原创" if post.is_original else "转载",
            "rfc822": format_datetime(when), "iso": when.isoformat()}


def _xml_items(template: str, acc: SampleAccount, posts: list[SamplePost]) -> str:
    quote = {'"': "&quot;"}  # some fields stand in attributes
    return "".join(template.format(**{k: escape(v, quote) for k, v in _fields(acc, p).items()}) for p in posts)


def rss(acc: SampleAccount, posts: list[SamplePost], self_url: str) -> str:
    """RSS 2.0: channel title = account name, item guid = post id, pubDate in +0800."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>{escape(acc.name)}</title><link>{_HOME[acc.platform].format(acc.account_id)}</link>"
            f'<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml"/>'
            f"<description>{escape(acc.name)} - {escape(acc.owner)}</description><language>zh-cn</language>"
            f"{_xml_items(RSS_ITEM, acc, posts)}</channel></rss>\n")


def atom(acc: SampleAccount, posts: list[SamplePost], self_url: str) -> str:
    """Atom 1.0 with RFC 3339 times."""
    updated = _fields(acc, posts[0])["iso"] if posts else "1970-01-01T00:00:00+08:00"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(acc.name)}</title><id>{escape(self_url)}</id><updated>{updated}</updated>"
            f'<link href="{_HOME[acc.platform].format(acc.account_id)}"/><link rel="self" href="{escape(self_url)}"/>'
            f"{_xml_items(ATOM_ENTRY, acc, posts)}</feed>\n")


def json_feed(acc: SampleAccount, posts: list[SamplePost], self_url: str) -> str:
    """JSON Feed 1.1."""
    items = [_fields(acc, p) for p in posts]
    doc: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1", "title": acc.name,
        "home_page_url": _HOME[acc.platform].format(acc.account_id), "feed_url": self_url,
        "authors": [{"name": acc.name}], "language": "zh-CN",
        "items": [{"id": f["id"], "url": f["url"], "title": f["title"], "content_text": f["text"],
                   "date_published": f["iso"], "tags": [f["category"]]} for f in items],
    }
    return json.dumps(doc, ensure_ascii=False)
