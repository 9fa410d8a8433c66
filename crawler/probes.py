"""Fetching for the post-crawl probes: a page as a browser or as a search-engine crawler.

audit/content/probes.py judges what comes back (cloaking, clones);
`govwatch check links`, `check page` and the demo pass a ProbeFetcher to it.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from crawler.linkcheck import BROWSER_UA, SPIDER_UA
from crawler.pages.encoding import decode_text

log = logging.getLogger(__name__)


class ProbeFetcher:
    """GET a page as a browser or, with spider=True, as Baiduspider; its decoded text when it answered 200.

    Failures (timeouts, refused connections) are counted in `errors` and give None.
    """

    def __init__(self, timeout: float = 10.0) -> None:
        self.client = httpx.Client(timeout=timeout, follow_redirects=True)
        self.errors = 0

    def __call__(self, url: str, *, spider: bool = False) -> str | None:
        try:
            response = self.client.get(url, headers={"User-Agent": SPIDER_UA if spider else BROWSER_UA})
        except httpx.HTTPError as exc:
            self.errors += 1
            log.info("probe %s: %s", url, exc)
            return None
        if response.status_code != 200:
            return None
        return decode_text(response.content, response.headers.get("content-type")).text

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ProbeFetcher:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
