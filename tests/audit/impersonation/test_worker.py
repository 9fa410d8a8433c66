"""Impersonation checks in a worker process give the audit exactly the findings it gets checking in-process."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from audit.impersonation import worker
from audit.runner import run_audit
from core.config import Settings
from index.sqlite import SqliteBackend
from sampleweb.world import generate
from tests.audit.world_store import load_world


def _findings(path: Path, monkeypatch: pytest.MonkeyPatch, min_accounts: int,
              per_worker: int = worker.PER_WORKER) -> tuple[list[tuple[str, str, str]], int]:
    """The sorted findings of one audit of the stored sample world, and how many answers the worker sent."""
    world = generate(seed=11, accounts=90, posts=20)
    store = SqliteBackend(path)
    store.setup()
    sent = []
    answers = worker.CheckWorker.answers

    def counted(self: worker.CheckWorker, key: worker.Key) -> list[tuple[worker.Key, object]]:
        found = answers(self, key)
        sent.extend(found)
        return found

    monkeypatch.setattr(worker, "MIN_ACCOUNTS", min_accounts)
    monkeypatch.setattr(worker, "PER_WORKER", per_worker)
    monkeypatch.setattr(worker.CheckWorker, "answers", counted)
    try:
        load_world(store, world)
        run_audit(store, replace(Settings(), store=replace(Settings().store, sqlite_path=str(path))), world.now)
        return sorted((f.rule_id, f.subject_key, str(f.evidence)) for f in store.list_findings()), len(sent)
    finally:
        store.close()


def test_a_worker_process_gives_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "own").mkdir()
    (tmp_path / "worker").mkdir()
    own, none_sent = _findings(tmp_path / "own" / "govwatch.db", monkeypatch, min_accounts=10**9)
    assert none_sent == 0
    via_worker, sent = _findings(tmp_path / "worker" / "govwatch.db", monkeypatch, min_accounts=1)
    assert sent > 0, "the checks were answered by the worker"
    assert any(rule == "account.impersonation" for rule, _, _ in own)
    assert via_worker == own


def test_two_worker_processes_give_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "own").mkdir()
    (tmp_path / "two").mkdir()
    monkeypatch.setattr(worker.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(worker, "BATCH", 2)  # many small tasks: both processes take some
    started = []
    init = worker.CheckWorker.__init__

    def recorded(self: worker.CheckWorker, *args: object, **kw: object) -> None:
        init(self, *args, **kw)  # type: ignore[arg-type]
        started.append(self.processes)

    monkeypatch.setattr(worker.CheckWorker, "__init__", recorded)
    own, _ = _findings(tmp_path / "own" / "govwatch.db", monkeypatch, min_accounts=10**9)
    via_two, sent = _findings(tmp_path / "two" / "govwatch.db", monkeypatch, min_accounts=1, per_worker=5)
    assert started == [2] and sent > 0
    assert via_two == own


def test_a_second_worker_only_for_many_checks_and_a_second_core() -> None:
    assert worker.processes_for(worker.PER_WORKER * 2 - 1, cores=2) == 1
    assert worker.processes_for(worker.PER_WORKER * 2, cores=2) == 2
    assert worker.processes_for(worker.PER_WORKER * 10, cores=1) == 1
    assert worker.processes_for(worker.PER_WORKER * 10, cores=8) == worker.MAX_WORKERS
