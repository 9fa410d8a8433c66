"""What the API answers: date parameters, hits naming their account, exports, the account page, findings filters."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from core.models import Account, AccountMention, Post
from index.sqlite import SqliteBackend
from search_api.params import read_when

Clients = Callable[[str | None], TestClient]


@pytest.mark.parametrize(("value", "end", "expected"), [
    ("2026-11-20", True, datetime(2026, 11, 20, 23, 59, 59, 999999)),
    ("2026-11-20", False, datetime(2026, 11, 20)),
    ("2026-11-20T01:00:00Z", False, datetime(2026, 11, 20, 9)),
    ("2026-11-20T09:00+08:00", False, datetime(2026, 11, 20, 9)),
])
def test_dates_are_china_time_and_date_only_until_is_the_whole_day(value: str, end: bool, expected: datetime) -> None:
    assert read_when(value, "until", end_of_day=end) == expected


def test_date_filters_over_the_api(filled: Path, client_for: Clients) -> None:
    """until=2026-11-20 includes 23:30 that day; Z is converted; a number or a 30 February is a 422."""
    client = client_for("viewer")
    assert client.get("/posts", params={"q": "医保", "until": "2026-11-20"}).json()["total"] == 2
    assert client.get("/posts", params={"q": "医保", "since": "2026-11-20T17:00:00Z"}).json()["total"] == 1
    for bad in ("1700000000", "2026-02-30"):
        assert client.get("/posts", params={"q": "医保", "since": bad}).status_code == 422


def test_a_too_long_query_is_a_400_naming_the_limit(filled: Path, client_for: Clients) -> None:
    client = client_for("viewer")
    response = client.get("/posts", params={"q": "医保" * 150})
    assert response.status_code == 400 and "limit is 200" in response.text
    assert client.get("/posts", params={"q": "x" * 5000}).status_code == 422  # megabytes never reach the parser


def test_account_filter_by_id_or_by_name_in_either_script(filled: Path, client_for: Clients) -> None:
    store = SqliteBackend(filled / "api.db")
    store.upsert_accounts([Account("weibo", "wx", "无锡发布")])
    store.upsert_posts([Post("weibo", "wx", "w1", text="医保通知", published_at=datetime(2026, 11, 3))])
    store.close()
    client = client_for("viewer")
    for account in ("wx", "无锡发布", "無錫發佈"):  # id, the stored name, the name in traditional characters
        assert client.get("/posts", params={"q": "医保", "account": account}).json()["total"] == 1, account
    assert client.get("/posts", params={"q": "医保", "account": "gh_1"}).json()["total"] == 2


def test_each_hit_names_its_account_with_owner_and_statuses(filled: Path, client_for: Clients) -> None:
    body = client_for("viewer").get("/posts", params={"q": "缴费"}).json()
    assert body["hits"][0]["account"] == {"platform": "wechat", "account_id": "gh_1", "name": "永州人社",
                                          "owner": "永州市人社局", "registered": "id", "statuses": ["dormant"]}
    assert body["hits"][0]["published_at"] == "2026-11-20T23:30:00+08:00"


def test_a_hit_of_an_account_not_stored_still_names_its_platform_and_id(filled: Path, client_for: Clients) -> None:
    store = SqliteBackend(filled / "api.db")
    store.upsert_posts([Post("douyin", "u7", "p9", text="缴费通道开通")])  # crawled before its account was
    store.close()
    (hit,) = client_for("viewer").get("/posts", params={"q": "通道"}).json()["hits"]
    assert hit["account"] == {"platform": "douyin", "account_id": "u7", "name": "", "owner": "", "registered": "none",
                              "statuses": []}
    assert hit["published_at"] is None


def test_accounts_filters_and_paging(filled: Path, client_for: Clients) -> None:
    client = client_for("viewer")
    response = client.get("/accounts", params={"registered": "no"})
    assert [a["name"] for a in response.json()] == ["永洲人社"] and response.headers["x-total-count"] == "1"
    assert [a["account_id"] for a in client.get("/accounts", params={"owner": "人社局"}).json()] == ["gh_1"]
    assert len(client.get("/accounts", params={"limit": 1, "offset": 1}).json()) == 1
    ids = lambda **params: [a["account_id"] for a in client.get("/accounts", params=params).json()]  # noqa: E731
    assert ids(name="永洲") == ["9"] and ids(status="impersonation") == ["9"] and ids(status="ok") == []
    assert ids(status="dormant", name="永洲") == [] and ids(platform="wechat", status="dormant") == ["gh_1"]


def test_account_page_has_registry_timeline_evidence_and_mentions(filled: Path, client_for: Clients) -> None:
    body = client_for("investigator").get("/accounts/wechat/gh_1").json()
    assert body["registry"]["registry_no"] == "YZ-001" and body["last_post"]["post_id"] == "p1"
    assert body["posts_counted"] == 2 and len(body["timeline"]) == 26 and body["days_silent"] >= 0
    assert body["findings"][0]["evidence"] == {"last_post": "2026-11-20"}
    assert body["mentions"][0]["page_url"] == "https://yz.gov.cn/m.html"
    fake = client_for("investigator").get("/accounts/weibo/9").json()
    assert fake["most_similar"]["name"] == "永州人社" and fake["registry"] is None
    assert client_for("viewer").get("/accounts/wechat/gh_1").json()["findings"] == []  # evidence: investigators
    assert client_for("viewer").get("/accounts/wechat/nope").status_code == 404


def test_account_pages_read_the_stores_mentions_once_not_per_page(
        filled: Path, client_for: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every mention was read for each account page (600–800 ms on Elasticsearch at 2,897 mentions)."""
    reads: list[int] = []
    iter_mentions = SqliteBackend.iter_mentions

    def counted(self: SqliteBackend) -> Iterator[AccountMention]:
        reads.append(1)
        return iter_mentions(self)

    monkeypatch.setattr(SqliteBackend, "iter_mentions", counted)
    client = client_for("investigator")
    for _ in range(3):
        assert client.get("/accounts/wechat/gh_1").json()["mentions"][0]["page_url"] == "https://yz.gov.cn/m.html"
    assert client.get("/accounts/weibo/9").json()["mentions"] == []
    assert len(reads) == 1


def test_an_account_page_reads_its_account_and_findings_once(
        filled: Path, client_for: Clients, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's status (open kinds) and its findings' subject come from one read of each, not three and two."""
    reads: list[str] = []
    list_findings, get_account = SqliteBackend.list_findings, SqliteBackend.get_account

    def findings(self: SqliteBackend, *args: Any, **kwargs: Any) -> Any:
        reads.append("findings")
        return list_findings(self, *args, **kwargs)

    def account(self: SqliteBackend, *args: Any, **kwargs: Any) -> Any:
        reads.append("account")
        return get_account(self, *args, **kwargs)

    monkeypatch.setattr(SqliteBackend, "list_findings", findings)
    monkeypatch.setattr(SqliteBackend, "get_account", account)
    body = client_for("investigator").get("/accounts/wechat/gh_1").json()
    assert sorted(reads) == ["account", "findings"]
    kinds = sorted({f["kind"] for f in body["findings"] if f["status"] == "open"})
    assert kinds and body["account"]["findings"] == kinds
    assert {(f["subject_name"], f["owner"]) for f in body["findings"]} == {(body["account"]["name"],
                                                                            body["account"]["owner"])}


def test_findings_filters(filled: Path, client_for: Clients) -> None:
    client = client_for("investigator")
    assert [f["kind"] for f in client.get("/findings", params={"owner": "永州市"}).json()] == ["dormant"]
    assert [f["kind"] for f in client.get("/findings", params={"until": "2026-11-22"}).json()] == ["impersonation"]
    assert [f["kind"] for f in client.get("/findings", params={"severity": "deduction"}).json()] == ["broken_service"]
    assert client.get("/findings", params={"subject": "account", "severity": "deduction"}).json() == []
    newest_first = [f["kind"] for f in client.get("/findings", params={"status": "all"}).json()]
    assert newest_first[0] == "dormant" and newest_first[-1] == "impersonation" and len(newest_first) == 4
    pages = client.get("/findings", params={"since": "2026-11-23", "subject": "page"}).json()
    assert sorted(f["kind"] for f in pages) == ["broken_service", "spam_injection"]


def test_exports_carry_the_query_and_need_an_investigator(filled: Path, client_for: Clients) -> None:
    params = {"q": "医保", "platform": "wechat", "format": "csv"}
    assert client_for("viewer").get("/posts", params=params).status_code == 403
    response = client_for("investigator").get("/posts", params=params)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.headers["content-disposition"].startswith('attachment; filename="posts-')
    assert rows[0] == ["查询 query", "q=医保 platform=wechat sort=relevance"] and len(rows) == 4
    xlsx = client_for("investigator").get("/accounts", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "查询 query" and {r[2] for r in values[2:]} == {"永州人社", "永洲人社"}


def test_export_defuses_spreadsheet_formulas() -> None:
    from search_api.export import cell
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")" and cell("医保") == "医保"


def test_timeline_counts_posts_per_week_with_zero_weeks() -> None:
    from datetime import date

    from search_api.profile import timeline
    posts = [Post("weibo", "1", str(n), published_at=datetime(2026, 11, d)) for n, d in enumerate((2, 3, 20))]
    posts.append(Post("weibo", "1", "pin", published_at=datetime(2026, 11, 20), is_pinned=True))
    weeks = timeline(posts, date(2026, 11, 23), weeks=4)
    assert [(w.week_start.isoformat(), w.posts) for w in weeks] == [
        ("2026-11-02", 2), ("2026-11-09", 0), ("2026-11-16", 1), ("2026-11-23", 0)]


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/posts", {"q": "！！！"}, 400), ("/pages", {"q": "！！！"}, 400), ("/findings", {"since": "2026-02-30"}, 422)])
def test_a_refused_query_is_an_error_before_an_export_starts(filled: Path, client_for: Clients, path: str,
                                                             params: dict[str, str], status: int) -> None:
    """Found by schemathesis: the query was first run inside the stream, too late for a status code."""
    response = client_for("investigator").get(path, params={**params, "format": "xlsx"})
    assert response.status_code == status and response.json()["detail"]


def test_control_characters_do_not_break_an_xlsx_export(filled: Path, client_for: Clients) -> None:
    """Found by schemathesis: account=\\x1f made openpyxl refuse the query row."""
    response = client_for("investigator").get("/posts", params={"account": "gh\x1f1", "format": "xlsx"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["B1"].value == "account=gh1 sort=relevance"


@pytest.mark.parametrize("site", ["yz.gov.cn", "https://YZ.gov.cn/col/1.html", "yz.gov.cn/m.html"])
def test_pages_by_site_domain_or_url(filled: Path, client_for: Clients, site: str) -> None:
    """The fixture's page has site 'yz.gov.cn' (no SiteName meta): a domain or any URL of the site finds it."""
    assert client_for("viewer").get("/pages", params={"q": "矩阵", "site": site}).json()["total"] == 1
