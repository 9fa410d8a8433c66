"""The nightly list of unregistered accounts: columns, formats, dated files that never overwrite."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from audit.reports import write_report
from audit.runner import run_audit
from core.config import Settings
from core.errors import BadInputError
from core.models import AccountMention, Finding, Page
from index.sqlite import SqliteBackend
from tests.audit.factory import NOW, add_account, days_ago, entry, post


@pytest.fixture
def audited(store: SqliteBackend) -> SqliteBackend:
    store.upsert_registry([entry("某市人社", "9", owner="某市人力资源和社会保障局")])
    add_account(store, "1", "=HYPERLINK(\"http://x\")政府", [post("1", days_ago(1))])
    add_account(store, "2", "某县公安", [post("2", days_ago(1))], url="https://weibo.test/u/2",
                verified_type="government", verified_reason="某县公安局官方微博", found_via="platform_search",
                found_on="https://weibo.test/search?q=公安", first_seen=days_ago(3))
    url = "http://gov.test/gov/yz/matrix.html"
    store.upsert_pages([Page(url=url, mentions=[AccountMention("某区发布", "wechat", url)])])
    run_audit(store, Settings(), NOW)
    return store


def test_json_lists_every_unregistered_account_with_where_and_when_first_seen(
    audited: SqliteBackend, tmp_path: Path
) -> None:
    path = write_report(audited, Settings(), "nightly-unregistered", "json", NOW, tmp_path)
    assert path.name == "nightly-unregistered-2026-11-23.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = {r["name"]: r for r in doc["rows"]}
    assert doc["count"] == 3 and set(rows) == {"=HYPERLINK(\"http://x\")政府", "某县公安", "某区发布"}
    police = rows["某县公安"]
    assert (police["platform"], police["account_id"], police["url"]) == ("weibo", "2", "https://weibo.test/u/2")
    assert police["verified_reason"] == "某县公安局官方微博"
    assert (police["first_seen_on"], police["first_seen_at"]) == ("https://weibo.test/search?q=公安", "2026-11-20 10:00:00")
    mentioned = rows["某区发布"]
    assert (mentioned["account_id"], mentioned["first_seen_on"]) == ("", "http://gov.test/gov/yz/matrix.html")
    assert mentioned["first_seen_at"] == "2026-11-23 10:00:00"  # when the audit first flagged it
    assert isinstance(police["most_similar_registered"], list)


def test_csv_has_a_bom_the_columns_and_neutralised_formulas(audited: SqliteBackend, tmp_path: Path) -> None:
    path = write_report(audited, Settings(), "nightly-unregistered", "csv", NOW, tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:4] == ["platform", "account_id", "name", "url"]
    assert "'=HYPERLINK(\"http://x\")政府" in {r["name"] for r in rows}


def test_xlsx_holds_the_same_rows(audited: SqliteBackend, tmp_path: Path) -> None:
    path = write_report(audited, Settings(), "nightly-unregistered", "xlsx", NOW, tmp_path)
    book = openpyxl.load_workbook(path, read_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert values[0][:3] == ("platform", "account_id", "name") and len(values) == 4
    assert all(not str(v[2]).startswith("=") for v in values)


def test_a_second_report_the_same_night_gets_a_suffix_instead_of_overwriting(
    audited: SqliteBackend, tmp_path: Path
) -> None:
    first = write_report(audited, Settings(), "nightly-unregistered", "csv", NOW, tmp_path)
    before = first.read_bytes()
    second = write_report(audited, Settings(), "nightly-unregistered", "csv", NOW, tmp_path)
    third = write_report(audited, Settings(), "nightly-unregistered", "csv", NOW, tmp_path)
    assert [p.name for p in (first, second, third)] == [
        "nightly-unregistered-2026-11-23.csv", "nightly-unregistered-2026-11-23-2.csv",
        "nightly-unregistered-2026-11-23-3.csv"]
    assert first.read_bytes() == before


def test_reports_go_to_the_configured_reports_dir(audited: SqliteBackend, tmp_path: Path) -> None:
    path = write_report(audited, Settings(reports_dir=str(tmp_path / "r")), "nightly-unregistered", "json", NOW)
    assert path.parent == tmp_path / "r"


def test_unknown_kind_or_format_is_bad_input(audited: SqliteBackend, tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="unknown report"):
        write_report(audited, Settings(), "monthly", "csv", NOW, tmp_path)
    with pytest.raises(BadInputError, match="unknown format"):
        write_report(audited, Settings(), "nightly-unregistered", "pdf", NOW, tmp_path)


def test_most_similar_registered_accounts_come_from_the_impersonation_matcher(
    store: SqliteBackend, tmp_path: Path
) -> None:
    store.upsert_registry([entry("永州公安", "9", owner="永州市公安局"), entry("永州发布", "8", owner="永州市人民政府办公室")])
    add_account(store, "1", "永州公安交警", [post("1", days_ago(1))], verified_type="government")
    run_audit(store, Settings(), NOW)
    doc = json.loads(write_report(store, Settings(), "nightly-unregistered", "json", NOW, tmp_path).read_text("utf-8"))
    (row,) = doc["rows"]
    assert row["name"] == "永州公安交警"
    assert [c["name"] for c in row["most_similar_registered"]][:1] == ["永州公安"]
    assert 0 < row["most_similar_registered"][0]["score"] <= 1


def test_a_finding_the_audit_could_not_compare_gets_similar_accounts_at_report_time(
    store: SqliteBackend, tmp_path: Path
) -> None:
    store.upsert_registry([entry("永州公安", "9", owner="永州市公安局")])
    add_account(store, "1", "永州公安交警", [post("1", days_ago(1))], verified_type="government")
    finding = Finding("unregistered", "veto", "account", "weibo:1", "account.unregistered", "2026.11",
                      evidence={"name": "永州公安交警", "similar_registered": None}, detected_at=NOW)
    store.save_findings([finding], rule_ids=["account.unregistered"], as_of=NOW)
    doc = json.loads(write_report(store, Settings(), "nightly-unregistered", "json", NOW, tmp_path).read_text("utf-8"))
    assert [c["name"] for c in doc["rows"][0]["most_similar_registered"]] == ["永州公安"]
