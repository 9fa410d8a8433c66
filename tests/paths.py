"""Paths the tests share: the repository, saved fixtures, and the optional real-world data."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REALDATA = ROOT.parent / "shared" / "realdata"
