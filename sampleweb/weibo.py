"""Weibo look-alike `/weibo/api/…` in m.weibo.cn's shapes: profile, post lists, long text, search."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from typing import TYPE_CHECKING, Any

from sampleweb.routing import Request, Response, html_response, json_response, page

if TYPE_CHECKING:
    from sampleweb.model import SampleAccount, SamplePost, WorldData

PER_PAGE = 10
LONG_TEXT = 120  # characters shown before "全文"; the rest comes from statuses/extend
NOTHING = {"ok": 0, "msg": "这里还没有内容"}
VERIFIED_CODES = {"government": 1, "organisation": 7, "personal": 0, "none": -1}


def created_at(when: datetime, now: datetime) -> str:
    """m.weibo.cn's `created_at`: 刚刚, N分钟前, N小时前, 昨天 HH:MM, N天前 (≤ 7), MM-DD, YYYY-MM-DD."""
    delta = now - when
    days = (now.date() - when.date()).days
    if days == 0 and delta < timedelta(minutes=1):
        return "刚刚"
    if days == 0 and delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)}分钟前"
    if days == 0:
        return f"{int(delta.total_seconds() // 3600)}小时前"
    if days == 1:
        return f"昨天 {when:%H:%M}"
    if days <= 7:
        return f"{days}天前"
    if when.year == now.year:
        return f"{when:%m-%d}"
    return f"{when:%Y-%m-%d}"


def route(world: WorldData, req: Request) -> Response | None:
    """The response for a `/weibo/…` path, or None when no route matches."""
    if req.path == "/weibo/api/container/getIndex":
        return get_index(world, req)
    if req.path == "/weibo/api/statuses/extend":
        found = world.posts_by_id.get(req.arg("id"))
        if not found or found[0].platform != "weibo":
            return json_response(NOTHING)
        return json_response({"ok": 1, "data": {"longTextContent": escape(found[1].text)}})
    if req.path == "/weibo/api/search":
        return json_response(search(world, req.arg("q"), max(1, req.int_arg("page", 1))))
    return None


def search(world: WorldData, keyword: str, page_no: int) -> dict[str, Any]:
    """User search: accounts whose name or verification contains the keyword, 10 a page."""
    if not keyword.strip():
        return {"ok": 0, "msg": "请输入关键词"}
    found = [a for a in world.on_platform("weibo") if a.state != "missing"
             and (keyword in a.name or keyword in a.spec.verified_reason)]
    chunk = found[(page_no - 1) * PER_PAGE:page_no * PER_PAGE]
    users = [{k: info[k] for k in ("id", "screen_name", "verified", "verified_type", "verified_reason",
                                   "followers_count")} for info in (user_info(a, world) for a in chunk)]
    return {"ok": 1, "data": {"users": users, "total": len(found), "page": page_no}}


def get_index(world: WorldData, req: Request) -> Response:
    """Profile (`type=uid&value=UID`) or post list (`&containerid=107603UID[&since_id=ID]`)."""
    acc = world.account("weibo", req.arg("value"))
    if acc is None or acc.state == "missing":
        return json_response(NOTHING)
    if acc.state == "needs_credentials":
        return login_wall()
    if req.arg("containerid"):
        if req.arg("containerid") != f"107603{acc.account_id}":
            return json_response(NOTHING)
        return json_response(post_list(world, acc, req.arg("since_id")))
    tabs = {"selectedTab": 1, "tabs": [{"id": 1, "tabKey": "weibo", "title": "微博",
                                        "containerid": f"107603{acc.account_id}"}]}
    return json_response({"ok": 1, "data": {"userInfo": user_info(acc, world), "tabsInfo": tabs}})


def login_wall() -> Response:
    """What m.weibo.cn answers when it wants a logged-in visitor: an HTML page, status 200."""
    body = '<div class="login"><p>登录后查看更多内容</p><a href="https://passport.weibo.cn/signin/login">登录</a></div>'
    return html_response(page("微博-出错了", body))


def followers(n: int) -> int | str:
    """Real profiles write large counts as "14.5万"."""
    return f"{n / 10_000:.1f}万" if n >= 10_000 else n


def user_info(acc: SampleAccount, world: WorldData) -> dict[str, Any]:
    spec = acc.spec
    verified = spec.verified_type in ("government", "organisation")
    timeline = [p for p in acc.posts if p.published_at <= world.now]
    return {
        "id": int(acc.account_id), "screen_name": acc.name, "verified": verified,
        "verified_type": VERIFIED_CODES[spec.verified_type], "verified_reason": spec.verified_reason,
        "followers_count": followers(acc.followers), "follow_count": 120, "statuses_count": len(timeline),
        "description": f"{acc.owner}" if spec.registry else "", "allow_comment": acc.interaction_enabled,
        "profile_url": f"https://m.weibo.cn/u/{acc.account_id}",
    }


def post_list(world: WorldData, acc: SampleAccount, since_id: str) -> dict[str, Any]:
    """One page of posts: pinned first on page one, then 10 per page newest first."""
    timeline = [p for p in acc.posts if not p.is_pinned and p.published_at <= world.now]
    start = 0
    if since_id:
        start = next((i for i, p in enumerate(timeline) if p.post_id == since_id), len(timeline))
    chunk = timeline[start:start + PER_PAGE]
    if not since_id:
        chunk = [p for p in acc.posts if p.is_pinned] + chunk
    info: dict[str, Any] = {"containerid": f"107603{acc.account_id}", "total": len(timeline)}
    if start + PER_PAGE < len(timeline):
        info["since_id"] = int(timeline[start + PER_PAGE].post_id)
    cards = [{"card_type": 9, "itemid": f"1076031{p.post_id}", "mblog": mblog(acc, p, world.now)} for p in chunk]
    return {"ok": 1, "data": {"cardlistInfo": info, "cards": cards}}


def mblog(acc: SampleAccount, post: SamplePost, now: datetime) -> dict[str, Any]:
    """One post in the API's shape; reposts carry `retweeted_status`, long posts `isLongText`."""
    long = len(post.text) > LONG_TEXT
    text = escape(post.text[:LONG_TEXT]) + (f'...<a href="/status/{post.post_id}">全文</a>' if long else "")
    user = {"id": int(acc.account_id), "screen_name": acc.name,
            "verified": acc.spec.verified_type in ("government", "organisation"),
            "verified_type": VERIFIED_CODES[acc.spec.verified_type]}
    out: dict[str, Any] = {
        "id": post.post_id, "mid": post.post_id, "created_at": created_at(post.published_at, now),
        "text": text, "isLongText": long, "source": "微博 weibo.com", "user": user,
        "reposts_count": post.comments // 3, "comments_count": post.comments, "attitudes_count": post.comments * 2,
    }
    if post.is_pinned:
        out.update(isTop=1, mblogtype=2, title={"text": "置顶", "base_color": 1})
    if post.is_repost:
        out["text"] = "转发微博"
        out["retweeted_status"] = {"id": str(int(post.post_id) - 7), "text": escape(post.title + "。" + post.text[:60]),
                                   "user": {"screen_name": post.repost_of, "verified": True, "verified_type": 3}}
    return out
