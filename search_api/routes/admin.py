"""GET /admin/keys and /admin/access-log: who may use the API and what they did (admin role).

Keys are made and revoked with `govwatch keys` on the server: a new key is
shown once, on the administrator's terminal, never in an HTTP answer.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from search_api.access.auth import keystore

router = APIRouter(tags=["admin"])


class KeyOut(BaseModel):
    key_id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None


class AccessOut(BaseModel):
    at: str
    key_name: str
    role: str
    method: str
    path: str
    query: str
    status: int


@router.get("/admin/keys", response_model=list[KeyOut])
def keys() -> list[KeyOut]:
    """Every key (never the key itself): name, role, when made, when revoked."""
    return [KeyOut(**vars(k)) for k in keystore().list()]


@router.get("/admin/access-log", response_model=list[AccessOut])
def access_log(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AccessOut]:
    """The newest `limit` lines of the access log: who searched or exported what, when, and the answer."""
    return [AccessOut(**vars(r)) for r in keystore().access_log(limit)]
