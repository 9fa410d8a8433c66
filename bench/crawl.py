"""Crawl throughput: govwatch's full pipeline versus a bare Scrapy spider on the same sample-web pages.

    .venv/bin/python bench/crawl.py                          # 120 accounts × 40 posts, every plain-HTTP spider
    .venv/bin/python bench/crawl.py --accounts 40 --posts 30   # quicker, noisier
    .venv/bin/python bench/crawl.py --spiders gov_site,wechat,weibo
    .venv/bin/python bench/crawl.py --with-browser           # Douyin's browser spider too (not comparable)

The sample web runs in its own process (loopback, rate limiting off: both
crawls would otherwise measure its 2-requests-a-second limit). One Scrapy
process then runs, on one reactor, first govwatch's spiders together (`govwatch
crawl` and the scheduler run them one after another; here all the pages are one
crawl, as the bare phase is, and the writer processes start once either way,
since run_spiders keeps them for all its spiders) with everything on (parsing,
middlewares, AutoThrottle, validation, SQLite store, crawl state, evidence
snapshots), recording every URL they fetch; then a bare `scrapy.Spider` that
fetches exactly those URLs with the same concurrency settings and does
nothing with them. Figures: pages/s of each and their ratio (target ≥ 0.8),
and the CPU seconds each phase used (a ratio measured while other programs
load the machine says more with them beside it): the crawl process's, the
parse worker and writer processes' (crawler/offload.py: government pages,
feeds and WeChat articles are parsed there; crawler/sidecar.py: the store's
and the evidence's writes) and the sample web's. The bare spider keeps
Scrapy's own stats collector (govwatch's crawler/stats.py is part of the full
pipeline).

Before either phase is timed, one bare fetch loads Scrapy's own lazily
imported parts (the HTTP download handler, whose TLS module alone costs
~0.5 s, default middlewares and extensions). Without it the first phase paid
them and the second got them free; govwatch's own imports stay in the full
phase.

What is compared: spiders whose pages come over plain HTTP. A spider that
renders its pages in Chromium (Douyin) is left out by default: the bare
spider fetches the same URLs without a browser, so that part of the ratio
would measure Chromium, not govwatch (it took 198 of 210 s of a run that
included it). `--with-browser` adds it, and then the share of requests that
went through the browser, which must be exactly the sample web's
JavaScript-only pages (ground truth `js_only`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")

import scrapy  # noqa: E402
from scrapy import signals  # noqa: E402

from crawler.browser import HANDLERS  # noqa: E402
from govwatch.crawling import spider_names  # noqa: E402

TIMEOUT = 600  # seconds: the whole bench is bounded


def uses_browser(name: str) -> bool:
    """True for a spider that fetches through Chromium (its download handlers are scrapy-playwright's)."""
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    spider = get_spider_loader(get_project_settings()).load(name)
    return (getattr(spider, "custom_settings", None) or {}).get("DOWNLOAD_HANDLERS") == HANDLERS


class BareSpider(scrapy.Spider):
    """Fetches a fixed list of URLs and discards the answers."""

    name = "bare"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "DOWNLOADER_MIDDLEWARES": {},
        "SPIDER_MIDDLEWARES": {},
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_HANDLERS": {},
        "STATS_CLASS": "scrapy.statscollectors.MemoryStatsCollector",  # Scrapy's own, not govwatch's CrawlStats
    }

    def __init__(self, urls: list[str], **kwargs: Any):
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Any) -> None:
        return None


def serve(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "sampleweb", "--seed", str(args.seed), "--accounts", str(args.accounts),
           "--posts", str(args.posts), "--no-rate-limit"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def write_config(workdir: Path, base_url: str) -> Path:
    sources = json.load(urllib.request.urlopen(f"{base_url}/sources.json", timeout=30))
    lines = ["[store]", f"sqlite_path = {json.dumps(str(workdir / 'store.db'))}", "[sources]"]
    lines += [
        f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sources.items() if v not in (None, "", [])
    ]
    path = workdir / "govwatch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the sample web's process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # not Linux: the figure is left out
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def workers_cpu() -> float:
    """CPU seconds of the parse workers and writer processes (crawler/offload.py, crawler/sidecar.py), stopped
    here to be counted."""
    from crawler.offload import shutdown_pools
    from crawler.sidecar import shutdown_sidecars

    shutdown_pools()  # a child's CPU time is known once it has exited and been waited for
    shutdown_sidecars()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the sample web is still running: not in it
    return usage.ru_utime + usage.ru_stime


def measure(
    config: Path, now: str, spiders: list[str], overrides: dict[str, str], server: tuple[int, str]
) -> dict[str, Any]:
    """Run the spiders, then the bare spider on the URLs they fetched; timings and URL lists."""
    server_pid, base_url = server
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for key, value in {"GOVWATCH_CONFIG": str(config), "GOVWATCH_REFERENCE_TIME": now, "LOG_LEVEL": "ERROR",
                       "ROBOTSTXT_OBEY": False, "CLOSESPIDER_TIMEOUT": TIMEOUT, **overrides}.items():  # fmt: skip
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(name) for name in spiders]
    warm, bare = process.create_crawler(BareSpider), process.create_crawler(BareSpider)
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():  # the asyncio reactor, before Twisted's default gets imported
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import defer, reactor

    result: dict[str, Any] = {"urls": [], "browser": [], "full_seconds": 0.0, "errors": 0, "per_spider": {}}

    def record(response: Any, request: Any, **_: Any) -> None:
        result["urls"].append(request.url)
        if request.meta.get("playwright"):
            result["browser"].append(request.url)

    @defer.inlineCallbacks
    def run() -> Any:
        try:
            for crawler in crawlers:
                crawler.signals.connect(record, signal=signals.response_received)
            # Untimed: one bare fetch loads Scrapy's own lazily imported parts (download handler, default
            # middlewares and extensions; ~1 s CPU), which the second phase would otherwise get for free.
            cpu = time.process_time()
            yield process.crawl(warm, urls=[f"{base_url}/sources.json"])
            result["warm_cpu"] = time.process_time() - cpu
            started, cpu, web = time.perf_counter(), time.process_time(), server_cpu(server_pid)
            thread = time.thread_time()
            # All spiders at once (`govwatch crawl` runs them one after another): one crawl of every page, as
            # the bare phase below is one crawl of the same pages.
            yield defer.DeferredList([process.crawl(crawler) for crawler in crawlers])
            result["full_seconds"] = time.perf_counter() - started
            result["full_cpu"] = time.process_time() - cpu
            result["full_thread_cpu"] = time.thread_time() - thread
            result["full_web_cpu"] = server_cpu(server_pid) - web
            result["workers_cpu"] = workers_cpu()
            for name, crawler in zip(spiders, crawlers, strict=True):
                stats = crawler.stats.get_stats()
                result["errors"] += int(stats.get("log_count/ERROR", 0))
                for key in ("stored/posts_inserted", "sources_completed"):  # the same work done, old code or new
                    result[key] = result.get(key, 0) + int(stats.get(f"govwatch/{key}", 0))
                result["per_spider"][name] = (
                    stats.get("response_received_count", 0),
                    stats.get("elapsed_time_seconds", 0),
                )
            started, cpu, web = time.perf_counter(), time.process_time(), server_cpu(server_pid)
            thread = time.thread_time()
            yield process.crawl(bare, urls=list(result["urls"]))
            result["bare_seconds"] = time.perf_counter() - started
            result["bare_cpu"] = time.process_time() - cpu
            result["bare_thread_cpu"] = time.thread_time() - thread
            result["bare_web_cpu"] = server_cpu(server_pid) - web
            result["bare_pages"] = bare.stats.get_value("response_received_count", 0)
        finally:
            reactor.stop()  # type: ignore[misc]  # Twisted types the global reactor's methods as attributes

    reactor.callWhenRunning(run)
    process.start(stop_after_crawl=False)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=7)
    # Big enough that the comparison is not noise (a 5-second run on a shared machine varies ±30 %).
    parser.add_argument("--accounts", type=int, default=120)
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--spiders", help="comma-separated (default: every spider, less browser ones)")
    parser.add_argument("--with-browser", action="store_true", help="keep spiders that render in Chromium")
    parser.add_argument(
        "-s", dest="settings", action="append", default=[], help="override a Scrapy setting KEY=VALUE"
    )
    args = parser.parse_args()
    spiders = args.spiders.split(",") if args.spiders else spider_names()
    args.left_out = [] if args.with_browser else [name for name in spiders if uses_browser(name)]
    args.spiders = [name for name in spiders if name not in args.left_out]
    load = os.getloadavg()[0]
    server, base_url = serve(args)
    try:
        truth = json.load(urllib.request.urlopen(f"{base_url}/ground_truth.json", timeout=30))
        with tempfile.TemporaryDirectory() as tmp:
            overrides = dict(item.split("=", 1) for item in args.settings)
            config = write_config(Path(tmp), base_url)
            result = measure(config, truth["now"], args.spiders, overrides, (server.pid, base_url))
    finally:
        server.terminate()
        server.wait(timeout=10)
    args.load = (load, os.getloadavg()[0])
    report(result, set(truth.get("js_only", [])), args)
    return 0


def report(result: dict[str, Any], js_only: set[str], args: argparse.Namespace) -> None:
    pages = len(result["urls"])
    full_rate = pages / result["full_seconds"]
    bare_rate = result["bare_pages"] / result["bare_seconds"]
    print(f"sample web: seed {args.seed}, {args.accounts} accounts × {args.posts} posts (rate limiting off); "
          f"load average {args.load[0]:.1f} at start, {args.load[1]:.1f} at the end (2 cores)")
    print(f"spiders: {', '.join(args.spiders)}"
          + (f"; left out: {', '.join(args.left_out)} (renders in a browser: not comparable with bare Scrapy; "
             "--with-browser adds it)" if args.left_out else ""))
    for name, (count, seconds) in result["per_spider"].items():
        print(f"  {name:10s} {count:5d} pages in {seconds:6.2f} s")
    print(f"untimed warm-up (one bare fetch: Scrapy's own imports): CPU {result['warm_cpu']:.1f} s")
    print(f"full pipeline : {pages} pages in {result['full_seconds']:.2f} s = {full_rate:.1f} pages/s, "
          f"CPU {result['full_cpu']:.1f} s (reactor thread {result['full_thread_cpu']:.1f} s) "
          f"+ parse workers and writers {result['workers_cpu']:.1f} s, "
          f"sample web CPU {result['full_web_cpu']:.1f} s ({result['errors']} errors logged; "
          f"{result['stored/posts_inserted']} posts stored, {result['sources_completed']} sources completed)")
    print(f"bare Scrapy   : {result['bare_pages']} pages in {result['bare_seconds']:.2f} s = {bare_rate:.1f} pages/s, "
          f"CPU {result['bare_cpu']:.1f} s (reactor thread {result['bare_thread_cpu']:.1f} s), sample web CPU {result['bare_web_cpu']:.1f} s")
    print(f"ratio full/bare: {full_rate / bare_rate:.2f} (target ≥ 0.8)")
    # Same pages in both phases: bare CPU ÷ full CPU is the ratio a crawl bound by its own CPU would reach.
    print(f"CPU ratio bare/full: {result['bare_cpu'] / max(result['full_cpu'], 1e-9):.2f}")
    if args.with_browser:
        browser = set(result["browser"])
        exact = "exactly the JS-only pages" if browser == js_only else f"JS-only pages {len(js_only)}, mismatch"
        print(f"browser requests: {len(browser)} of {pages} = {len(browser) / pages:.1%} ({exact})")


if __name__ == "__main__":
    sys.exit(main())
