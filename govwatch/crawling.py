"""Running Scrapy spiders from govwatch (CLI and demo) and judging whether the crawl worked."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from govwatch.errors import GovwatchError


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
    if stats.get("finish_reason") not in (None, "finished", "closespider_pagecount"):
        outcome.problems.append(f"finished because {stats.get('finish_reason')}")
    return outcome


def run_spiders(
    names: list[str], config_path: str | None = None, overrides: dict[str, Any] | None = None,
    spider_args: dict[str, dict[str, Any]] | None = None,
) -> list[SpiderOutcome]:
    """Run spiders in one Scrapy process (sequentially sharing its reactor); their outcomes."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if config_path:
        settings.set("GOVWATCH_CONFIG", str(config_path), priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    level = max(logging.root.level, logging.getLevelName(str(settings.get("LOG_LEVEL", "INFO"))))
    process = CrawlerProcess(settings, install_root_handler=False)
    # Scrapy's logging set-up puts its loggers at DEBUG; keep the CLI's choice and LOG_LEVEL.
    for name in ("scrapy", "crawler", "twisted", "scrapy_playwright", "asyncio"):
        logging.getLogger(name).setLevel(level)
    known = set(process.spider_loader.list())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise GovwatchError(f"unknown spider(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler, **(spider_args or {}).get(name, {}))
    process.start()
    return [judge(c.spider.name if c.spider else "?", c.stats.get_stats()) for c in crawlers]
