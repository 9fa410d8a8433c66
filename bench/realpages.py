"""Detectors on real pages written by others: titles, dates, main text, typos, mentions, spam, ECSpell.

Every figure is printed for the `tune` part (read while developing) and the
`held-out` part (never read while tuning); see bench/realeval/corpus.py for the
split and bench/labels/ for the labels this project added.

    GOVWATCH_REALDATA=/path/to/realdata python bench/realpages.py [--only titles,dates,...] [--misses]

--misses prints what went wrong on the tune part (never on the held-out part).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.realeval import corpus, measures, sections  # noqa: E402

SECTIONS = ("maintext", "titles", "dates", "typos", "mentions", "spam", "ecspell")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run")
    parser.add_argument("--misses", action="store_true", help="print the tune part's misses")
    parser.add_argument("--typo-chars", default="1500,0",
                        help="comma-separated measures: the first N characters of each page's main text (0: all)")
    parser.add_argument("--part", choices=corpus.PARTS, default=None,
                        help="measure one part only (tune while developing: held-out runs are counted)")
    parser.add_argument("--ecspell-limit", type=int, default=None, help="first N ECSpell lines per part (quick runs)")
    args = parser.parse_args()
    root = corpus.realdata_dir()
    if not root.is_dir():
        sys.exit(f"bench/realpages.py: {root} not found (real-world data is not in this checkout)")
    pages = [p for p in corpus.pages(root) if args.part in (None, p.part)]
    print(f"realdata {root}: {sum(p.part == 'tune' for p in pages)} tune pages, "
          f"{sum(p.part == 'held-out' for p in pages)} held-out pages")
    for name in args.only.split(","):
        started = time.perf_counter()
        lines = getattr(sections, name)(pages, args)
        for line in lines:
            print(line)
        print(f"  ({name}: {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
    _ = measures  # imported for its side-effect free helpers used by sections
