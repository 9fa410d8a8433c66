"""Downloader and spider middlewares, one module each (enabled in crawler/settings.py).

- backoff.BackoffRetryMiddleware: rate-limit backoff (replaces Scrapy's RetryMiddleware);
- walls.NeedsCredentialsMiddleware: login walls and captchas → needs_credentials Accounts;
- credentials.PlatformCredentialsMiddleware: per-platform cookies and proxies;
- output.SpiderOutputMiddleware: Scrapy's five output middlewares in one loop, checkpoints carried;
- redirect.GovwatchRedirectMiddleware, GovwatchMetaRefreshMiddleware: Scrapy's, with the Referer part of the
  output middleware.
"""
