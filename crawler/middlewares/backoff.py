"""Rate-limit backoff: BackoffRetryMiddleware replaces Scrapy's RetryMiddleware.

429/418/432 are retried after the server's Retry-After (else exponential
backoff), and the download slot is paced for a while so the next requests do
not hit the limit again; other retryable codes and errors behave as in Scrapy.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)


async def sleep(seconds: float) -> None:
    """Non-blocking sleep that works under the asyncio and the default Twisted reactors."""
    if seconds > 0:
        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds named by a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class BackoffConfig:
    rate_limit_codes: frozenset[int]
    rate_limit_retries: int
    base_delay: float
    max_delay: float
    pace_seconds: float  # how long a slot stays paced after its last rate-limit answer
    pace_max: float  # the widest spacing pacing may reach


@dataclass
class _Pace:
    interval: float
    until: float
    next_at: float = 0.0


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware plus Retry-After, exponential backoff and slot pacing."""

    def __init__(self, settings: Any):
        super().__init__(settings)  # raises NotConfigured when RETRY_ENABLED is off
        self.config = BackoffConfig(
            rate_limit_codes=frozenset(
                int(c) for c in settings.getlist("GOVWATCH_RATE_LIMIT_CODES", [429, 418, 432])
            ),
            rate_limit_retries=settings.getint("GOVWATCH_RATE_LIMIT_RETRIES", 8),
            base_delay=settings.getfloat("GOVWATCH_BACKOFF_BASE", 0.5),
            max_delay=settings.getfloat("GOVWATCH_BACKOFF_MAX", 60.0),
            pace_seconds=settings.getfloat("GOVWATCH_RATE_LIMIT_PACE_SECONDS", 30.0),
            pace_max=settings.getfloat("GOVWATCH_RATE_LIMIT_PACE_MAX", 10.0),
        )
        self.retry_http_codes |= self.config.rate_limit_codes
        self.paces: dict[str, _Pace] = {}

    async def process_request(self, request: Request) -> None:
        """Hold a request while its slot is paced after a rate-limit answer."""
        request.meta.pop("govwatch_paced", None)
        if not self.paces:  # nothing paced (the usual case): no need to work out the slot (a URL parse)
            return
        pace = self.paces.get(_slot(request))
        if pace is None:
            return
        now = time.monotonic()
        if now > pace.until:
            del self.paces[_slot(request)]
            return
        request.meta["govwatch_paced"] = pace.interval  # a limit hit despite pacing means: pace slower
        start = max(now, pace.next_at)
        pace.next_at = start + pace.interval
        await sleep(start - now)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if self.paces and response.status not in self.config.rate_limit_codes:
            self._speed_up(_slot(request))
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        if response.status not in self.config.rate_limit_codes:
            delay: float | None = self._backoff(request)
            retry = self._retry(request, f"http_{response.status}")
        else:
            delay = self._rate_limit_delay(request, response)
            retry = None if delay is None else self._rate_limit_retry(request, response.status)
        if retry is None or delay is None:
            return response
        await sleep(delay)
        return retry

    def _rate_limit_retry(self, request: Request, status: int) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(
            request, spider=self.crawler.spider, reason=f"rate_limited_{status}",
            max_retry_times=request.meta.get("max_retry_times", self.config.rate_limit_retries),
        )  # fmt: skip

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await sleep(self._backoff(request))
        return retry

    def _backoff(self, request: Request) -> float:
        attempts = request.meta.get("retry_times", 0)
        return min(self.config.max_delay, self.config.base_delay * 2**attempts)

    def _rate_limit_delay(self, request: Request, response: Response) -> float | None:
        """Delay before retrying a rate-limited request (None: give up), and pace its slot."""
        stats = self.crawler.stats
        stats.inc_value(f"govwatch/rate_limited/{response.status}")
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is None:
            delay = self._backoff(request)
        if delay > self.config.max_delay:
            stats.inc_value("govwatch/rate_limited/gave_up")
            log.warning(
                "%s asks to wait %.0f s (more than %.0f s): giving up",
                request.url,
                delay,
                self.config.max_delay,
            )
            return None
        self._pace(_slot(request), delay, request.meta.get("govwatch_paced"))
        stats.inc_value("govwatch/rate_limit_wait_ms", int(delay * 1000))
        return delay

    def _speed_up(self, slot: str) -> None:
        """Each answer that is not a rate limit shortens the slot's interval a little (AIMD), so a
        server that allows ten requests a second is not held to the pace of its first refusal."""
        pace = self.paces.get(slot)
        if pace is not None:
            pace.interval = max(pace.interval * 0.9, 0.02)

    def _pace(self, slot: str, delay: float, paced_at: float | None) -> None:
        """Space the slot's requests: start at 0.6 × Retry-After; slow down by half when a request that
        already waited its turn is limited again (requests in flight at the first hit do not count)."""
        now = time.monotonic()
        pace = self.paces.get(slot)
        if pace is None:
            self.paces[slot] = _Pace(max(delay * 0.6, 0.05), now + self.config.pace_seconds, now + delay)
            return
        if paced_at is not None and paced_at >= pace.interval:
            pace.interval = min(pace.interval * 1.5, self.config.pace_max)
        pace.until = now + self.config.pace_seconds
        pace.next_at = max(pace.next_at, now + delay)


def _slot(request: Request) -> str:
    return str(request.meta.get("download_slot") or urlsplit(request.url).hostname or "")
