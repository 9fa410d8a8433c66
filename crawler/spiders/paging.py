"""The cursor-paging base of platform spiders whose posts come in pages (Weibo, Bilibili).

See crawler/spiders/base.py for what every spider shares and the recipe for adding a platform.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response

from core.models import Account, Post
from crawler.spiders.base import GovwatchSpider


class CursorPagingSpider(GovwatchSpider):
    """A platform whose posts come in pages, each naming the cursor of the next one.

    The cursor is whatever the platform pages by: Weibo's `since_id`, Bilibili's
    `offset`, or a page number (a parser that only says "there is more" returns
    str(page + 1)); an empty cursor means the last page. A subclass sets
    `platform` (and `max_pages`), and implements `page_request`; its start or
    profile callback yields `first_page(account_id)`, its page callback ends with
    `yield from self.next_page(account_id, posts, cursor, page)`.
    """

    platform: ClassVar[str]
    max_pages: ClassVar[int] = 50  # per account and crawl; older history comes incrementally

    def page_request(self, account_id: str, cursor: str, page: int) -> scrapy.Request:
        """The request for page `page` (1-based) of an account's posts, starting at `cursor` ("" first)."""
        raise NotImplementedError

    def read_profile(
        self, response: Response, account_id: str, parse: Callable[[str, str, datetime], Account], *then: Any
    ) -> Iterator[Any]:
        """A profile answer: its Account (or the Account marked missing), the `then` requests, the first page."""
        with self.parsing(f"{self.platform}_profile", response, missing=(self.platform, account_id)) as parsed:
            account = parse(response.text, response.url, self.reference_time)
        if parsed.failed:
            yield from parsed.items
            return
        yield account
        yield from then
        yield self.first_page(account_id)

    def first_page(self, account_id: str) -> scrapy.Request:
        """Start (or resume) the source and request its first page."""
        self.begin_source(self.platform, account_id)
        return self.page_request(account_id, "", 1)

    def next_page(self, account_id: str, posts: list[Post], cursor: str | None, page: int) -> Iterator[Any]:
        """After a page's posts: the next page's request, or the source's SourceDone when paging is over
        (no cursor, an empty page, `max_pages` reached, or the last crawl's frontier reached)."""
        reached = self.saw_posts(self.platform, account_id, posts)
        if cursor and posts and page < self.max_pages and not reached:
            yield self.page_request(account_id, cursor, page + 1)
        else:
            yield from self.paging_done(self.platform, account_id)
