"""The HTML report opens offline in headless Chromium and its charts render: one drawn bar per value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from audit.reports.inspection import build_inspection, parse_period, write_inspection
from audit.runner import run_audit
from core.config import Settings
from index.sqlite import SqliteBackend
from ops.evidence.browser import chromium, chromium_path
from sampleweb.world import generate
from tests.audit.world_store import load_world

pytestmark = pytest.mark.browser


def test_charts_render_in_chromium_without_network(store: SqliteBackend, tmp_path: Path) -> None:
    if not os.access(chromium_path(), os.X_OK):
        pytest.skip(f"no chromium at {chromium_path()}")
    world = generate(seed=7, accounts=40, posts=30)
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    report = build_inspection(store, Settings(), parse_period(f"{world.now:%Y-%m}"), world.now)
    path = write_inspection(report, "html", tmp_path)
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.split("<body>")[0]  # nothing fetched
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        charts = page.eval_on_selector_all(
            "svg.chart", """svgs => svgs.map(s => ({
                title: s.querySelector('title').textContent,
                width: s.getBoundingClientRect().width,
                bars: [...s.querySelectorAll('rect.bar')].map(r => r.getBBox().width * r.getBBox().height)}))""")
    assert requests == [path.as_uri()]  # the report loads nothing else
    by_title = {c["title"]: c for c in charts}
    assert {"各平台合格率", "各层级合格率", "问题分类统计", "每日发布账号数"} <= set(by_title)
    assert all(c["width"] > 300 for c in charts)
    platforms = by_title["各平台合格率"]["bars"]
    assert len(platforms) == len([r for r in report.by_platform if r.checked])
    assert sum(a > 0 for a in platforms) == len([r for r in report.by_platform if r.pass_rate])
    problems = by_title["问题分类统计"]["bars"]
    assert sum(a > 0 for a in problems) == sum(1 for rows in report.problems.values() if rows)
    activity = by_title["每日发布账号数"]["bars"]
    assert len(activity) == 30 and sum(a > 0 for a in activity) == sum(1 for _, n in report.activity if n)
