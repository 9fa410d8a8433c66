"""The inspection report as XLSX: one sheet per section, every row (streamed: see xlsx_writer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audit.reports.inspection.model import CATEGORIES, LEVEL_TITLE, NOT_CHECKED_TITLE, InspectionReport
from audit.reports.inspection.svg import percent
from audit.reports.inspection.tables import (
    Table,
    category_counts,
    problem_table,
    rate_table,
    score_table,
    summary_text,
)
from audit.reports.inspection.xlsx_writer import Percent, write_xlsx


def sheets(report: InspectionReport) -> list[tuple[str, Table]]:
    """(sheet name, table) in report order; sheet names stay under Excel's 31 characters."""
    c = report.comparison
    total = rate_table([report.total], {"total": "合计"}, raw=True)
    summary: Table = (["项目", "内容"], [
        ["通报期间", f"{report.period.title}（{report.period.start} 至 {report.period.end}）"],
        ["生成时间", report.generated_at], ["概述", summary_text(report)],
        ["备案账号", str(report.total.registered)], ["检查账号", str(report.total.checked)],
        ["不合格账号", str(report.total.failed)], ["合格率", percent(report.total.pass_rate)],
        *[[f"未能检查：{NOT_CHECKED_TITLE.get(reason, reason)}", str(n)] for reason, n in sorted(report.not_checked.items())],
        ["规则版本", ", ".join(report.ruleset_versions)],
    ])
    out: list[tuple[str, Table]] = [
        ("概况", summary), ("合计", total), ("按平台", rate_table(report.by_platform, raw=True)),
        ("按层级", rate_table(report.by_level, LEVEL_TITLE, raw=True)),
        ("问题分类", (["问题类别", "数量"], [[t, str(n)] for t, n in category_counts(report)])),
    ]
    out += [(f"问题-{title}"[:31], problem_table(report.problems.get(cid, []))) for cid, title, _ in CATEGORIES]
    out += [
        ("评分表", score_table(report.scores)),
        ("单位排名", rate_table(report.owners, raw=True)),
        ("全部合格单位", (["主办单位"], [[o] for o in report.owners_all_passing])),
        ("复查-已整改", score_table(c.recheck_fixed)), ("复查-仍不合格", score_table(c.recheck_failing)),
        ("新发现问题", problem_table(c.new)), ("已整改问题", problem_table(c.resolved)),
        ("每日发布", (["日期", "发布账号数"], [[d, str(n)] for d, n in report.activity])),
    ]
    return out


def render(report: InspectionReport) -> bytes:
    return write_xlsx([(name, _rows(headers, rows)) for name, (headers, rows) in sheets(report)])


def _rows(headers: list[str], rows: list[list[Any]]) -> Iterator[list[Any]]:
    yield headers
    for row in rows:
        yield [_cell(v) for v in row]


def _cell(value: Any) -> Any:
    """Counts as numbers, pass rates as percentages; text a spreadsheet would run as a formula is neutralised."""
    if isinstance(value, float):
        return Percent(value)
    if value is None:
        return None
    if value.isdigit() and len(value) < 10:
        return int(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
