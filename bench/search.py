"""Search latency through the API: p50/p95 of /posts over a large store, 4 concurrent clients, a query mix.

    .venv/bin/python bench/search.py                                  # 1,000,000 posts in data/bench/
    .venv/bin/python bench/search.py --posts 100000 --db /tmp/s.db
    GOVWATCH_ES_URL=$url .venv/bin/python bench/search.py --backend elasticsearch   # bench/search_es.py

The store is built once (sampleweb.bulk: realistic vocabulary with Zipf
frequencies; rows and full-text rows written with executemany, then the
index optimised and ANALYZEd) and reused while it holds --posts posts. The
API runs as deployed (`govwatch serve`: --workers processes, by default one
per core, each with its own store connections and thread pool) on
127.0.0.1 with a bench key and rate limits lifted; --clients threads send
the mix for --seconds after a warm-up pass per client and once the
workers' start-up work is done (over Elasticsearch that includes the API's
warm-up searches, search_api/warm_searches.py; the node's CPU during that
start-up is printed, and `--warm-searches 0` measures without them). Beside
the latencies it prints the API's own CPU time per request (all workers,
from /proc) and the load average: on a shared machine the wall figures
depend on the neighbours. Over a node on this machine, the node's CPU is
also split by thread group (bench/node_threads.py: search, network, JIT...).

Query classes: common words, rare words (picked from the store's own
vocabulary tail), one character, long natural queries, OR, a common word
with a platform filter, and newest-first searches of common words.
Target: p95 ≤ 50 ms for every class. Also timed when the routes exist: the
search page and an account page. No answer is cached between requests.
Term statistics (document frequencies, for BM25) are kept for 5 min, and
match counts (totals, counts per platform) while the store is unchanged
(index/sqlite_counts.py): as the mix repeats its queries, only the first
asking counts. So the mix also has "new-" classes (bench/search_fresh.py):
every request a query nobody asked in this run, words of the store's
vocabulary drawn by Zipf rank, one word, two, an OR, a sentence, with a
platform, newest first; an investigator's first search. The report gives
"all repeated" and "all new" apart (`--no-fresh`: the repeated mix alone,
as in earlier sessions' figures).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_store import build_store, rare_words  # noqa: E402
from bench.server_cpu import cpu_per_class, load, tree_cpu, wait_idle  # noqa: E402
from govwatch.commands.serve import default_workers  # noqa: E402

if TYPE_CHECKING:
    from bench.search_fresh import Mix

TARGET_MS = 50
MIX = {
    "common": ["q=工作", "q=发展", "q=中国", "q=通知"],
    "one-char": ["q=局", "q=中", "q=市"],
    "long": ["q=永州市医疗保障局发布关于城乡居民医保缴费的通知", "q=无锡市人民政府办公室关于印发乡村振兴实施方案的通知"],
    "or": ["q=医保 OR 防火", "q=乡村振兴 OR 文明城市 OR 食品安全"],
    "platform": ["q=工作&platform=weibo", "q=通知&platform=douyin"],
    "newest": ["q=工作&sort=newest", "q=通知&sort=newest&platform=douyin"],
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", default=str(ROOT / "data" / "bench" / "search-1m.db"))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--backend", choices=("sqlite", "elasticsearch"), default="sqlite")
    parser.add_argument("--workers", type=int, default=None,
                        help="API worker processes (default: govwatch serve's, one per core)")
    parser.add_argument("--in-process", action="store_true",
                        help="also time the same mix on SqliteBackend.search_posts directly (no HTTP, no API)")
    parser.add_argument("--no-api", action="store_true", help="skip the API run (with --in-process: the store alone)")
    parser.add_argument("--cpu-per-class", type=int, default=0, metavar="ROUNDS",
                        help="also the API's CPU ms per request of each class: one client, each path ROUNDS times")
    parser.add_argument("--no-count-memo", action="store_true",
                        help="with --in-process: keep no match counts between searches (every search counts)")
    parser.add_argument("--node-cpu", type=int, default=0, metavar="ROUNDS",
                        help="Elasticsearch: also the node's CPU per search of each class, one client, ROUNDS rounds")
    parser.add_argument("--no-fresh", action="store_true",
                        help="leave out the new- classes (never-seen queries, bench/search_fresh.py): the mix of "
                        "earlier sessions' figures")
    parser.add_argument("--api-code", default=str(ROOT), metavar="DIR",
                        help="run the API from this checkout (e.g. `git archive main` unpacked): old and new code "
                        "compared with the same bench")
    parser.add_argument("--warm-searches", type=float, default=None, metavar="SECONDS",
                        help="Elasticsearch: the API's start-up searches ([api] warm_searches_seconds, "
                        "search_api/warm_searches.py; default the API's own); 0: none, a cold node's first minute "
                        "as before them")
    parser.add_argument("--keys-dir", help="where the API's keys file (and access log) lives; default a temporary "
                        "folder on disk. /dev/shm shows the search without the access log's fsync per request")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_api(db: Path, folder: Path, store_section: str = "", workers: int | None = None, code: Path = ROOT,
              api_lines: str = "") -> tuple[subprocess.Popen[bytes], str, str]:
    """`govwatch serve` (as deployed) on a free loopback port over `db` (or the [store] section given),
    with a bench key and `api_lines` in its [api] section; `workers` None: serve's default, one per core."""
    from search_api.access.keystore import KeyStore

    keys = folder / "keys.db"
    store = KeyStore(keys)
    _, secret = store.add("bench", "investigator")
    store.close()
    config = folder / "govwatch.toml"
    config.write_text((store_section or f'[store]\nsqlite_path = "{db}"\n') + f'[api]\nkeys_path = "{keys}"\n'
                      "rate_per_minute = 100000000\nrate_burst = 100000000\n" + api_lines, encoding="utf-8")
    port = free_port()
    env = {**os.environ, "GOVWATCH_CONFIG": str(config), "PYTHONPATH": str(code)}
    proc = subprocess.Popen([sys.executable, "-m", "govwatch", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--log-level", "warning", *(["--workers", str(workers)] if workers else [])],
                            env=env, cwd=code)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/health", timeout=1)
            return proc, base, secret
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the API did not start")


def run_clients(base: str, secret: str, mix: Mix, clients: int, seconds: float
                ) -> dict[str, list[float]]:
    """Latencies (ms) per class; each client walks the whole mix in its own shuffled order until time is up
    (a callable in the mix makes the path of each request: bench/search_fresh.py)."""
    paths = [(cls, path) for cls, paths in mix.items() for path in paths]
    headers = {"Authorization": f"Bearer {secret}"}
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(n)
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            while True:  # at least one pass (the warm-up asks for no more)
                for cls, source in rng.sample(paths, len(paths)):
                    path = source() if callable(source) else source  # a "new-" class: a never-seen query
                    started = time.perf_counter()
                    answer = http.get(path)
                    took = (time.perf_counter() - started) * 1000
                    with lock:
                        times[cls].append(took)
                        if answer.status_code != 200:
                            errors.append(f"{answer.status_code} {path}")
                if time.monotonic() >= stop:
                    return

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"errors: {len(errors)}, e.g. {errors[:3]}")
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(times: dict[str, list[float]], clients: int) -> None:
    """p50/p95 per class, then over the repeated classes, the never-seen ("new-") ones and everything."""
    print(f"{'class':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}   ({clients} clients, target p95 <= {TARGET_MS} ms)")
    groups: dict[str, list[float]] = defaultdict(list)
    for cls, values in sorted(times.items()):
        if not cls.endswith(" cpu"):
            groups["all repeated" if not cls.startswith("new-") else "all new"] += values
            groups["all"] += values
        print(f"{cls:<12} {len(values):>6} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f}")
    for name in ("all repeated", "all new", "all"):
        if groups[name] and (name == "all" or len(groups[name]) < len(groups["all"])):
            values = groups[name]
            print(f"{name:<12} {len(values):>6} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f}")
    cpu = [v for cls, values in times.items() if cls.endswith(" cpu") for v in values]
    if cpu:
        print(f"{'all cpu':<12} {len(cpu):>6} {percentile(cpu, 50):>8.1f} {percentile(cpu, 95):>8.1f}")


def extra_routes(base: str, secret: str) -> dict[str, list[str]]:
    """The search page and an account page and its API (issue 10), when this build answers them."""
    headers = {"Authorization": f"Bearer {secret}"}
    candidates = {"page": "/?q=工作", "account-page": "/ui/accounts/weibo/1000000001",
                  "account-api": "/accounts/weibo/1000000001"}
    return {name: [path] for name, path in candidates.items()
            if httpx.get(base + path, headers=headers, timeout=120).status_code == 200}


def api_run(args: argparse.Namespace, db: Path, mix: Mix, store_section: str) -> None:
    """The mix through the API (uvicorn on loopback), after a warm-up pass per client."""
    startup = None
    if args.backend == "elasticsearch":  # what the API's start-up (its warm-up searches) cost the node
        from bench.search_es import NodeCpu
        startup = NodeCpu(os.environ["GOVWATCH_ES_URL"])
    api_lines = f"warm_searches_seconds = {args.warm_searches}\n" if args.warm_searches is not None else ""
    with tempfile.TemporaryDirectory(dir=args.keys_dir) as folder:
        started = time.monotonic()
        proc, base, secret = start_api(db, Path(folder), store_section, args.workers, Path(args.api_code), api_lines)
        try:
            mix.update(extra_routes(base, secret))
            run_clients(base, secret, mix, args.clients, 0.0)  # warm-up: a pass per client (every worker's caches)
            # the workers' start-up threads (registry, matcher; over Elasticsearch the warm-up searches of
            # search_api/warm_searches.py) are not timed: the run begins once the API is idle (--warm-searches 0:
            # without those searches, as a node's first minute was before them). The searches' end is waited
            # for by the clock too: on a loaded machine a worker waiting on the node can look idle.
            if args.backend == "elasticsearch":
                from bench.search_es import wait_warm_searches
                wait_warm_searches(started, args.warm_searches)
            waited = time.monotonic() - started + wait_idle(proc.pid)
            if startup:
                startup.spent(f"the API's start-up and the bench's warm-up pass ({waited:.0f} s)")
            workers = args.workers or default_workers()
            print(f"{args.posts:,} posts, {args.backend}, API code {args.api_code}, {workers} worker(s), {base}; "
                  f"idle {waited:.0f} s after its start; "
                  f"load {load()}")
            node = None
            if args.backend == "elasticsearch":  # the node's own CPU per request: a figure the load cannot inflate
                from bench.search_es import NodeCpu
                node = NodeCpu(os.environ["GOVWATCH_ES_URL"])
            cpu = tree_cpu(proc.pid)
            times = run_clients(base, secret, mix, args.clients, args.seconds)
            cpu = tree_cpu(proc.pid) - cpu
            report(times, args.clients)
            n = sum(len(v) for v in times.values())
            print(f"API CPU {cpu:.1f} s for {n} requests: {1000 * cpu / max(n, 1):.1f} ms a request (all workers); "
                  f"load at the end {load()}")
            if node:
                node.report(n)
            if args.cpu_per_class:
                cpu_per_class(base, secret, proc.pid, mix, args.cpu_per_class)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    db = Path(args.db)
    mix: Mix = {k: [f"/posts?{p}" for p in v] for k, v in MIX.items()}
    store_section = ""
    if args.backend == "elasticsearch":
        from bench.search_es import api_config, build_es_store, es_rare_words

        url = os.environ.get("GOVWATCH_ES_URL", "")
        if not url:
            print("bench/search.py: --backend elasticsearch needs GOVWATCH_ES_URL", file=sys.stderr)
            return 2
        spool = db.parent / "es-bench-spool.db"
        es = build_es_store(url, args.posts, args.accounts, args.seed, spool)
        mix["rare"] = [f"/posts?q={w}" for w in es_rare_words(es, 4)]
        es.close()
        store_section = api_config(url, args.posts, spool)
        if args.node_cpu:
            from bench.search_es import node_cpu_per_class
            node_cpu_per_class(url, args.posts, mix, args.node_cpu)
    else:
        build_store(db, args.posts, args.accounts, args.seed)
        mix["rare"] = [f"/posts?q={w}" for w in rare_words(db, 4)]
    if not args.no_fresh:
        from bench.search_fresh import Fresh
        asked = {p for paths in mix.values() for p in paths if isinstance(p, str)}  # the fixed mix's paths
        mix.update(Fresh(asked=asked).classes())
    if not args.no_api:
        api_run(args, db, mix, store_section)
    if args.in_process:
        print("in process (SqliteBackend.search_posts with platform counts, no HTTP; 'cpu': the search's own CPU time):")
        from bench.search_local import in_process
        report(in_process(db, mix, args.clients, args.seconds, not args.no_count_memo), args.clients)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
