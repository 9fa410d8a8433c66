"""Registry files: encodings, English/Chinese headers and platforms, XLSX, bad rows, re-imports and versions."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from audit.registry import import_registry
from audit.registry.reader import read_registry
from core.errors import BadInputError
from core.platforms import PLATFORM_WORDS
from index.sqlite import SqliteBackend

ZH_HEADER = "账号名称,平台,账号ID,主办单位,主管单位,备案编号,是否主账号,状态,备案日期"
ZH_ROWS = [
    "永州发布,微信公众号,gh_0001,永州市人民政府办公室,永州市人民政府,YZ001,是,正常,2024-03-01",
    "永州公安,新浪微博,3397217201,永州市公安局,永州市人民政府,YZ002,否,正常,2024/3/2",
    "零陵发布,视频号,,零陵区人民政府办公室,永州市人民政府,YZ003,否,注销,2023年1月5日",
]


def write(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path = tmp_path / name
    path.write_bytes(bom + "\n".join(lines).encode(encoding) + b"\n")
    return path


@pytest.mark.parametrize(
    ("encoding", "bom", "reported"),
    [("utf-8", b"", "utf-8"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig"), ("gb18030", b"", "gb18030")],
    ids=["utf-8", "utf-8-bom", "gb18030"],
)
def test_chinese_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str, bom: bytes, reported: str) -> None:
    parsed = read_registry(write(tmp_path, "r.csv", [ZH_HEADER, *ZH_ROWS], encoding, bom))
    assert parsed.encoding == reported and parsed.errors == []
    assert [(e.name, e.platform, e.account_id) for e in parsed.entries] == [
        ("永州发布", "wechat", "gh_0001"), ("永州公安", "weibo", "3397217201"), ("零陵发布", "wechat_channels", "")]
    first, _, third = parsed.entries
    assert first.is_primary and first.owner == "永州市人民政府办公室" and first.registered_at == datetime(2024, 3, 1)
    assert third.status == "closed" and third.registered_at == datetime(2023, 1, 5)


def test_english_headers_in_any_order_with_only_the_required_columns(tmp_path: Path) -> None:
    parsed = read_registry(write(tmp_path, "r.csv", ["platform,name", "douyin,永州文旅", "bilibili,无锡发布"]))
    assert [(e.platform, e.name, e.status, e.is_primary) for e in parsed.entries] == [
        ("douyin", "永州文旅", "active", False), ("bilibili", "无锡发布", "active", False)]


def test_bad_rows_are_reported_with_row_field_and_reason_and_good_rows_kept(tmp_path: Path) -> None:
    rows = [ZH_HEADER, ZH_ROWS[0], ",微博,,,,,,,", "永州人社,火星,,,,,也许,正常,2024-02-30", ZH_ROWS[0], ZH_ROWS[1]]
    parsed = read_registry(write(tmp_path, "r.csv", rows))
    assert [e.name for e in parsed.entries] == ["永州发布", "永州公安"] and parsed.rows == [2, 6]
    assert [(e.row, e.field) for e in parsed.errors] == [
        (3, "name"), (4, "platform"), (4, "is_primary"), (4, "registered_at"), (5, "registry_no")]
    assert str(parsed.errors[1]) == f"{tmp_path / 'r.csv'}, row 4, field 'platform': unknown platform '火星'"
    assert "duplicate of row 2" in parsed.errors[-1].reason


def test_a_title_row_above_the_header_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    parsed = read_registry(write(tmp_path, "r.csv", ["永州市政务新媒体备案表,,", "", ZH_HEADER, "", ZH_ROWS[1]]))
    assert [(e.name, r) for e, r in zip(parsed.entries, parsed.rows, strict=True)] == [("永州公安", 5)]


def test_a_file_without_name_and_platform_columns_is_rejected_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"r\.csv, row 1, field 'platform'"):
        read_registry(write(tmp_path, "r.csv", ["账号名称,主办单位", "永州发布,永州市人民政府办公室"]))


def test_xlsx_with_date_cells_numeric_ids_and_chinese_headers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ZH_HEADER.split(","))
    sheet.append(["永州公安", "微博", 3397217201, "永州市公安局", "", "YZ002", "是", "在用", datetime(2024, 3, 2)])
    sheet.append(["", "抖音", None, None, None, None, None, None, None])
    path = tmp_path / "r.xlsx"
    book.save(path)
    parsed = read_registry(path)
    assert parsed.encoding == "xlsx"
    (only,) = parsed.entries
    assert (only.account_id, only.is_primary, only.registered_at) == ("3397217201", True, datetime(2024, 3, 2))
    assert [(e.row, e.field) for e in parsed.errors] == [(3, "name")]


def test_reimporting_the_same_file_changes_nothing(store: SqliteBackend, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", [ZH_HEADER, *ZH_ROWS], "gb18030")
    first = import_registry(store, path)
    assert len(first.added) == 3
    again = import_registry(store, path)
    assert (again.added, again.changed, again.closed, again.unchanged) == ([], [], [], 3)


def test_a_new_version_reports_added_changed_and_closed(store: SqliteBackend, tmp_path: Path) -> None:
    import_registry(store, write(tmp_path, "v1.csv", [ZH_HEADER, *ZH_ROWS]))
    v2 = [ZH_HEADER, ZH_ROWS[0].replace("正常", "关停"), ZH_ROWS[1].replace("永州市公安局", "永州市公安局宣传处"),
          "永州人社,微信,gh_0009,永州市人力资源和社会保障局,,YZ004,否,正常,"]
    report = import_registry(store, write(tmp_path, "v2.csv", v2))
    assert [e.name for e in report.added] == ["永州人社"]
    assert [e.name for e in report.closed] == ["永州发布"]
    assert [(b.owner, a.owner) for b, a in report.changed] == [("永州市公安局", "永州市公安局宣传处")]
    assert [e.name for e in report.not_in_file] == ["零陵发布"]  # reported, kept as it is
    assert {e.name: e.status for e in store.iter_registry()} == {
        "永州发布": "closed", "永州公安": "active", "零陵发布": "closed", "永州人社": "active"}


def test_a_file_with_no_usable_row_raises_naming_the_first_bad_row(store: SqliteBackend, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", [ZH_HEADER, "永州发布,火星,,,,,,,", ",微博,,,,,,,"])
    with pytest.raises(BadInputError, match=r"r\.csv, row 2, field 'platform': unknown platform '火星' \(and 1 more"):
        import_registry(store, path)
    assert list(store.iter_registry()) == []


def test_every_platform_word_a_page_may_use_is_accepted_in_a_registry_file(tmp_path: Path) -> None:
    # One vocabulary: a registry row saying 微信订阅号 used to fail with "unknown platform"
    # although a page mentioning 微信订阅号 was read as wechat.
    words = sorted(PLATFORM_WORDS)
    rows = ["name,platform", *(f"账号{i},{word}" for i, word in enumerate(words))]
    parsed = read_registry(write(tmp_path, "r.csv", rows))
    assert parsed.errors == []
    assert [e.platform for e in parsed.entries] == [PLATFORM_WORDS[word] for word in words]


def test_registry_only_words_and_identifiers_are_accepted_too(tmp_path: Path) -> None:
    rows = ["name,platform", "永州发布,微信订阅号", "永州政务,移动客户端", "永州市政府,网站", "永州视频,wechat_channels"]
    parsed = read_registry(write(tmp_path, "r.csv", rows))
    assert [e.platform for e in parsed.entries] == ["wechat", "app", "website", "wechat_channels"]
