"""`python -m sampleweb --seed 7 --accounts 40 --posts 30`: serve a world and print its base URL."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime

from sampleweb.server import SampleWeb
from sampleweb.world import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampleweb", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--now", default="2026-11-23 10:00", help="the world's clock, YYYY-MM-DD HH:MM")
    parser.add_argument("--no-rate-limit", action="store_true", help="never answer 418/429")
    args = parser.parse_args(argv)
    try:
        now = datetime.fromisoformat(args.now)
    except ValueError:
        parser.error(f"--now: {args.now!r} is not YYYY-MM-DD HH:MM")
    world = generate(args.seed, args.accounts, args.posts, now)
    world.rate_limit = not args.no_rate_limit
    with SampleWeb(world) as web:
        print(web.base_url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
