"""WeChat look-alike `/wechat/…`: mp.weixin.qq.com-shaped article pages and a JSON article list."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from core.dates import CHINA_TZ
from sampleweb.routing import Request, Response, html_response, json_response, not_found, page

if TYPE_CHECKING:
    from sampleweb.model import SampleAccount, SamplePost, WorldData

PER_PAGE = 10


def unix_seconds(naive_china: datetime) -> int:
    """Unix seconds of a naive China-time datetime (what WeChat's `ct` holds)."""
    return int(naive_china.replace(tzinfo=CHINA_TZ).timestamp())


def route(world: WorldData, req: Request) -> Response | None:
    """The response for a `/wechat/…` path, or None when no route matches."""
    if req.path == "/wechat/list":
        return article_list(world, req)
    if req.path.startswith("/wechat/s/"):
        found = world.posts_by_id.get(req.path.removeprefix("/wechat/s/"))
        if not found or found[0].platform != "wechat":
            return not_found()
        return html_response(article_page(*found))
    return None


def article_url(base_url: str, post: SamplePost) -> str:
    return f"{base_url}/wechat/s/{post.post_id}"


def list_url(base_url: str, acc: SampleAccount) -> str:
    return f"{base_url}/wechat/list?biz={acc.biz}&offset=0"


def article_list(world: WorldData, req: Request) -> Response:
    """`/wechat/list?biz=…&offset=n`: 10 articles per page, newest first, `next_offset` or null."""
    acc = world.by_biz.get(req.arg("biz"))
    if acc is None:
        return json_response({"ret": -1, "errmsg": "invalid biz"})
    offset = max(0, req.int_arg("offset"))
    posts = [p for p in acc.posts if p.published_at <= world.now]
    chunk = posts[offset:offset + PER_PAGE]
    return json_response({
        "ret": 0, "nickname": acc.name, "user_name": acc.account_id, "biz": acc.biz,
        "verified_type": acc.spec.verified_type, "verified_reason": acc.spec.verified_reason,
        "comment_enabled": acc.interaction_enabled, "total": len(posts),
        "articles": [{"id": p.post_id, "title": p.title, "url": article_url(req.base_url, p),
                      "create_time": unix_seconds(p.published_at), "is_original": int(p.is_original)}
                     for p in chunk],
        "next_offset": offset + PER_PAGE if offset + PER_PAGE < len(posts) else None,
    })


def article_page(acc: SampleAccount, post: SamplePost) -> str:
    """An article page with the scripts' variables the real pages carry."""
    script = "\n".join(f"var {k} = {json.dumps(v, ensure_ascii=False)};" for k, v in (
        ("nickname", acc.name), ("user_name", acc.account_id), ("biz", acc.biz),
        ("ct", str(unix_seconds(post.published_at))), ("msg_title", post.title),
        ("copyright_stat", "1" if post.is_original else "0"),
        ("comment_enabled", "1" if acc.interaction_enabled else "0"),
    ))
    head = (f'<meta property="og:title" content="{escape(post.title)}">'
            f'<meta property="og:site_name" content="微信公众平台"><script>\n{script}\n</script>')
    mark = '<span id="copyright_logo" class="rich_media_meta meta_original_tag">原创</span> ' if post.is_original else ""
    paragraphs = "".join(f"<p>{escape(s)}。</p>" for s in post.text.split("。") if s)
    body = (f'<div class="rich_media"><h1 class="rich_media_title" id="activity-name">{escape(post.title)}</h1>'
            f'<div id="meta_content">{mark}<span class="rich_media_meta_nickname" id="profileBt">'
            f'<a id="js_name">{escape(acc.name)}</a></span> <em id="publish_time"></em></div>'
            f'<div class="rich_media_content" id="js_content">{paragraphs}</div></div>')
    return page(escape(post.title), body, head)
