"""The search API and web page: a thin FastAPI layer over index/ and audit/."""

from __future__ import annotations

import importlib
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse

from govwatch.errors import QueryError
from govwatch.models import PLATFORMS, Post, account_key
from index.base import Backend, PageQuery, PostQuery
from search_api.deps import backend
from search_api.schemas import AccountOut, FindingOut, PageHit, PageResults, PostHit, PostResults

app = FastAPI(title="govwatch", description="Search government new-media posts, pages, accounts and findings.")
Store = Annotated[Backend, Depends(backend)]
Platform = Literal[PLATFORMS]  # type: ignore[valid-type]
Q = Annotated[str, Query(max_length=200, description="words to find; Chinese works without spaces")]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=10_000)]

# Optional routers that live with the feature they expose.
for module_name in ("search_api.impersonation",):
    try:
        app.include_router(importlib.import_module(module_name).router)
    except ModuleNotFoundError:
        pass


def _bad_query(exc: QueryError) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@app.get("/posts", response_model=PostResults)
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


@app.get("/pages", response_model=PageResults)
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


@app.get("/accounts", response_model=list[AccountOut])
def accounts(
    store: Store, status: Annotated[str | None, Query(description="a finding kind, e.g. dormant")] = None,
    platform: Platform | None = None,
) -> list[AccountOut]:
    """Accounts with their open finding kinds; `status=dormant` keeps those with that finding."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for f in store.list_findings(status="open"):
        if f.subject_type == "account":
            kinds[f.subject_key].add(f.kind)
    out = []
    for a in store.iter_accounts(platform):
        found = kinds.get(account_key(a.platform, a.account_id), set())
        if status and status not in found:
            continue
        out.append(AccountOut(
            platform=a.platform, account_id=a.account_id, name=a.name, url=a.url, verified_type=a.verified_type,
            verified_reason=a.verified_reason, followers=a.followers, state=a.state, findings=sorted(found),
        ))
    return out


@app.get("/findings", response_model=list[FindingOut])
def findings(
    store: Store, kind: str | None = None,
    status: Annotated[Literal["open", "resolved", "all"], Query()] = "open",
) -> list[FindingOut]:
    """Findings with their rule, rule-set version and evidence."""
    found = store.list_findings(kind=kind, status=None if status == "all" else status)
    return [FindingOut(**{k: getattr(f, k) for k in FindingOut.model_fields}) for f in found]


@app.get("/", response_class=HTMLResponse, include_in_schema=False)
def home() -> str:
    """The investigators' search page."""
    return (Path(__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
