"""bench/distinct.py runs at a small scale: both ways give the same answer and it prints their times."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.paths import ROOT


def test_distinct_benchmark_agrees_with_the_row_by_row_reads() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "distinct.py"), "--posts", "3000", "--cap", "500",
                             "--pages", "600"], capture_output=True, text=True, timeout=120, check=True, cwd=ROOT)
    rows = re.findall(r"^(posts|pages) (before|now) +([\d,]+) found", result.stdout, re.M)
    assert [(kind, way) for kind, way, _ in rows] == [("posts", "before"), ("posts", "now"),
                                                      ("pages", "before"), ("pages", "now")] * 2
    assert {found for kind, _, found in rows if kind == "pages"} == {"200"}
