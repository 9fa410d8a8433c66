"""bench/typos_pages.py counts what `check page` reports on a folder of saved pages, leaves out known pages, splits
by the pages' bytes and never lists the kept half (pages written for this test)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from bench.typos_pages import count, half_of
from core.config import load_settings
from tests.paths import ROOT

PARAGRAPHS = ("各单位要认真总结经验，再接再励，确保各项任务按期完成。", "市政府办公室将会同有关部门加强督促检查，及时通报进展情况。",
              "今年以来，全市围绕民生实事项目，推进老旧小区改造和道路修缮。", "下一步，各区要压实责任，细化措施，确保各项工作落到实处。")


def _page(title: str, slip: bool) -> str:
    # PARAGRAPHS[1:] three times more: a page needs MIN_HAN Han characters to be read as Chinese
    body = "".join(f"<p>{text}</p>" for text in (PARAGRAPHS if slip else PARAGRAPHS[1:]) + PARAGRAPHS[1:] * 3)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><div class='article'><h1>{title}</h1>{body}</div></body></html>")


def test_counts_what_check_page_reports_and_leaves_out_known_pages(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    pages = [tmp_path / "site" / "a.html", tmp_path / "b.htm", tmp_path / "c.html"]
    pages[0].write_text(_page("关于推进民生实事的通知", slip=True), encoding="utf-8")
    pages[1].write_text(_page("民生实事推进情况通报", slip=False), encoding="utf-8")
    pages[2].write_text(_page("再接再励的一年", slip=True), encoding="utf-8")
    known = {hashlib.sha256(pages[2].read_bytes()).hexdigest()}
    settings = load_settings(None)
    tally = count(pages, tmp_path, known, None, settings)
    assert (tally.pages, tally.skipped) == (2, 1)  # c.html is known
    assert [line.split(" (")[0] for line in tally.found] == ["site/a.html: 再接再励→再接再厉"]  # b.htm is clean
    assert dict(tally.rules) == {"content.typo.dictionary": 1}  # counted by rule, printed without the text
    assert tally.chars > 2 * len("".join(PARAGRAPHS[1:]))  # both pages' main text was read
    for half in ("look", "keep"):  # a.html's finding is counted in its own half only
        assert bool(count(pages[:2], tmp_path, set(), half, settings).found) == (half_of(pages[0].read_bytes()) == half)


def test_a_pages_half_follows_its_bytes_and_the_kept_half_is_never_listed(tmp_path: Path) -> None:
    raw = _page("民生实事推进情况", slip=True).encode()
    assert {half_of(raw + b" " * k) for k in range(16)} == {"look", "keep"}  # by the bytes, not the path
    (tmp_path / "p.html").write_bytes(raw)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for half in ("keep", None):
        args = [sys.executable, str(ROOT / "bench" / "typos_pages.py"), str(tmp_path), "--list"]
        args += ["--half", half] if half else []
        refused = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
        assert refused.returncode != 0 and "--list only with --half look" in refused.stderr
        assert "再接再励" not in refused.stdout


def test_copies_pages_not_in_chinese_and_left_out_names_are_not_counted(tmp_path: Path) -> None:
    chinese = _page("关于推进民生实事的通知", slip=True)
    japanese = chinese.replace("。", "のです。").replace("，", "ですが、")  # the same Han, kana among them
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.html").write_text(chinese, encoding="utf-8")  # the same page in both
    (tmp_path / "one" / "ja.html").write_text(japanese, encoding="utf-8")
    (tmp_path / "one" / "expected.html").write_text(chinese.replace("民生", "民声"), encoding="utf-8")
    tally = count(sorted(tmp_path.rglob("*.html")), tmp_path, set(), None, load_settings(None))
    assert (tally.pages, tally.copies, tally.foreign) == (2, 1, 1)  # page.html once, expected.html, not ja.html
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(ROOT / "bench" / "typos_pages.py"), str(tmp_path / "one"), str(tmp_path / "two"),
            "--leave-out", "expected*.html", "--skip", str(tmp_path / "none")]
    run = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("1 pages (0 left out as already under")
    assert "1 as copies of a page read, 1 as not Chinese" in run.stdout


def test_with_text_a_text_file_is_read_whole_as_check_page_reads_it(tmp_path: Path) -> None:
    notice = "关于推进民生实事的通知\n" + "".join(PARAGRAPHS + PARAGRAPHS[1:] * 3)
    (tmp_path / "notice.txt").write_text(notice, encoding="gb18030")  # not UTF-8: decoded as check page does
    (tmp_path / "p.html").write_text(_page("民生实事推进情况通报", slip=False), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(ROOT / "bench" / "typos_pages.py"), str(tmp_path), "--skip", str(tmp_path / "none")]
    runs = [subprocess.run(args + extra, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
            for extra in ([], ["--text"])]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    assert runs[0].stdout.startswith("1 pages") and "typo alarms: 0 " in runs[0].stdout  # the page alone
    assert runs[1].stdout.startswith("2 pages") and "typo alarms: 1 " in runs[1].stdout  # 再接再励 in the text
    page_chars, both_chars = (int(run.stdout.split("), ")[1].split(" ")[0]) for run in runs)
    assert both_chars - page_chars == len(notice)  # the whole text, its first line not counted twice
