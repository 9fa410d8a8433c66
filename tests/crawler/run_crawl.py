"""Run govwatch spiders in a fresh process and print their outcomes as one JSON line (for tests and benches).

Usage: python -m tests.crawler.run_crawl CONFIG SPIDER [SPIDER ...] [-s KEY=VALUE ...]
"""

from __future__ import annotations

import argparse
import json
import logging

from govwatch.crawling import run_spiders


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("spiders", nargs="+")
    parser.add_argument("-s", dest="settings", action="append", default=[], help="Scrapy setting KEY=VALUE")
    parser.add_argument("--log", help="write the crawl's log (at LOG_LEVEL) to this file")
    parser.add_argument(
        "-a", dest="args", action="append", default=[], help="spider argument NAME=VALUE (all)"
    )
    args = parser.parse_args()
    if args.log:
        logging.basicConfig(
            filename=args.log, level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s %(message)s"
        )
    overrides = dict(item.split("=", 1) for item in args.settings)
    spider_args = dict(item.split("=", 1) for item in args.args)
    outcomes = run_spiders(
        args.spiders, args.config, overrides={"LOG_LEVEL": "WARNING", **overrides},
        spider_args={name: spider_args for name in args.spiders},
    )  # fmt: skip
    plain = [
        {"name": o.name, "problems": o.problems,
         "stats": {k: v for k, v in o.stats.items() if isinstance(v, int | float | str)}}
        for o in outcomes
    ]  # fmt: skip
    print(json.dumps(plain))


if __name__ == "__main__":
    main()
