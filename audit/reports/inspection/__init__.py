"""The inspection report (检查通报): `build_inspection` makes the model, one small module per format renders it.

    report = build_inspection(backend, settings, parse_period("2026-Q4"), now)
    path = write_inspection(report, "html", out_dir)
"""

from __future__ import annotations

import importlib
from pathlib import Path

from audit.reports.inspection.build import build_inspection
from audit.reports.inspection.model import InspectionReport
from audit.reports.inspection.period import Period, parse_period
from core.errors import BadInputError

FORMATS = ("html", "xlsx", "docx", "json")


def render(report: InspectionReport, fmt: str) -> bytes:
    """The report file's bytes in `fmt`; each renderer module is imported on use (python-docx only for docx)."""
    if fmt not in FORMATS:
        raise BadInputError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}", field="--format")
    module = importlib.import_module(f"audit.reports.inspection.render_{fmt}")
    return bytes(module.render(report))


def write_inspection(report: InspectionReport, fmt: str, out_dir: str | Path) -> Path:
    """Write `inspection-<period>.<fmt>` (then -2, -3 … : never overwriting an earlier file)."""
    from audit.reports import save_dated

    stem = "inspection-" + report.period.label.replace("..", "_")
    return save_dated(Path(out_dir), stem, fmt, render(report, fmt))


__all__ = ["FORMATS", "InspectionReport", "Period", "build_inspection", "parse_period", "render",
           "write_inspection"]
