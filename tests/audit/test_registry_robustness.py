"""Registry files that crashed the import or lost data silently (issue 14): each read row by row."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.registry.reader import RegistryFile, read_registry
from core.errors import BadInputError
from tests.paths import ROOT

HEADER = "账号名称,平台,账号ID,主办单位,状态"
ROWS = ["永州发布,微信公众号,gh_0001,永州市人民政府办公室,正常", "永州公安,新浪微博,3397217201,永州市公安局,注销"]


def names(parsed: RegistryFile) -> list[str]:
    return [e.name for e in parsed.entries]


def test_a_utf8_bom_on_gb18030_bytes_is_read_as_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\n".join([HEADER, *ROWS]).encode("gb18030"))
    parsed = read_registry(path)
    assert parsed.encoding == "gb18030" and names(parsed) == ["永州发布", "永州公安"]


def test_a_field_over_128_kb_rejects_its_row_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\n".join([HEADER, ROWS[0], "巨大," + "x" * 200_000, ROWS[1]]), encoding="utf-8")
    parsed = read_registry(path)
    assert names(parsed) == ["永州发布", "永州公安"]
    assert [(e.row, e.field) for e in parsed.errors] == [(3, "(row)")] and "field larger" in parsed.errors[0].reason


def workbook(*sheets: tuple[str, list[list[object]]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return book


def test_an_xlsx_date_in_the_platform_column_is_a_row_error(tmp_path: Path) -> None:
    book = workbook(("备案", [HEADER.split(","), ["永州发布", datetime(2024, 3, 1), "gh_1", "x", "正常"],
                             ["永州公安", "微博", "1", "y", "正常"]]))  # fmt: skip
    book.save(tmp_path / "r.xlsx")
    parsed = read_registry(tmp_path / "r.xlsx")
    assert names(parsed) == ["永州公安"]
    assert [(e.row, e.field) for e in parsed.errors] == [(2, "platform")]
    assert "2024-03-01" in parsed.errors[0].reason


def test_a_cut_off_xlsx_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    book = workbook(("备案", [HEADER.split(","), ROWS[0].split(",")]))
    book.save(tmp_path / "whole.xlsx")
    data = (tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(BadInputError, match=r"cut\.xlsx: not a readable XLSX workbook \(cut off or damaged\?\)"):
        read_registry(tmp_path / "cut.xlsx")


def test_a_nul_byte_after_the_last_header_keeps_the_column_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\n".join([HEADER + "\x00", *ROWS]), encoding="utf-8")
    parsed = read_registry(path)
    assert [e.status for e in parsed.entries] == ["active", "closed"]  # the 状态 column was not dropped
    assert [(e.row, e.reason) for e in parsed.errors] == [(1, "header has unreadable characters; read as '状态'")]


def test_merged_cells_take_their_anchor_value(tmp_path: Path) -> None:
    book = workbook(("备案", [HEADER.split(","), ["永州发布", "微信", "gh_1", "永州市人民政府办公室", "正常"],
                             ["永州政务", "微博", "2", None, "正常"], ["零陵发布", "抖音", "3", "零陵区", "正常"]]))  # fmt: skip
    book["备案"].merge_cells("D2:D3")  # one owner for two accounts
    book.save(tmp_path / "r.xlsx")
    parsed = read_registry(tmp_path / "r.xlsx")
    assert [e.owner for e in parsed.entries] == ["永州市人民政府办公室", "永州市人民政府办公室", "零陵区"]


def test_the_sheet_with_the_headers_is_read_or_the_one_named(tmp_path: Path) -> None:
    book = workbook(("说明", [["本表为2026年政务新媒体备案表"], ["填表说明：…"]]),
                    ("备案", [HEADER.split(","), ROWS[0].split(",")]),
                    ("注销", [HEADER.split(","), ROWS[1].split(",")]))  # fmt: skip
    book.save(tmp_path / "r.xlsx")
    first = read_registry(tmp_path / "r.xlsx")
    assert (first.sheet, names(first)) == ("备案", ["永州发布"])
    named = read_registry(tmp_path / "r.xlsx", sheet="注销")
    assert (named.sheet, names(named)) == ("注销", ["永州公安"])
    with pytest.raises(BadInputError, match=r"no sheet named .缺.; the workbook has \[.说明., .备案., .注销.\]"):
        read_registry(tmp_path / "r.xlsx", sheet="缺")


def test_a_workbook_without_headers_names_its_sheets(tmp_path: Path) -> None:
    workbook(("说明", [["备案表见附件"]]), ("数据", [["a", "b"]])).save(tmp_path / "r.xlsx")
    with pytest.raises(BadInputError, match=r"sheets: \['说明', '数据'\]\); choose one with --sheet NAME"):
        read_registry(tmp_path / "r.xlsx")


def test_registry_import_takes_a_sheet_option(tmp_path: Path) -> None:
    workbook(("说明", [["x"]]), ("注销", [HEADER.split(","), ROWS[1].split(",")])).save(tmp_path / "r.xlsx")
    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "s.db"}"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "govwatch", "--config", str(config), "registry", "import",
                          str(tmp_path / "r.xlsx"), "--sheet", "注销"], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "永州公安" in run.stdout


CELLS = st.one_of(st.sampled_from(["账号名称", "平台", "微博", "状态", "注销", "\x00", "", '"', "\ufeff"]),
                  st.text(max_size=6))  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, max_size=6), max_size=6), encoding=st.sampled_from(["utf-8", "gb18030"]),
       tail=st.binary(max_size=20))  # fmt: skip
def test_any_csv_is_read_or_refused_as_bad_input(tmp_path: Path, rows: list[list[str]], encoding: str,
                                                 tail: bytes) -> None:  # fmt: skip
    """Any text plus any trailing bytes: a RegistryFile (row errors listed) or BadInputError, nothing else."""
    path = tmp_path / "r.csv"
    text = "\n".join([HEADER, *(",".join(r) for r in rows)])
    path.write_bytes(text.encode(encoding, "replace") + tail)
    try:
        parsed = read_registry(path)
    except BadInputError as exc:
        assert str(exc).startswith(str(path))
        return
    assert all(e.name and e.platform for e in parsed.entries)
