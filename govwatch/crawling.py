"""Running Scrapy spiders from govwatch (CLI and demo) and judging whether the crawl worked."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from core.errors import GovwatchError


@dataclass
class SpiderOutcome:
    """What one spider did, from its Scrapy stats; `problems` says why it counts as failed."""

    name: str
    stats: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        return int(self.stats.get("item_scraped_count", 0))

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def judge(name: str, stats: dict[str, Any]) -> SpiderOutcome:
    """A crawl fails visibly: logged errors, or a spider that stored nothing at all."""
    outcome = SpiderOutcome(name, stats)
    errors = int(stats.get("log_count/ERROR", 0))
    if errors:
        outcome.problems.append(f"{errors} errors logged")
    if store_error := stats.get("govwatch/store_error"):
        outcome.problems.append(f"store failed: {store_error}")
    elif stats.get("finish_reason") not in (None, "finished", "closespider_pagecount"):
        outcome.problems.append(f"finished because {stats.get('finish_reason')}")
    return outcome


def _outcome(crawler: Any, crashed: dict[Any, str]) -> SpiderOutcome:
    """The crawler's outcome; one that could not even start is a failure with the reason."""
    name = crawler.spider.name if crawler.spider else crawler.spidercls.name
    try:
        stats = crawler.stats.get_stats()
    except RuntimeError:  # Scrapy never got as far as making its stats
        stats = {}
    outcome = judge(name, stats)
    if crawler in crashed:
        outcome.problems.append(f"crashed: {crashed[crawler]}")
    return outcome


def spider_names() -> list[str]:
    """Every spider of the project, from Scrapy's spider loader, in crawl order (`crawl_order`).

    Government sites come first and discovery last; a new spider is picked up
    by `govwatch crawl`, the demo and bench/crawl.py without being listed anywhere.
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.project import get_project_settings

    loader = get_spider_loader(get_project_settings())
    return sorted(loader.list(), key=lambda name: (getattr(loader.load(name), "crawl_order", 50), name))


def run_spiders(
    names: list[str], config_path: str | None = None, overrides: dict[str, Any] | None = None,
    spider_args: dict[str, dict[str, Any]] | None = None,
) -> list[SpiderOutcome]:
    """Run spiders one after another in one Scrapy process; their outcomes."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if config_path:
        settings.set("GOVWATCH_CONFIG", str(config_path), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    level = max(logging.root.level, logging.getLevelName(str(settings.get("LOG_LEVEL", "INFO"))))
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    settings.set("LOG_LEVEL", logging.getLevelName(level), priority="cmdline")
    # Scrapy's logging set-up puts its loggers at DEBUG; the CLI's handlers keep the level asked for.
    for handler in logging.root.handlers:
        handler.addFilter(lambda record: record.levelno >= level)
    process = CrawlerProcess(settings)
    known = set(process.spider_loader.list())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise GovwatchError(f"unknown spider(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    crawlers = [process.create_crawler(name) for name in names]
    from scrapy.utils.reactor import install_reactor, is_reactor_installed

    if not is_reactor_installed():  # before Twisted's default reactor gets imported below
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    from twisted.internet import defer, reactor

    crashed: dict[Any, str] = {}

    @defer.inlineCallbacks
    def one_after_another() -> Any:
        # Sequential, so each spider's log_count/ERROR is its own (the log counter is process-wide).
        try:
            for crawler in crawlers:
                try:
                    yield process.crawl(crawler, **(spider_args or {}).get(crawler.spidercls.name, {}))
                except Exception as exc:  # one spider's crash must not stop the others or the summary
                    logging.getLogger(__name__).exception("%s crashed", crawler.spidercls.name)
                    crashed[crawler] = f"{type(exc).__name__}: {exc}"
        finally:
            if reactor.running:  # type: ignore[attr-defined]  # a signal may have stopped it already
                reactor.stop()  # type: ignore[attr-defined,misc]

    reactor.callWhenRunning(one_after_another)  # type: ignore[attr-defined]
    from crawler.sidecar import kept

    with kept():  # one store and one evidence writer process for all the spiders, not one each
        process.start(stop_after_crawl=False)
    return [_outcome(c, crashed) for c in crawlers]
