"""Storage behind one Backend protocol: SQLite by default, Elasticsearch at scale."""

from __future__ import annotations

from core.config import Settings
from core.errors import ConfigError
from index.base import Backend


def open_backend(settings: Settings, *, setup: bool = True, read_only: bool = False) -> Backend:
    """The backend the settings choose, set up (idempotently) unless told not to or `read_only` (the API)."""
    backend: Backend
    if settings.store.backend == "elasticsearch":
        # The Backend protocol is shaped for it (index/base.py); the implementation is its own issue.
        raise ConfigError("store.backend = 'elasticsearch' is not available in this build; use 'sqlite'")
    else:
        from index.sqlite import SqliteBackend

        backend = SqliteBackend(settings.store.sqlite_path, read_only=read_only)
    if setup and not read_only:
        backend.setup()
    return backend
