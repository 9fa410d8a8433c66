"""Registry file vocabulary: header names, platform names and cell values, English or Chinese."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from core.dates import YMD
from core.platforms import registry_platform_words

# canonical field -> accepted header spellings (compared after _fold)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "账号名称", "账号名", "名称", "账号", "新媒体名称"),
    "platform": ("platform", "平台", "平台类型", "所属平台", "平台名称"),
    "account_id": ("account_id", "账号id", "账号编号", "平台账号id", "id", "原始id"),
    "owner": ("owner", "主办单位", "开办主体", "开设单位", "运营单位", "主体"),
    "supervisor": ("supervisor", "主管单位", "监管单位"),
    "registry_no": ("registry_no", "备案编号", "备案号"),
    "is_primary": ("is_primary", "是否主账号", "主账号"),
    "status": ("status", "状态", "账号状态", "运行状态"),
    "registered_at": ("registered_at", "备案日期", "备案时间"),
}
REQUIRED = ("name", "platform")

# Page words, identifiers and registry-only words: one vocabulary (core/platforms.py).
PLATFORM_NAMES: dict[str, str] = registry_platform_words()

_TRUE = ("1", "true", "yes", "y", "是", "√", "主账号")
_FALSE = ("", "0", "false", "no", "n", "否", "×")
STATUS_NAMES: dict[str, str] = {
    "": "active", "active": "active", "正常": "active", "在用": "active", "运行": "active",
    "运营": "active", "运营中": "active", "开通": "active", "已备案": "active",
    "closed": "closed", "注销": "closed", "已注销": "closed", "关停": "closed", "已关停": "closed",
    "关闭": "closed", "已关闭": "closed", "停用": "closed",
}
_DATE = re.compile(rf"^{YMD}\s*日?(?:[ T].*)?$")


def fold(text: str) -> str:
    """Header/value form for comparison: NFKC, no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


HEADER_LOOKUP = {fold(alias): field for field, aliases in HEADERS.items() for alias in aliases}
PLATFORM_LOOKUP = {fold(k): v for k, v in PLATFORM_NAMES.items()}
STATUS_LOOKUP = {fold(k): v for k, v in STATUS_NAMES.items()}


def parse_platform(value: str) -> str:
    """Platform identifier (DESIGN.md) for an English or Chinese platform name; ValueError if unknown."""
    platform = PLATFORM_LOOKUP.get(fold(value))
    if platform is None:
        raise ValueError(f"unknown platform {value!r}" if value.strip() else "platform is empty")
    return platform


def parse_bool(value: str) -> bool:
    """是/否, yes/no, true/false, 1/0; empty means no."""
    folded = fold(value)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"expected 是/否 or yes/no, not {value!r}")


def parse_status(value: str) -> str:
    """active | closed from 正常/注销/关停 … ; empty means active."""
    status = STATUS_LOOKUP.get(fold(value))
    if status is None:
        raise ValueError(f"unknown status {value!r} (expected 正常/active or 注销/关停/closed)")
    return status


def parse_date(value: object) -> datetime | None:
    """A registration date from text (2024-03-01, 2024/3/1, 2024年3月1日) or a spreadsheet date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    match = _DATE.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        raise ValueError(f"not a date: {value!r}")
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise ValueError(f"not a date: {value!r} ({exc})") from None


def header_columns(values: Sequence[Any]) -> dict[str, int]:
    """Known field -> column index for one candidate header row."""
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        known = HEADER_LOOKUP.get(fold(readable(str(value))))
        if known and known not in columns:
            columns[known] = index
    return columns


def readable(text: str) -> str:
    """A cell without control characters and U+FFFD (what a NUL byte or a bad byte leaves behind)."""
    return "".join(c for c in text if c.isprintable() and c != "\ufffd").strip()
