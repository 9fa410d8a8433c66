"""Douyin profiles: JavaScript-only pages rendered in chromium (scrapy-playwright), then parsed.

Only the profile pages go through the browser (meta["playwright"]); the
browser's absence is an ERROR at start, so `govwatch crawl` fails visibly
instead of storing empty profiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.browser import HANDLERS, browser_problem, render_meta
from crawler.pages.douyin import parse_profile, sec_uid_of
from crawler.spiders.base import GovwatchSpider

# The contract's pages mark themselves rendered; real Douyin shows the user-info block.
RENDERED = 'body[data-rendered="1"], [data-e2e="user-info"], [data-e2e="user-not-found"]'


class DouyinSpider(GovwatchSpider):
    name = "douyin"
    crawl_order = 40
    custom_settings = {
        "DOWNLOAD_HANDLERS": HANDLERS,  # without them meta["playwright"] is silently ignored
        "PLAYWRIGHT_ABORT_REQUEST": "crawler.browser.abort_request",
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,  # each is a browser page
    }

    async def start(self) -> Any:
        problem = browser_problem(
            self.settings.get("PLAYWRIGHT_LAUNCH_OPTIONS", {}).get("executable_path", "")
        )
        if problem:
            self.count("browser_missing")
            self.logger.error("douyin: %s; no profile can be rendered", problem)
            return
        for url in self.arg_list("profiles", self.govwatch.sources.douyin_profiles):
            sec_uid = sec_uid_of(url)
            meta = {**render_meta(RENDERED), "govwatch_source": {"platform": "douyin", "account_id": sec_uid}}
            self.count("browser_requests")
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, cb_kwargs={"sec_uid": sec_uid},
                                 dont_filter=True, meta=meta)  # fmt: skip

    def parse(self, response: Response, sec_uid: str) -> Iterator[Any]:
        # A profile the browser did not render is a failed crawl (error=True).
        with self.parsing("douyin_profile", response, missing=("douyin", sec_uid), error=True) as parsed:
            profile = parse_profile(response.text, response.url, self.reference_time)
        if parsed.failed:
            yield from parsed.items
            return
        self.skipped("douyin_posts", response.url, profile.bad_posts)
        yield profile.account
        self.begin_source("douyin", sec_uid)
        yield from profile.posts
        self.saw_posts("douyin", sec_uid, profile.posts)
        yield from self.paging_done("douyin", sec_uid)

    def failed(self, failure: Failure) -> None:
        self.count("errors/douyin_render")
        self.logger.error("douyin %s: rendering failed: %s", failure.request.url, failure.value)  # type: ignore[attr-defined]
