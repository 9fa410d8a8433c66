"""Run the whole job on the bundled sample web: serve it, crawl, audit, index, compare, summarise."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from govwatch import demo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=7, help="sample-web seed (default 7)")
    parser.add_argument("--accounts", type=int, default=40, help="accounts in the sample web (default 40)")
    parser.add_argument("--posts", type=int, default=30, help="posts per account (default 30)")
    parser.add_argument("--workdir", default="data/demo", help="where the store and reports go (default data/demo)")
    parser.add_argument("--rate-limit", type=int, default=10,
                        help="sample-web requests per second and platform before 418/429 (default 10)")
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite",
                        help="store: SQLite in the workdir (default) or the cluster at GOVWATCH_ES_URL")
    parser.add_argument("--serve", action="store_true", help="then keep the API and web page running")
    parser.add_argument("--port", type=int, default=8000, help="API port with --serve (default 8000)")


def run(args: argparse.Namespace) -> int:
    from sampleweb.server import SampleWeb
    from sampleweb.world import generate

    now = datetime.now().replace(microsecond=0)
    world = generate(seed=args.seed, accounts=args.accounts, posts=args.posts, now=now)
    world.rate_limit_per_second = args.rate_limit
    workdir = Path(args.workdir).resolve()
    with SampleWeb(world) as web:
        print(f"sample web on {web.base_url} (seed {args.seed}, {args.accounts} accounts × {args.posts} posts)", flush=True)
        run_ = demo.prepare(workdir, web.base_url, args.backend)
        print("crawling …", flush=True)
        demo.crawl(run_, now)
        print("auditing …", flush=True)
        comparison = demo.audit(run_, now)
    lines, exact = demo.comparison_lines(comparison)
    print("\n".join(run_.lines))
    print("findings vs ground truth:")
    print("\n".join(lines))
    print(f"ground truth: {'all labels equal' if exact else 'DIFFERENCES (see above)'}")
    where = workdir / "govwatch.db" if args.backend == "sqlite" else f"{os.environ.get('GOVWATCH_ES_URL')} (indices govwatch-demo-*)"
    print(f"store: {where}   reports: {workdir / 'reports'}")
    secret = _demo_key(run_.config_path, now)
    print(f"search: GOVWATCH_CONFIG={run_.config_path} govwatch serve   then open http://127.0.0.1:{args.port}/")
    print(f"        and log in with the demo's admin key {secret}")
    print(f"        curl -H 'Authorization: Bearer {secret}' 'http://127.0.0.1:{args.port}/posts?q=医保'")
    failed = any(o.failed for o in run_.outcomes)
    if args.serve:
        import uvicorn

        os.environ["GOVWATCH_CONFIG"] = str(run_.config_path)
        uvicorn.run("search_api.app:app", host="127.0.0.1", port=args.port, log_level="info")
    return 1 if failed or not exact else 0


def _demo_key(config_path: Path, now: datetime) -> str:
    """An admin key for this demo run (`govwatch keys add` for real deployments)."""
    from core.config import load_settings
    from search_api.access.keystore import KeyStore

    settings = load_settings(config_path)
    keys = KeyStore(settings.api.keys_file(settings.store))
    try:
        return keys.add(f"demo {now:%Y-%m-%d %H:%M:%S}", "admin")[1]
    finally:
        keys.close()
