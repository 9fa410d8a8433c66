"""Redirects with the Referer that Scrapy's RefererMiddleware would give them, found where govwatch keeps it.

Scrapy 2.19's RedirectMiddleware and MetaRefreshMiddleware look up a running
RefererMiddleware as the engine starts, to set the Referer header of a
redirected request; finding none, they drop the header and log a WARNING.
crawler/settings.py switches RefererMiddleware off as a layer of its own: the
output middleware (crawler/middlewares/output.py) runs that very middleware as
one of its parts. So every spider logged the warning twice (dozens of lines in
`make demo`), and redirects went out without a Referer although
REFERER_ENABLED is on. These subclasses take the output middleware's part
instead: a redirect gets the same Referer as with Scrapy's default layers, and
nothing is logged. With REFERER_ENABLED = False there is no part and, as
intended, no Referer and no warning; without the output middleware Scrapy's own
lookup (and warning) applies.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.spidermiddlewares.referer import RefererMiddleware

from crawler.middlewares.output import SpiderOutputMiddleware


class RefererFromOutput:
    """Mixin for a Scrapy redirect middleware: the Referer part of the output middleware, if it runs one."""

    crawler: Any
    _referer_spider_middleware: RefererMiddleware | None

    def _engine_started(self) -> None:
        output = self.crawler.get_spider_middleware(SpiderOutputMiddleware)
        if output is None:
            super()._engine_started()  # type: ignore[misc]  # Scrapy's lookup, and its warning
            return
        self._referer_spider_middleware = output.part(RefererMiddleware)


class GovwatchRedirectMiddleware(RefererFromOutput, RedirectMiddleware):
    """scrapy.downloadermiddlewares.redirect.RedirectMiddleware (600), Referer from the output middleware."""


class GovwatchMetaRefreshMiddleware(RefererFromOutput, MetaRefreshMiddleware):
    """scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware (580), Referer from the output middleware."""
