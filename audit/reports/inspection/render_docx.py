"""The inspection report as DOCX in the shape of an official 通报 (python-docx).

Title, period, summary paragraph, the totals table, then the problems by
owning body, the score sheet of failed accounts and the 复查 — the parts an
office edits and forwards. Long lists are cut at DOCX_ROWS (the XLSX has all).
"""

from __future__ import annotations

import io
from collections import defaultdict

from audit.reports.inspection.model import CATEGORY_TITLE, KIND_TITLE, LEVEL_TITLE, InspectionReport, Problem
from audit.reports.inspection.tables import Table, rate_table, score_table, summary_text

DOCX_ROWS = 300
FONT = "仿宋"  # 通报 body text is set in FangSong


def render(report: InspectionReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    title = doc.add_heading(f"关于{report.period.title}政务新媒体检查情况的通报", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"检查期间：{report.period.start} 至 {report.period.end}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(summary_text(report))
    _table(doc, rate_table([report.total, *report.by_level], {"total": "合计", **LEVEL_TITLE}))
    _table(doc, rate_table(report.by_platform))
    doc.add_heading("二、存在的主要问题", level=1)
    _problems_by_owner(doc, [p for rows in report.problems.values() for p in rows])
    doc.add_heading("三、不合格账号评分情况", level=1)
    _table(doc, score_table(report.failed_accounts))
    doc.add_heading("四、复查情况", level=1)
    c = report.comparison
    doc.add_paragraph(f"对上期（{c.previous}）不合格账号进行复查：已整改{len(c.recheck_fixed)}个，"
                      f"仍不合格{len(c.recheck_failing)}个；本期新发现问题{len(c.new)}个，已整改问题{len(c.resolved)}个。")
    _table(doc, score_table(c.recheck_failing))
    doc.add_heading("五、工作要求", level=1)
    doc.add_paragraph("请各单位对照问题清单于15个工作日内完成整改，整改情况报主管单位；"
                      "对僵尸账号、空壳账号依规关停注销，对冒用仿冒账号向平台投诉处置。")
    if report.owners_all_passing:
        doc.add_paragraph("所有账号均合格的单位：" + "、".join(report.owners_all_passing) + "。")
    doc.add_paragraph(f"规则版本：{', '.join(report.ruleset_versions) or '—'}。生成时间：{report.generated_at}。")
    _font(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _problems_by_owner(doc: object, problems: list[Problem]) -> None:
    """One paragraph per owning body: its accounts and pages with what is wrong (the part offices forward)."""
    by_owner: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_owner[p.owner or "未明确主办单位"].append(p)
    if not by_owner:
        doc.add_paragraph("本期未发现问题。")  # type: ignore[attr-defined]
        return
    numbered = doc.styles["List Number"]  # type: ignore[attr-defined]
    for i, (owner, rows) in enumerate(sorted(by_owner.items(), key=lambda kv: (-len(kv[1]), kv[0]))):
        if i >= DOCX_ROWS:
            doc.add_paragraph(f"另有{len(by_owner) - DOCX_ROWS}个单位的问题见 XLSX 版本。")  # type: ignore[attr-defined]
            break
        items = "；".join(f"{p.name}（{p.platform}）{KIND_TITLE.get(p.kind, p.kind)}" for p in rows[:20])
        more = f"等{len(rows)}个问题" if len(rows) > 20 else ""
        cats = "、".join(sorted({CATEGORY_TITLE.get(p.category, p.category) for p in rows}))
        paragraph = doc.add_paragraph(f"{owner}（{cats}）：{items}{more}。")  # type: ignore[attr-defined]
        paragraph._p.style = numbered.style_id  # by id: python-docx's by-name lookup scans all styles


def _table(doc: object, table: Table) -> None:
    headers, rows = table
    shown = rows[:DOCX_ROWS]
    grid = doc.add_table(rows=1 + len(shown), cols=len(headers))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    # Cells straight from each row's XML: python-docx's row.cells walks the whole table every time.
    for tr, values in zip(grid._tbl.tr_lst, [headers, *shown], strict=True):
        for tc, value in zip(tr.tc_lst, values, strict=True):
            tc.p_lst[0].add_r().text = str(value)  # a new cell holds one empty paragraph
    if len(rows) > DOCX_ROWS:
        doc.add_paragraph(f"（仅列前{DOCX_ROWS}行，共{len(rows)}行，完整名单见 XLSX 版本。）")  # type: ignore[attr-defined]


def _font(doc: object) -> None:
    """FangSong for Chinese text in the body style (East Asian font must be set on the rFonts element)."""
    from docx.oxml.ns import qn

    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
