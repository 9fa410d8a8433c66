"""Check stored links and re-fetch pages for cloaking and clones: `check links [--only-host H ...]`.

Statuses are stored with the links (the audit turns them into broken_service
findings); cloaking and clone probes store spam_injection findings at once.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from audit.content.probes import run_probes
from crawler.linkcheck import run_linkcheck
from crawler.probes import ProbeFetcher
from govwatch.commands import opened_store
from ops.progress import ProgressBackend


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only-host", action="append", dest="only_hosts", metavar="HOST",
                        help="check only links to this host (repeatable); default: every link")
    parser.add_argument("--no-probes", action="store_true", help="skip the cloaking and clone probes")


def run(args: argparse.Namespace) -> int:
    only = set(args.only_hosts) if args.only_hosts else None
    with opened_store(args) as (settings, backend):
        statuses = run_linkcheck(ProgressBackend(backend, "link check"), only_hosts=only)  # type: ignore[arg-type]
        print(f"links checked by status: {dict(sorted(statuses.items()))}")
        if not args.no_probes:
            with ProbeFetcher() as fetch:
                probes = run_probes(backend, settings, datetime.now().replace(microsecond=0), fetch, only)
            print(f"probes: {probes.pages} pages re-fetched as a search engine, {probes.offsite_links} off-site "
                  f"links followed, {probes.errors} fetch errors, findings {probes.findings}")
    return 0
