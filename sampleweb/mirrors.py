"""Other versions of the portals: GBK (`/gov/wx/gbk/…`), traditional Chinese (`/gov/yz/big5/…`), clone (`/clone/yz/…`).

Each is the native page re-rendered: links rewritten into the version,
text converted and encoded as such sites do it, including the pinyin glosses
that some simplified→traditional converters leave behind (瀏覽次數(shù)).
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from sampleweb.hostile import inject
from sampleweb.routing import Request, Response

MIRRORS = {("wx", "gbk"), ("yz", "big5")}
# Converter artefacts seen on real traditional-Chinese government pages.
ARTEFACTS = (("瀏覽次數", "瀏覽次數(shù)"), ("重要", "重(zhòng)要"), ("調整", "調(tiáo)整"))
_CHARSET = re.compile(r'<meta charset="[^"]*">')


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")  # Taiwan forms: what Big5 can encode


def _rewrite(html: str, native: str, mirror: str) -> str:
    """Point the page's own links into the mirror; the mirror's link to itself goes back home."""
    html = html.replace(f'href="{native}/', f'href="{mirror}/')
    return html.replace(f'href="{mirror}{mirror.removeprefix(native)}/', f'href="{native}/')


def gbk(resp: Response, site: str, is_article: bool) -> Response:
    """GBK bytes; articles say so in the header, list pages only in a gb2312 meta tag (as old CMSs do)."""
    if not resp.content_type.startswith("text/html"):
        return resp
    html = _rewrite(resp.body.decode("utf-8"), f"/gov/{site}", f"/gov/{site}/gbk")
    if is_article:
        html = _CHARSET.sub('<meta charset="gbk">', html, count=1)
        return Response(resp.status, "text/html; charset=gbk", html.encode("gbk", "xmlcharrefreplace"), resp.headers)
    html = _CHARSET.sub('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', html, count=1)
    return Response(resp.status, "text/html", html.encode("gbk", "xmlcharrefreplace"), resp.headers)


def big5(resp: Response, site: str, is_article: bool) -> Response:
    """Traditional characters with converter artefacts; articles in Big5, other pages in UTF-8."""
    if not resp.content_type.startswith("text/html"):
        return resp
    html = _s2t().convert(_rewrite(resp.body.decode("utf-8"), f"/gov/{site}", f"/gov/{site}/big5"))
    for plain, glossed in ARTEFACTS:
        html = html.replace(plain, glossed)
    if not is_article:
        return Response(resp.status, resp.content_type, html.encode("utf-8"), resp.headers)
    html = _CHARSET.sub('<meta charset="big5">', html, count=1)
    return Response(resp.status, "text/html; charset=big5", html.encode("big5", "xmlcharrefreplace"), resp.headers)


def clone(resp: Response, site: str, key: str, req: Request) -> Response:
    """The site copied under `/clone/<site>/` with a gambling banner (the copier's purpose)."""
    if not resp.content_type.startswith("text/html"):
        return resp
    html = resp.body.decode("utf-8").replace(f'href="/gov/{site}/', f'href="/clone/{site}/')
    return Response(resp.status, resp.content_type, inject(html, "clone", key, req).encode("utf-8"), resp.headers)


def variant_paths(site: str, native_path: str) -> list[tuple[str, bool]]:
    """Other URLs of one native page: (path, is_clone)."""
    rest = native_path.removeprefix(f"/gov/{site}")
    out = [(f"/gov/{site}/{version}{rest}", False) for s, version in MIRRORS if s == site]
    if site == "yz":
        out.append((f"/clone/{site}{rest}", True))
    return out
