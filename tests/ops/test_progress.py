"""Progress output: a tqdm bar on a terminal, concise lines elsewhere; a wrapped store reports the audit's pace."""

from __future__ import annotations

import io
import itertools
import time
from types import SimpleNamespace

import pytest

import ops.progress
from audit.runner import run_audit
from core.config import Settings
from index.sqlite import SqliteBackend
from ops.progress import ProgressBackend, line, progress
from sampleweb.world import generate
from tests.audit.world_store import load_world


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_lines_when_not_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # one account a second, on the test's clock (not the machine's speed); any later reading finds it stopped
    ticks = itertools.chain([0.0, 1.0, 2.0, 3.0], itertools.repeat(3.0))
    monkeypatch.setattr(ops.progress, "time", SimpleNamespace(monotonic=lambda: next(ticks), strftime=time.strftime))
    out = io.StringIO()
    assert list(progress(range(3), total=3, desc="audit", unit="accounts", stream=out, every=0)) == [0, 1, 2]
    assert [x.split(" progress ", 1)[1] for x in out.getvalue().splitlines()] == [
        "audit: 1/3 accounts (33%), 1/s, elapsed 0:01, about 0:02 left",
        "audit: 2/3 accounts (66%), 1/s, elapsed 0:02, about 0:01 left",
        "audit: 3/3 accounts (100%), 1/s, elapsed 0:03, about 0:00 left",
        "audit: 3 accounts in 0:03 (1/s)",
    ]


def test_a_bar_on_a_terminal() -> None:
    out = Terminal()
    assert sum(progress(range(5), total=5, desc="links", stream=out)) == 10
    assert "links" in out.getvalue() and "5/5" in out.getvalue()


def test_line_estimates_the_time_left() -> None:
    assert line("report", 250, 1000, 10.0, "accounts") == \
        "report: 250/1,000 accounts (25%), 25/s, elapsed 0:10, about 0:30 left"
    assert line("crawl", 7, None, 2.0, "items") == "crawl: 7 items, 4/s, elapsed 0:02"


def test_the_audit_through_a_progress_backend_finds_the_same(store: SqliteBackend) -> None:
    world = generate(seed=7, accounts=40, posts=30)
    load_world(store, world)
    out = io.StringIO()
    summary = run_audit(ProgressBackend(store, "audit", stream=out, every=0), Settings(), world.now)  # type: ignore[arg-type]
    assert summary.accounts >= 40
    assert "audit: 1/" in out.getvalue() and f"{store.counts()['accounts']} accounts in" in out.getvalue()
