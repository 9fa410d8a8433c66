"""iter_page_sites: every page's (url, site) without reading the pages' text, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Page
from index.base import Backend

PAGES = [Page(url="https://www.yz.gov.cn/b.html", site="永州市人民政府", title="通知", text="正文" * 500),
         Page(url="http://cz.gov.cn/a.html", site="", title="公告", text="别的")]


def test_page_sites_are_every_pages_url_and_site_by_url(backend: Backend) -> None:
    assert list(backend.iter_page_sites()) == []
    backend.upsert_pages(PAGES)
    assert list(backend.iter_page_sites()) == [("http://cz.gov.cn/a.html", ""),
                                               ("https://www.yz.gov.cn/b.html", "永州市人民政府")]


def test_elasticsearch_asks_only_for_the_url_and_site_fields(backend: Backend,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(backend, "client"):
        pytest.skip("the SQLite side selects two columns; this pins the cluster's _source filter")
    backend.upsert_pages(PAGES)
    asked: list[Any] = []
    search = backend.client.search

    def spy(**kw: Any) -> Any:
        asked.append(kw.get("_source"))
        return search(**kw)

    monkeypatch.setattr(backend.client, "search", spy)
    assert len(list(backend.iter_page_sites())) == 2
    assert asked and all(sorted(fields) == ["site", "url"] for fields in asked)
