"""Douyin (JavaScript-rendered profile pages) and Bilibili (dynamic feed and profile JSON) look-alikes."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from sampleweb.routing import Request, Response, html_response, json_response, not_found, page
from sampleweb.wechat import unix_seconds

if TYPE_CHECKING:
    from sampleweb.model import SampleAccount, SamplePost, WorldData

BILI_PER_PAGE = 12
BILI_ROLES = {"government": 6, "organisation": 4, "personal": 1, "none": 0}  # official.role codes
BILI_TYPES = {"government": 1, "organisation": 1, "personal": 0, "none": -1}  # official.type codes


@lru_cache(maxsize=1)
def douyin_script() -> str:
    return files("sampleweb").joinpath("static/douyin_app.js").read_text(encoding="utf-8")


def douyin_signature(text: str) -> str:
    """The `_signature` the page script computes (same arithmetic as douyin_app.js)."""
    h = 0
    for ch in text:
        h = (h * 31 + ord(ch)) % 1000003
    return str(h)


def douyin_url(base_url: str, acc: SampleAccount) -> str:
    return f"{base_url}/douyin/user/{acc.account_id}"


def route(world: WorldData, req: Request) -> Response | None:
    """The response for `/douyin/…` and `/bilibili/…` paths, or None."""
    if req.path.startswith("/douyin/"):
        return douyin(world, req)
    if req.path.startswith("/bilibili/"):
        return bilibili(world, req)
    return None


def douyin(world: WorldData, req: Request) -> Response | None:
    if req.path.startswith("/douyin/user/"):
        shell = ('<div id="root"><div class="loading">加载中…</div></div>'
                 '<script src="/douyin/static/app.js"></script>')
        return html_response(page("抖音-记录美好生活", shell))
    if req.path == "/douyin/static/app.js":
        return Response(200, "application/javascript; charset=utf-8", douyin_script().encode())
    if req.path == "/douyin/web/api/profile":
        sec_uid = req.arg("sec_uid")
        if req.arg("_signature") != douyin_signature(sec_uid):
            return json_response({"status_code": 8, "status_msg": "signature error"}, status=403)
        return json_response(douyin_profile(world, world.account("douyin", sec_uid)))
    return None


def douyin_profile(world: WorldData, acc: SampleAccount | None) -> dict[str, Any]:
    """What the page script renders: the user and every video, pinned ones first."""
    if acc is None or acc.state == "missing":
        return {"status_code": 2053, "status_msg": "用户不存在"}
    spec = acc.spec
    visible = [p for p in acc.posts if p.published_at <= world.now]
    ordered = [p for p in visible if p.is_pinned] + [p for p in visible if not p.is_pinned]
    return {
        "status_code": 0,
        "user": {"sec_uid": acc.account_id, "nickname": acc.name, "follower_count": acc.followers,
                 "aweme_count": len(visible), "signature": acc.owner if spec.registry else "",
                 "custom_verify": spec.verified_reason if spec.verified_type != "none" else ""},
        "aweme_list": [{"aweme_id": p.post_id, "desc": p.title, "create_time": unix_seconds(p.published_at),
                        "is_top": int(p.is_pinned), "digg_count": p.comments * 7} for p in ordered],
    }


def bilibili(world: WorldData, req: Request) -> Response | None:
    if req.path == "/bilibili/x/space/acc/info":
        return json_response(bili_info(world.account("bilibili", req.arg("mid"))))
    if req.path == "/bilibili/x/relation/stat":
        acc = world.account("bilibili", req.arg("vmid"))
        if acc is None:
            return json_response({"code": -404, "message": "啥都木有", "ttl": 1})
        return json_response({"code": 0, "message": "0", "ttl": 1,
                              "data": {"mid": int(acc.account_id), "following": 30, "follower": acc.followers}})
    if req.path == "/bilibili/x/polymer/web-dynamic/v1/feed/space":
        acc = world.account("bilibili", req.arg("host_mid"))
        if acc is None:
            return json_response({"code": -404, "message": "啥都木有", "ttl": 1})
        return json_response({"code": 0, "message": "0", "ttl": 1, "data": bili_feed(world, acc, req.arg("offset"))})
    if req.path.startswith("/bilibili/opus/"):
        found = world.posts_by_id.get(req.path.removeprefix("/bilibili/opus/"))
        return html_response(page(escape(found[1].title), escape(found[1].text))) if found else not_found()
    return None


def bili_info(acc: SampleAccount | None) -> dict[str, Any]:
    """`x/space/acc/info?mid=`: name, sign and the official (认证) block."""
    if acc is None:
        return {"code": -404, "message": "啥都木有", "ttl": 1}
    spec = acc.spec
    official = {"role": BILI_ROLES[spec.verified_type], "title": spec.verified_reason,
                "desc": "", "type": BILI_TYPES[spec.verified_type]}
    return {"code": 0, "message": "0", "ttl": 1,
            "data": {"mid": int(acc.account_id), "name": acc.name, "sign": acc.owner if spec.registry else "",
                     "level": 6, "official": official, "face": "", "silence": 0,
                     "comment_forbidden": not acc.interaction_enabled}}


def bili_feed(world: WorldData, acc: SampleAccount, offset: str) -> dict[str, Any]:
    """One page of the dynamic feed: pinned item first on page one, `offset` = last item's id_str."""
    timeline = [p for p in acc.posts if not p.is_pinned and p.published_at <= world.now]
    start = 0
    if offset:
        start = next((i + 1 for i, p in enumerate(timeline) if p.post_id == offset), len(timeline))
    chunk = timeline[start:start + BILI_PER_PAGE]
    if not offset:
        chunk = [p for p in acc.posts if p.is_pinned] + chunk
    more = start + BILI_PER_PAGE < len(timeline)
    return {"has_more": more, "items": [bili_item(acc, p) for p in chunk],
            "offset": timeline[start + BILI_PER_PAGE - 1].post_id if more else "",
            "update_baseline": timeline[0].post_id if timeline else "", "update_num": 0}


def bili_item(acc: SampleAccount, post: SamplePost) -> dict[str, Any]:
    """One dynamic: a video (original) or a forward (repost), in web-dynamic v1's shape."""
    author = {"mid": int(acc.account_id), "name": acc.name, "pub_ts": unix_seconds(post.published_at),
              "pub_time": f"{post.published_at:%Y-%m-%d}", "pub_action": "投稿了视频" if post.is_original else ""}
    stat = {"comment": {"count": post.comments, "forbidden": not acc.interaction_enabled},
            "forward": {"count": post.comments // 4}, "like": {"count": post.comments * 5}}
    modules: dict[str, Any] = {"module_author": author, "module_stat": stat}
    item: dict[str, Any] = {"id_str": post.post_id, "visible": True, "basic": {"comment_id_str": post.post_id}}
    if post.is_repost:
        modules["module_dynamic"] = {"desc": {"text": "转发动态"}, "major": None}
        item.update(type="DYNAMIC_TYPE_FORWARD", orig={
            "id_str": str(int(post.post_id) - 11), "type": "DYNAMIC_TYPE_AV",
            "modules": {"module_author": {"name": post.repost_of or "央视新闻"},
                        "module_dynamic": {"major": {"type": "MAJOR_TYPE_ARCHIVE",
                                                     "archive": {"title": post.title, "desc": post.text[:80]}}}}})
    else:
        modules["module_dynamic"] = {"desc": {"text": post.text[:60]}, "major": {
            "type": "MAJOR_TYPE_ARCHIVE",
            "archive": {"title": post.title, "desc": post.text, "bvid": "BV1" + post.post_id[-9:],
                        "jump_url": f"/bilibili/opus/{post.post_id}"}}}
        item["type"] = "DYNAMIC_TYPE_AV"
    if post.is_pinned:
        modules["module_tag"] = {"text": "置顶"}
    item["modules"] = modules
    return item
