"""Hostile behaviour: rate limits, service links that fail, soft 404, slow pages, injected spam, clones.

Spam is injected the ways it is found on real compromised government pages:
hidden with CSS, pushed off screen, shrunk to nothing, in a 1-pixel marquee,
in the <title>, as a block of gambling links, shown only to search-engine
crawlers (UA cloaking), and on a clone of the site under another path.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from typing import TYPE_CHECKING

from sampleweb.content import Article
from sampleweb.routing import Request, Response, html_response, page

if TYPE_CHECKING:
    from sampleweb.model import WorldData

KINDS = ("hidden_display_none", "hidden_visibility", "offscreen", "zero_font", "tiny_marquee",
         "title_injection", "link_block", "ua_cloaking", "clone")
# Which articles of each site carry which injection (index into the site's article list).
PLANTED = {"yz": {5: "hidden_display_none", 8: "offscreen", 11: "tiny_marquee", 14: "title_injection",
                  17: "ua_cloaking"},
           "wx": {6: "hidden_visibility", 10: "zero_font", 13: "link_block"}}
GAMBLING = ("澳门葡京", "百家乐", "六合彩", "时时彩", "真人视讯", "棋牌游戏", "北京赛车pk10", "澳门威尼斯人",
            "太阳城娱乐", "皇冠体育", "金沙娱乐场", "彩票计划网", "老虎机", "网上赌场")
PORN = ("成人视频", "色情直播", "裸聊")
SPAM_HOSTS = ("www.88pj-bet.example", "amjs-casino.example", "hg-sports.example", "lhc-online.example")
CRAWLER_UAS = ("baiduspider", "googlebot", "sogou", "360spider", "bingbot", "bytespider", "yisouspider")
SERVICE_LINKS = {"ok": ("社保查询", 200), "broken": ("公积金查询", 404), "soft404": ("不动产登记预约", 200),
                 "forbidden": ("12345在线", 403)}
LIMITED = {"/weibo/": 418, "/bilibili/": 429}


class RateLimiter:
    """At most `per_second` requests per client, second and platform; later ones get 418/429."""

    def __init__(self, per_second: int = 2):
        self.per_second = per_second
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def check(self, req: Request) -> Response | None:
        """None to let the request through, else the rate-limit answer with Retry-After."""
        prefix = next((p for p in LIMITED if req.path.startswith(p)), None)
        if prefix is None:
            return None
        second = int(time.time())
        with self._lock:
            last, count = self._counts.get((req.client, prefix), (second, 0))
            count = count + 1 if last == second else 1
            self._counts[(req.client, prefix)] = (second, count)
        if count <= self.per_second:
            return None
        body = b'{"ok": 0, "msg": "\\u8bf7\\u6c42\\u8fc7\\u4e8e\\u9891\\u7e41"}'  # 请求过于频繁
        return Response(LIMITED[prefix], "application/json; charset=utf-8", body, {"Retry-After": "1"})


def service_route(req: Request, site: str, rest: str) -> Response | None:
    """`/gov/<site>/links/*`, `news/missing.html` (soft 404) and `slow.html` (2 s)."""
    if rest.startswith("links/") and rest[6:] in SERVICE_LINKS:
        kind = rest[6:]
        label, status = SERVICE_LINKS[kind]
        text = "页面不存在，请检查访问地址" if kind == "soft404" else (
            "403 Forbidden" if status == 403 else ("404 Not Found" if status == 404 else f"{label}服务"))
        return html_response(page(text if kind != "ok" else label, f"<h1>{text}</h1>"), status)
    if rest == "news/missing.html":
        return html_response(page("提示信息", '<div class="error"><h1>页面不存在</h1><p>您访问的页面不存在或已被删除。</p></div>'))
    if rest == "slow.html":
        resp = html_response(page("网上调查", "<h1>网上调查</h1><p>本期调查已结束，感谢参与。</p>"))
        resp.delay = 2.0
        return resp
    return None


def service_menu(site: str) -> str:
    """The portal's 便民服务 block: one working link and three that fail in different ways."""
    links = "".join(f'<li><a href="/gov/{site}/links/{k}">{label}</a></li>' for k, (label, _) in SERVICE_LINKS.items())
    return (f'<div class="service"><h2>便民服务</h2><ul>{links}</ul>'
            f'<a href="/gov/{site}/news/missing.html">专题专栏</a> <a href="/gov/{site}/slow.html">网上调查</a></div>')


def service_truth(base_url: str, sites: list[str]) -> list[dict]:
    return [{"url": f"{base_url}/gov/{s}/links/{k}", "status": status, "broken": k != "ok"}
            for s in sites for k, (_, status) in SERVICE_LINKS.items()]


def spam_terms(key: str, n: int = 4) -> list[str]:
    """A deterministic choice of spam words for one page."""
    digest = hashlib.sha256(key.encode()).digest()
    words = GAMBLING + PORN
    picked = [words[b % len(words)] for b in digest[:n * 2]]
    return list(dict.fromkeys(picked))[:n]


def spam_html(key: str) -> str:
    terms = spam_terms(key)
    host = SPAM_HOSTS[len(key) % len(SPAM_HOSTS)]
    return "".join(f'<a href="http://{host}/?t={i}">{t}</a> ' for i, t in enumerate(terms)) + "官方网站 最高返水"


def plant(world: WorldData) -> None:
    """Mark the compromised articles and add clean pages that legitimately mention 彩票, 澳门, 棋牌."""
    for site, planted in PLANTED.items():
        articles = world.articles[site]
        for index, kind in planted.items():
            if index < len(articles):
                world.compromised[articles[index].path] = kind
        _insert_decoys(articles, site)


def _insert_decoys(articles: list[Article], site: str) -> None:
    place = "永州" if site == "yz" else "无锡"
    decoys = [
        (f"{place}市2026年度体育彩票公益金使用情况公告",
         f"根据《彩票管理条例》和体育彩票公益金管理有关规定，现将{place}市本级体育彩票公益金使用情况公告如下："
         "公益金主要用于全民健身设施建设、青少年体育活动和群众性体育赛事。中国福利彩票和中国体育彩票均为国家公益彩票。"),
        (f"{place}市第五届全民健身运动会棋牌项目比赛举行" if site == "yz" else "无锡—澳门经贸合作交流会在锡举行",
         "本次比赛设象棋、围棋、桥牌等棋牌项目，吸引了三百余名选手参赛。" if site == "yz" else
         "来自澳门特别行政区的企业代表与无锡企业开展对接洽谈，签署合作项目十二个。"),
    ]
    for slot, (title, text) in zip((3, 9), decoys, strict=True):
        if slot < len(articles):
            base = articles[slot]
            articles[slot] = Article(site, base.n, base.published_at, title, "通知公告", base.source, [text])


def is_crawler(req: Request) -> bool:
    agent = req.headers.get("user-agent", "").lower()
    return any(bot in agent for bot in CRAWLER_UAS)


def inject(html: str, kind: str, key: str, req: Request) -> str:
    """The page as a compromised server sends it for this request."""
    spam = spam_html(key)
    if kind == "ua_cloaking" and not is_crawler(req):
        return html
    blocks = {
        "hidden_display_none": f'<div style="display:none">{spam}</div>',
        "hidden_visibility": f'<div style="visibility:hidden;height:0;overflow:hidden">{spam}</div>',
        "offscreen": f'<div style="position:absolute;left:-9999px;top:-9999px">{spam}</div>',
        "zero_font": f'<p style="font-size:0px;line-height:0">{spam}</p>',
        "tiny_marquee": f'<marquee height="1" width="1" scrollamount="3000">{spam}</marquee>',
        "link_block": f'<div class="friend-links">友情链接：{spam} <a href="/clone/yz/index.html">永州市人民政府</a></div>',
        "ua_cloaking": f'<div class="seo">{spam}</div>',
        "clone": f'<div class="banner"><h2>{"".join(spam_terms(key, 2))}</h2>{spam}</div>',
    }
    if kind == "title_injection":
        title = "_".join(spam_terms(key, 3))
        return re.sub(r"<title>.*?</title>", f'<title>{title}</title><meta name="keywords" content="{title}">',
                      html, count=1)
    block = blocks[kind]
    if kind in ("clone", "hidden_display_none"):
        return html.replace("<body>\n", "<body>\n" + block, 1)
    return html.replace("\n</body>", block + "\n</body>", 1)
