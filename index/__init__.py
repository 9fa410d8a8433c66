"""Storage behind one Backend protocol: SQLite by default, Elasticsearch at scale."""

from __future__ import annotations

from core.config import Settings
from index.base import Backend


def open_backend(settings: Settings, *, setup: bool = True, read_only: bool = False) -> Backend:
    """The backend the settings choose, set up (idempotently) unless told not to or `read_only` (the API)."""
    backend: Backend
    if settings.store.backend == "elasticsearch":
        from index.elastic import ElasticsearchBackend, EsConfig

        backend = ElasticsearchBackend(EsConfig.from_settings(settings.store), read_only=read_only)
    else:
        from index.sqlite import SqliteBackend

        backend = SqliteBackend(settings.store.sqlite_path, read_only=read_only)
    if setup and not read_only:
        backend.setup()
    return backend
