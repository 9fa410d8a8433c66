"""Per-platform credentials: PlatformCredentialsMiddleware adds cookies and proxies from settings or
the environment (GOVWATCH_COOKIES_<PLATFORM>, GOVWATCH_PROXY_<PLATFORM>).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request
from scrapy.exceptions import NotConfigured

from core.models import PLATFORMS
from crawler.sources import source_of

log = logging.getLogger(__name__)


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
