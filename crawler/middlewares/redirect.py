"""Redirects with the Referer that Scrapy's RefererMiddleware would give them, found where govwatch keeps it.

Scrapy 2.19's RedirectMiddleware and MetaRefreshMiddleware look up a running
RefererMiddleware as the engine starts, to set the Referer header of a
redirected request; finding none, they drop the header and log a WARNING.
crawler/settings.py switches RefererMiddleware off as a layer of its own: the
output middleware (crawler/middlewares/output.py) runs that very middleware as
one of its parts. So every spider logged the warning twice (dozens of lines in
`make demo`), and redirects went out without a Referer although
REFERER_ENABLED is on. These subclasses use the two public hooks Scrapy gives
for this, `from_crawler` and `handle_referer` ("override this method if you use
a different Scrapy component to handle Referer headers"): at engine start they
find the output middleware's Referer part (or, without the output middleware, a
RefererMiddleware of its own), and a redirect gets the same Referer as with
Scrapy's default layers. With REFERER_ENABLED = False there is no part and, as
intended, no Referer and no warning; with it on and no Referer middleware at
all, one WARNING says redirects go without one.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.http import Response
from scrapy.spidermiddlewares.referer import RefererMiddleware

from crawler.middlewares.output import SpiderOutputMiddleware

log = logging.getLogger(__name__)


class RefererFromOutput:
    """Mixin for a Scrapy redirect middleware: the Referer part of the output middleware, if it runs one."""

    crawler: Any
    referer: RefererMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        middleware = cls(crawler.settings)  # type: ignore[call-arg]  # BaseRedirectMiddleware(settings)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.find_referer, signal=signals.engine_started)
        return middleware

    def find_referer(self) -> None:
        """Once the spider middlewares exist: the RefererMiddleware that sets Referer headers, if any runs."""
        output = self.crawler.get_spider_middleware(SpiderOutputMiddleware)
        if output is not None:
            self.referer = output.part(RefererMiddleware)
        else:
            self.referer = self.crawler.get_spider_middleware(RefererMiddleware)
        if self.referer is None and self.crawler.settings.getbool("REFERER_ENABLED"):
            log.warning("%s found no RefererMiddleware: redirected requests go without a Referer header",
                        type(self).__name__)  # fmt: skip

    def handle_referer(self, request: Request, response: Response) -> None:
        request.headers.pop("Referer", None)
        if self.referer is not None:
            self.referer.get_processed_request(request, response)


class GovwatchRedirectMiddleware(RefererFromOutput, RedirectMiddleware):
    """scrapy.downloadermiddlewares.redirect.RedirectMiddleware (600), Referer from the output middleware."""


class GovwatchMetaRefreshMiddleware(RefererFromOutput, MetaRefreshMiddleware):
    """scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware (580), Referer from the output
    middleware."""
