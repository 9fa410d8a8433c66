"""Control items the spiders yield besides the data model's Account / Post / Page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class SourceDone:
    """A source's crawl finished: the store pipeline flushes, then records the new frontier.

    Yielded after every Post of the source, so recording completion only after
    the flush means an interrupted crawl can never skip posts it had not stored.
    """

    platform: str
    account_id: str
    newest: datetime | None  # newest non-pinned post time seen this crawl
    items: int  # posts scraped for the source this crawl
    complete: bool = True  # False when a detail page failed: keep the old frontier, retry next crawl
