"""Typo alarms on any folder of saved real pages, read as `govwatch check page` reads them.

For a set of pages nobody tuned on: every finding on the title and extracted main text is counted
(an upper bound of the false alarms, since a page may hold a real slip). Pages whose bytes equal a
file under --skip (../shared/realdata by default) are left out, so a set that overlaps the labelled
pages measures only its new ones. --half splits a set in two by a hash of each page's path: `look`
may be read while tuning (--list prints each finding there), `keep` is only ever counted.

One such set: the 62 news and government pages in the tests/ folder of the gne package's source
on PyPI (not in this repository; see README, typo false alarms):

    .venv/bin/python -m pip download --no-deps --no-binary :all: gne==0.4.3 -d /tmp/gne
    tar -xzf /tmp/gne/gne-0.4.3.tar.gz -C /tmp/gne
    .venv/bin/python bench/typos_pages.py /tmp/gne/gne-0.4.3/tests [--half look|keep] [--list]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.content.typos import TypoDetector  # noqa: E402
from crawler.pages.page_info import page_info  # noqa: E402


def _digests(folder: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()} \
        if folder.is_dir() else set()


def half_of(relative: str) -> str:
    """`keep` for about half of the pages (fixed by the hash of the path inside the folder), else `look`."""
    return "keep" if hashlib.sha256(f"govwatch-pages:{relative}".encode()).digest()[0] % 2 else "look"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="saved pages (*.html, *.htm), read recursively")
    parser.add_argument("--skip", type=Path, default=ROOT.parent / "shared" / "realdata",
                        help="leave out pages identical to a file under this folder")
    parser.add_argument("--half", choices=("look", "keep"), default=None, help="one half of the pages only")
    parser.add_argument("--list", action="store_true", help="print each finding (refused on the kept half)")
    args = parser.parse_args()
    if args.list and args.half != "look":
        sys.exit("bench/typos_pages.py: --list only with --half look (the kept half is never read)")
    if not args.folder.is_dir():
        sys.exit(f"bench/typos_pages.py: {args.folder} is not a folder")
    skip = _digests(args.skip)
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in (".html", ".htm")
                   and args.half in (None, half_of(p.relative_to(args.folder).as_posix())))
    detector = TypoDetector()
    started, pages, chars, alarms, skipped = time.perf_counter(), 0, 0, 0, 0
    for path in files:
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() in skip:
            skipped += 1
            continue
        info = page_info(raw)
        main = f"{info.title}\n{info.body_text}"
        found = detector.check_document(info.decoded, info.published, main)
        pages, chars, alarms = pages + 1, chars + len(main), alarms + len(found)
        for typo in found if args.list else ():
            around = info.decoded[max(0, typo.offset - 10): typo.offset + len(typo.text) + 10].replace("\n", " ")
            print(f"  {path.relative_to(args.folder)}: {typo.text}→{typo.suggestion} ({typo.rule}) …{around}…")
    print(f"{pages} pages ({skipped} left out as already under {args.skip}), {chars} characters of title and main text")
    print(f"typo alarms: {alarms} = {10_000 * alarms / max(1, chars):.2f} per 10,000 characters "
          f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
