"""Shared fixtures: a fresh SQLite store, the realdata folder, a running sample web."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.sqlite import SqliteBackend
from tests.es_node import es_url_fixture, node_to_kill
from tests.paths import REALDATA


@pytest.fixture
def store(tmp_path: Path) -> SqliteBackend:
    """An empty SqliteBackend in a temporary file."""
    backend = SqliteBackend(tmp_path / "store.db")
    backend.setup()
    yield backend
    backend.close()


@pytest.fixture
def without_words_veto(monkeypatch: pytest.MonkeyPatch) -> None:
    """The typo detector without the word model's veto (audit.content.typo_bars.WORDS_VETO): a test that shows
    what a rule keeps out ("without the rule this is flagged") would see the veto drop most of it too."""
    monkeypatch.setattr("audit.content.typos.WORDS_VETO", -99.0)


@pytest.fixture
def wordfreq_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The modern witness with wordfreq's list alone (audit.content.modern, no JioNLP list beside it): a test that
    shows what a rule keeps out would see the second list drop some of it too."""
    from audit.content.modern import shared_modern

    monkeypatch.setattr(shared_modern(), "also", None)


@pytest.fixture
def realdata() -> Path:
    """../shared/realdata, or a skip when this checkout has no real-world data beside it."""
    if not REALDATA.is_dir():
        pytest.skip(f"real-world data not present at {REALDATA}")
    return REALDATA


@pytest.fixture(scope="session")
def es_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the session's Elasticsearch node (tests/es_node.py); also in GOVWATCH_ES_URL."""
    yield from es_url_fixture(tmp_path_factory)


@pytest.fixture
def es_node_to_kill(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL, home) of an Elasticsearch node the test may kill and restart (tests/es_node.py: node_to_kill)."""
    yield from node_to_kill(tmp_path_factory)


@pytest.fixture(autouse=True)
def _es_marked(request: pytest.FixtureRequest) -> None:
    """Tests marked `es` get the node started (or skipped / failed per tests/es_node.py)."""
    if request.node.get_closest_marker("es") is not None:
        request.getfixturevalue("es_url")
