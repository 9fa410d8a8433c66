"""Evidence and reports through the API: a finding's proof (snapshot bytes, facts), report files; investigators only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from audit.runner import run_audit
from core.config import Settings
from core.models import Finding
from index.sqlite import SqliteBackend
from ops.evidence.store import EvidenceStore
from sampleweb.world import World, generate
from search_api.routes import evidence as evidence_routes
from tests.audit.world_store import load_world

PAGE = "http://gov.test/gov/yz/news/1.html"


@pytest.fixture
def world(api_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("GOVWATCH_REPORTS", str(api_env / "reports"))
    world = generate(seed=7, accounts=40, posts=30)
    store = SqliteBackend(api_env / "api.db")
    store.setup()
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    store.save_findings([Finding("spam_injection", "veto", "page", PAGE, "page.spam_injection", "t",
                                 evidence={"terms": ["博彩"]}, detected_at=world.now)],
                        rule_ids=["page.spam_injection"], as_of=world.now)
    store.close()
    evidence_routes.evidence_store.cache_clear()
    yield world
    if evidence_routes.evidence_store.cache_info().currsize:
        evidence_routes.evidence_store().close()
    evidence_routes.evidence_store.cache_clear()


def dormant_subject(world: World) -> tuple[str, dict]:
    acc = next(a for a in world.ground_truth()["accounts"] if "dormant" in a["labels"] and "registered" in a["labels"])
    return f"{acc['platform']}:{acc['account_id']}", acc


def test_finding_evidence_has_snapshot_bytes_and_account_facts(
    world: World, api_env: Path, client_for: Callable[[str | None], TestClient]
) -> None:
    key, truth = dormant_subject(world)
    store = EvidenceStore(api_env / "evidence")  # beside api.db: where the API looks by default
    body = b'{"ok": 1, "data": {"cards": []}}'
    store.put("http://m.weibo.test/api?uid=1", body, datetime(2026, 11, 23, 9), subject=key,
              status=200, content_type="application/json")
    store.close()
    client = client_for("investigator")
    answer = client.get("/evidence/finding", params={"rule_id": "account.dormant", "subject_key": key})
    assert answer.status_code == 200, answer.text
    doc = answer.json()
    assert doc["finding"]["kind"] == "dormant" and doc["fetched_at"] == "2026-11-23 09:00:00"
    facts = doc["facts"]
    assert facts["days_silent"] >= 14 and facts["last_post_at"]
    assert facts["registry_entry"]["owner"] == truth["owner"]
    [snapshot] = doc["snapshots"]
    blob = client.get(snapshot["href"])
    assert blob.status_code == 200 and blob.content == body
    assert blob.headers["content-disposition"].startswith("attachment")


def test_unregistered_account_facts_say_no_registry_entry(
    world: World, client_for: Callable[[str | None], TestClient]
) -> None:
    acc = next(a for a in world.ground_truth()["accounts"] if "unregistered" in a["labels"])
    key = f"{acc['platform']}:{acc['account_id']}"
    doc = client_for("investigator").get("/evidence/finding", params={"rule_id": "account.unregistered",
                                                                        "subject_key": key}).json()
    assert doc["facts"]["registry_entry"] is None and doc["facts"]["registry_match"] == "none"
    assert doc["snapshots"] == []  # nothing was fetched into the evidence store for it


def test_compromised_page_html_is_served_as_text_never_rendered(
    world: World, api_env: Path, client_for: Callable[[str | None], TestClient]
) -> None:
    store = EvidenceStore(api_env / "evidence")
    store.put(PAGE, "<html><div style='display:none'>博彩</div></html>".encode(), datetime(2026, 11, 23, 8),
              content_type="text/html; charset=utf-8")
    store.close()
    client = client_for("investigator")
    doc = client.get("/evidence/finding", params={"rule_id": "page.spam_injection", "subject_key": PAGE}).json()
    assert doc["url"] == PAGE and doc["facts"] == {}
    blob = client.get(doc["snapshots"][0]["href"])
    assert blob.headers["content-type"].startswith("text/plain") and "博彩" in blob.text
    missing = client.get("/evidence/finding", params={"rule_id": "page.spam_injection", "subject_key": "x"})
    assert missing.status_code == 404


def test_reports_are_listed_and_downloadable_by_investigators_only(
    world: World, api_env: Path, client_for: Callable[[str | None], TestClient]
) -> None:
    reports = api_env / "reports"
    reports.mkdir()
    (reports / "inspection-2026-11.html").write_text("<html>通报</html>", encoding="utf-8")
    (reports / "notes.txt").write_text("not a report", encoding="utf-8")
    client = client_for("investigator")
    assert [r["name"] for r in client.get("/reports").json()] == ["inspection-2026-11.html"]
    got = client.get("/reports/inspection-2026-11.html")
    assert got.status_code == 200 and "通报" in got.text
    assert client.get("/reports/notes.txt").status_code == 404
    assert client.get("/reports/..%2Fapi.db").status_code == 404
    viewer = client_for("viewer")
    assert viewer.get("/reports").status_code == 403
    assert viewer.get("/evidence/finding", params={"rule_id": "a", "subject_key": "b"}).status_code == 403
