"""The browser side of the crawl (scrapy-playwright with Debian's chromium), kept to JS-only pages."""

from __future__ import annotations

import os
from typing import Any

from scrapy_playwright.page import PageMethod

# Only these spiders' requests with meta["playwright"] use the browser; everything else is plain HTTP.
HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}
# Images, fonts and media are never needed to read a profile: skip them.
_SKIPPED = frozenset(("image", "font", "media", "stylesheet"))


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: drop resources that do not carry the page's data."""
    return request.resource_type in _SKIPPED


def browser_problem(executable: str) -> str | None:
    """Why the configured browser cannot run (missing or not executable), else None."""
    if not executable:
        return "no browser configured (GOVWATCH_CHROMIUM)"
    if not os.path.isfile(executable):
        return f"browser not found at {executable} (apt-get install chromium fonts-wqy-microhei)"
    if not os.access(executable, os.X_OK):
        return f"browser at {executable} is not executable"
    return None


def render_meta(wait_for: str, timeout_ms: int = 30_000) -> dict[str, Any]:
    """Request meta that renders a page in the browser and waits until `wait_for` matches."""
    return {
        "playwright": True,
        "playwright_page_methods": [PageMethod("wait_for_selector", wait_for, timeout=timeout_ms)],
        "govwatch_expects_json": False,
    }
