"""bench/auth.py runs at a small scale and prints a CPU figure for each way (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.paths import ROOT


def test_auth_benchmark_prints_the_cost_of_each_way() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "auth.py"), "--requests", "40"],
                            capture_output=True, text=True, timeout=120, check=True, cwd=ROOT)
    ways = re.findall(r"^(\w+) +[\d.]+ ms CPU +[\d.]+ ms wall a request$", result.stdout, re.M)
    assert ways == ["loop", "thread", "locked"] * 2
