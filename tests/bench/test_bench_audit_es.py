"""bench/audit.py --backend elasticsearch at a small scale: the raw parallel load, the audit on the
loaded store, and --reuse auditing it again without loading (no timing asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from elasticsearch import Elasticsearch

from index.elastic import indices as I
from tests.paths import ROOT

pytestmark = pytest.mark.es


def test_the_es_audit_bench_loads_audits_and_reuses_its_store(es_url: str) -> None:
    prefix = f"tbench{uuid.uuid4().hex[:8]}"
    run = [sys.executable, str(ROOT / "bench" / "audit.py"), "--backend", "elasticsearch", "--db", prefix,
           "--accounts", "300", "--posts", "6000"]
    env = {**os.environ, "GOVWATCH_ES_URL": es_url}
    try:
        first = subprocess.run(run, capture_output=True, text=True, timeout=280, check=True, cwd=ROOT, env=env).stdout
        again = subprocess.run([*run, "--reuse"], capture_output=True, text=True, timeout=200, check=True, cwd=ROOT,
                               env=env).stdout
    finally:
        with Elasticsearch(es_url) as client:
            I.drop_all(client, prefix)
    assert "loader 0/2: " in first and "loader 1/2: " in first and "s in the node" in first
    # without --full-text the load figures say the searched text was left out (not comparable with a full load)
    note = "(searched text not indexed; --full-text for a searchable store)"
    figures = [line for line in first.splitlines() if line.startswith(("loader ", "generated "))]
    assert len(figures) >= 3 and all(line.endswith(note) for line in figures)
    for out in (first, again):
        assert "store: 300 accounts, 6,004 posts" in out and "audit: 300 subjects" in out
        assert "node: " in out and "heap " in out and "peak RSS: " in out
    assert "generated" not in again and first.split("audit: ")[1].split("\n")[0] == again.split("audit: ")[1].split("\n")[0]
