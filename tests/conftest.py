"""Shared fixtures: a fresh SQLite store, the realdata folder, a running sample web."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.sqlite import SqliteBackend
from tests.paths import REALDATA


@pytest.fixture
def store(tmp_path: Path) -> SqliteBackend:
    """An empty SqliteBackend in a temporary file."""
    backend = SqliteBackend(tmp_path / "store.db")
    backend.setup()
    yield backend
    backend.close()


@pytest.fixture
def realdata() -> Path:
    """../shared/realdata, or a skip when this checkout has no real-world data beside it."""
    if not REALDATA.is_dir():
        pytest.skip(f"real-world data not present at {REALDATA}")
    return REALDATA
