"""GET /posts and GET /pages: the query language, filters, sort, highlights, facets, cursors, exports.

The JSON searches run on the search thread (search_api.search_thread); exports stream from the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from starlette.concurrency import run_in_threadpool

from core.errors import QueryError
from core.models import Page, Post
from index.base import FACETS, PageQuery, PostQuery, SearchResult
from search_api.access.auth import CurrentKey, check_role
from search_api.deps import Store
from search_api.directory import Directory, stored_spelling
from search_api.export import MAX_ROWS, describe_query, export
from search_api.params import Cursor, Format, Limit, Offset, Platform, Q, Sort, Text, When, date_range
from search_api.schemas import PageResults, PostResults, china, json_body
from search_api.search_thread import searching
from search_api.sites import site_values

router = APIRouter(tags=["search"])
EXPORT_BATCH = 100
FILES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
               "description": "JSON results, or with format=csv|xlsx every match as a file"}}


def searched(run: Callable[[Any], SearchResult], query: PostQuery | PageQuery) -> SearchResult:
    """One page of results; a query the language refuses is a 400 naming the problem."""
    try:
        return run(query)
    except QueryError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


def every_hit(run: Callable[[Any], SearchResult], query: PostQuery | PageQuery) -> Iterator[Any]:
    """All matches up to the export limit, page by page (cursor when the backend gives one).

    The first page is searched now, not when the file starts streaming: a query the language
    refuses must be a 400, which cannot be sent once the response has begun.
    """
    query = replace(query, limit=EXPORT_BATCH, offset=0, cursor=None)
    first = searched(run, query)

    def pages() -> Iterator[Any]:
        result, q, seen = first, query, 0
        while True:
            yield from result.hits
            seen += len(result.hits)
            if seen >= MAX_ROWS or (len(result.hits) < EXPORT_BATCH and not result.next_cursor):
                return
            q = replace(q, cursor=result.next_cursor) if result.next_cursor else replace(q, offset=seen)
            result = searched(run, q)
    return pages()


def post_hit(hit: Any, directory: Directory) -> dict[str, Any]:
    """The hit as the API shows it: PostHit's fields, in its order, as a plain dict.

    Every value comes typed from the store and the directory, so the hit is
    neither validated nor made a model: building 20 PostHit models (even with
    model_construct) cost more CPU than serialising them. tests/search_api/
    test_posts_body.py validates such bodies against PostResults and checks
    that they serialise to the very bytes the model does."""
    p: Post = hit.item
    info = directory.get(p.platform, p.account_id)
    return {
        "platform": p.platform, "account_id": p.account_id, "post_id": p.post_id, "url": p.url, "title": p.title,
        "snippet": hit.snippet or p.text[:120], "highlights": hit.highlights,
        "published_at": china(p.published_at) if p.published_at else None, "is_pinned": p.is_pinned,
        "score": float(hit.score),
        "account": {"platform": p.platform, "account_id": p.account_id, "name": info.name, "owner": info.owner,
                    "registered": info.registered, "statuses": info.statuses},
    }


def resolved(store: Store, query: PostQuery) -> PostQuery:
    """`account` given as a name in the other script becomes the stored spelling."""
    return replace(query, account=stored_spelling(store, query.account)) if query.account else query


def run_posts(store: Store, query: PostQuery) -> dict[str, Any]:
    """One page of post results, each hit naming its account: PostResults' fields as plain data."""
    result = searched(store.search_posts, replace(resolved(store, query), facets=FACETS))
    directory = Directory(store)
    directory.prefetch([(h.item.platform, h.item.account_id) for h in result.hits if isinstance(h.item, Post)])
    return {"total": result.total, "total_exact": result.total_exact, "next_cursor": result.next_cursor,
            "facets": result.facets, "hits": [post_hit(h, directory) for h in result.hits]}


def page_query(store: Store, query: PageQuery) -> PageQuery:
    """`site` as a name, a domain or a URL becomes every site value the store may hold for it."""
    return replace(query, site=None, sites=site_values(store, query.site)) if query.site else query


def run_pages(store: Store, query: PageQuery) -> dict[str, Any]:
    """One page of government-website page results: PageResults' fields as plain data (as post hits)."""
    result = searched(store.search_pages, page_query(store, query))
    hits = []
    for h in result.hits:
        page: Page = h.item  # type: ignore[assignment]
        hits.append({"url": page.url, "site": page.site, "title": page.title,
                     "snippet": h.snippet or page.text[:120], "highlights": h.highlights,
                     "published_at": china(page.published_at) if page.published_at else None,
                     "score": float(h.score)})
    return {"total": result.total, "total_exact": result.total_exact, "next_cursor": result.next_cursor, "hits": hits}


POST_COLUMNS = ["发布时间 published_at", "平台 platform", "账号 account", "账号ID account_id", "主办单位 owner",
                "状态 statuses", "标题 title", "摘要 snippet", "链接 url", "置顶 pinned"]
PAGE_COLUMNS = ["发布时间 published_at", "网站 site", "标题 title", "摘要 snippet", "链接 url"]


def export_posts(store: Store, query: PostQuery, fmt: str, params: dict[str, Any]) -> Response:
    directory = Directory(store)
    hits = every_hit(store.search_posts, resolved(store, query))  # now: a refused query is a 400 before the file starts

    def rows() -> Iterator[list[Any]]:
        for h in hits:
            hit = post_hit(h, directory)
            account = hit["account"]
            yield [hit["published_at"], hit["platform"], account["name"], hit["account_id"], account["owner"],
                   account["statuses"], hit["title"], hit["snippet"], hit["url"], hit["is_pinned"]]
    return export(fmt, "posts", describe_query(params), POST_COLUMNS, rows())


def export_pages(store: Store, query: PageQuery, fmt: str, params: dict[str, Any]) -> Response:
    rows = ([h.item.published_at, h.item.site, h.item.title, h.snippet or h.item.text[:120], h.item.url]
            for h in every_hit(store.search_pages, page_query(store, query)))
    return export(fmt, "pages", describe_query(params), PAGE_COLUMNS, rows)


@router.get("/posts", response_model=PostResults, responses=FILES)
async def search_posts(
    store: Store, key: CurrentKey, q: Q = "", platform: Platform | None = None, account: Text = None,
    owner: Text = None, since: When = None, until: When = None, sort: Sort = "relevance", limit: Limit = 20,
    cursor: Cursor = None, offset: Offset = 0, format: Format = "json",  # noqa: A002 - the URL's word
) -> PostResults | Response:
    """Posts matching `q`; filters: platform, account (id or name, either script), owner, dates."""
    start, end = date_range(since, until)
    query = PostQuery(q=q, platform=platform, account=account, owner=owner, since=start, until=end, sort=sort,
                      limit=limit, cursor=cursor, offset=offset)
    if format == "json":
        return json_body(await searching(store, run_posts, store, query))
    check_role(key, "investigator")
    return await run_in_threadpool(export_posts, store, query, format, dict(
        q=q, platform=platform, account=account, owner=owner, since=since, until=until, sort=sort))


@router.get("/pages", response_model=PageResults, responses=FILES)
async def search_pages(
    store: Store, key: CurrentKey, q: Q = "", site: Text = None, since: When = None, until: When = None,
    sort: Sort = "relevance", limit: Limit = 20, cursor: Cursor = None, offset: Offset = 0,
    format: Format = "json",  # noqa: A002
) -> PageResults | Response:
    """Government-website pages matching `q`; `site` by domain or name."""
    start, end = date_range(since, until)
    query = PageQuery(q=q, site=site, since=start, until=end, sort=sort, limit=limit, cursor=cursor, offset=offset)
    if format == "json":
        return json_body(await searching(store, run_pages, store, query))
    check_role(key, "investigator")
    return await run_in_threadpool(export_pages, store, query, format,
                                   dict(q=q, site=site, since=since, until=until, sort=sort))
