"""GET /accounts: accounts with their open finding kinds."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query

from core.models import account_key
from search_api.deps import Store
from search_api.params import Platform
from search_api.schemas import AccountOut

router = APIRouter(tags=["accounts"])


@router.get("/accounts", response_model=list[AccountOut])
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
