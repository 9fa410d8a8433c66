"""Control items the spiders yield besides the data model's Account / Post / Page.

They travel through the item pipelines in the same order as the posts they
follow (CONCURRENT_ITEMS = 1), so the store pipeline can record a source's
checkpoint only once every post of that crawl is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class SourceDone:
    """Paging of a source finished; `details` detail requests (articles, long texts) were issued for it.

    The store pipeline records the new frontier once it has also seen that many
    DetailDone items and flushed: an interrupted crawl can never skip posts it
    had not stored.
    """

    platform: str
    account_id: str
    newest: datetime | None  # newest non-pinned post time seen this crawl
    items: int  # posts (or list entries) scraped for the source this crawl
    details: int = 0


@dataclass
class DetailDone:
    """One detail request of a source is finished; yielded after the post it produced (if any)."""

    platform: str
    account_id: str
    failed: bool = False  # a failed detail keeps the old frontier: the source is retried next crawl
