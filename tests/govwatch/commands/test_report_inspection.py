"""`govwatch report inspection --period P --format F` writes the period's report; a bad period exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit.runner import run_audit
from core.config import Settings
from govwatch.cli import main
from index.sqlite import SqliteBackend
from sampleweb.world import generate
from tests.audit.world_store import load_world


def run_cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    return int(exit_.value.code or 0)


def test_report_inspection_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = SqliteBackend(tmp_path / "govwatch.db")
    store.setup()
    world = generate(seed=7, accounts=40, posts=30)
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    store.close()
    config = tmp_path / "govwatch.toml"
    config.write_text(f'reports_dir = "{tmp_path / "reports"}"\n[store]\nsqlite_path = "{tmp_path / "govwatch.db"}"\n')
    for fmt in ("json", "html", "xlsx", "docx"):
        assert run_cli("--config", str(config), "report", "inspection", "--period", "2026-Q4", "--format", fmt,
                       "--as-of", "2026-11-23") == 0
        path = Path(capsys.readouterr().out.strip())
        assert path.name == f"inspection-2026-Q4.{fmt}" and path.stat().st_size > 1000
    doc = json.loads((tmp_path / "reports" / "inspection-2026-Q4.json").read_text(encoding="utf-8"))
    assert doc["period"] == {"label": "2026-Q4", "title": "2026年第四季度", "start": "2026-10-01", "end": "2026-12-31"}
    assert doc["total"]["failed"] > 0
    assert run_cli("--config", str(config), "report", "inspection", "--period", "2026-Q5") == 2
    assert "--period" in capsys.readouterr().err
