"""Crawl configured sources with the named spiders (all by default); exit 1 if a crawl failed."""

from __future__ import annotations

import argparse

from govwatch.crawling import run_spiders

DEFAULT_SPIDERS = ("gov_site", "wechat", "weibo")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spiders", nargs="*", metavar="SPIDER", help=f"default: {' '.join(DEFAULT_SPIDERS)}")
    parser.add_argument("--log-level", default="INFO", help="Scrapy log level (default INFO)")


def run(args: argparse.Namespace) -> int:
    names = list(args.spiders) or list(DEFAULT_SPIDERS)
    outcomes = run_spiders(names, args.config, overrides={"LOG_LEVEL": args.log_level})
    failed = False
    for o in outcomes:
        stored = {k.rsplit("/", 1)[1]: v for k, v in o.stats.items() if k.startswith("govwatch/stored/")}
        status = "FAILED: " + "; ".join(o.problems) if o.failed else "ok"
        print(f"{o.name}: {o.items} items, {o.stats.get('downloader/request_count', 0)} requests, stored {stored} — {status}")
        failed |= o.failed
    return 1 if failed else 0
