"""Crawl configured sources with the named spiders (all by default); exit 1 if a crawl failed.

A crawl fails visibly: errors logged (a browser that cannot start, a source
that went silent although it had posts, a source whose crawl never completed,
requests that exhausted their retries) make the exit status 1, with one
summary line per spider saying why.
"""

from __future__ import annotations

import argparse
from typing import Any

from govwatch.commands import settings_from
from govwatch.crawling import run_spiders, spider_names
from govwatch.jobs import send_alerts
from ops.alerts.triggers import crawl_alerts

# Stats worth a word in the summary when present (govwatch/<key>).
NOTES = {
    "needs_credentials": "needing credentials",
    "accounts_missing": "missing on the platform",
    "sources_resumed": "resumed after an interrupted crawl",
    "sources_incomplete": "incomplete (retried next crawl)",
    "rate_limited/gave_up": "rate-limit waits given up",
    "soft_404": "soft 404 pages",
    "browser_missing": "browser missing",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spiders", nargs="*", metavar="SPIDER", help="default: every spider (gov_site first, discovery last)")
    parser.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")
    parser.add_argument(
        "--jobdir", default=None, help="keep each spider's queue in JOBDIR/<spider> so a stopped crawl resumes"
    )
    parser.add_argument("--no-robots", action="store_true", help="do not obey robots.txt (default: obey)")


def run(args: argparse.Namespace) -> int:
    settings_from(args)  # a bad config is exit 2 before any spider starts
    names = list(args.spiders) or spider_names()
    overrides: dict[str, Any] = {"LOG_LEVEL": args.log_level}
    if args.jobdir:
        overrides["GOVWATCH_JOBDIR"] = args.jobdir
    if args.no_robots:
        overrides["ROBOTSTXT_OBEY"] = False
    outcomes = run_spiders(names, args.config, overrides=overrides)
    failed = False
    for o in outcomes:
        print(summary_line(o.name, o.stats, o.problems))
        failed |= o.failed
    send_alerts(settings_from(args), crawl_alerts(outcomes))  # [alerts] webhooks, when configured
    return 1 if failed else 0


def summary_line(name: str, stats: dict[str, Any], problems: list[str]) -> str:
    """One line per spider: items, requests, what was stored, notable sources, and why it failed."""
    stored = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("govwatch/stored/")}
    notes = [f"{stats[f'govwatch/{key}']} {text}" for key, text in NOTES.items() if stats.get(f"govwatch/{key}")]
    status = "FAILED: " + "; ".join(problems) if problems else "ok"
    return (
        f"{name}: {stats.get('item_scraped_count', 0)} items, {stats.get('downloader/request_count', 0)} requests, "
        f"stored {stored}" + (f" ({', '.join(notes)})" if notes else "") + f" — {status}"
    )
