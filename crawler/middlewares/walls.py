"""Login walls: NeedsCredentialsMiddleware (a spider middleware) turns a login wall or captcha answer
into an Account with state "needs_credentials" and counts it, so such a source is never mistaken for
one with no posts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from core.models import Account
from crawler.pages.walls import NeedsCredentials, login_wall_reason
from crawler.sources import source_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WallConfig:
    enabled: bool


class NeedsCredentialsMiddleware:
    """Spider middleware: a login wall or captcha answer becomes a needs_credentials Account."""

    def __init__(self, config: WallConfig, crawler: Any):
        self.config = config
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> NeedsCredentialsMiddleware:
        config = WallConfig(crawler.settings.getbool("GOVWATCH_LOGIN_WALL_DETECTION", True))
        if not config.enabled:
            raise NotConfigured("GOVWATCH_LOGIN_WALL_DETECTION is off")
        return cls(config, crawler)

    def process_spider_input(self, response: Response) -> None:
        """Raise NeedsCredentials before the callback sees a login wall."""
        reason = login_wall_reason(
            response.url, _content_type(response), _text(response), expects_json=_expects_json(response)
        )
        if reason:
            raise NeedsCredentials(reason, source=response.url)

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[Any] | None:
        """NeedsCredentials (from here or a parser) and 401 answers → the source's Account, counted."""
        if isinstance(exception, HttpError) and exception.response.status == 401:
            exception = NeedsCredentials("http_401", source=response.url)
        if not isinstance(exception, NeedsCredentials):
            return None
        platform, account_id = _source(response)
        self.stats.inc_value("govwatch/needs_credentials")
        self.stats.inc_value(f"govwatch/needs_credentials/{platform}")
        log.warning("%s %s needs credentials: %s", platform, account_id or response.url, exception)
        if blocked := getattr(self.crawler.spider, "source_blocked", None):
            blocked(platform, account_id, "needs_credentials")  # so the spider does not call it unfinished
        return [
            Account(platform=platform, account_id=account_id or response.url, name="", url=response.url,
                    state="needs_credentials", found_on=response.url)
        ]  # fmt: skip


def _source(response: Response) -> tuple[str, str]:
    meta = response.meta.get("govwatch_source") or {}
    platform, account_id = source_of(response.request.url if response.request else response.url)
    return meta.get("platform") or platform, str(meta.get("account_id") or account_id)


def _content_type(response: Response) -> str:
    return (response.headers.get("Content-Type") or b"").decode("latin-1")


def _text(response: Response) -> str:
    return response.body[:20000].decode("utf-8", "replace")


def _expects_json(response: Response) -> bool:
    if "govwatch_expects_json" in response.meta:
        return bool(response.meta["govwatch_expects_json"])
    path = (response.request.url if response.request else response.url).split("?", 1)[0]
    return "/api/" in path or "/x/" in path or path.endswith(".json")
