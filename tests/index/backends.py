"""Backends the tests in tests/index run on: SQLite always, Elasticsearch when a node is configured.

The Elasticsearch side is a hook for its backend (index.elastic.test_backend): it
must return a backend on a fresh index prefix whose writes are searchable as
soon as the write call returns (refresh), so the same tests run unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.base import Backend
from index.elastic import ElasticsearchBackend, mappings
from index.elastic import indices as I
from index.sqlite import SqliteBackend

NAMES = ("sqlite", "elasticsearch")


def make_backend(name: str, tmp_path: Path) -> Backend:
    """A fresh, set-up backend called `name`; skips Elasticsearch without GOVWATCH_ES_URL."""
    if name == "sqlite":
        backend = SqliteBackend(tmp_path / "store.db")
        backend.setup()
        return backend
    url = os.environ.get("GOVWATCH_ES_URL")
    if not url:
        pytest.skip("Elasticsearch tests need GOVWATCH_ES_URL (scripts/es-node.sh start prints it)")
    module = pytest.importorskip("index.elastic", reason="the Elasticsearch backend is not in this build")
    backend = module.test_backend(url, tmp_path)  # fresh index prefix, refresh on write
    backend.setup()
    return backend


def on_posts_v3(es: ElasticsearchBackend) -> None:
    """Put the store's posts on a v3 index (no `hit` in its strict mapping), as before `index migrate posts`."""
    v3 = f"{es.prefix}-posts-v3"
    old = mappings.body("posts")
    del old["mappings"]["properties"]["hit"]
    old["mappings"]["_source"] = {"excludes": ["search"]}
    es.client.indices.create(index=v3, **old)
    v4 = I.current_index(es.client, es.prefix, "posts")
    es.client.indices.update_aliases(body={"actions": [{"remove": {"index": v4, "alias": es.index("posts")}},
                                                       {"add": {"index": v3, "alias": es.index("posts")}}]})
    es.client.indices.delete(index=v4)
