"""The `backend` fixture: a test that takes it runs once per backend (tests/index/backends.py); `es`: an
ElasticsearchBackend of its own on the suite's node."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.base import Backend
from index.elastic import ElasticsearchBackend
from tests.es_node import es_store
from tests.index.backends import NAMES, make_backend


@pytest.fixture(params=NAMES)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    store = make_backend(request.param, tmp_path)
    yield store
    store.close()


@pytest.fixture(scope="session", autouse=True)
def _es_node_when_selected(request: pytest.FixtureRequest) -> None:
    """Start the session's Elasticsearch node (tests/es_node.py) when a selected test runs on it.

    make_backend reads GOVWATCH_ES_URL, which the `es_url` fixture sets; asking for it here, before
    any module-scoped store is built, makes the Elasticsearch side run (or, with CI=true, fail) in
    every selection instead of only after another Elasticsearch test happened to start the node.
    """
    if any("elasticsearch" in item.nodeid or "top_ten" in item.nodeid for item in request.session.items):
        request.getfixturevalue("es_url")


@pytest.fixture
def es(es_url: str, tmp_path: Path) -> Iterator[ElasticsearchBackend]:
    with es_store(es_url, tmp_path) as store:
        yield store
