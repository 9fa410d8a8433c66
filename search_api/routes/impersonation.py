"""GET /impersonation?name=&platform= — the `govwatch check name` verdict over the store's registry.

Included by search_api.app as ``search_api.routes.impersonation.router``.
The Matcher is built from the store's registry at start-up (or first use) and
rebuilt in the background once older than REBUILD_SECONDS, so a registry
import shows within about that time and no request waits for a rebuild.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from audit.impersonation import Matcher
from audit.impersonation.indexed import IndexedMatcher, registry_matcher
from core.errors import BadInputError
from core.models import PLATFORMS
from index.base import Backend
from search_api.cache import Refreshing
from search_api.deps import backend
from search_api.reasons_zh import reason_zh

REBUILD_SECONDS = 120.0

router = APIRouter(tags=["impersonation"])
Platform = Literal[PLATFORMS]  # type: ignore[valid-type]


class CandidateOut(BaseModel):
    name: str
    platform: str
    owner: str
    score: float
    reasons: list[str]
    reasons_zh: list[str] = Field(description="the reasons in Chinese, in the same order (\"\" where unknown)")


class ImpersonationOut(BaseModel):
    query: str
    verdict: Literal["registered", "impersonation", "clear"]
    candidates: list[CandidateOut]


class MatcherCache(Refreshing[Matcher | IndexedMatcher]):
    """One matcher over the store's registry, shared by the API's worker threads, rebuilt in the background.

    On Elasticsearch it asks the registry index for each name's candidates (registry_matcher).
    A replaced matcher is not closed here: a request may still be checking with it, and its key
    index file closes when the last of them drops it.
    """

    def __init__(self) -> None:
        super().__init__(registry_matcher, REBUILD_SECONDS)


_cache = MatcherCache()


def matcher(store: Annotated[Backend, Depends(backend)]) -> Matcher | IndexedMatcher:
    """FastAPI dependency: the Matcher over the store's current registry."""
    return _cache.get(store)


@router.get("/impersonation", response_model=ImpersonationOut)
def impersonation(
    m: Annotated[Matcher | IndexedMatcher, Depends(matcher)],
    name: Annotated[str, Query(min_length=1, max_length=100, description="account name as written")],
    platform: Platform | None = None,
) -> ImpersonationOut:
    """Is `name` (on `platform`) a registered account, an impersonation of one, or clear — and why."""
    try:
        result = m.check(name, platform)
    except BadInputError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    data: dict[str, Any] = result.as_dict()
    for candidate in data["candidates"]:
        candidate["reasons_zh"] = [reason_zh(r) for r in candidate["reasons"]]
    return ImpersonationOut.model_validate(data)
