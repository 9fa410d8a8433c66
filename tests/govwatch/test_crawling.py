"""The spider list comes from Scrapy's spider loader, in crawl order."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import scrapy

import crawler.spiders
from govwatch.crawling import spider_names


def declared_spiders() -> set[str]:
    """Names of every named spider class defined in crawler.spiders, found without Scrapy's loader."""
    names = set()
    for info in pkgutil.iter_modules(crawler.spiders.__path__, "crawler.spiders."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, scrapy.Spider) and cls.__module__ == module.__name__ and getattr(cls, "name", None):
                names.add(cls.name)
    return names


def test_every_spider_is_listed_once_sites_first_discovery_last() -> None:
    names = spider_names()
    assert sorted(names) == sorted(declared_spiders())
    assert names[0] == "gov_site" and names[-1] == "discovery"
