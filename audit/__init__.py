"""Detection rules: account status, impersonation, content checks. No Scrapy, no HTTP."""
