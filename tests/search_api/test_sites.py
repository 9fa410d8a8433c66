"""The /pages `site` filter: a domain, any URL of the site, or the stored site name, all at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.models import Page
from index.sqlite import SqliteBackend
from search_api.sites import SITES, host_key, site_values

Clients = Callable[[str | None], TestClient]
NAMED = "https://www.yz.gov.cn:8443/col/1.html"  # carries SiteName 永州市人民政府
BARE = "http://yz.gov.cn/col/2.html"  # no SiteName: stored under its host, yz.gov.cn
OTHER = "https://cz.gov.cn/col/3.html"  # another site with a SiteName


@pytest.fixture
def sites(api_env: Path) -> Path:
    store = SqliteBackend(api_env / "api.db")
    store.setup()
    store.upsert_pages([Page(url=NAMED, site="永州市人民政府", title="矩阵 一"),
                        Page(url=BARE, site="yz.gov.cn", title="矩阵 二"),
                        Page(url=OTHER, site="郴州市人民政府", title="矩阵 三")])
    store.close()
    return api_env


def urls(client: TestClient, site: str) -> set[str]:
    response = client.get("/pages", params={"q": "矩阵", "site": site})
    assert response.status_code == 200
    return {hit["url"] for hit in response.json()["hits"]}


@pytest.mark.parametrize("site", ["yz.gov.cn", "www.yz.gov.cn", "https://YZ.gov.cn/col/9.html", "yz.gov.cn:8443"])
def test_a_domain_or_url_finds_the_sites_pages_whatever_name_they_carry(sites: Path, client_for: Clients,
                                                                        site: str) -> None:
    assert urls(client_for("viewer"), site) == {NAMED, BARE}


def test_a_name_finds_only_the_pages_carrying_it(sites: Path, client_for: Clients) -> None:
    client = client_for("viewer")
    assert urls(client, "永州市人民政府") == {NAMED}
    assert urls(client, "郴州市人民政府") == {OTHER}
    assert urls(client, "nowhere.gov.cn") == set() and urls(client, "某某网") == set()


def test_the_page_form_and_exports_use_the_same_filter(sites: Path, client_for: Clients) -> None:
    client = client_for("investigator")
    html = client.get("/ui/pages", params={"q": "矩阵", "site": "yz.gov.cn"}).text
    assert 'action="/ui/pages"' in html and NAMED in html and BARE in html and OTHER not in html
    assert 'href="/pages?q=%E7%9F%A9%E9%98%B5&amp;site=yz.gov.cn&amp;format=xlsx"' in html
    csv_text = client.get("/pages", params={"q": "矩阵", "site": "yz.gov.cn", "format": "csv"}).text
    assert NAMED in csv_text and BARE in csv_text and OTHER not in csv_text


@pytest.mark.parametrize(("value", "host"), [("永州市人民政府", None), ("gov", None), ("http://[::1", None),
                                             ("WWW.Yz.gov.cn/", "yz.gov.cn"), ("a b.cn", None)])
def test_host_key(value: str, host: str | None) -> None:
    assert host_key(value) == host


def test_the_site_map_reads_one_row_per_origin_and_site_not_per_page(tmp_path: Path) -> None:
    class Counted(SqliteBackend):
        rows = 0

        def page_origins(self) -> Iterator[tuple[str, str]]:
            for row in super().page_origins():
                self.rows += 1
                yield row

        def iter_pages(self) -> Iterator[Page]:
            raise AssertionError("the site map read every page's text")

    store = Counted(tmp_path / "s.db")
    store.setup()
    store.upsert_pages([Page(url=f"{NAMED}?n={n}", site="永州市人民政府") for n in range(5)]
                       + [Page(url=BARE, site="yz.gov.cn"), Page(url=f"{BARE}#x", site="yz.gov.cn")])
    SITES.clear()  # the map is process-wide: build it from this store
    try:
        assert site_values(store, "yz.gov.cn") == ("www.yz.gov.cn", "yz.gov.cn", "永州市人民政府")
        assert store.rows == 2  # seven pages, two (origin, site) pairs
    finally:
        SITES.clear()
        store.close()
