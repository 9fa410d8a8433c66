"""Government portals `/gov/<site>/…`: home, paginated news lists, articles, the account matrix."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Any

from sampleweb import hostile, mirrors
from sampleweb.content import Article
from sampleweb.names import PLATFORM_PROSE, PLATFORM_ZH, SITES
from sampleweb.routing import Request, Response, html_response, not_found, page

if TYPE_CHECKING:
    from sampleweb.model import WorldData

PER_PAGE = 10
_LIST = re.compile(r"^/gov/(\w+)/news/index(?:_(\d+))?\.html$")
_ARTICLE = re.compile(r"^/gov/(\w+)/news/\d{6}/t\d{8}_\d+\.html$")


def route(world: WorldData, req: Request) -> Response | None:
    """The response for a `/gov/…` or `/clone/…` path, or None when no route matches."""
    parts = req.path.split("/")
    if len(parts) < 3 or parts[1] not in ("gov", "clone") or parts[2] not in SITES:
        return None
    site, rest = parts[2], "/".join(parts[3:])
    if parts[1] == "clone":
        found = native(world, site, rest, req)
        return mirrors.clone(found, site, req.path, req) if found else None
    version, _, inner = rest.partition("/")
    if (site, version) in mirrors.MIRRORS:
        found = native(world, site, inner, req)
        convert = mirrors.gbk if version == "gbk" else mirrors.big5
        return convert(found, site, bool(_ARTICLE.match(f"/gov/{site}/{inner}"))) if found else None
    return native(world, site, rest, req)


def native(world: WorldData, site: str, rest: str, req: Request) -> Response | None:
    """A page of the portal itself, as its own server sends it to this request."""
    path = f"/gov/{site}/{rest}"
    if rest in ("", "index.html"):
        return html_response(home(world, site))
    if rest == "matrix.html":
        return html_response(matrix(world, site))
    if m := _LIST.match(path):
        return news_list(world, site, int(m.group(2) or 0))
    if _ARTICLE.match(path):
        found = find_article(world, path)
        if found is None:
            return not_found()
        html = article_html(found)
        if path in world.compromised:
            html = hostile.inject(html, world.compromised[path], path, req)
        return html_response(html)
    return hostile.service_route(req, site, rest)


def find_article(world: WorldData, path: str) -> Article | None:
    site = path.split("/")[2]
    return next((a for a in world.articles.get(site, []) if a.path == path), None)


def _nav(site: str) -> str:
    meta = SITES[site]
    return (f'<div class="header"><span class="logo">{meta["name"]}</span> '
            f'<a href="/gov/{site}/index.html">首页</a> <a href="/gov/{site}/news/index.html">政务动态</a> '
            f'<a href="/gov/{site}/matrix.html">政务新媒体矩阵</a></div>')


def home(world: WorldData, site: str) -> str:
    """The portal: navigation and the newest articles."""
    items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a> <span>{a.published_at:%Y-%m-%d}</span></li>'
                    for a in world.articles[site][:6])
    version = {"wx": '<a class="version" href="/gov/wx/gbk/index.html">GBK版</a>',
               "yz": '<a class="version" href="/gov/yz/big5/index.html">繁體版</a>'}[site]
    body = (f'{_nav(site)}{version}<div class="news"><h2>政务动态</h2><ul>{items}</ul></div>'
            f"{hostile.service_menu(site)}")
    return page(SITES[site]["name"], body)


def news_list(world: WorldData, site: str, number: int) -> Response:
    """Page `number` of the news list (index.html, index_1.html, …), 10 links each."""
    articles = world.articles[site]
    pages = max(1, -(-len(articles) // PER_PAGE))
    if number >= pages:
        return not_found()
    chunk = articles[number * PER_PAGE:(number + 1) * PER_PAGE]
    items = "".join(f'<li><a href="{a.path}" title="{escape(a.title)}">{escape(a.title)}</a>'
                    f'<span class="date">{a.published_at:%Y-%m-%d}</span></li>' for a in chunk)
    pager = [f"<span>共{pages}页</span>"]
    if number > 0:
        prev = "index.html" if number == 1 else f"index_{number - 1}.html"
        pager.append(f'<a href="{prev}">上一页</a>')
    if number + 1 < pages:
        pager.append(f'<a href="index_{number + 1}.html">下一页</a>')
    body = f'{_nav(site)}<ul class="list">{items}</ul><div class="pager">{" ".join(pager)}</div>'
    return html_response(page(f"政务动态_{SITES[site]['name']}", body))


def mention_prose(name: str, platform: str) -> str:
    """How a page recommends an account: 关注"永州人社"微信号."""
    return f"关注“{escape(name)}”{PLATFORM_PROSE.get(platform, '账号')}"


def article_html(a: Article) -> str:
    """An article page with the CMS meta tags and the visible 发布日期 line."""
    site = SITES[a.site]
    stamp = f"{a.published_at:%Y-%m-%d %H:%M}"
    head = (f'<meta name="SiteName" content="{site["name"]}"><meta name="ColumnName" content="{a.column}">'
            f'<meta name="ArticleTitle" content="{escape(a.title)}"><meta name="PubDate" content="{stamp}">'
            f'<meta name="ContentSource" content="{escape(a.source)}">')
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
    paragraphs += "".join(f"<p>欢迎{mention_prose(n, p)}，获取更多权威信息。</p>" for n, p in a.mentions)
    body = (f'{_nav(a.site)}<h1 class="article-title">{escape(a.title)}</h1>'
            f'<div class="article-info">发布日期：{a.published_at:%Y-%m-%d}&nbsp;&nbsp;来源：{escape(a.source)}'
            f"&nbsp;&nbsp;浏览次数：{a.n % 977 + 23}</div>"
            f'<div class="article-content">{paragraphs}</div>'
            f'<div class="related"><a href="/gov/{a.site}/news/index.html">返回列表</a></div>')
    return page(f"{escape(a.title)}_{site['name']}", body, head)


def matrix(world: WorldData, site: str) -> str:
    """政务新媒体矩阵: a table of the government's accounts and prose recommending some."""
    listed = [a for a in world.accounts if a.site == site and a.spec.on_matrix]
    rows = "".join(f"<tr><td>{escape(a.name)}</td><td>{PLATFORM_ZH[a.platform]}</td><td>{escape(a.owner)}</td></tr>"
                   for a in listed)
    prose = "、".join(mention_prose(a.name, a.platform) for a in listed[:5])
    body = (f'{_nav(site)}<h1>{SITES[site]["name"]}政务新媒体矩阵</h1>'
            f'<table class="matrix"><thead><tr><th>账号名称</th><th>平台</th><th>主办单位</th></tr></thead>'
            f"<tbody>{rows}</tbody></table><p>欢迎广大网友{prose}，及时了解政务信息。</p>")
    return page(f"政务新媒体矩阵_{SITES[site]['name']}", body)


def gov_page_paths(world: WorldData) -> list[str]:
    """Every native page path of the portals: home, matrix, news lists, articles."""
    paths = []
    for site, articles in world.articles.items():
        lists = max(1, -(-len(articles) // PER_PAGE))
        paths += [f"/gov/{site}/index.html", f"/gov/{site}/matrix.html", f"/gov/{site}/news/index.html"]
        paths += [f"/gov/{site}/news/index_{n}.html" for n in range(1, lists)]
        paths += [a.path for a in articles]
    return paths


def page_verdicts(world: WorldData, base_url: str = "") -> list[dict[str, Any]]:
    """Ground truth for pages: every native page and its GBK / Big5 / clone versions, with kinds."""
    out = []
    for path in gov_page_paths(world):
        kind = world.compromised.get(path)
        out.append({"url": base_url + path, "compromised": kind is not None, "kinds": [kind] if kind else []})
        for variant, is_clone in mirrors.variant_paths(path.split("/")[2], path):
            kinds = ["clone"] if is_clone else ([kind] if kind else [])
            out.append({"url": base_url + variant, "compromised": bool(kinds), "kinds": kinds})
    return out
