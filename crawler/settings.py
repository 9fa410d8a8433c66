"""Scrapy settings for govwatch's crawler. Each override notes the Scrapy default it replaces."""

import os

from crawler.distributed import redis_settings as _redis_settings

# tldextract (used by Scrapy) would try to download the public-suffix list: no network here.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "govwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Honest identity; government sites are public, but say who is asking. (default: Scrapy/VERSION)
USER_AGENT = "govwatch/0.1 (+https://github.com/govwatch; government new-media supervision)"
ROBOTSTXT_OBEY = True  # default False
TELNETCONSOLE_ENABLED = False  # default True: a listening console is not wanted on servers
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 default True
# default True: Scrapy re-reads a generator callback's source with `ast` on every response to warn about
# `return value` in it (its cache is keyed by bound methods, which die with their request), 1.5 s of an
# 18.5 s crawl. tests/crawler/test_spider_base.py runs the same check once over every spider callback.
WARN_ON_GENERATOR_RETURN_VALUE = False

# default scrapy.statscollectors.MemoryStatsCollector: the same, without a deprecation shim on every call
# (crawler/stats.py; 1.3 s of a profiled 28 s bench crawl).
STATS_CLASS = "crawler.stats.CrawlStats"

CONCURRENT_REQUESTS = 16  # default 16
# default 100: items of one response go through the (synchronous) pipelines in order, one at a time, so a
# source's checkpoint item always follows its posts; it also saves 99 asyncio tasks per response.
CONCURRENT_ITEMS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 8  # default 8
DOWNLOAD_TIMEOUT = 30  # default 180: a government page that takes 30 s is broken
AUTOTHROTTLE_ENABLED = True  # default False
AUTOTHROTTLE_START_DELAY = 0.0  # default 5.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0  # default 1.0
RETRY_TIMES = 3  # default 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429, 418, 432]  # default lacks 418/432
# Rate-limit answers (429/418/432): retried after Retry-After (else backoff), up to this many times.
GOVWATCH_RATE_LIMIT_RETRIES = 8
GOVWATCH_BACKOFF_BASE = 0.5  # seconds; doubled per attempt
GOVWATCH_BACKOFF_MAX = 60.0  # a longer Retry-After gives up (counted, logged)

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,  # replaced (default 550)
    "crawler.middlewares.backoff.BackoffRetryMiddleware": 550,
    "crawler.middlewares.credentials.PlatformCredentialsMiddleware": 560,  # before cookies (700) and proxy (750)
    "crawler.evidence.EvidenceMiddleware": 585,  # just after decompression (590): the bytes the site meant
    # replaced (defaults 580, 600) by subclasses that take the Referer for redirects from the output middleware
    # below, which runs Scrapy's RefererMiddleware (crawler/middlewares/redirect.py): Scrapy's own ones find no
    # RefererMiddleware layer, drop the header and log a warning per spider.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.redirect.GovwatchMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.GovwatchRedirectMiddleware": 600,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.walls.NeedsCredentialsMiddleware": 45,  # before HttpErrorMiddleware (50)
    "crawler.distributed.SharedStartRequests": 40,  # only in a shared crawl (GOVWATCH_CRAWL_QUEUE=redis)
    # default: five layers every callback output passes through. SpiderOutputMiddleware runs the same five
    # middleware objects in the same order in one loop (same Referer, depth, priority, URL-length and
    # start-request handling) and carries checkpoints on the item before them (crawler/middlewares/output.py).
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.start.StartSpiderMiddleware": None,
    "crawler.middlewares.output.SpiderOutputMiddleware": 1000,
}
# Per-platform cookies and proxies; the environment (GOVWATCH_COOKIES_<PLATFORM>,
# GOVWATCH_PROXY_<PLATFORM>) wins. Secrets belong in the environment, not here.
GOVWATCH_COOKIES: dict[str, str] = {}
GOVWATCH_PROXIES: dict[str, str] = {}
# Resumable crawls: each spider keeps its queue in GOVWATCH_JOBDIR/<spider> (off when empty).
GOVWATCH_JOBDIR = os.environ.get("GOVWATCH_JOBDIR", "")
# Incremental-crawl checkpoints (default: crawl_state.db beside the SQLite store).
GOVWATCH_STATE_PATH = os.environ.get("GOVWATCH_STATE_PATH", "")

# Browser for JavaScript-only pages (Douyin): Debian's chromium; Playwright's download does not work.
GOVWATCH_CHROMIUM = os.environ.get("GOVWATCH_CHROMIUM", "/usr/bin/chromium")
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": GOVWATCH_CHROMIUM,
    "headless": True,
    "args": [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ],
}  # fmt: skip
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000  # ms
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
DEPTH_LIMIT = 6  # default 0 (unlimited); gov_site also has its own page budget

# The store and its incremental crawl state: one component per crawler (default: no extra extensions).
EXTENSIONS = {
    # Off through REMOTE_CONTROL_ENABLED already; None also spares each crawl importing aiohttp for it (0.3 s).
    "scrapy.extensions.remote_control.RemoteControl": None,
    "crawler.gcpolicy.GcPolicy": 0,  # start-up objects frozen, young collections every GOVWATCH_GC_THRESHOLD
    "crawler.incremental.CrawlStore": 100,
    "crawler.offload.ParseWorkers": 110,
    "crawler.distributed.SharedCrawlPeers": 500,  # only in a shared crawl (GOVWATCH_CRAWL_QUEUE=redis)
}

ITEM_PIPELINES = {
    "crawler.pipelines.NormalisePipeline": 100,
    "crawler.pipelines.ValidatePipeline": 200,
    "crawler.pipelines.StorePipeline": 300,
}

# govwatch: settings file for sources and store (default: $GOVWATCH_CONFIG or ./govwatch.toml)
GOVWATCH_CONFIG = os.environ.get("GOVWATCH_CONFIG", "")
# Processes that parse government pages and feeds off the reactor thread (crawler/offload.py; 0: none).
GOVWATCH_PARSE_WORKERS = 1
# Young-generation threshold of the garbage collector in the crawl process (crawler/gcpolicy.py; Python's
# default 700; 0 leaves it, and start-up objects unfrozen).
GOVWATCH_GC_THRESHOLD = 10_000
# Items a callback yields go through the item pipelines from the output middleware, without Scrapy's
# per-item queue, coroutine chain and signal tasks, when the pipelines are all govwatch's own
# (crawler/middlewares/direct.py; False in code: through Scrapy, as before).
GOVWATCH_DIRECT_ITEMS = True
GOVWATCH_STORE_BATCH = 500  # items (posts, accounts, pages) buffered before a store write
# The store pipeline writes its batches on a thread of its own (crawler/store_writer.py; False in code, so a
# pipeline driven by hand stays synchronous). Only for a SQLite store in a file, never Elasticsearch.
GOVWATCH_STORE_THREAD = True
# …and that thread's writes (FTS rows, SQLite) run in a process of their own, shared by the crawlers of this
# process (crawler/sidecar.py; False in code): the thread no longer holds the GIL the reactor thread needs.
GOVWATCH_STORE_PROCESS = True
# Evidence snapshots (crawler/evidence.py) likewise: hashed, compressed and recorded in a writer process.
GOVWATCH_EVIDENCE_PROCESS = True
# …or held at most this long (a checkpoint or the spider closing writes them too). Not much lower: a slow
# crawl writes a few items per transaction (1.0 s: 925 writes in a 455 s profiled bench crawl, 436 unbatched).
GOVWATCH_STORE_SECONDS = 5.0

LOG_LEVEL = "INFO"  # default DEBUG
# default scrapy.logformatter.LogFormatter: the same lines, but the per-response and per-item DEBUG ones
# are not even built below DEBUG (Scrapy builds every record and drops it in its handler).
LOG_FORMATTER = "crawler.logformat.QuietLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"  # default None (ASCII-escaped JSON)

# Distributed crawling (crawler/distributed.py): GOVWATCH_CRAWL_QUEUE=redis, GOVWATCH_REDIS_URL,
# GOVWATCH_CRAWL_ID. Off by default (Scrapy's in-memory scheduler and duplicate filter).
globals().update(_redis_settings(os.environ))
