"""The inspection report on a sample world audited as a perfect crawl would store it: totals, failed
accounts and pass rate equal the ground truth; the XLSX and DOCX carry them; the comparison with the
previous period finds new problems, resolved ones and the 复查 of last period's failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from audit.reports.inspection import build_inspection, parse_period, render, write_inspection
from audit.reports.inspection.model import InspectionReport
from audit.runner import run_audit
from core.config import Settings
from index.sqlite import SqliteBackend
from sampleweb.world import World, generate
from tests.audit.world_store import load_world

# DESIGN.md: these rules are vetoes; the report's default points for the deductions the world produces
VETO_LABELS = {"dormant", "zombie", "zombie_severe", "empty_shell", "no_interaction"}
POINTS = {"cadence_primary": 20, "cadence_weekly": 10, "no_original": 10, "duplicate_platform": 10}


@pytest.fixture(scope="module")
def world() -> World:
    return generate(seed=7, accounts=40, posts=30)


@pytest.fixture(scope="module")
def report(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[InspectionReport]:
    store = SqliteBackend(tmp_path_factory.mktemp("inspection") / "store.db")
    store.setup()
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    yield build_inspection(store, Settings(), parse_period(f"{world.now:%Y-%m}"), world.now)
    store.close()


def truth_verdicts(world: World) -> tuple[set[str], set[str]]:
    """(checked, failed) account keys from the world's labels: active registry rows the crawl can read."""
    truth = world.ground_truth()
    labels = {f"{a['platform']}:{a['account_id']}": set(a["labels"]) for a in truth["accounts"]}
    by_name = {(a["platform"], a["name"]): f"{a['platform']}:{a['account_id']}" for a in truth["accounts"]}
    active = {f"{e.platform}:{e.account_id}" if e.account_id else by_name.get((e.platform, e.name), "")
              for e in world.registry if e.status == "active"}  # a row without an id matches by name
    checked = {k for k in active if k in labels and k not in truth["needs_credentials"]
               and "missing" not in labels[k]}
    failed = {k for k in checked
              if labels[k] & VETO_LABELS or 100 - sum(POINTS.get(x, 0) for x in labels[k]) < 60}
    return checked, failed


def test_failed_accounts_and_pass_rate_equal_the_ground_truth(world: World, report: InspectionReport) -> None:
    checked, failed = truth_verdicts(world)
    assert 0 < len(failed) < len(checked)  # the world has both kinds
    assert {s.key for s in report.scores} == checked
    assert {s.key for s in report.failed_accounts} == failed
    assert report.total.pass_rate == pytest.approx((len(checked) - len(failed)) / len(checked))
    assert sum(r.checked for r in report.by_platform) == len(checked)
    assert sum(r.checked for r in report.by_level) == len(checked)
    assert report.not_checked == {"login wall": 1, "no longer exists": 1}


def test_score_sheet_says_why(report: InspectionReport) -> None:
    dormant = next(s for s in report.scores if "dormant" in s.vetoes)
    assert dormant.failed and dormant.ruleset_version == Settings().rules.ruleset_version
    deducted = [s for s in report.scores if s.deductions and not s.vetoes]
    assert deducted and all(s.score == 100 - sum(p for _, p in s.deductions) for s in deducted)
    assert all(not s.failed for s in deducted if s.score >= 60)


def test_problem_lists_carry_owner_evidence_and_a_link_to_the_stored_proof(report: InspectionReport) -> None:
    stale = report.problems["not_updated"]
    dormant = next(p for p in stale if p.kind == "dormant")
    assert dormant.owner and "days_since_last_post=" in dormant.evidence
    assert dormant.evidence_link.startswith("/evidence/finding?rule_id=account.dormant&subject_key=")
    assert {p.kind for p in report.problems["impersonation"]} == {"impersonation"}
    assert report.problems["unregistered"]


def test_owners_ranked_by_pass_rate_and_the_bodies_with_every_account_passing(report: InspectionReport) -> None:
    rates = [r.pass_rate or 0.0 for r in report.owners]
    assert rates == sorted(rates, reverse=True)
    failing_owners = {s.owner for s in report.failed_accounts}
    assert report.owners_all_passing and not failing_owners & set(report.owners_all_passing)
    assert {s.owner for s in report.scores} - failing_owners == set(report.owners_all_passing)


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book[name].values)
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]  # trailing empty cells are not stored


def test_xlsx_has_the_pass_rate_and_the_failed_accounts_of_the_ground_truth(
    world: World, report: InspectionReport, tmp_path: Path
) -> None:
    path = write_inspection(report, "xlsx", tmp_path)
    checked, failed = truth_verdicts(world)
    total = sheet_rows(path, "合计")[0]
    assert total["检查账号"] == len(checked) and total["不合格"] == len(failed)
    assert total["合格率"] == pytest.approx((len(checked) - len(failed)) / len(checked))
    sheet = sheet_rows(path, "评分表")
    assert {f"{r['平台']}:{r['账号ID']}" for r in sheet if r["结论"] == "不合格"} == failed
    assert {f"{r['平台']}:{r['账号ID']}" for r in sheet} == checked
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert {"按平台", "按层级", "单位排名", "复查-仍不合格", "每日发布"} <= set(names)


def test_docx_reads_as_an_official_notice(report: InspectionReport, tmp_path: Path) -> None:
    path = write_inspection(report, "docx", tmp_path)
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == f"关于{report.period.title}政务新媒体检查情况的通报"
    summary = next(t for t in texts if t.startswith(report.period.title + "，共检查"))
    assert f"不合格{report.total.failed}个" in summary
    assert "二、存在的主要问题" in texts and "四、复查情况" in texts
    failed_table = doc.tables[2]
    assert {row.cells[2].text for row in failed_table.rows[1:]} == {s.name for s in report.failed_accounts}
    owner = report.failed_accounts[0].owner
    assert any(t.startswith(owner + "（") for t in texts)  # problems grouped by owning body


def test_json_is_the_same_model(report: InspectionReport) -> None:
    import json

    doc = json.loads(render(report, "json"))
    assert doc["total"]["checked"] == report.total.checked
    assert doc["failed_accounts"] == [s.key for s in report.failed_accounts]
    assert doc["period"]["label"] == report.period.label


def test_previous_period_new_resolved_and_recheck(world: World, tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "store.db")
    store.setup()
    try:
        load_world(store, world)
        earlier = world.now - timedelta(days=31)  # last month's audit saw the same store as of a month ago
        run_audit(store, Settings(), earlier)
        last_month = {(f.rule_id, f.subject_key) for f in store.list_findings()}
        run_audit(store, Settings(), world.now)
        report = build_inspection(store, Settings(), parse_period(f"{world.now:%Y-%m}"), world.now)
        now_open = {(f.rule_id, f.subject_key) for f in store.list_findings()}
        c = report.comparison
        assert c.previous == f"{earlier:%Y-%m}"
        assert {(p.rule_id, p.subject_key) for p in c.new} == now_open - last_month
        assert {(p.rule_id, p.subject_key) for p in c.resolved} == last_month - now_open
        rechecked = {s.key for s in c.recheck_fixed} | {s.key for s in c.recheck_failing}
        assert rechecked and c.previous_pass_rate is not None
        assert {s.key for s in c.recheck_failing} <= {s.key for s in report.failed_accounts}
        assert not {s.key for s in c.recheck_fixed} & {s.key for s in report.failed_accounts if s.key}
    finally:
        store.close()


def test_report_settings_change_points_and_levels_and_bad_ones_are_named(world: World, tmp_path: Path) -> None:
    from core.errors import ConfigError

    store = SqliteBackend(tmp_path / "store.db")
    store.setup()
    try:
        load_world(store, world)
        run_audit(store, Settings(), world.now)
        settings = Settings(report={"deduction_points": {"cadence_weekly": 50},
                                    "owner_levels": {"无锡市教育局": "department"}})
        report = build_inspection(store, settings, parse_period(f"{world.now:%Y-%m}"), world.now)
        weekly = [s for s in report.scores if ("cadence_weekly", 50) in s.deductions]
        assert weekly and all(s.score <= 50 and s.failed for s in weekly)
        assert any(s.owner == "无锡市教育局" and s.level == "department" for s in report.scores)
        for bad, message in (({"points": 1}, "unknown keys"), ({"deduction_points": {"typo": -5}}, "≥ 0"),
                             ({"owner_levels": {"x": "village"}}, "levels are")):
            with pytest.raises(ConfigError, match=message):
                build_inspection(store, Settings(report=bad), parse_period("2026-11"), world.now)
    finally:
        store.close()


def test_a_page_problem_names_the_owner_of_the_registered_website(store: SqliteBackend) -> None:
    from core.models import Finding, RegistryEntry

    store.upsert_registry([RegistryEntry("永州市人民政府网", "website", "www.yz.gov.test", owner="永州市人民政府办公室")])
    when = parse_period("2026-11").since + timedelta(days=3)
    store.save_findings([Finding("spam_injection", "veto", "page", "http://www.yz.gov.test/a.html",
                                 "page.spam_injection", "t", {"title": "通知"}, detected_at=when)],
                        rule_ids=["page.spam_injection"], as_of=when)
    report = build_inspection(store, Settings(), parse_period("2026-11"), when)
    [problem] = report.problems["compromised"]
    assert (problem.owner, problem.name, problem.platform) == ("永州市人民政府办公室", "通知", "website")
