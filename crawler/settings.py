"""Scrapy settings for govwatch's crawler. Each override notes the Scrapy default it replaces."""

import os

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

CONCURRENT_REQUESTS = 16  # default 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8  # default 8
DOWNLOAD_TIMEOUT = 30  # default 180: a government page that takes 30 s is broken
AUTOTHROTTLE_ENABLED = True  # default False
AUTOTHROTTLE_START_DELAY = 0.0  # default 5.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0  # default 1.0
RETRY_TIMES = 3  # default 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429, 418, 432]  # default lacks 418/432
DEPTH_LIMIT = 6  # default 0 (unlimited); gov_site also has its own page budget

ITEM_PIPELINES = {
    "crawler.pipelines.NormalisePipeline": 100,
    "crawler.pipelines.ValidatePipeline": 200,
    "crawler.pipelines.StorePipeline": 300,
}

# govwatch: settings file for sources and store (default: $GOVWATCH_CONFIG or ./govwatch.toml)
GOVWATCH_CONFIG = os.environ.get("GOVWATCH_CONFIG", "")
GOVWATCH_STORE_BATCH = 500  # posts buffered before a store write

LOG_LEVEL = "INFO"  # default DEBUG
FEED_EXPORT_ENCODING = "utf-8"  # default None (ASCII-escaped JSON)
