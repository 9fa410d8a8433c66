"""GET /posts and GET /pages: full-text search over the store."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException

from core.errors import QueryError
from core.models import Post
from index.base import PageQuery, PostQuery
from search_api.deps import Store
from search_api.params import Limit, Offset, Platform, Q
from search_api.schemas import PageHit, PageResults, PostHit, PostResults

router = APIRouter(tags=["search"])


def _bad_query(exc: QueryError) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@router.get("/posts", response_model=PostResults)
def search_posts(
    store: Store, q: Q = "", platform: Platform | None = None, account: str | None = None,
    since: datetime | None = None, until: datetime | None = None, limit: Limit = 20, offset: Offset = 0,
) -> PostResults:
    """Posts matching `q` (BM25 ranked), filtered by platform, account (id or name) and dates."""
    query = PostQuery(q=q, platform=platform, account=account, since=since, until=until, limit=limit, offset=offset)
    try:
        result = store.search_posts(query)
    except QueryError as exc:
        raise _bad_query(exc) from exc
    hits = []
    for h in result.hits:
        p = h.item
        assert isinstance(p, Post)
        hits.append(PostHit(
            platform=p.platform, account_id=p.account_id, post_id=p.post_id, url=p.url, title=p.title,
            snippet=h.snippet or p.text[:120], published_at=p.published_at, is_pinned=p.is_pinned, score=h.score,
        ))
    return PostResults(total=result.total, hits=hits)


@router.get("/pages", response_model=PageResults)
def search_pages(
    store: Store, q: Q = "", site: str | None = None, since: datetime | None = None,
    until: datetime | None = None, limit: Limit = 20, offset: Offset = 0,
) -> PageResults:
    """Government-website pages matching `q`."""
    try:
        result = store.search_pages(PageQuery(q=q, site=site, since=since, until=until, limit=limit, offset=offset))
    except QueryError as exc:
        raise _bad_query(exc) from exc
    return PageResults(total=result.total, hits=[
        PageHit(url=h.item.url, site=getattr(h.item, "site", ""), title=h.item.title,
                snippet=h.snippet or h.item.text[:120], published_at=h.item.published_at, score=h.score)
        for h in result.hits
    ])
