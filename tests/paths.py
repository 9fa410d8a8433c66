"""Paths the tests share: the repository, saved fixtures, and the optional real-world data."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# GOVWATCH_REALDATA points elsewhere (a worktree whose parent has no shared/ beside it).
REALDATA = Path(os.environ.get("GOVWATCH_REALDATA") or ROOT.parent / "shared" / "realdata")
