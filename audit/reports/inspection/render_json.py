"""The inspection report as JSON: the model itself, with pass rates spelled out for other programs."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from audit.reports.inspection.model import InspectionReport, Rate


def to_dict(report: InspectionReport) -> dict[str, Any]:
    """Plain data: every section under the names the other formats use."""
    doc = asdict(report)
    doc["period"] = {"label": report.period.label, "title": report.period.title,
                     "start": report.period.start.isoformat(), "end": report.period.end.isoformat()}
    for name in ("by_platform", "by_level", "owners"):
        doc[name] = [_rate(r) for r in getattr(report, name)]
    doc["total"] = _rate(report.total)
    doc["failed_accounts"] = [s.key for s in report.failed_accounts]
    return doc


def _rate(rate: Rate) -> dict[str, Any]:
    return {"name": rate.name, "registered": rate.registered, "checked": rate.checked, "failed": rate.failed,
            "pass_rate": None if rate.pass_rate is None else round(rate.pass_rate, 4)}


def render(report: InspectionReport) -> bytes:
    return (json.dumps(to_dict(report), ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")
