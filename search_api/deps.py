"""FastAPI dependencies: cached settings and the store they choose."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from core.config import Settings, get_settings
from index import open_backend
from index.base import Backend


def settings() -> Settings:
    return get_settings()


@lru_cache(maxsize=1)
def backend() -> Backend:
    """One backend per process, opened read-only: the API never writes to the store."""
    return open_backend(get_settings(), read_only=True)


async def store() -> Backend:
    """The store, as a dependency answered on the event loop (a `def` one would take a thread-pool trip)."""
    return backend()


Store = Annotated[Backend, Depends(store)]

