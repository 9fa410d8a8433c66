"""What every govwatch spider shares: sources from govwatch settings, a reference time, and
per-source bookkeeping for incremental, resumable crawls that fail visibly.

A spider calls `begin_source` before paging an account (it returns the frontier
to stop at), `saw_posts` for each page, `detail_started` / `detail_done`
around detail requests and `paging_done` at the end of paging. Each is the
crawler's CrawlStore's (crawler/incremental.py), which keeps every source's
run; the SourceDone and DetailDone checkpoints they return are yielded after
the posts they cover and go to that same component, which records a durable
checkpoint once everything the crawl fetched for the source is stored. At
close, a source that scraped nothing although its last crawl did, or that
never completed, is logged as an ERROR so `govwatch crawl` exits non-zero.

Callbacks parse inside `with self.parsing(key, response) as parsed:` (a
ParseError is counted and logged, a platform's "no such account" answer
becomes a missing Account), and paged platforms subclass CursorPagingSpider
(crawler/spiders/paging.py: since_id, offset or page-number cursors) so a
page callback ends with `yield from self.next_page(...)`.

Adding a platform (say "xiaohongshu") touches these files, in this order:
1. core/platforms.py: the identifier in PLATFORMS (if new), its label, the words
   pages and registries use for it (PLATFORM_WORDS) and its hosts (PLATFORM_HOSTS);
2. core/config.py: the `[sources]` settings that list its accounts (API base, ids);
3. crawler/pages/<platform>.py: pure parsers of its answers (no Scrapy), raising
   ParseError / AccountMissing (core/errors.py); tests on saved answers under
   tests/fixtures/platforms/;
4. crawler/spiders/<platform>.py: a CursorPagingSpider (paging.py) or GovwatchSpider with
   `name`, `platform`, `crawl_order`, `start()` and the callbacks; Scrapy's spider
   loader finds it, `govwatch crawl`, the demo and bench/crawl.py run it;
5. sampleweb/ (optional, for offline tests): a route answering like the platform;
6. (optional) if pages write the platform in a shape of its own, its words join that
   shape's pattern: the @name, 关注…账号 and QR-caption forms in crawler/pages/mention_forms.py
   and mentions.py, feed-title suffixes in crawler/pages/feeds.py. Quoted names, labels and
   tables read PLATFORM_WORDS already.
Nothing else lists platforms: registry import, mentions, the audit rules and the API read the
vocabulary from core/platforms.py (tests/test_one_definition.py fails on a second word table
or spider list).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import scrapy

from core.config import Settings, load_settings
from core.errors import AccountMissing, ParseError
from core.models import Account, Post
from crawler.incremental import CrawlStore, SourceRun
from crawler.offload import ParseWorkers

T = TypeVar("T")


@dataclass
class Parsed:
    """What a `parsing` block came to: `ok` when the parser returned; else `items` to yield instead."""

    ok: bool = False
    items: list[Any] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return not self.ok


class GovwatchSpider(scrapy.Spider):
    """A spider whose start points come from the `[sources]` settings (or spider arguments)."""

    govwatch: Settings
    reference_time: datetime
    # Where `govwatch crawl` and the demo run this spider among all of them (lower first):
    # government sites first (their pages name the accounts), discovery last.
    crawl_order: ClassVar[int] = 50
    # True for a spider whose callbacks `await self.offload(...)`: the parse workers start as it opens.
    parses_in_workers: ClassVar[bool] = False

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Each spider keeps its own JOBDIR under GOVWATCH_JOBDIR (queues and seen-requests are per spider)."""
        super().update_settings(settings)
        if (base := settings.get("GOVWATCH_JOBDIR")) and not settings.get("JOBDIR"):
            settings.set("JOBDIR", str(Path(base) / cls.name), priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> GovwatchSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.govwatch = load_settings(crawler.settings.get("GOVWATCH_CONFIG") or None)
        fixed = crawler.settings.get("GOVWATCH_REFERENCE_TIME")
        spider.reference_time = (
            datetime.fromisoformat(fixed) if fixed else datetime.now().replace(microsecond=0)
        )
        if jobdir := crawler.settings.get("JOBDIR"):
            spider.guard_jobdir(Path(jobdir))
        return spider

    def guard_jobdir(self, jobdir: Path) -> None:
        """Distrust a JOBDIR whose last crawl was killed (SIGKILL, power loss).

        Scrapy saves its disk queue's bookkeeping only on a clean stop; after a
        kill the queue hands out stale requests and silently drops new ones. So
        a killed crawl's queue and seen-requests are discarded and the crawl
        restarts from its sources: posts already stored stay, and sources the
        killed crawl had not finished are paged again down to their old
        frontier (crawler.state), so nothing is lost and nothing stored twice.
        """
        marker = jobdir / "govwatch.running"
        if marker.exists():
            self.logger.warning(
                "%s: the last crawl was killed; its queue is discarded and sources re-paged", jobdir
            )
            discard_queue(jobdir)
            self.jobdir_discarded = True  # counted in stats once the crawl has them (start)
        jobdir.mkdir(parents=True, exist_ok=True)
        marker.touch()
        self._marker = marker

    jobdir_discarded = False

    def _note_jobdir(self) -> None:
        if self.jobdir_discarded:
            self.count("jobdir_discarded")
            self.jobdir_discarded = False

    async def offload(self, parser: Callable[..., T], *args: Any) -> T:
        """parser(*args), a pure crawler.pages function, in a parse worker process (crawler/offload.py)."""
        workers = ParseWorkers.of(getattr(self, "crawler", None))
        return await workers.run(parser, *args) if workers else parser(*args)

    def arg_list(self, name: str, default: tuple[str, ...]) -> list[str]:
        """A comma-separated spider argument (-a name=a,b) or the configured default."""
        value = getattr(self, name, None)
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return list(default)

    def parse_failed(self, key: str, exc: Exception, *, error: bool = True) -> None:
        """A response its parser rejected: counted (govwatch/parse_errors/KEY) and logged; the crawl goes on.

        A platform answer of the wrong shape (garbage, another endpoint's answer) makes the crawl fail
        (log_count/ERROR): "0 items" must never read as ok. `error=False` for one page or detail among
        many (an article, a long text) whose source is retried next crawl anyway.
        """
        self.count(f"parse_errors/{key}")
        self.logger.log(logging.ERROR if error else logging.WARNING, "%s", exc)

    @contextmanager
    def parsing(
        self, key: str, response: Any, *, missing: tuple[str, str] | bool = False, error: bool = True
    ) -> Iterator[Parsed]:
        """Run a parser inside `with`; its errors end the block, never the crawl.

        A ParseError is counted and logged (`parse_failed(key, ..., error=error)`): by default an
        error that fails the crawl (an answer of the wrong shape); `error=False` for one page among many.
        With `missing`, an AccountMissing answer means the platform says the account
        is gone: counted (accounts_missing) and logged; given (platform, account_id),
        `parsed.items` holds that Account marked missing, for the callback to yield.
        """
        parsed = Parsed()
        try:
            yield parsed
        except AccountMissing as exc:
            if missing is False:
                self.parse_failed(key, exc, error=error)
                return
            self.count("accounts_missing")
            self.logger.info("%s", exc)
            if isinstance(missing, tuple):
                platform, account_id = missing
                parsed.items.append(Account(platform=platform, account_id=account_id, name="", state="missing",
                                            url=response.url))  # fmt: skip
        except ParseError as exc:
            self.parse_failed(key, exc, error=error)
        else:
            parsed.ok = True

    def source_request(self, url: str, callback: Any, platform: str, account_id: str, **kwargs: Any) -> scrapy.Request:
        """A request for one source (account): tagged for the middlewares, never filtered as a duplicate
        (a resumed JOBDIR must not skip it); `kwargs` are Request arguments (cb_kwargs, errback, meta …)."""
        meta = {**kwargs.pop("meta", {}), "govwatch_source": {"platform": platform, "account_id": account_id}}
        return scrapy.Request(url, callback=callback, dont_filter=True, meta=meta, **kwargs)

    def skipped(self, key: str, url: str, reasons: Iterable[str]) -> None:
        """Items a parser left out of an otherwise good response, each counted and logged with its reason."""
        for reason in reasons:
            self.count(f"skipped/{key}")
            self.logger.info("%s: %s", url, reason)

    def count(self, key: str, value: int = 1) -> None:
        """Increment a namespaced stats counter (govwatch/<key>)."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"govwatch/{key}", value)

    # incremental crawling ------------------------------------------------
    @cached_property
    def incremental(self) -> CrawlStore:
        """The crawler's store and crawl state (spiders never open the store themselves).

        Looked up on first use, once the crawler's extensions exist (Scrapy builds them after the
        spider), and kept: the look-up searches every extension, and callbacks ask for it per page.
        """
        return CrawlStore.of(self.crawler)

    @property
    def sources(self) -> dict[tuple[str, str], SourceRun]:
        """This crawl's sources so far, by (platform, account id)."""
        unit = self.crawler.get_extension(CrawlStore)
        return unit.runs if unit is not None else {}

    def begin_source(self, platform: str, account_id: str) -> SourceRun:
        """Start (or resume) a source; its run carries the frontier to stop paging at and the known post ids."""
        self._note_jobdir()
        return self.incremental.source(platform, account_id, self.reference_time)

    def saw_posts(self, platform: str, account_id: str, posts: list[Post]) -> bool:
        """Count a page's posts; True when the page reached the frontier (stop paging)."""
        return self.begin_source(platform, account_id).saw(posts)

    def detail_started(self, platform: str, account_id: str) -> None:
        """A detail request (long text, article) of the source is out; yield detail_done when it ends."""
        self.begin_source(platform, account_id).detail_started()

    def detail_done(self, platform: str, account_id: str, *, failed: bool = False) -> list[Any]:
        """[DetailDone]: yield it after the detail's post, so the store sees the post first."""
        return [self.begin_source(platform, account_id).detail_done(failed)]

    def paging_done(self, platform: str, account_id: str) -> list[Any]:
        """[SourceDone]: paging is over, no detail request of this source will follow."""
        done = self.begin_source(platform, account_id).end_paging()
        return [done] if done is not None else []

    def source_blocked(self, platform: str, account_id: str, reason: str) -> None:
        """A source the platform says is missing or needs credentials: not a crawl failure."""
        run = self.sources.get((platform, account_id))
        if run is not None:
            run.blocked = reason

    def closed(self, reason: str) -> None:
        """Log sources that went silent or never completed as errors (the crawl then fails)."""
        for (platform, account_id), run in self.sources.items():
            if run.blocked:
                continue
            if run.finished and run.items == 0 and (run.state.last_items or 0) > 0:
                self.crawler.stats.inc_value("govwatch/sources_silent")  # ops.alerts: "source yields nothing"
                self.logger.error(
                    "%s %s: no posts this crawl, %d last crawl (page layout changed?)",
                    platform, account_id, run.state.last_items,
                )  # fmt: skip
            elif not run.finished and reason == "finished":
                self.logger.error("%s %s: crawl did not complete (see warnings above)", platform, account_id)
        if marker := getattr(self, "_marker", None):
            if reason != "shutdown":  # done (or failed): the next run is a new crawl, not the rest of this one
                discard_queue(marker.parent)
            marker.unlink(missing_ok=True)  # a clean stop: Scrapy saved its queue, resume may trust it


def discard_queue(jobdir: Path) -> None:
    """Forget a JOBDIR's pending requests and seen-requests (its spider state may stay).

    A finished crawl's seen-requests would make the next crawl with the same
    JOBDIR skip every page it already saw (3 requests instead of 159).
    """
    shutil.rmtree(jobdir / "requests.queue", ignore_errors=True)
    (jobdir / "requests.seen").unlink(missing_ok=True)
