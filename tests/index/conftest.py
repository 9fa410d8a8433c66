"""The `backend` fixture: a test that takes it runs once per backend (tests/index/backends.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.base import Backend
from tests.index.backends import NAMES, make_backend


@pytest.fixture(params=NAMES)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    store = make_backend(request.param, tmp_path)
    yield store
    store.close()
