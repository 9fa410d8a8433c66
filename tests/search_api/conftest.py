"""API fixtures: a store and a keys file chosen through the environment, one key per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search_api import deps
from search_api.access.keystore import ROLES, KeyStore
from search_api.app import app

BASE_URL = "http://127.0.0.1"  # a trusted host by default


@pytest.fixture
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """GOVWATCH_DB / GOVWATCH_KEYS in tmp_path, no config file; caches reset before and after."""
    monkeypatch.setenv("GOVWATCH_DB", str(tmp_path / "api.db"))
    monkeypatch.setenv("GOVWATCH_KEYS", str(tmp_path / "keys.db"))
    monkeypatch.setenv("GOVWATCH_CONFIG", str(tmp_path / "none.toml"))
    deps.reset()
    yield tmp_path
    deps.reset()


@pytest.fixture
def keys(api_env: Path) -> dict[str, str]:
    """One active key per role: {"viewer": "gw_…", "investigator": …, "admin": …}."""
    store = KeyStore(api_env / "keys.db")
    made = {role: store.add(f"test-{role}", role)[1] for role in ROLES}
    store.close()
    return made


@pytest.fixture
def client_for(keys: dict[str, str]) -> Callable[[str | None], TestClient]:
    """A TestClient sending the key of `role` as a Bearer header (None: no key)."""
    def make(role: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {keys[role]}"} if role else {}
        return TestClient(app, base_url=BASE_URL, headers=headers, follow_redirects=False)
    return make
