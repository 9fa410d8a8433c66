"""GET /admin/keys and /admin/access-log: who may use the API and what they did (admin role).

Keys are made and revoked with `govwatch keys` on the server: a new key is
shown once, on the administrator's terminal, never in an HTTP answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from search_api.access.auth import keystore
from search_api.access.keystore import AccessRecord, ApiKey

router = APIRouter(tags=["admin"])


@router.get("/admin/keys", response_model=list[ApiKey])
def keys() -> list[ApiKey]:
    """Every key (never the key itself): name, role, when made, when revoked."""
    return keystore().list()


@router.get("/admin/access-log", response_model=list[AccessRecord])
def access_log(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AccessRecord]:
    """The newest `limit` lines of the access log: who searched or exported what, when, and the answer."""
    return list(keystore().access_log(limit))
