"""FastAPI dependencies for access control: who is asking (401), may they (403), not too often (429).

    router = APIRouter(dependencies=[Depends(require_role("investigator"))])
    def handler(key: CurrentKey): ...   # the ApiKey, for a finer check inside

A key comes as ``Authorization: Bearer <key>`` (scripts) or in the HttpOnly
cookie the login form sets (the page). `authenticate` runs once per request
however many dependencies ask for it (FastAPI caches it), so a request
spends one token of its key's rate limit. The dependencies are `async`:
FastAPI runs a plain `def` dependency in its thread pool, a trip that cost
more than the work (one indexed lookup and one small write in the keys file).
That work never waits on the event loop, though: when the keys file is busy
(another worker writing) it moves to a worker thread (`off_loop`, keysfile.py).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from core.config import get_settings
from search_api.access.keysfile import off_loop
from search_api.access.keystore import ROLES, ApiKey, KeyStore
from search_api.access.ratelimit import RateLimiter

COOKIE = "govwatch_key"
_bearer = HTTPBearer(auto_error=False, description="an API key from `govwatch keys add NAME --role R`")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="set by the login form at /login")


@lru_cache(maxsize=1)
def keystore() -> KeyStore:
    """The keys file the settings name (beside the store unless [api] keys_path says otherwise)."""
    settings = get_settings()
    return KeyStore(settings.api.keys_file(settings.store))


@lru_cache(maxsize=1)
def limiter() -> RateLimiter:
    """The rate limits, kept in the keys file so that every API process on this host shares them."""
    settings = get_settings()
    return RateLimiter(settings.api.keys_file(settings.store), settings.api.rate_per_minute, settings.api.rate_burst)


async def active_key(secret: str) -> ApiKey | None:
    """The active key with this secret, or None; never waits for the keys file on the event loop."""
    return await off_loop(lambda wait: keystore().authenticate(secret, wait))


async def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> ApiKey:
    """The caller's active key; 401 without one, 429 when it is over its rate limit."""
    secret = bearer.credentials if bearer else cookie
    if not secret:
        raise HTTPException(401, "an API key is needed: 'Authorization: Bearer <key>', or log in at /login",
                            headers={"WWW-Authenticate": "Bearer"})
    key = await active_key(secret)
    if key is None:
        raise HTTPException(401, "unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"})
    request.state.api_key = key  # for the access log
    retry = await off_loop(lambda wait: limiter().take(key.key_id, wait))
    if retry > 0:
        raise HTTPException(429, f"rate limit of key {key.name!r} reached; retry in {math.ceil(retry)} s",
                            headers={"Retry-After": str(math.ceil(retry))})
    return key


CurrentKey = Annotated[ApiKey, Depends(authenticate)]


def check_role(key: ApiKey, role: str) -> None:
    """403 unless `key` has `role` or a higher one (for checks that depend on a parameter)."""
    if not key.allows(role):
        raise HTTPException(403, f"this needs the role {role!r}; key {key.name!r} has {key.role!r}")


def require_role(role: str) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    """A dependency that lets through keys with `role` or a higher one (viewer < investigator < admin)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    async def dependency(key: CurrentKey) -> ApiKey:
        check_role(key, role)
        return key

    dependency.__name__ = f"require_{role}"
    return dependency
