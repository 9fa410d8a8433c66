"""The scheduled jobs — crawl, linkcheck, audit, report — each run once under the run lock.

`run_job(name, ...)` is what `govwatch schedule` starts in a child process
for every due job, and what a cron line runs directly (`govwatch schedule
--run-job audit`). It takes the lock (another run holding it: the job is
recorded as skipped), records the run in the job history, raises alerts,
and on SIGTERM finishes the item in hand (a spider, an audit step) and
stops, recorded as interrupted.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.config import Settings
from index import open_backend
from ops.alerts import Alert, AlertSender
from ops.alerts.triggers import calendar_alerts, crawl_alerts, new_veto_alerts, open_identities
from ops.history import JobHistory, history_path
from ops.lock import LockHeld, RunLock
from ops.schedule import Schedule, china_now

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    settings: Settings
    config_path: str | None
    now: datetime
    alerts: AlertSender
    stop: threading.Event
    counts: dict[str, Any] = field(default_factory=dict)
    interrupted: bool = False


def state_paths(settings: Settings) -> tuple[Path, Path]:
    """(lock file, job history) beside the data."""
    return Path(settings.store.sqlite_path).parent / "govwatch.lock", history_path(settings)


def run_job(name: str, settings: Settings, config_path: str | None, scheduled_for: datetime | None = None) -> str:
    """Run job `name` once; its outcome (ok, failed, interrupted, skipped)."""
    lock_path, history_path = state_paths(settings)
    history = JobHistory(history_path)
    now = china_now()
    try:
        with RunLock(lock_path):
            return _run_locked(name, settings, config_path, scheduled_for, history)
    except LockHeld as exc:
        history.record(name, scheduled_for, now, "skipped", str(exc))
        log.warning("%s skipped: %s", name, exc)
        return "skipped"
    finally:
        history.close()


def _run_locked(name: str, settings: Settings, config_path: str | None, scheduled_for: datetime | None,
                history: JobHistory) -> str:
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())  # finish the item in hand, then stop
    ctx = JobContext(settings, config_path, china_now(), AlertSender.from_settings(settings, once=history.once),
                     stop)
    run_id = history.start(name, scheduled_for, ctx.now)
    outcome, message = "ok", ""
    try:
        outcome = JOBS[name](ctx) or "ok"
    except Exception as exc:  # noqa: BLE001 — recorded, alerted, and the scheduler carries on
        outcome, message = "failed", f"{type(exc).__name__}: {exc}"
        log.exception("job %s failed", name)
        ctx.alerts.notify(Alert("job_failed", f"任务失败：{name}", message, "critical", {"job": name}))
    if ctx.interrupted or stop.is_set():
        outcome, message = "interrupted", message or "stopped by SIGTERM after the item in hand"
    history.finish(run_id, outcome, china_now(), ctx.counts, message)
    ctx.alerts.close(wait=30)
    signal.signal(signal.SIGTERM, previous)
    return outcome


def send_alerts(settings: Settings, alerts: list[Alert], wait: float = 30.0) -> None:
    """Alerts from a command run by hand (`govwatch crawl`, `govwatch audit`): same webhooks, same once-only memory."""
    if not alerts or not settings.alerts.get("webhooks"):
        return
    history = JobHistory(state_paths(settings)[1])
    sender = AlertSender.from_settings(settings, once=history.once)
    try:
        for alert in alerts:
            sender.notify(alert)
    finally:
        sender.close(wait)
        history.close()


def crawl(ctx: JobContext) -> str:
    """Every configured spider; alerts for failures, silent sources, login walls and dead cookies."""
    from govwatch.crawling import run_spiders, spider_names

    names = list(Schedule.from_settings(ctx.settings).spiders or spider_names())
    outcomes = run_spiders(names, ctx.config_path)  # Scrapy's own SIGTERM handling stops it gracefully
    ctx.counts = {o.name: {"items": o.items, "failed": o.failed} for o in outcomes}
    ctx.interrupted = any(o.stats.get("finish_reason") == "shutdown" for o in outcomes)
    for alert in crawl_alerts(outcomes):
        ctx.alerts.notify(alert)
    return "failed" if any(o.failed for o in outcomes) else "ok"


def linkcheck(ctx: JobContext) -> str:
    """Link statuses, then the cloaking and clone probes."""
    from audit.content.probes import run_probes
    from crawler.linkcheck import run_linkcheck
    from crawler.probes import ProbeFetcher

    backend = open_backend(ctx.settings)
    try:
        ctx.counts["links"] = dict(run_linkcheck(backend))
        if not ctx.stop.is_set():
            with ProbeFetcher() as fetch:
                probes = run_probes(backend, ctx.settings, ctx.now, fetch)
            ctx.counts["probes"] = {"pages": probes.pages, "findings": probes.findings}
    finally:
        backend.close()
    return "ok"


def audit(ctx: JobContext) -> str:
    """Account and content audits, screenshots and evidence retention; alerts for new vetoes and the calendar."""
    from audit.content.runner import run_content_audit
    from audit.runner import run_audit
    from ops.evidence.screenshots import capture

    backend = open_backend(ctx.settings)
    try:
        before = open_identities(backend)
        summary = run_audit(backend, ctx.settings, ctx.now)
        ctx.counts["accounts"] = {"subjects": summary.accounts, "findings": dict(summary.by_kind)}
        for alert in calendar_alerts(summary.provisional_years):
            ctx.alerts.notify(alert)
        if not ctx.stop.is_set():
            ctx.counts["pages"] = dict(run_content_audit(backend, ctx.settings, ctx.now).by_kind)
        for alert in new_veto_alerts(backend, before):
            ctx.alerts.notify(alert)
        if not ctx.stop.is_set():
            ctx.counts["screenshots"] = capture(backend, ctx.settings, ctx.now)
            ctx.counts["evidence_pruned"] = _prune(ctx.settings, ctx.now)
    finally:
        backend.close()
    return "ok"


def _prune(settings: Settings, now: datetime) -> list[int]:
    """(snapshot rows, files) removed by the evidence retention."""
    from ops.evidence.store import EvidenceStore

    store = EvidenceStore.from_settings(settings)
    try:
        return list(store.prune(now))
    finally:
        store.close()


def report(ctx: JobContext) -> str:
    """The nightly list every day; on the 1st the previous month's inspection report (and quarter's)."""
    from audit.reports import write_report
    from audit.reports.inspection import build_inspection, parse_period, write_inspection

    backend = open_backend(ctx.settings)
    written = []
    try:
        written.append(str(write_report(backend, ctx.settings, "nightly-unregistered", "csv", ctx.now)))
        for period in _finished_periods(ctx.now):
            if ctx.stop.is_set():
                break
            inspection = build_inspection(backend, ctx.settings, parse_period(period), ctx.now)
            written += [str(write_inspection(inspection, fmt, ctx.settings.reports_dir))
                        for fmt in ("html", "xlsx", "docx")]
    finally:
        backend.close()
    ctx.counts["files"] = written
    return "ok"


def _finished_periods(now: datetime) -> list[str]:
    """On the first day of a month: last month, and last quarter when a quarter just ended."""
    if now.day != 1:
        return []
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    periods = [f"{year}-{month:02d}"]
    if month % 3 == 0:
        periods.append(f"{year}-Q{month // 3}")
    return periods


JOBS: dict[str, Callable[[JobContext], str]] = {"crawl": crawl, "linkcheck": linkcheck, "audit": audit,
                                                "report": report}
