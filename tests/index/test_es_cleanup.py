"""The test suite deletes the indices it created in a node it was pointed at (GOVWATCH_ES_URL), and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.elastic import EsConfig, test_backend
from index.elastic import docs as D
from index.elastic import indices as I
from index.elastic.connect import make_client
from tests.es_node import created_indices_dropped, es_store
from tests.index.backends import weibo_post


def test_indices_created_inside_are_deleted_at_the_end_and_others_kept(es_url: str, tmp_path: Path) -> None:
    before = test_backend(es_url, tmp_path / "before")
    before.setup()  # made before: not this context's to delete
    try:
        with created_indices_dropped(es_url) as created:
            inside = test_backend(es_url, tmp_path / "inside")
            inside.setup()
            I.migrate(inside.client, inside.prefix, "pages", force=True)  # a migration's new index counts too
            made = sorted(inside.client.indices.get(index=f"{inside.prefix}-*"))
            inside.close()
        assert sorted(created) == made and len(made) == len(I.INDICES) + 1
        assert not before.client.indices.get(index=f"{inside.prefix}-*", allow_no_indices=True)
        assert I.current_index(before.client, before.prefix, "posts") == I.versioned(before.prefix, "posts",
                                                                             I.INDICES["posts"][0])
    finally:
        I.drop_all(before.client, before.prefix)
        before.close()


def test_a_test_store_drops_every_index_under_its_prefix(es_url: str, tmp_path: Path) -> None:
    """es_store's end: the index a migration left behind (write-blocked) and one a test made by hand go too, and
    a write still in the spool is not replayed into an index made anew after the store's were deleted."""
    with es_store(es_url, tmp_path) as store:
        I.migrate(store.client, store.prefix, "pages", force=True)
        store.client.indices.create(index=f"{store.prefix}-by-hand")
        store.writer.spool.push([{"_op_type": "index", "_index": store.index("posts"), "_id": "weibo:a",
                                  **D.post_doc(weibo_post("a", "医保"))}])  # the cluster was away
        client, prefix = make_client(EsConfig(url=es_url)), store.prefix
    try:
        assert not client.indices.get(index=f"{prefix}-*", allow_no_indices=True)
    finally:
        client.close()


def test_a_test_store_whose_close_fails_still_drops_its_indices(es_url: str, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="close failed"), es_store(es_url, tmp_path) as store:
        close, prefix = store.close, store.prefix

        def failing() -> None:  # its last replay or refresh failed
            close()
            raise RuntimeError("close failed")

        store.close = failing  # type: ignore[method-assign]
    client = make_client(EsConfig(url=es_url))
    try:
        assert not client.indices.get(index=f"{prefix}-*", allow_no_indices=True)
    finally:
        client.close()
