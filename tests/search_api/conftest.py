"""API fixtures: a store and a keys file chosen through the environment, one key per role."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.models import Account, AccountMention, Finding, Page, Post, RegistryEntry
from index.sqlite import SqliteBackend
from search_api.access.keystore import ROLES, KeyStore
from search_api.app import app, reset

BASE_URL = "http://127.0.0.1"  # a trusted host by default


@pytest.fixture
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """GOVWATCH_DB (an empty store) / GOVWATCH_KEYS in tmp_path, no config file; caches reset before and after."""
    empty = SqliteBackend(tmp_path / "api.db")
    empty.setup()
    empty.close()
    monkeypatch.setenv("GOVWATCH_DB", str(tmp_path / "api.db"))
    monkeypatch.setenv("GOVWATCH_KEYS", str(tmp_path / "keys.db"))
    monkeypatch.setenv("GOVWATCH_CONFIG", str(tmp_path / "none.toml"))
    reset()
    yield tmp_path
    _warm_up_ended()
    reset()


def _warm_up_ended() -> None:
    """The app's start-up warm-up thread (search_api/app.py lifespan) outlives a short test: left running, it
    would build the caches from this test's store after the reset, or use the store reset() closes."""
    thread: threading.Thread | None = getattr(app.state, "warm_up", None)  # the last one the lifespan started
    if thread is not None:
        thread.join(120)
        assert not thread.is_alive(), "the API's warm-up thread did not end"


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


@pytest.fixture
def filled(api_env: Path) -> Path:
    """A small store: a registered account and its imitator, posts, a mention page, account and page findings."""
    store = SqliteBackend(api_env / "api.db")
    store.setup()
    store.upsert_registry([RegistryEntry("永州人社", "wechat", "gh_1", owner="永州市人社局", registry_no="YZ-001")])
    store.upsert_accounts([Account("wechat", "gh_1", "永州人社", url="javascript:alert(1)", found_on="https://yz.gov.cn/m.html"),
                           Account("weibo", "9", "永洲人社")])
    store.upsert_posts([
        Post("wechat", "gh_1", "p1", url="https://mp.example/1", text="医保缴费提醒", published_at=datetime(2026, 11, 20, 23, 30)),
        Post("wechat", "gh_1", "p2", text="医保目录调整", published_at=datetime(2026, 11, 2, 9)),
        Post("weibo", "9", "p3", text="医保骗局", published_at=datetime(2026, 11, 21, 1)),
    ])
    store.upsert_pages([Page(url="https://yz.gov.cn/m.html", site="yz.gov.cn", title="政务新媒体矩阵", text="永州人社 微信公众号",
                             mentions=[AccountMention("永州人社", "wechat", "https://yz.gov.cn/m.html", "“永州人社”微信公众号")])])
    store.save_findings([
        Finding("dormant", "veto", "account", "wechat:gh_1", "account.dormant", "t", {"last_post": "2026-11-20"},
                detected_at=datetime(2026, 11, 23)),
        Finding("impersonation", "veto", "account", "weibo:9", "account.impersonation", "t", {"imitates": "永州人社"},
                detected_at=datetime(2026, 11, 22)),
    ], rule_ids=["account.dormant", "account.impersonation"], as_of=datetime(2026, 11, 23))
    store.save_findings([
        Finding("spam_injection", "veto", "page", "https://yz.gov.cn/m.html", "content.spam", "t",
                {"title": "政务新媒体矩阵", "terms": ["澳门赌场"], "evidence": [
                    {"kind": "hidden", "where": "div[style]", "text": "欢迎光临澳门赌场<script>", "terms": ["澳门赌场"]}]},
                detected_at=datetime(2026, 11, 23)),
        Finding("broken_service", "deduction", "page", "https://yz.gov.cn/m.html", "content.broken", "t",
                {"broken": [{"url": "https://yz.gov.cn/bs", "text": "办事服务", "status": 404, "reason": "not found"}],
                 "unverified": []}, detected_at=datetime(2026, 11, 23)),
    ], rule_ids=["content.spam", "content.broken"], as_of=datetime(2026, 11, 23))
    store.close()
    return api_env
