"""Downloader and spider middlewares: rate-limit backoff, login walls, per-platform credentials.

- BackoffRetryMiddleware replaces Scrapy's RetryMiddleware: 429/418/432 are
  retried after the server's Retry-After (else exponential backoff), and the
  download slot is paced for a while so the next requests do not hit the limit
  again; other retryable codes and errors behave as in Scrapy.
- NeedsCredentialsMiddleware (spider middleware) turns a login wall or
  captcha answer into an Account with state "needs_credentials" and counts it,
  so such a source is never mistaken for one with no posts.
- PlatformCredentialsMiddleware adds per-platform cookies and proxies from
  settings or the environment (GOVWATCH_COOKIES_<PLATFORM>, GOVWATCH_PROXY_<PLATFORM>).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from core.models import PLATFORMS, Account
from crawler.pages.walls import NeedsCredentials, login_wall_reason
from crawler.sources import source_of

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
        pace = self.paces.get(_slot(request))
        request.meta.pop("govwatch_paced", None)
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
        if response.status not in self.config.rate_limit_codes:
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


@dataclass(frozen=True)
class CredentialsConfig:
    cookies: dict[str, dict[str, str]] = field(default_factory=dict)  # platform → cookie name → value
    proxies: dict[str, str] = field(default_factory=dict)  # platform → proxy URL
    cookie_jar: bool = True  # COOKIES_ENABLED: hand cookies to the jar, else send a Cookie header


def parse_cookie_header(value: str) -> dict[str, str]:
    """ "a=1; b=2" (as copied from a browser) → {"a": "1", "b": "2"}."""
    pairs = (part.split("=", 1) for part in value.split(";") if "=" in part)
    return {name.strip(): val.strip() for name, val in pairs if name.strip()}


def credentials_config(
    settings: Any, environ: dict[str, str] | os._Environ[str] = os.environ
) -> CredentialsConfig:
    """Cookies and proxies per platform: settings GOVWATCH_COOKIES / GOVWATCH_PROXIES, then the environment."""
    cookies = {p: parse_cookie_header(v) for p, v in (settings.getdict("GOVWATCH_COOKIES") or {}).items()}
    proxies = dict(settings.getdict("GOVWATCH_PROXIES") or {})
    for platform in PLATFORMS:
        if value := environ.get(f"GOVWATCH_COOKIES_{platform.upper()}"):
            cookies[platform] = parse_cookie_header(value)
        if value := environ.get(f"GOVWATCH_PROXY_{platform.upper()}"):
            proxies[platform] = value
    return CredentialsConfig(
        {p: c for p, c in cookies.items() if c},
        {p: u for p, u in proxies.items() if u},
        settings.getbool("COOKIES_ENABLED", True),
    )


class PlatformCredentialsMiddleware:
    """Downloader middleware: the platform's cookies and proxy on each of its requests."""

    def __init__(self, config: CredentialsConfig):
        self.config = config

    @classmethod
    def from_crawler(cls, crawler: Any) -> PlatformCredentialsMiddleware:
        config = credentials_config(crawler.settings)
        if not (config.cookies or config.proxies):
            raise NotConfigured  # no message: Scrapy would log one as a warning on every crawl
        log.info("credentials for %s, proxies for %s", sorted(config.cookies), sorted(config.proxies))
        return cls(config)

    def process_request(self, request: Request) -> None:
        platform = request.meta.get("govwatch_platform") or source_of(request.url)[0]
        if cookies := self.config.cookies.get(platform):
            if not self.config.cookie_jar:
                request.headers.setdefault("Cookie", "; ".join(f"{n}={v}" for n, v in cookies.items()))
            elif isinstance(request.cookies, dict):  # the jar (CookiesMiddleware, after this one) sends them
                for name, value in cookies.items():
                    request.cookies.setdefault(name, value)
            else:
                request.cookies = [*request.cookies, *({"name": n, "value": v} for n, v in cookies.items())]  # type: ignore[list-item]
        if (proxy := self.config.proxies.get(platform)) and "proxy" not in request.meta:
            request.meta["proxy"] = proxy
