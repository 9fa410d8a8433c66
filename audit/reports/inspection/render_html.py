"""The inspection report as one self-contained HTML file: inline CSS and SVG charts, no scripts.

Long lists are cut at HTML_ROWS rows per table (the XLSX and JSON carry every row),
so a 100,000-account report still opens in a browser.
"""

from __future__ import annotations

from html import escape

from audit.reports.inspection.model import CATEGORIES, LEVEL_TITLE, NOT_CHECKED_TITLE, InspectionReport
from audit.reports.inspection.svg import column_chart, hbar_chart, percent
from audit.reports.inspection.tables import (
    Table,
    category_counts,
    problem_table,
    rate_table,
    score_table,
    summary_text,
)

HTML_ROWS = 500
CHART_OWNERS = 25  # bodies shown in the chart: the lowest pass rates
CSS = """body{font-family:"WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}td,th{border:1px solid #bbb;padding:3px 6px}
th{background:#eef}h1{text-align:center}.summary{font-size:15px;line-height:1.8}.note{color:#666}
.charts{display:flex;flex-wrap:wrap;gap:1em}svg.chart{border:1px solid #ddd;background:#fff}"""


def render(report: InspectionReport) -> bytes:
    p = report.period
    body = [f"<h1>政务新媒体检查情况通报</h1><p style='text-align:center'>{escape(p.title)}"
            f"（{p.start} 至 {p.end}）· 生成于 {escape(report.generated_at)}</p>",
            f"<p class='summary'>{escape(summary_text(report))}</p>",
            "<h2>一、总体情况</h2>", _charts(report),
            "<h3>按平台</h3>", _table(rate_table(report.by_platform)),
            "<h3>按主办单位层级</h3>", _table(rate_table(report.by_level, LEVEL_TITLE)),
            _not_checked(report), "<h2>二、发现的问题</h2>", *_problems(report),
            "<h2>三、账号评分表</h2>", _table(score_table(report.scores), "score-sheet"),
            "<h2>四、主办单位合格率排名</h2>", _table(rate_table(report.owners), "owners"),
            "<h3>所有账号均合格的单位</h3>", f"<p>{escape('、'.join(report.owners_all_passing) or '无')}</p>",
            "<h2>五、与上期对比及复查情况</h2>", *_comparison(report),
            f"<p class='note'>规则版本：{escape(', '.join(report.ruleset_versions) or '—')}；"
            f"合格标准：无单项否决且得分不低于{report.settings.get('pass_score', 60)}分。</p>"]
    html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(p.title)}政务新媒体检查通报"
            f"</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>")
    return html.encode("utf-8")


def _charts(report: InspectionReport) -> str:
    def rate_rows(rates: list, names: dict[str, str] | None = None) -> list[tuple[str, float, str]]:
        return [((names or {}).get(r.name, r.name), r.pass_rate or 0.0, percent(r.pass_rate))
                for r in rates if r.checked]

    owners = sorted(report.owners, key=lambda r: (r.pass_rate or 0.0, -r.checked))[:CHART_OWNERS]
    charts = [
        hbar_chart("各平台合格率", rate_rows(report.by_platform), 1.0),
        hbar_chart("各层级合格率", rate_rows(report.by_level, LEVEL_TITLE), 1.0),
        hbar_chart(f"主办单位合格率（最低{len(owners)}个）", rate_rows(owners), 1.0),
        hbar_chart("问题分类统计", [(t, float(n), str(n)) for t, n in category_counts(report)], colour="#c53030"),
        column_chart("每日发布账号数", report.activity),
    ]
    return "<div class='charts'>" + "".join(charts) + "</div>"


def _not_checked(report: InspectionReport) -> str:
    if not report.not_checked:
        return ""
    parts = "；".join(f"{NOT_CHECKED_TITLE.get(reason, reason)} {n} 个" for reason, n in sorted(report.not_checked.items()))
    return f"<p class='note'>未能检查的备案账号：{escape(parts)}（不计入合格率）。</p>"


def _problems(report: InspectionReport) -> list[str]:
    out = []
    for i, (cid, title, _) in enumerate(CATEGORIES, 1):
        rows = report.problems.get(cid, [])
        if rows:
            out += [f"<h3 id='problems-{cid}'>（{i}）{escape(title)}：{len(rows)} 个</h3>",
                    _table(problem_table(rows), f"problems-{cid}")]
    return out or ["<p>本期未发现问题。</p>"]


def _comparison(report: InspectionReport) -> list[str]:
    c = report.comparison
    return [f"<p>上期（{escape(c.previous)}）合格率 {percent(c.previous_pass_rate)}，本期 {percent(report.total.pass_rate)}。"
            f"新发现问题 {len(c.new)} 个，已整改 {len(c.resolved)} 个。</p>",
            f"<h3>复查：已整改（{len(c.recheck_fixed)}）</h3>", _table(score_table(c.recheck_fixed), "recheck-fixed"),
            f"<h3>复查：仍不合格（{len(c.recheck_failing)}）</h3>",
            _table(score_table(c.recheck_failing), "recheck-failing"),
            f"<h3>新发现问题（{len(c.new)}）</h3>", _table(problem_table(c.new), "new-problems"),
            f"<h3>已整改问题（{len(c.resolved)}）</h3>", _table(problem_table(c.resolved), "resolved-problems")]


def _table(table: Table, table_id: str = "") -> str:
    headers, rows = table
    shown = rows[:HTML_ROWS]
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(h, v) for h, v in zip(headers, row, strict=True)) + "</tr>"
                   for row in shown)
    note = (f"<p class='note'>仅显示前 {HTML_ROWS} 行，共 {len(rows)} 行；完整内容见 XLSX 或 JSON 版本。</p>"
            if len(rows) > HTML_ROWS else "")
    ident = f" id='{escape(table_id)}'" if table_id else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _cell(header: str, value: str) -> str:
    if header in ("链接", "证据存档") and value:
        label = "证据" if header == "证据存档" else "原文"
        return f"<td><a href='{escape(value, quote=True)}'>{label}</a></td>"
    return f"<td>{escape(value)}</td>"
