"""The search API over a filled store: posts, pages, accounts by status, findings, bad queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.models import Account, Finding, Page, Post
from index.sqlite import SqliteBackend
from search_api.app import app


@pytest.fixture
def client(api_env: Path, client_for: Callable[[str | None], TestClient]) -> TestClient:
    store = SqliteBackend(api_env / "api.db")
    store.setup()
    store.upsert_accounts([Account("weibo", "1", "测试发布"), Account("wechat", "gh_1", "测试人社")])
    store.upsert_posts([
        Post("weibo", "1", "a", text="医保缴费提醒", published_at=datetime(2026, 11, 20)),
        Post("wechat", "gh_1", "b", title="社保", text="社保卡与医保", published_at=datetime(2026, 10, 1)),
    ])
    store.upsert_pages([Page(url="https://a.gov.cn/1.html", title="医保局通知", text="医保目录调整")])
    store.save_findings([Finding("dormant", "veto", "account", "wechat:gh_1", "account.dormant", "t")],
                        rule_ids=["account.dormant"], as_of=datetime(2026, 11, 23))
    store.close()
    return client_for("investigator")


def test_posts_search_with_platform_and_date_filters(client: TestClient) -> None:
    assert client.get("/posts", params={"q": "医保"}).json()["total"] == 2
    body = client.get("/posts", params={"q": "医保", "platform": "weibo"}).json()
    assert body["total"] == 1 and body["hits"][0]["post_id"] == "a" and "医保" in body["hits"][0]["snippet"]
    assert client.get("/posts", params={"q": "医保", "since": "2026-11-01"}).json()["total"] == 1
    assert client.get("/posts", params={"q": "医保", "account": "测试人社"}).json()["total"] == 1


def test_accounts_by_status_lists_only_dormant_ones(client: TestClient) -> None:
    body = client.get("/accounts", params={"status": "dormant"}).json()
    assert [(a["account_id"], a["findings"]) for a in body] == [("gh_1", ["dormant"])]
    assert len(client.get("/accounts").json()) == 2


def test_pages_and_findings_endpoints(client: TestClient) -> None:
    assert client.get("/pages", params={"q": "目录"}).json()["hits"][0]["title"] == "医保局通知"
    (finding,) = client.get("/findings", params={"kind": "dormant"}).json()
    assert finding["rule_id"] == "account.dormant"


@pytest.mark.parametrize(("params", "status"), [
    ({"q": "！！！"}, 400), ({"q": "x" * 201}, 400), ({"q": "医保", "platform": "myspace"}, 422),
    ({"q": "医保", "limit": 0}, 422), ({"q": "医保", "since": "yesterday-ish"}, 422),
])
def test_bad_queries_get_a_clear_client_error(client: TestClient, params: dict, status: int) -> None:
    response = client.get("/posts", params=params)
    assert response.status_code == status and response.json()["detail"]


def test_home_page_is_the_search_page(client: TestClient) -> None:
    assert "govwatch" in client.get("/").text


def test_every_router_is_mounted() -> None:
    """The routers are plain imports: each resource's route is there (none silently skipped)."""
    assert {"/posts", "/pages", "/accounts", "/findings", "/impersonation"} <= set(app.openapi()["paths"])
