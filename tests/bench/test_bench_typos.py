"""bench/typos.py --list prints tune-a's misses and never a held-out or tune-b line; tune-a and tune-b cut the tune
split in two (sentences written for this test)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.paths import ROOT

# count of wrong characters, as written, corrected: three tune error lines (one found, two missed), a clean tune line,
# and one line of the held-out split (its corrected form and its written form hash odd: bench/typos.py's split).
# Under the tune halves' salted hash the found line (言息) and the second missed one (工件) are tune-b, the rest tune-a.
# The last row is tune-b too: a line given as clean that the checker flags (个项), as a false alarm would be.
ROWS = [
    (1, "各级政府要加快推进公共言息服务平台建设，完善管理制度。", "各级政府要加快推进公共信息服务平台建设，完善管理制度。"),
    (0, "各单位要高度重视这项工作。", "各单位要高度重视这项工作。"),
    (1, "市里将在新建居民区设置垃圾分类投放店。", "市里将在新建居民区设置垃圾分类投放点。"),
    (1, "会议要求各部门切实加强组织领到。", "会议要求各部门切实加强组织领导。"),
    (1, "县里要抓好春耕生产各项工件。", "县里要抓好春耕生产各项工作。"),  # 工件 is a word: still missed
    (0, "县里要抓好春耕生产个项工作。", "县里要抓好春耕生产个项工作。"),
]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "typos").mkdir(exist_ok=True)
    (tmp_path / "typos" / "odw.train").write_text("".join(f"{n}\t{a}\t{b}\n" for n, a, b in ROWS), encoding="utf-8")
    env = {**os.environ, "GOVWATCH_REALDATA": str(tmp_path), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "bench" / "typos.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env=env)


def test_tune_halves_cut_the_tune_split_and_only_tune_a_is_listed(tmp_path: Path) -> None:
    half_a = _run(tmp_path, "--split", "tune-a", "--list")
    assert half_a.returncode == 0, half_a.stderr
    assert "  lines: 2" in half_a.stdout and "  error_lines: 1" in half_a.stdout and "  recall: 0.000" in half_a.stdout
    listed = [line for line in half_a.stdout.splitlines() if line.startswith("  missed:")]
    assert listed == [f"  missed: {ROWS[2][1]}  (right: {ROWS[2][2]})"]
    assert "工件" not in half_a.stdout and "领到" not in half_a.stdout
    half_b = _run(tmp_path, "--split", "tune-b", "--hashes")
    assert half_b.returncode == 0, half_b.stderr
    assert "  lines: 3" in half_b.stdout and "  error_lines: 2" in half_b.stdout and "  recall: 0.500" in half_b.stdout
    assert "  precision: 0.500" in half_b.stdout  # the flagged clean line
    assert "工件" not in half_b.stdout and "言息" not in half_b.stdout and "个项" not in half_b.stdout
    # --hashes names the flagged clean line without showing it
    named = [line.split(": ")[1] for line in half_b.stdout.splitlines() if line.startswith("  flagged clean:")]
    assert named == [hashlib.md5(ROWS[5][1].encode("utf-8")).hexdigest()[:8]]
    # the two error lines' corrected sentences, read as clean text: neither is flagged
    assert "  corrected_sentences: 2" in half_b.stdout and "  corrected_flagged: 0" in half_b.stdout


def test_hashes_are_refused_outside_the_tune_splits(tmp_path: Path) -> None:
    for split in ("held-out", "all"):
        refused = _run(tmp_path, "--split", split, "--hashes")
        assert refused.returncode == 1 and "tune splits only" in refused.stderr


def test_list_refuses_every_split_but_tune_a(tmp_path: Path) -> None:
    for split in ("held-out", "all", "tune-b", "tune"):  # tune holds tune-b
        result = _run(tmp_path, "--split", split, "--list")
        assert result.returncode == 1 and "--list shows tune-a only" in result.stderr
        assert "领到" not in result.stdout and "工件" not in result.stdout
