"""Admin jobs over the API: a registry upload (CSV and XLSX), a crawl and an audit of the sample web, each
run by a `govwatch` child process while the API keeps the store read-only; 403 below admin."""

from __future__ import annotations

import io
import json
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from index.sqlite import SqliteBackend
from ops.history import JobHistory
from ops.lock import RunLock
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from search_api.app import reset
from search_api.routes import admin
from tests.crawler.sampleweb_env import NOW

Clients = Callable[[str | None], TestClient]
ROUTES = [("post", "/admin/audit"), ("post", "/admin/crawl"), ("post", "/admin/registry"), ("get", "/admin/jobs"),
          ("get", "/admin/jobs/1")]


@pytest.fixture
def web(api_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SampleWeb]:
    """A small sample web, and a config whose sources are its sites (the crawl job runs gov_site only)."""
    world = generate(seed=7, accounts=12, posts=12, now=NOW)
    world.rate_limit = False
    with SampleWeb(world) as served:
        sources = json.load(urllib.request.urlopen(f"{served.base_url}/sources.json", timeout=10))
        lines = ["[sources]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sources.items()
                                if v not in (None, "", [])), "[schedule]", 'spiders = ["gov_site"]',
                 "[evidence]", "screenshots = false"]
        (api_env / "gw.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        monkeypatch.setenv("GOVWATCH_CONFIG", str(api_env / "gw.toml"))
        reset()
        yield served


def finished(client: TestClient, answer: Any, timeout: float = 240) -> dict[str, Any]:
    """Poll the job's Location until it is no longer running; its last status.

    The bound stays under pytest-timeout's 300 s, so a hung job fails with its status, not a stack dump."""
    assert answer.status_code == 202, answer.text
    location = answer.headers["location"]
    assert answer.json()["outcome"] == "running" and answer.json()["status_url"] == location
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(location).json()
        if job["outcome"] != "running" or time.monotonic() > deadline:
            return job  # type: ignore[no-any-return]
        time.sleep(0.3)


def registry_count(api_env: Path) -> int:
    store = SqliteBackend(api_env / "api.db")
    try:
        return len(list(store.iter_registry()))
    finally:
        store.close()


def test_the_sample_webs_registry_imports_as_csv_then_as_xlsx(web: SampleWeb, api_env: Path,
                                                               client_for: Clients) -> None:
    admin_client = client_for("admin")
    csv_bytes = urllib.request.urlopen(f"{web.base_url}/registry.csv", timeout=10).read()
    rows = csv_bytes.decode("utf-8-sig").strip().splitlines()
    job = finished(admin_client, admin_client.post("/admin/registry", files={"file": ("registry.csv", csv_bytes)}))
    assert job["job"] == "api-registry" and job["outcome"] == "ok" and job["counts"]["exit_code"] == 0
    assert f"{len(rows) - 1} added" in job["output"] and "requested by test-admin" in job["output"]
    assert registry_count(api_env) == len(rows) - 1

    book = Workbook()
    for line in rows:
        book.active.append(line.split(","))
    xlsx = io.BytesIO()
    book.save(xlsx)
    job = finished(admin_client, admin_client.post("/admin/registry", files={"file": ("备案库.xlsx", xlsx.getvalue())}))
    assert job["outcome"] == "ok" and f"0 added, 0 changed, 0 closed, {len(rows) - 1} unchanged" in job["output"]


@pytest.mark.timeout(600)  # two jobs, each waited for up to 240 s
def test_a_crawl_then_an_audit_of_the_sample_web(web: SampleWeb, api_env: Path, client_for: Clients) -> None:
    admin_client = client_for("admin")
    job = finished(admin_client, admin_client.post("/admin/crawl"))
    assert job["outcome"] == "ok" and "crawl: ok" in job["output"], job["output"]
    assert admin_client.get("/pages").json()["total"] > 0  # the read-only API sees what the job wrote
    job = finished(admin_client, admin_client.post("/admin/audit"))
    assert job["outcome"] == "ok" and "audit: ok" in job["output"], job["output"]
    listed = admin_client.get("/admin/jobs", params={"limit": 10}).json()
    assert [j["job"] for j in listed][:4] == ["audit", "api-audit", "crawl", "api-crawl"]  # each child records its own run too
    assert all(j["outcome"] == "ok" and j["started_at"].endswith("+08:00") for j in listed[:4])


def test_an_audit_asked_for_while_another_job_holds_the_lock_is_skipped(filled: Path, client_for: Clients) -> None:
    admin_client = client_for("admin")
    with RunLock(filled / "govwatch.lock"):
        job = finished(admin_client, admin_client.post("/admin/audit"))
    assert job["outcome"] == "skipped" and job["counts"]["exit_code"] == 0


@pytest.mark.parametrize(("content", "says"), [
    (b"", "no header"), (b"\x00\x01garbage" * 10, "no header"),
    ("账号名称,平台\n,火星\n".encode(), "no usable row"), (b"\xd0\xcf\x11\xe0old xls", "old binary .xls"),
])
def test_an_unusable_file_is_a_400_naming_why_and_starts_nothing(filled: Path, client_for: Clients,
                                                                 content: bytes, says: str) -> None:
    answer = client_for("admin").post("/admin/registry", files={"file": ("mine.csv", content)})
    assert answer.status_code == 400 and says in answer.json()["detail"]
    assert str(filled) not in answer.json()["detail"]  # the upload's name, not the server's path
    assert not list((filled / "api-jobs").glob("registry-*")) and jobs_recorded(filled) == []


def test_a_file_over_the_limit_is_a_413(filled: Path, client_for: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin, "UPLOAD_MAX", 100)
    answer = client_for("admin").post("/admin/registry", files={"file": ("big.csv", b"x" * 101)})
    assert answer.status_code == 413 and jobs_recorded(filled) == []


@pytest.mark.parametrize("role", ["viewer", "investigator"])
def test_lower_roles_get_403_and_start_nothing(filled: Path, client_for: Clients, role: str) -> None:
    client = client_for(role)
    for method, path in ROUTES:
        kwargs = {"files": {"file": ("r.csv", b"x")}} if path == "/admin/registry" else {}
        assert getattr(client, method)(path, **kwargs).status_code == 403, path
    assert jobs_recorded(filled) == []


def test_an_unknown_job_is_a_404(filled: Path, client_for: Clients) -> None:
    assert client_for("admin").get("/admin/jobs/99").status_code == 404


def jobs_recorded(data: Path) -> list[str]:
    if not (data / "jobs.db").exists():
        return []
    history = JobHistory(data / "jobs.db")
    try:
        return [run.job for run in history.runs(100)]
    finally:
        history.close()


def test_a_job_that_cannot_start_is_recorded_failed(filled: Path, client_for: Clients,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes(argv: list[str]) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(admin.admin_jobs, "launch", no_processes)
    answer = client_for("admin").post("/admin/crawl")
    assert answer.status_code == 202 and answer.json()["outcome"] == "failed"
    assert "could not start" in answer.json()["message"]
