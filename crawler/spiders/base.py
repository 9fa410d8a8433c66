"""What every govwatch spider shares: its sources from govwatch settings, a reference time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import scrapy

from govwatch.config import Settings, load_settings


class GovwatchSpider(scrapy.Spider):
    """A spider whose start points come from the `[sources]` settings (or spider arguments)."""

    govwatch: Settings
    reference_time: datetime

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> GovwatchSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.govwatch = load_settings(crawler.settings.get("GOVWATCH_CONFIG") or None)
        fixed = crawler.settings.get("GOVWATCH_REFERENCE_TIME")
        spider.reference_time = (
            datetime.fromisoformat(fixed) if fixed else datetime.now().replace(microsecond=0)
        )
        return spider

    def arg_list(self, name: str, default: tuple[str, ...]) -> list[str]:
        """A comma-separated spider argument (-a name=a,b) or the configured default."""
        value = getattr(self, name, None)
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return list(default)

    def count(self, key: str, value: int = 1) -> None:
        """Increment a namespaced stats counter (govwatch/<key>)."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"govwatch/{key}", value)
