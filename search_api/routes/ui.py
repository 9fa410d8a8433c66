"""The investigators' page, server-rendered: every search state is in the URL (bookmarks, Back, sharing).

The page calls the same functions as the JSON routes, so what it shows is
what the API answers; a bad query is shown on the page, not as JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response

from core.errors import BadInputError
from core.models import PLATFORMS
from index.base import PageQuery, PostQuery
from search_api import labels
from search_api.access.auth import CurrentKey, check_role
from search_api.chart import timeline_svg
from search_api.deps import Store
from search_api.params import date_range
from search_api.render import page
from search_api.routes import accounts as accounts_api
from search_api.routes import findings as findings_api
from search_api.routes.impersonation import _cache as matchers
from search_api.routes.search import run_pages, run_posts
from search_api.search_thread import searching

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
POST_FIELDS = ("q", "platform", "account", "owner", "since", "until", "sort")
PAGE_FIELDS = ("q", "site", "since", "until", "sort")
ACCOUNT_FIELDS = ("status", "platform", "owner", "registered", "name")
FINDING_FIELDS = ("kind", "severity", "status", "subject", "owner", "since", "until")


def form(request: Request, fields: tuple[str, ...]) -> dict[str, str]:
    """The search state from the URL: the named fields, trimmed and length-capped."""
    return {f: request.query_params.get(f, "").strip()[:200] for f in fields}


def _offset(request: Request) -> int:
    raw = request.query_params.get("offset", "0")
    return min(int(raw), 10_000) if raw.isdigit() else 0


def render(template: str, key: Any, nav: str, **context: Any) -> Response:
    return page(template, key=key, nav=nav, platforms=PLATFORMS, may_export=key.allows("investigator"), **context)


def _platform(value: str) -> str | None:
    if value and value not in PLATFORMS:
        raise HTTPException(400, f"unknown platform {value!r}")
    return value or None


def search_page(request: Request, store: Store, key: Any, kind: str) -> Response:
    """One page of posts or of pages: the state from the URL, the results or the error, the pager."""
    state = form(request, POST_FIELDS if kind == "posts" else PAGE_FIELDS)
    cursor = request.query_params.get("cursor") or None
    results: Any = None
    error = ""
    try:
        since, until = date_range(state["since"] or None, state["until"] or None)
        common: dict[str, Any] = dict(q=state["q"], since=since, until=until, sort=state["sort"] or "relevance", limit=PAGE_SIZE,
                      cursor=cursor[:500] if cursor else None)
        if kind == "posts":
            results = run_posts(store, PostQuery(platform=_platform(state["platform"]), account=state["account"] or None,
                                                 owner=state["owner"] or None, **common))
        else:
            results = run_pages(store, PageQuery(site=state["site"] or None, **common))
    except HTTPException as exc:
        error = exc.detail if isinstance(exc.detail, str) else exc.detail[0]["msg"]
    return render(f"{kind}.html", key, kind, state=state, results=results, error=error, paged=bool(cursor))


@router.get("/")
async def posts_page(request: Request, store: Store, key: CurrentKey) -> Response:
    """帖子检索: posts with highlights, facets, cursor paging and exports (searched on the search thread)."""
    return await searching(store, search_page, request, store, key, "posts")


@router.get("/ui/pages")
async def pages_page(request: Request, store: Store, key: CurrentKey) -> Response:
    """网页检索: government-website pages."""
    return await searching(store, search_page, request, store, key, "pages")


@router.get("/ui/accounts")
def accounts_page(request: Request, store: Store, key: CurrentKey) -> Response:
    """账号: accounts by status, platform, owner, registration, name; paged."""
    state, offset, error = form(request, ACCOUNT_FIELDS), _offset(request), ""
    items: list[Any] = []
    try:
        registered = state["registered"] if state["registered"] in accounts_api.REGISTERED else None
        items = list(accounts_api.select(store, _platform(state["platform"]), state["status"] or None,
                                         state["owner"] or None, registered, state["name"] or None))
    except HTTPException as exc:
        error = str(exc.detail)
    return render("accounts.html", key, "accounts", state=state, items=items[offset:offset + PAGE_SIZE],
                  total=len(items), offset=offset, size=PAGE_SIZE, error=error)


@router.get("/ui/accounts/{platform}/{account_id}")
def account_page(platform: str, account_id: str, store: Store, key: CurrentKey) -> Response:
    """One account: statuses with evidence, registry entry, timeline chart, original posts."""
    found = store.get_account(platform, account_id) if platform in PLATFORMS else None
    if found is None:
        return render("message.html", key, "accounts", message=f"没有这个账号 no account {platform}:{account_id}",
                      status_code=404)
    detail = accounts_api.detail_of(store, key, found)
    return render("account.html", key, "accounts", d=detail, chart=timeline_svg(detail.timeline))


@router.get("/ui/findings")
def findings_page(request: Request, store: Store, key: CurrentKey) -> Response:
    """问题: findings of accounts and pages, with evidence (spam highlighted, broken links with status)."""
    check_role(key, "investigator")
    state, offset, error = form(request, FINDING_FIELDS), _offset(request), ""
    items: list[Any] = []
    try:
        items = list(findings_api.select(
            store, state["kind"] or None, state["severity"] or None, state["status"] or "open",
            state["subject"] or None, state["owner"] or None, state["since"] or None, state["until"] or None))
    except HTTPException as exc:
        error = exc.detail if isinstance(exc.detail, str) else exc.detail[0]["msg"]
    return render("findings.html", key, "findings", state=state, items=items[offset:offset + PAGE_SIZE],
                  total=len(items), offset=offset, size=PAGE_SIZE, error=error, kinds=labels.KIND_ZH)


@router.get("/ui/impersonation")
def impersonation_page(request: Request, store: Store, key: CurrentKey) -> Response:
    """冒用核查: one name against the registry, with the reasons."""
    check_role(key, "investigator")
    state, result, error = form(request, ("name", "platform")), None, ""
    if state["name"]:
        try:
            result = matchers.get(store).check(state["name"][:100], _platform(state["platform"])).as_dict()
        except (BadInputError, HTTPException) as exc:
            error = str(getattr(exc, "detail", exc))
    return render("impersonation.html", key, "impersonation", state=state, result=result, error=error)
