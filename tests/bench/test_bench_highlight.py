"""bench/highlight.py runs and prints a page's highlighting CPU and a digest of what it marked (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.paths import ROOT


def test_highlight_benchmark_prints_cpu_and_the_same_digest_for_the_same_code() -> None:
    outs = [subprocess.run([sys.executable, str(ROOT / "bench" / "highlight.py"), "--rounds", "1", "--code", str(ROOT)],
                           capture_output=True, text=True, timeout=300, check=True, cwd=ROOT).stdout for _ in range(2)]
    found = [re.search(r"([\d.]+) ms a page best, [\d.]+ median \(11 pages of \d+ hits\), digest ([0-9a-f]{16})$", o, re.M)
             for o in outs]
    assert all(found) and found[0].group(2) == found[1].group(2)  # type: ignore[union-attr]
