"""The Elasticsearch backend: `ElasticsearchBackend(EsConfig(url=...))`, chosen by [store] backend."""

from __future__ import annotations

import uuid
from pathlib import Path

from index.elastic.backend import ElasticsearchBackend
from index.elastic.connect import EsConfig


def test_backend(url: str, tmp_path: Path) -> ElasticsearchBackend:
    """A backend on a fresh index prefix with its spool under `tmp_path` (for the test suite)."""
    prefix = f"t{uuid.uuid4().hex[:12]}"
    return ElasticsearchBackend(EsConfig(url=url, prefix=prefix, spool=str(tmp_path / "es-spool.db")))


test_backend.__test__ = False  # type: ignore[attr-defined]  # a factory, not a test for pytest to collect

__all__ = ["ElasticsearchBackend", "EsConfig", "test_backend"]
