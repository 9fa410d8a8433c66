"""The scheduled audit job alerts a local receiver: new vetoes once, and the calendar running out once per year."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from core.config import Settings, StoreSettings
from govwatch import jobs
from govwatch.cli import main
from index.sqlite import SqliteBackend
from ops.history import JobHistory
from sampleweb.world import generate
from tests.audit.world_store import load_world
from tests.ops.receiver import Receiver

NOW = datetime(2027, 1, 15, 10, 0)  # a year chinese_calendar does not know


def test_audit_job_alerts_new_vetoes_and_the_provisional_calendar_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = generate(seed=7, accounts=40, posts=30, now=NOW)
    store = SqliteBackend(tmp_path / "govwatch.db")
    store.setup()
    load_world(store, world)
    store.close()
    monkeypatch.setattr(jobs, "china_now", lambda: NOW)
    with Receiver() as rx:
        settings = Settings(store=StoreSettings(sqlite_path=str(tmp_path / "govwatch.db")),
                            alerts={"webhooks": [{"url": rx.url, "format": "json"}]},
                            evidence={"screenshots": False})
        assert jobs.run_job("audit", settings, None) == "ok"
        first = rx.bodies()
        assert jobs.run_job("audit", settings, None) == "ok"
        second = rx.bodies()[len(first):]
    kinds = {(b["kind"], b["details"].get("finding_kind") or b["details"].get("year")) for b in first}
    assert ("calendar", 2027) in kinds and ("veto_finding", "impersonation") in kinds
    impersonation = next(b for b in first if b["details"].get("finding_kind") == "impersonation")
    stored = SqliteBackend(tmp_path / "govwatch.db")
    assert impersonation["details"]["count"] == len(stored.list_findings(kind="impersonation")) > 0
    stored.close()
    assert second == []  # nothing new, and the calendar was announced already
    runs = JobHistory(tmp_path / "jobs.db").runs()
    assert [r.outcome for r in runs] == ["ok", "ok"] and runs[0].counts["accounts"]["subjects"] >= 40


def test_audit_by_hand_alerts_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    world = generate(seed=7, accounts=40, posts=30)
    store = SqliteBackend(tmp_path / "govwatch.db")
    store.setup()
    load_world(store, world)
    store.close()
    with Receiver() as rx:
        config = tmp_path / "govwatch.toml"
        config.write_text(f'[store]\nsqlite_path = "{tmp_path / "govwatch.db"}"\n'
                          f'[[alerts.webhooks]]\nurl = "{rx.url}"\nformat = "wecom"\n')
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config), "audit", "--as-of", world.now.isoformat(sep=" ")])
        assert exit_.value.code == 0
    contents = [b["markdown"]["content"] for b in rx.bodies()]
    assert any("冒用仿冒账号" in c for c in contents)
    dormant_primary = [a for a in world.ground_truth()["accounts"] if {"dormant", "primary"} <= set(a["labels"])]
    assert any("主账号两周未更新" in c for c in contents) == bool(dormant_primary)  # other dormant accounts: no alert
    assert "progress audit:" in capsys.readouterr().err  # not a terminal: progress as log lines
