"""The registry (备案库) as the files supervisors exchange: CSV (UTF-8 / GB18030) and XLSX."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from core.models import RegistryEntry
from sampleweb.names import PLATFORM_ZH

if TYPE_CHECKING:
    from sampleweb.model import WorldData

HEADERS = ("账号名称", "平台", "账号ID", "主办单位", "主管单位", "备案编号", "是否主账号", "状态", "备案日期")
STATUS_ZH = {"active": "正常", "closed": "已注销"}


def rows(registry: list[RegistryEntry]) -> list[list[str]]:
    """One row per entry, in the header order, platforms and flags written in Chinese."""
    return [[e.name, PLATFORM_ZH.get(e.platform, e.platform), e.account_id, e.owner, e.supervisor,
             e.registry_no, "是" if e.is_primary else "否", STATUS_ZH.get(e.status, e.status),
             e.registered_at.strftime("%Y-%m-%d") if e.registered_at else ""] for e in registry]


def registry_csv(world: WorldData) -> str:
    """The registry as CSV text with Chinese headers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(world.registry))
    return out.getvalue()


def registry_xlsx(world: WorldData) -> bytes:
    """The registry as an Excel workbook (one sheet, 备案库)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "备案库"
    sheet.append(list(HEADERS))
    for row in rows(world.registry):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
