"""Storage behind one Backend protocol: SQLite by default, Elasticsearch at scale."""

from __future__ import annotations

from govwatch.config import Settings
from index.base import Backend


def open_backend(settings: Settings, *, setup: bool = True) -> Backend:
    """The backend the settings choose, set up (idempotently) unless told not to."""
    backend: Backend
    if settings.store.backend == "elasticsearch":
        from index.elastic import ElasticsearchBackend  # type: ignore[import-not-found]

        backend = ElasticsearchBackend(settings.store.es_url, prefix=settings.store.es_prefix)
    else:
        from index.sqlite import SqliteBackend

        backend = SqliteBackend(settings.store.sqlite_path)
    if setup:
        backend.setup()
    return backend
