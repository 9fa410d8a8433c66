"""Backends the tests in tests/index run on: SQLite always, Elasticsearch when a node is configured.

The Elasticsearch side is a hook for its backend (index.elastic.test_backend): it
must return a backend on a fresh index prefix whose writes are searchable as
soon as the write call returns (refresh), so the same tests run unchanged.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.models import Post
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
    assert v4 is not None, "setup() made the posts alias"
    es.client.indices.update_aliases(body={"actions": [{"remove": {"index": v4, "alias": es.index("posts")}},
                                                       {"add": {"index": v3, "alias": es.index("posts")}}]})
    es.client.indices.delete(index=v4)


def weibo_post(pid: str, text: str, **kw: Any) -> Post:
    """A post of weibo account 1, published at a fixed time."""
    return Post(platform="weibo", account_id="1", post_id=pid, text=text, published_at=datetime(2026, 11, 1, 9, 0), **kw)


def stored_posts(es: ElasticsearchBackend) -> dict[str, tuple[str, bool, bool]]:
    """post id → (text, pinned, whether the post has its `hit` doc value), from the index behind the alias."""
    es.client.indices.refresh(index=es.index("posts"))
    answer = es.client.search(index=es.index("posts"), size=100, docvalue_fields=["hit"])["hits"]["hits"]
    return {h["_source"]["post_id"]: (h["_source"]["text"], h["_source"]["is_pinned"], "hit" in h.get("fields", {}))
            for h in answer}
