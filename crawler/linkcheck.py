"""The link checker: fetch every recorded link once, HEAD then GET, and store its status.

Bounded concurrency, per-request timeouts, redirects followed, soft 404s
(a 200 page saying 页面不存在) recognised from the body. Statuses use the
conventions of core.models (LINK_UNREACHABLE, LINK_SOFT_404); audit/content/links.py judges them.
Also fetches a page as a browser and as a search-engine crawler, for cloaking checks.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from core.models import LINK_SOFT_404 as SOFT_404
from core.models import LINK_UNREACHABLE as UNREACHABLE
from core.models import Link
from index.base import Backend

log = logging.getLogger(__name__)

BROWSER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
SPIDER_UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
# Said by the title or a short body of a page that is really missing.
_SOFT_404 = re.compile(
    r"页面不存在|找不到(?:该|您要的|页面)|页面已(?:被)?删除|无法找到|404|not\s*found|does not exist", re.I
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.I | re.S)
# HEAD answers that do not mean the page is gone: the server just does not do HEAD.
_RETRY_WITH_GET = {400, 403, 404, 405, 501}


@dataclass(frozen=True)
class LinkCheckConfig:
    timeout: float = 10.0
    concurrency: int = 8
    max_body: int = 200_000
    user_agent: str = BROWSER_UA


def is_soft_404(body: str) -> bool:
    """A 200 page whose title/heading, or whose short visible text, says the page does not exist."""
    heads = " ".join(a or b for a, b in _TITLE.findall(body))
    if _SOFT_404.search(heads):
        return True
    visible = " ".join(_TAGS.sub(" ", body).split())
    return len(visible) < 300 and bool(re.search(r"页面不存在|您访问的页面|找不到页面", visible))


async def check_url(client: httpx.AsyncClient, url: str, config: LinkCheckConfig) -> int:
    """The status to record for one URL."""
    try:
        head = await client.head(url)
        if head.status_code < 400 and "html" not in head.headers.get("content-type", ""):
            return head.status_code
        if head.status_code >= 400 and head.status_code not in _RETRY_WITH_GET:
            return head.status_code
        async with client.stream("GET", url) as resp:
            if resp.status_code >= 400 or "html" not in resp.headers.get("content-type", "html"):
                return resp.status_code
            body = b""
            async for chunk in resp.aiter_bytes():
                body += chunk
                if len(body) >= config.max_body:
                    break
        text = body.decode(resp.encoding or "utf-8", errors="replace")
        return SOFT_404 if is_soft_404(text) else resp.status_code
    except (httpx.TimeoutException, httpx.TransportError) as exc:
        log.info("link %s unreachable: %s", url, exc)
        return UNREACHABLE


async def check_urls(urls: Iterable[str], config: LinkCheckConfig | None = None) -> dict[str, int]:
    """Status of each distinct http(s) URL, at most `config.concurrency` requests at a time."""
    config = config or LinkCheckConfig()
    todo = sorted({u for u in urls if u.startswith(("http://", "https://"))})
    gate = asyncio.Semaphore(config.concurrency)
    headers = {"User-Agent": config.user_agent}
    async with httpx.AsyncClient(timeout=config.timeout, follow_redirects=True, headers=headers) as client:

        async def one(url: str) -> tuple[str, int]:
            async with gate:
                return url, await check_url(client, url, config)

        return dict(await asyncio.gather(*(one(u) for u in todo)))


def run_linkcheck(
    backend: Backend, config: LinkCheckConfig | None = None, only_hosts: Collection[str] | None = None
) -> dict[str, int]:
    """Check every link the store holds (or those on `only_hosts`) and record the statuses, page by page.

    Returns counts by status. `only_hosts` keeps a check inside a sandbox (the demo and tests check
    only the sample web, never the hosts its spam links point to).
    """
    by_page: dict[str, list[Link]] = defaultdict(list)
    for page_url, link in backend.iter_links():
        if only_hosts is None or urlsplit(link.url).hostname in only_hosts:
            by_page[page_url].append(link)
    statuses = asyncio.run(check_urls((lk.url for links in by_page.values() for lk in links), config))
    counts: dict[str, int] = defaultdict(int)
    for page_url, links in by_page.items():
        checked = [Link(lk.url, lk.text, statuses[lk.url]) for lk in links if lk.url in statuses]
        backend.record_link_status(page_url, checked)
        for lk in checked:
            counts[str(lk.status)] += 1
    log.info("link check: %d pages, statuses %s", len(by_page), dict(counts))
    return dict(counts)


def fetch(url: str, *, spider: bool = False, timeout: float = 15.0) -> tuple[int, bytes, str]:
    """(status, body, content type) of one page, as a browser or as a search-engine crawler."""
    headers = {"User-Agent": SPIDER_UA if spider else BROWSER_UA}
    resp = httpx.get(url, headers=headers, timeout=timeout, follow_redirects=True)
    return resp.status_code, resp.content, resp.headers.get("content-type", "")
