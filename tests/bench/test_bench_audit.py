"""bench/audit.py runs end to end at a small scale and prints its figures (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import ROOT


def test_audit_benchmark_runs_at_small_scale_and_prints_time_and_memory() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit.py"), "--accounts", "300", "--posts", "6000"],
        capture_output=True, text=True, timeout=120, check=True, cwd=ROOT,
    )
    out = result.stdout
    assert "store: 300 accounts" in out
    assert "audit: 300 subjects" in out and "dormant" in out
    assert "time: " in out and "peak RSS: " in out


def test_a_cold_rerun_drops_the_store_from_the_os_cache_and_counts_all_processes(tmp_path) -> None:
    db = tmp_path / "b.db"
    run = [sys.executable, str(ROOT / "bench" / "audit.py"), "--accounts", "300", "--posts", "6000", "--db", str(db)]
    subprocess.run(run, capture_output=True, text=True, timeout=120, check=True, cwd=ROOT)
    out = subprocess.run([*run, "--reuse", "--cold"], capture_output=True, text=True, timeout=120, check=True,
                         cwd=ROOT).stdout
    assert "of the store's files dropped from the OS cache" in out and "in 0 files" not in out
    assert "audit: 300 subjects" in out
    assert "audit and workers at the same moment" in out
