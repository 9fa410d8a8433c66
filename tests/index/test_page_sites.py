"""page_origins: each distinct (URL origin, site) of the stored pages, grouped inside the store, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import Page
from index.base import Backend

PAGES = [Page(url="https://www.yz.gov.cn/b.html", site="永州市人民政府", title="通知", text="正文" * 500),
         Page(url="https://www.yz.gov.cn/c/d.html", site="永州市人民政府", title="公告", text="别的"),
         Page(url="https://www.yz.gov.cn:8443/e.html", site="永州市人民政府"),
         Page(url="http://yz.gov.cn/f.html", site="yz.gov.cn"),
         Page(url="http://yz.gov.cn?page=2", site="yz.gov.cn"),
         Page(url="http://cz.gov.cn/a.html", site="", title="公告", text="无站名")]


def test_one_row_per_origin_and_site(backend: Backend) -> None:
    assert list(backend.page_origins()) == []
    backend.upsert_pages(PAGES)
    assert list(backend.page_origins()) == [  # the page without a site is left out
        ("http://yz.gov.cn", "yz.gov.cn"), ("http://yz.gov.cn?page=2", "yz.gov.cn"),
        ("https://www.yz.gov.cn", "永州市人民政府"), ("https://www.yz.gov.cn:8443", "永州市人民政府")]


def test_elasticsearch_answers_with_buckets_not_pages(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(backend, "client"):
        pytest.skip("the SQLite side groups in its query; this pins the cluster's aggregation")
    backend.upsert_pages(PAGES)
    asked: list[dict[str, Any]] = []
    search = backend.client.search

    def spy(**kw: Any) -> Any:
        asked.append(kw)
        return search(**kw)

    monkeypatch.setattr(backend.client, "search", spy)
    assert len(list(backend.page_origins())) == 4
    assert asked and all(kw["size"] == 0 and "composite" in kw["aggs"]["keys"] for kw in asked)
