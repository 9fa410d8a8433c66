"""GET /accounts (filtered, paged, exportable) and GET /accounts/{platform}/{account_id} (the account page)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Response

from core.models import Account, account_key
from index.base import AccountFilters
from search_api.access.auth import CurrentKey, check_role
from search_api.access.keystore import ApiKey
from search_api.deps import Store
from search_api.directory import describe, entry_of, match, open_kinds
from search_api.export import describe_query, export
from search_api.params import Format, Limit, Offset, Platform, Text
from search_api.profile import account_detail
from search_api.schemas import LIST_RESPONSES, AccountOut
from search_api.schemas_accounts import AccountDetail

router = APIRouter(tags=["accounts"])
Status = Annotated[str | None, Query(min_length=1, max_length=40, pattern=r"^[a-z_]+$",
                                     description="an open finding kind, e.g. dormant, or `ok` for none")]
Registered = Literal["yes", "no", "ambiguous"]
REGISTERED = {"yes": ("id", "name"), "no": ("none",), "ambiguous": ("ambiguous",)}
COLUMNS = ["平台 platform", "账号ID account_id", "名称 name", "主办单位 owner", "备案 registered", "备案编号 registry_no",
           "状态 findings", "最后更新 last_post_at", "粉丝 followers", "认证 verified_reason", "链接 url"]


def account_out(store: Store, a: Account, kinds: dict[str, list[str]] | None = None) -> AccountOut:
    """An account with its open finding kinds and its registry entry."""
    info = describe(store, a, kinds)
    entry = entry_of(match(store, a))
    return AccountOut(
        platform=a.platform, account_id=a.account_id, name=a.name, url=a.url, verified_type=a.verified_type,
        verified_reason=a.verified_reason, followers=a.followers, state=a.state, findings=info.statuses,
        owner=info.owner, registered=info.registered,  # type: ignore[arg-type]
        registry_no=entry.registry_no if entry else "", last_post_at=a.last_post_at,
    )


def _keep(out: AccountOut, owner: str | None, registered: str | None) -> bool:
    """The filters only the API can apply: they depend on the registry match, not on stored fields."""
    if registered and out.registered not in REGISTERED[registered]:
        return False
    return not (owner and owner not in out.owner)


def select(store: Store, platform: str | None, status: str | None, owner: str | None, registered: str | None,
           name: str | None) -> Iterator[AccountOut]:
    """Accounts narrowed in the store by platform, name and status (`ok`: no open finding), then by owner
    and registration here."""
    kinds = open_kinds(store)
    for a in store.iter_accounts(platform, where=AccountFilters(name=name, status=status)):
        out = account_out(store, a, kinds)
        if _keep(out, owner, registered):
            yield out


@router.get("/accounts", response_model=list[AccountOut], responses=LIST_RESPONSES)
def accounts(
    store: Store, key: CurrentKey, response: Response, status: Status = None, platform: Platform | None = None, owner: Text = None,
    registered: Registered | None = None, name: Text = None, limit: Limit = 50, offset: Offset = 0,
    format: Format = "json",  # noqa: A002
) -> list[AccountOut] | Response:
    """Accounts with their open finding kinds and registry entry; `owner` and `name` match a part."""
    selected = select(store, platform, status, owner, registered, name)
    if format != "json":
        check_role(key, "investigator")
        params: dict[str, Any] = dict(status=status, platform=platform, owner=owner, registered=registered, name=name)
        rows = ([a.platform, a.account_id, a.name, a.owner, a.registered, a.registry_no, a.findings, a.last_post_at,
                 a.followers, a.verified_reason, a.url] for a in selected)
        return export(format, "accounts", describe_query(params), COLUMNS, rows)
    items = list(selected)
    response.headers["X-Total-Count"] = str(len(items))
    return items[offset:offset + limit]


@router.get("/accounts/{platform}/{account_id}", response_model=AccountDetail,
            responses={404: {"description": "No such account in the store"}})
def account(store: Store, key: CurrentKey, platform: Platform,
            account_id: Annotated[str, Path(min_length=1, max_length=200)]) -> AccountDetail:
    """The account page: profile, registry entry, posting timeline, findings with evidence, mentions."""
    found = store.get_account(platform, account_id)
    if found is None:
        raise HTTPException(404, f"no account {account_key(platform, account_id)!r} in the store")
    return detail_of(store, key, found)


def detail_of(store: Store, key: ApiKey, found: Account) -> AccountDetail:
    """The account page of a stored account; its findings are read once (their open kinds are its status)."""
    subject = account_key(found.platform, found.account_id)
    findings = store.list_findings(status=None, subject_key=subject)
    kinds = {subject: sorted({f.kind for f in findings if f.status == "open"})}
    return account_detail(store, found, account_out(store, found, kinds), findings,
                          with_findings=key.allows("investigator"))

