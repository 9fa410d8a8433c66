"""/posts and /pages bodies built as plain data are exactly what their response models make of them.

The routes build their hits as dicts and serialise them with pydantic's own
encoder (search_api.schemas.json_body), skipping the models. Here every body
of many searches over the sample web (highlights, snippets, facets, cursors,
second pages, filters, traditional and full-width input) is validated by
PostResults / PageResults and must serialise back to the very same bytes:
a field out of order, a missing one, an int score or a naive datetime fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.models import Finding, Page
from index.sqlite import SqliteBackend
from sampleweb.world import generate
from search_api.app import reset
from search_api.schemas import PageResults, PostResults
from tests.audit.world_store import load_world

QUERIES = ["医保", "防火", "安全生产", "乡村振兴", "就业创业补贴", "食品安全", "12345", "永州", "政策问答", "一图读懂",
           '"城乡医保参保缴费"', "医保 OR 防火", "乡村振兴 OR 食品安全 OR 交通安全", "工作 -安全", "医保 缴费",
           "永州市医疗保障局发布关于城乡居民医保缴费的通知", "会", "醫保繳費", "１２３４５", "工作", "通知", ""]
VARIANTS = [{}, {"sort": "newest"}, {"platform": "weibo"}, {"limit": "5"}, {"since": "2026-01-01", "sort": "oldest"}]


@pytest.fixture
def client(api_env: Path, client_for: Callable[[str | None], TestClient], monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[TestClient]:
    """The sample web's store, some accounts with open findings, and pages with dates and matching text."""
    (api_env / "gw.toml").write_text("[api]\nrate_per_minute = 1000000\nrate_burst = 1000000\n", encoding="utf-8")
    monkeypatch.setenv("GOVWATCH_CONFIG", str(api_env / "gw.toml"))
    reset()
    world = generate(seed=7)
    store = SqliteBackend(api_env / "api.db")
    store.setup()
    load_world(store, world)
    some = world.accounts[::7]
    store.save_findings([Finding(kind, "veto", "account", f"{a.platform}:{a.account_id}", f"account.{kind}", "t")
                         for a in some for kind in ("dormant", "zombie")[: 1 + len(a.account_id) % 2]],
                        rule_ids=["account.dormant", "account.zombie"], as_of=world.now)
    posts = [p for a in world.accounts[:40] for p in a.posts[:2]]
    store.upsert_pages([Page(url=f"https://gov{i % 5}.example.cn/{i}.html", site=f"gov{i % 5}", title=p.title,
                             text=p.text * 3, published_at=world.now - timedelta(days=i) if i % 4 else None,
                             fetched_at=world.now) for i, p in enumerate(posts)])
    store.close()
    with client_for("investigator") as made:
        yield made


def same_bytes(body: bytes, model: type[PostResults] | type[PageResults]) -> dict:
    """The body validated by `model` serialises to these very bytes; the parsed body."""
    parsed = model.model_validate_json(body)
    assert parsed.__pydantic_serializer__.to_json(parsed) == body
    return parsed.model_dump()


def test_post_bodies_are_what_the_model_makes(client: TestClient) -> None:
    seen_hits = seen_cursor = seen_marks = seen_status = 0
    for q in QUERIES:
        for extra in VARIANTS:
            answer = client.get("/posts", params={"q": q, **extra})
            assert answer.status_code == 200, (q, extra, answer.text)
            body = same_bytes(answer.content, PostResults)
            seen_hits += len(body["hits"])
            seen_marks += sum("<mark>" in h["highlights"].get("text", "") for h in body["hits"])
            seen_status += sum(bool(h["account"]["statuses"]) for h in body["hits"])
            assert all(h["published_at"] is None or h["published_at"].utcoffset() == timedelta(hours=8)
                       for h in body["hits"])
            if body["next_cursor"]:  # the second page, by the cursor the first gave
                seen_cursor += 1
                second = client.get("/posts", params={"q": q, **extra, "cursor": body["next_cursor"]})
                assert second.status_code == 200
                same_bytes(second.content, PostResults)
    # the sample really exercised what the bodies can hold
    assert seen_hits > 500 and seen_cursor > 20 and seen_marks > 100 and seen_status > 10


def test_page_bodies_are_what_the_model_makes(client: TestClient) -> None:
    dated = 0
    for q in QUERIES[:12] + ["矩阵", ""]:
        for extra in ({}, {"sort": "newest"}, {"site": "gov1"}):
            answer = client.get("/pages", params={"q": q, **extra})
            assert answer.status_code == 200, (q, extra, answer.text)
            body = same_bytes(answer.content, PageResults)
            dated += sum(isinstance(h["published_at"], datetime) for h in body["hits"])
    assert dated > 20


@pytest.mark.parametrize("path", ["/posts", "/pages"])
def test_refused_queries_still_say_why(client: TestClient, path: str) -> None:
    too_long = client.get(path, params={"q": "医保" * 150})
    assert too_long.status_code == 400 and "200" in too_long.json()["detail"]
    assert client.get(path, params={"limit": "0"}).status_code == 422
    assert client.get(path, params={"cursor": "not a cursor!"}).status_code == 422
