"""What an audit leaves behind on disk: the registry's key index is closed when the audit ends."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from audit.runner import run_audit
from core.config import Settings
from core.errors import StoreError
from index.sqlite import SqliteBackend
from sampleweb.world import generate
from tests.audit.open_files import open_files
from tests.audit.world_store import load_world

WORLD = generate(seed=7, accounts=40, posts=30)


def test_a_failed_audit_still_closes_the_saved_key_index(store: SqliteBackend, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    load_world(store, WORLD)
    settings = replace(Settings(), store=replace(Settings().store, sqlite_path=str(tmp_path / "store.db")))
    run_audit(store, settings, WORLD.now)  # builds the key index and saves it beside the store
    [index] = (tmp_path / "impersonation-index").glob("*.sqlite")

    def broken(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(store, "save_findings", broken)
    with pytest.raises(StoreError) as failed:  # the error (and its traceback's frames) outlive the audit
        run_audit(store, settings, WORLD.now)  # the checks read the saved index file
    assert failed.value is not None and str(index.resolve()) not in open_files()


def test_an_audit_with_the_default_config_writes_nothing_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key index goes beside the file of the store audited, not beside the configured path
    (./data/govwatch.db by default); an in-memory store gets none."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    memory = SqliteBackend(":memory:")
    elsewhere = SqliteBackend(tmp_path / "elsewhere" / "store.db")
    try:
        for store in (memory, elsewhere):
            store.setup()
            load_world(store, WORLD)
            summary = run_audit(store, Settings(), WORLD.now)
            assert summary.by_kind["impersonation"] > 0  # the matcher was used
        assert sorted(p.name for p in cwd.iterdir()) == []
        assert len(list((tmp_path / "elsewhere" / "impersonation-index").glob("*.sqlite"))) == 1
    finally:
        memory.close()
        elsewhere.close()
