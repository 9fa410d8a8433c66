"""The report's tables as (headers, rows) of strings, shared by the HTML, XLSX and DOCX renderers."""

from __future__ import annotations

from typing import Any

from audit.reports.inspection.model import (
    CATEGORIES,
    KIND_TITLE,
    LEVEL_TITLE,
    AccountScore,
    InspectionReport,
    Problem,
    Rate,
)
from audit.reports.inspection.svg import percent

Table = tuple[list[str], list[list[Any]]]

RATE_HEADERS = ["名称", "备案账号", "检查账号", "不合格", "合格率"]
PROBLEM_HEADERS = ["问题类型", "账号/网页", "平台", "主办单位", "发现时间", "状态", "证据", "链接", "证据存档"]
SCORE_HEADERS = ["平台", "账号ID", "账号名称", "主办单位", "层级", "单项否决", "扣分项", "得分", "结论", "规则版本",
                 "最近更新"]


def rate_table(rates: list[Rate], names: dict[str, str] | None = None, raw: bool = False) -> Table:
    """Name, registered, checked, failed, pass rate ('59.3%', or the fraction itself when `raw`)."""
    return RATE_HEADERS, [[(names or {}).get(r.name, r.name), str(r.registered), str(r.checked), str(r.failed),
                           r.pass_rate if raw else percent(r.pass_rate)] for r in rates]


def problem_row(p: Problem) -> list[str]:
    return [KIND_TITLE.get(p.kind, p.kind), p.name, p.platform, p.owner, p.detected_at,
            "已整改" if p.status == "resolved" else "未整改", p.evidence, p.url, p.evidence_link]


def problem_table(problems: list[Problem]) -> Table:
    return PROBLEM_HEADERS, [problem_row(p) for p in problems]


def score_row(s: AccountScore) -> list[str]:
    return [s.platform, s.account_id, s.name, s.owner, LEVEL_TITLE.get(s.level, s.level),
            "、".join(KIND_TITLE.get(k, k) for k in s.vetoes),
            "、".join(f"{KIND_TITLE.get(k, k)}-{p}" for k, p in s.deductions), str(s.score),
            "不合格" if s.failed else "合格", s.ruleset_version, s.last_post_at]


def score_table(scores: list[AccountScore]) -> Table:
    return SCORE_HEADERS, [score_row(s) for s in scores]


def category_counts(report: InspectionReport) -> list[tuple[str, int]]:
    """(通报 heading, problems) per category, in report order."""
    return [(title, len(report.problems.get(cid, []))) for cid, title, _ in CATEGORIES]


def summary_text(report: InspectionReport) -> str:
    """The 通报's opening paragraph."""
    t = report.total
    missed = sum(report.not_checked.values())
    problems = sum(len(v) for v in report.problems.values())
    text = (f"{report.period.title}，共检查政务新媒体账号{t.checked}个（备案{t.registered}个"
            + (f"，{missed}个未能检查" if missed else "") + f"），不合格{t.failed}个，"
            f"合格率{percent(t.pass_rate)}。共发现问题{problems}个，")
    worst = [name for name, n in category_counts(report) if n][:3]
    text += ("主要为" + "、".join(worst) + "。") if worst else "未发现问题。"
    prev = report.comparison.previous_pass_rate
    if prev is not None:
        text += f"上期合格率{percent(prev)}。"
    c = report.comparison
    if c.recheck_fixed or c.recheck_failing:
        text += f"复查上期不合格账号{len(c.recheck_fixed) + len(c.recheck_failing)}个，已整改{len(c.recheck_fixed)}个，" \
                f"仍不合格{len(c.recheck_failing)}个。"
    return text
