"""When to alert: new veto findings, crawls that failed or came back empty or walled, the calendar running out.

Each function turns what a job learnt into Alerts, grouped (one alert per
kind of problem, listing the first subjects) so a bad night is a handful of
messages, not hundreds.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from audit.registry.matching import RegistryIndex
from core.models import Finding
from index.base import Backend
from ops.alerts.model import Alert

LISTED = 10
VETO_TITLES = {"impersonation": "冒用仿冒账号", "dormant": "主账号两周未更新", "spam_injection": "网页被篡改/暗链"}


def open_identities(backend: Backend) -> set[tuple[str, str, str]]:
    """What is open now: the baseline a later call to new_veto_alerts compares with."""
    return {f.identity for f in backend.list_findings(status="open")}


def new_veto_alerts(backend: Backend, before: set[tuple[str, str, str]]) -> list[Alert]:
    """New impersonation, compromised-page and dormant-primary-account vetoes since `before`."""
    fresh = [f for f in backend.list_findings(status="open")
             if f.severity == "veto" and f.kind in VETO_TITLES and f.identity not in before]
    primary = _primary_keys(backend) if any(f.kind == "dormant" for f in fresh) else set()
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    for f in fresh:
        if f.kind != "dormant" or f.subject_key in primary:
            by_kind[f.kind].append(f)
    return [Alert(kind="veto_finding", severity="critical", title=f"新发现{VETO_TITLES[kind]} {len(found)} 个",
                  text="；".join(_subject(f) for f in found[:LISTED]) + ("…" if len(found) > LISTED else ""),
                  details={"finding_kind": kind, "count": len(found),
                           "subjects": [f.subject_key for f in found[:LISTED]]})
            for kind, found in sorted(by_kind.items())]


def _primary_keys(backend: Backend) -> set[str]:
    index = RegistryIndex(backend.iter_registry())
    keys = set()
    for acc in backend.iter_accounts():
        match = index.match(acc.platform, acc.account_id, acc.name)
        if match.registered and match.entry is not None and match.entry.is_primary:
            keys.add(f"{acc.platform}:{acc.account_id}")
    return keys


def _subject(f: Finding) -> str:
    name = f.evidence.get("name") or f.evidence.get("title") or ""
    return f"{name}（{f.subject_key}）" if name else f.subject_key


def crawl_alerts(outcomes: Iterable[Any], environ: dict[str, str] | None = None) -> list[Alert]:
    """From each spider's outcome (name, stats, problems): failures, silent sources, login walls, dead cookies."""
    env = os.environ if environ is None else environ
    alerts = []
    for o in outcomes:
        stats = o.stats
        if o.problems:
            alerts.append(Alert("crawl_failed", f"采集失败：{o.name}", "；".join(o.problems), "critical",
                                {"spider": o.name, "items": stats.get("item_scraped_count", 0)}))
        if silent := int(stats.get("govwatch/sources_silent", 0)):
            alerts.append(Alert("source_silent", f"{o.name}：{silent} 个来源本次无内容",
                                "上次有内容、本次一条也没有：页面结构可能已改变", "warning", {"spider": o.name}))
        for key, count in sorted(stats.items()):
            if not key.startswith("govwatch/needs_credentials/") or not count:
                continue
            platform = key.rsplit("/", 1)[1]
            if env.get(f"GOVWATCH_COOKIES_{platform.upper()}"):
                alerts.append(Alert("cookies_expired", f"{platform} 的 Cookie 已失效",
                                    f"配置了 Cookie，{count} 个账号仍遇到登录墙：请更新 GOVWATCH_COOKIES_{platform.upper()}",
                                    "critical", {"spider": o.name, "platform": platform, "accounts": count}))
            else:
                alerts.append(Alert("login_wall", f"{platform} 需要登录：{count} 个账号",
                                    "这些账号未能检查（needs_credentials）", "warning",
                                    {"spider": o.name, "platform": platform, "accounts": count}))
    return alerts


def calendar_alerts(provisional_years: Iterable[int]) -> list[Alert]:
    """The holiday calendar ran out: once per year, until the official 调休 days are in the config."""
    return [Alert("calendar", f"{year} 年节假日安排未知：使用临时日历",
                  f"chinese_calendar 不含 {year} 年官方调休安排；按周末和法定节日计算，涉及工作日的结论标记为 provisional。"
                  f"国务院公布后请在配置中加入 [calendar.{year}] holidays / workdays。",
                  "warning", {"year": year}, once_key=f"calendar:{year}")
            for year in sorted(provisional_years)]
