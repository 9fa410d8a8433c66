"""bench/typos_pages.py counts alarms on a folder of saved pages, leaves out known pages, and never lists the kept
half (pages written for this test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.typos_pages import half_of
from tests.paths import ROOT

PARAGRAPHS = ("各单位要认真总结经验，再接再励，确保各项任务按期完成。", "市政府办公室将会同有关部门加强督促检查，及时通报进展情况。",
              "今年以来，全市围绕民生实事项目，推进老旧小区改造和道路修缮。", "下一步，各区要压实责任，细化措施，确保各项工作落到实处。")


def _page(title: str, slip: bool) -> str:
    paragraphs = PARAGRAPHS if slip else PARAGRAPHS[1:]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><div class='article'><h1>{title}</h1>{body}</div></body></html>")


def _run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "typos_pages.py"), *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_counts_every_finding_and_leaves_out_known_pages(tmp_path: Path) -> None:
    pages, known = tmp_path / "pages", tmp_path / "known"
    (pages / "site").mkdir(parents=True)
    known.mkdir()
    (pages / "site" / "a.html").write_text(_page("关于推进民生实事的通知", slip=True), encoding="utf-8")
    (pages / "b.htm").write_text(_page("民生实事推进情况通报", slip=False), encoding="utf-8")
    (pages / "c.html").write_text(_page("再接再励的一年", slip=True), encoding="utf-8")
    shutil.copy(pages / "c.html", known / "copy.html")
    result = _run(pages, "--skip", known)
    assert result.returncode == 0, result.stderr
    assert "2 pages (1 left out as already under" in result.stdout
    assert "typo alarms: 1 = " in result.stdout  # the slip in a.html; b.htm is clean, c.html left out


def test_lists_findings_of_the_looked_at_half_only(tmp_path: Path) -> None:
    names = [f"p{k}.html" for k in range(12)]
    look = next(n for n in names if half_of(n) == "look")
    keep = next(n for n in names if half_of(n) == "keep")
    (tmp_path / look).write_text(_page("民生实事推进情况", slip=True), encoding="utf-8")
    (tmp_path / keep).write_text(_page("民生实事推进情况", slip=True), encoding="utf-8")
    listed = _run(tmp_path, "--half", "look", "--list", "--skip", tmp_path / "none")
    assert listed.returncode == 0, listed.stderr
    assert f"  {look}: 再接再励→再接再厉" in listed.stdout and keep not in listed.stdout
    refused = _run(tmp_path, "--half", "keep", "--list")
    assert refused.returncode != 0 and "--list only with --half look" in refused.stderr
    assert "typo alarms: 1 = " in _run(tmp_path, "--half", "keep", "--skip", tmp_path / "none").stdout
