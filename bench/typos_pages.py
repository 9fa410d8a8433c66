"""Typo alarms on any folders of saved real pages, read as `govwatch check page` reads them.

For a set of pages nobody tuned on: every typo `check page` would report (govwatch.commands.check_page.
page_findings: title and main text, the page's own account names, spam text left to the spam report)
is counted as an alarm, an upper bound of the false alarms since a page may hold a real slip. Pages
whose bytes equal a file under --skip (../shared/realdata by default) are left out, so a set that
overlaps the labelled pages measures only its new ones; so are copies of a page already read, pages
not in Chinese (under MIN_HAN Han characters, or Japanese) and file names matching --leave-out.
--half splits a set in two by a hash of each page's bytes (whatever folder it is read from): `look`
may be read while tuning (--list prints each finding there), `keep` is only ever counted by this
bench (the gne pages' kept half was read once, in session 16, after the detector was frozen: see
README, typo false alarms).

One such set: the 62 news and government pages in the tests/ folder of the gne package's source
on PyPI (not in this repository; see README, typo false alarms):

    .venv/bin/python -m pip download --no-deps --no-binary :all: gne==0.4.3 -d /tmp/gne
    tar -xzf /tmp/gne/gne-0.4.3.tar.gz -C /tmp/gne
    .venv/bin/python bench/typos_pages.py /tmp/gne/gne-0.4.3/tests [--half look|keep] [--list]

Another: the 15 Chinese pages (news, government, a blog, an encyclopedia entry; 6 in traditional characters)
among the test files of three Go modules, ports of readability, htmldate and trafilatura, from the Go module
proxy (counted once blind, in session 17: see README, typo false alarms):

    export GOPATH=/tmp/gomods GOFLAGS=-mod=mod; cd /tmp
    go mod download github.com/go-shiori/go-readability@v0.0.0-20251205110129-5db1dc9836f0 \
        github.com/markusmobius/go-htmldate@v1.10.1 github.com/markusmobius/go-trafilatura@v1.12.2
    M=/tmp/gomods/pkg/mod/github.com; cd -
    .venv/bin/python bench/typos_pages.py $M/go-shiori/go-readability@*/test-pages \
        $M/markusmobius/go-htmldate@v1.10.1/test-files $M/markusmobius/go-trafilatura@v1.12.2/test-files \
        --leave-out 'expected*.html'

A third: 4 pages in newspaper4k's sdist (tests/data/html/chinese_article*.html) and readability-js on npm:

    .venv/bin/python -m pip download --no-deps --no-binary :all: newspaper4k==0.9.6 -d /tmp/np4
    tar -xzf /tmp/np4/newspaper4k-0.9.6.tar.gz -C /tmp/np4
    (cd /tmp/np4 && npm pack readability-js@1.0.7 && tar -xzf readability-js-1.0.7.tgz)
    .venv/bin/python bench/typos_pages.py /tmp/np4/newspaper4k-0.9.6/tests/data/html /tmp/np4/package/test

A fifth (counted once blind, in session 18: laws and notices as text files, news pages; see README, typo false
alarms, session 18), fetched by bench/fetch_fifth_set.sh; zcyclaw's retyped procurement laws are counted apart:

    bash bench/fetch_fifth_set.sh /tmp/blind3
    .venv/bin/python bench/typos_pages.py --text /tmp/blind3/pages
    .venv/bin/python bench/typos_pages.py --text /tmp/blind3/laws

And one of another register, technical manuals translated into Chinese (Debian's documentation packages; 29% of
their main text is Han characters, the rest commands and English):

    (mkdir -p /tmp/debdoc && cd /tmp/debdoc && apt-get download debian-reference-zh-cn maint-guide-zh-cn \
        debian-edu-doc-zh-cn && for f in *.deb; do dpkg-deb -x "$f" x; done)
    .venv/bin/python bench/typos_pages.py /tmp/debdoc/x/usr/share
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.realeval.measures import by_rule  # noqa: E402
from core.config import Settings, load_settings  # noqa: E402
from crawler.pages.page_info import page_info  # noqa: E402
from govwatch.commands.check_page import page_findings  # noqa: E402


def half_of(raw: bytes) -> str:
    """`keep` for about half of the pages (fixed by a hash of the page's bytes), else `look`."""
    return "keep" if hashlib.sha256(b"govwatch-pages:" + raw).digest()[0] % 2 else "look"


# A page is read as Chinese when it holds this many Han characters, and kana under 5% of them (not Japanese).
MIN_HAN = 300
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


def chinese(decoded: str) -> bool:
    """Whether a page is written in Chinese (MIN_HAN Han characters, hardly any kana)."""
    han = len(_HAN.findall(decoded))
    return han >= MIN_HAN and len(_KANA.findall(decoded)) < 0.05 * han


@dataclass
class Count:
    """Pages read, pages left out (known, a copy of one read, not Chinese), characters of title and main text,
    and the findings."""

    pages: int = 0
    skipped: int = 0
    copies: int = 0
    foreign: int = 0
    chars: int = 0
    found: list[str] = field(default_factory=list)  # `path: text→suggestion (rule) …context…`
    rules: Counter[str] = field(default_factory=Counter)  # alarms per rule


def count(files: Iterable[Path], folder: Path, skip: set[str], half: str | None, settings: Settings) -> Count:
    """The alarms of `check page` over `files` (those of `half` only, when given), leaving out known pages,
    copies of a page already read and pages not in Chinese."""
    tally, seen = Count(), set()
    for path in files:
        raw = path.read_bytes()
        if half not in (None, half_of(raw)):
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest in skip:
            tally.skipped += 1
            continue
        if digest in seen:
            tally.copies += 1
            continue
        seen.add(digest)
        info = page_info(raw)
        if not chinese(info.decoded):
            tally.foreign += 1
            continue
        typos, _ = page_findings(info, "", settings)
        tally.pages += 1
        # A text file is read whole (check page has no main text to cut from it).
        tally.chars += len(info.title) + 1 + len(info.body_text) if info.html else len(info.decoded)
        for typo in typos:
            around = info.decoded[max(0, typo.offset - 10): typo.offset + len(typo.text) + 10].replace("\n", " ")
            tally.found.append(f"{path.relative_to(folder)}: {typo.text}→{typo.suggestion} ({typo.rule}) …{around}…")
            tally.rules[typo.rule] += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+", help="folders of saved pages (*.html, *.htm), read recursively")
    parser.add_argument("--skip", type=Path, default=ROOT.parent / "shared" / "realdata",
                        help="leave out pages identical to a file under this folder")
    parser.add_argument("--leave-out", action="append", default=[], metavar="GLOB",
                        help="leave out files whose name matches (an extractor's expected output, not a page)")
    parser.add_argument("--text", action="store_true",
                        help="read *.txt and *.md files too, as check page reads a text file (all of it)")
    parser.add_argument("--half", choices=("look", "keep"), default=None, help="one half of the pages only")
    parser.add_argument("--list", action="store_true", help="print each finding (--half look only)")
    args = parser.parse_args()
    if args.list and args.half != "look":
        sys.exit("bench/typos_pages.py: --list only with --half look (the kept half is never read)")
    for folder in args.folders:
        if not folder.is_dir():
            sys.exit(f"bench/typos_pages.py: {folder} is not a folder")
    skip = {hashlib.sha256(p.read_bytes()).hexdigest() for p in args.skip.rglob("*") if p.is_file()} \
        if args.skip.is_dir() else set()
    suffixes = (".html", ".htm", ".txt", ".md") if args.text else (".html", ".htm")
    files = sorted(p for folder in args.folders for p in folder.rglob("*") if p.suffix.lower() in suffixes
                   and not any(fnmatch.fnmatch(p.name, glob) for glob in args.leave_out))
    root = Path(os.path.commonpath([folder.resolve() for folder in args.folders]))
    started = time.perf_counter()
    tally = count([p.resolve() for p in files], root, skip, args.half, load_settings(None))
    for line in tally.found if args.list else ():
        print(f"  {line}")
    print(f"{tally.pages} pages ({tally.skipped} left out as already under {args.skip}, {tally.copies} as copies of "
          f"a page read, {tally.foreign} as not Chinese), "
          f"{tally.chars} characters of title and main text")
    print(f"typo alarms: {len(tally.found)} = {10_000 * len(tally.found) / max(1, tally.chars):.2f} per 10,000 "
          f"characters ({time.perf_counter() - started:.1f} s)")
    if tally.rules:  # counts only: the kept half's alarms are never read
        print(f"by rule: {by_rule(tally.rules)}")


if __name__ == "__main__":
    main()
