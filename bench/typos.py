"""Typo detector on the official-document spelling set (../shared/realdata/typos/odw.train).

Lines are `N<TAB>text as written<TAB>corrected`, N wrong characters (0 = clean).
The set is split by hashes: a line is `held-out` when its corrected sentence
hashes odd and no variant of that sentence has a written form hashing even
(those were inspected while tuning); everything else is `tune`, used to choose
thresholds and vocabulary. The figures to report are the held-out ones. The tune split is cut once more
by a salted hash of the corrected sentence: `tune-a` to study misses and fit rules, `tune-b` only to
validate them (counts only: --list refuses it). Prints, per split,
sentence-level precision/recall, position-level precision (flagged span covers
a wrong character), and false alarms per 10,000 characters of clean lines.

    .venv/bin/python bench/typos.py [--split held-out|tune|tune-a|tune-b|all] [--min-gain 8] [--real-word]
                                    [--limit N] [--list] [--hashes]

--list prints what went wrong on tune-a (missed error lines, wrong spans, flagged clean lines); it refuses
any other split, tune included (it holds tune-b), so held-out and tune-b lines are not shown. The corrected sentences of the
error lines that are not also clean lines of the split are checked as more clean text (`corrected_flagged`).
--hashes prints a short hash of each flagged clean line and corrected sentence (tune splits only): two runs show
which clean text a change newly flags without reading it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.content.typos import DEFAULT_MIN_GAIN, TypoDetector  # noqa: E402

DATA = Path(os.environ.get("GOVWATCH_REALDATA") or ROOT.parent / "shared" / "realdata") / "typos" / "odw.train"


TUNE_SALT = "tune-half:"  # a salt of its own, so tune-a / tune-b is not the tune / held-out cut again
LISTABLE = ("tune-a",)  # the split whose lines --list may print (tune holds tune-b too)


def _even(text: str, salt: str = "") -> bool:
    return int(hashlib.md5((salt + text).encode("utf-8")).hexdigest(), 16) % 2 == 0


def load(split: str, limit: int | None) -> list[tuple[int, str, str]]:
    """Rows of one split (see the module docstring), in file order."""
    rows = [(int(p[0]), p[1], p[2]) for p in (line.split("\t") for line in
            DATA.read_text(encoding="utf-8").splitlines()) if len(p) == 3]
    inspected = {corrected for _, written, corrected in rows if _even(written)}

    def split_of(corrected: str) -> str:
        if not (_even(corrected) or corrected in inspected):
            return "held-out"
        return "tune-a" if _even(corrected, TUNE_SALT) else "tune-b"

    def wanted(corrected: str) -> bool:
        part = split_of(corrected)
        return split in ("all", part) or (split == "tune" and part != "held-out")

    chosen = [r for r in rows if wanted(r[2])]
    return chosen[:limit] if limit else chosen


def _right(text: str, corrected: str, offset: int, size: int) -> bool:
    """Whether the span at `offset` covers a wrong character (text and corrected differ there)."""
    return any(text[k] != corrected[k] for k in range(offset, offset + size) if k < min(len(text), len(corrected)))


def short_hash(text: str) -> str:
    """Eight hex digits naming a line without showing it."""
    return hashlib.md5(text.encode("utf-8")).hexdigest()[:8]


def measure(detector: TypoDetector, rows: list[tuple[int, str, str]], show: bool = False,
            flagged: list[str] | None = None) -> dict[str, float]:
    """The split's figures; `flagged` (when given) gets the short hash of each flagged clean line and sentence."""
    tp = fp = fn = spans = spans_right = clean_chars = clean_alarms = 0
    for wrong, text, corrected in rows:
        typos = detector.check_document(text)
        if wrong and typos:
            tp += 1
        elif typos:
            fp += 1
        elif wrong:
            fn += 1
            if show:
                print(f"  missed: {text}  (right: {corrected})")
        for t in typos:
            spans += 1
            right = _right(text, corrected, t.offset, len(t.text))
            spans_right += right
            if show and not right:
                print(f"  {'wrong span' if wrong else 'clean line'}: {t.text}→{t.suggestion} ({t.rule}) in {text}")
        if not wrong:
            clean_chars += len(text)
            clean_alarms += len(typos)
            if typos and flagged is not None:
                flagged.append(short_hash(text))
    clean = {text for wrong, text, _ in rows if not wrong}
    sentences = sorted({c for wrong, _, c in rows if wrong} - clean)
    corrected_flagged = [c for c in sentences if detector.check_document(c)]
    if flagged is not None:
        flagged.extend(short_hash(c) for c in corrected_flagged)
    return {
        "lines": len(rows), "error_lines": tp + fn, "flagged_lines": tp + fp,
        "precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn),
        "span_precision": spans_right / max(1, spans),
        "false_alarms_per_10k_clean_chars": 10_000 * clean_alarms / max(1, clean_chars),
        "corrected_sentences": len(sentences), "corrected_flagged": len(corrected_flagged),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="held-out", choices=("held-out", "tune", "tune-a", "tune-b", "all"))
    parser.add_argument("--min-gain", type=float, default=DEFAULT_MIN_GAIN)
    parser.add_argument("--real-word", action="store_true", help="turn on the real-word scan (setting real_word_scan)")
    parser.add_argument("--limit", type=int, default=None, help="first N lines of the split (quick runs)")
    parser.add_argument("--list", action="store_true", help="print tune-a's misses and false alarms")
    parser.add_argument("--hashes", action="store_true", help="print a short hash of each flagged clean line (tune splits)")
    args = parser.parse_args()
    if args.hashes and args.split in ("held-out", "all"):
        sys.exit("bench/typos.py: --hashes is for the tune splits only")
    if args.list and args.split not in LISTABLE:
        sys.exit("bench/typos.py: --list shows tune-a only (tune holds tune-b; held-out and tune-b lines are not"
                 " read while tuning)")
    if not DATA.is_file():
        sys.exit(f"bench/typos.py: {DATA} not found (real-world data is not in this checkout)")
    started = time.perf_counter()
    detector = TypoDetector({"confusion_min_gain": args.min_gain, "real_word_scan": args.real_word})
    built = time.perf_counter() - started
    rows = load(args.split, args.limit)
    started = time.perf_counter()
    flagged: list[str] = []
    figures = measure(detector, rows, show=args.list, flagged=flagged if args.hashes else None)
    took = time.perf_counter() - started
    print(f"split={args.split} min_gain={args.min_gain} model_build_s={built:.1f} check_s={took:.1f}")
    for key, value in figures.items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    for name in sorted(flagged):
        print(f"  flagged clean: {name}")


if __name__ == "__main__":
    main()
