"""`govwatch demo`: the whole job on the bundled sample web, compared with its ground truth."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from audit.content.probes import run_probes
from audit.content.runner import run_content_audit
from audit.registry import import_registry_file
from audit.reports import write_report
from audit.reports.inspection import build_inspection, parse_period, write_inspection
from audit.runner import run_audit
from core.config import Settings, load_settings
from core.errors import ConfigError
from crawler.linkcheck import run_linkcheck
from crawler.probes import ProbeFetcher
from govwatch.crawling import SpiderOutcome, run_spiders, spider_names
from govwatch.truth import compare_with_ground_truth
from index import open_backend
from index.base import Backend
from ops.evidence.screenshots import capture as capture_screenshots


@dataclass
class DemoRun:
    workdir: Path
    config_path: Path
    base_url: str
    outcomes: list[SpiderOutcome] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def toml_value(value: Any) -> str:
    """JSON strings, numbers, booleans and lists of them are valid TOML values."""
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def store_lines(workdir: Path, backend: str) -> list[str]:
    """The [store] section: SQLite in the workdir, or the cluster at GOVWATCH_ES_URL (prefix govwatch-demo)."""
    lines = ["[store]", f"sqlite_path = {toml_value(str(workdir / 'govwatch.db'))}"]
    if backend == "elasticsearch":
        url = os.environ.get("GOVWATCH_ES_URL", "")
        if not url:
            raise ConfigError("demo --backend elasticsearch needs GOVWATCH_ES_URL (scripts/es-node.sh start prints one)")
        lines += ['backend = "elasticsearch"', f"es_url = {toml_value(url)}", 'es_prefix = "govwatch-demo"',
                  f"es_spool = {toml_value(str(workdir / 'es-spool.db'))}"]
    return lines


def write_config(workdir: Path, sources: dict[str, Any], backend: str = "sqlite") -> Path:
    """A settings file pointing the store, reports and spiders at the demo's world."""
    lines = [
        f"reports_dir = {toml_value(str(workdir / 'reports'))}",
        *store_lines(workdir, backend),
        "[sources]",
        *(f"{k} = {toml_value(v)}" for k, v in sources.items() if v not in (None, "", [])),
    ]
    path = workdir / "govwatch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def prepare(workdir: Path, base_url: str, backend_name: str = "sqlite") -> DemoRun:
    """Fresh workdir (and fresh demo indices), config from the world's /sources.json, registry imported."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    sources = json.loads(fetch(f"{base_url}/sources.json"))
    run = DemoRun(workdir=workdir, config_path=write_config(workdir, sources, backend_name), base_url=base_url)
    registry = workdir / "registry.csv"
    registry.write_bytes(fetch(f"{base_url}/registry.csv"))
    settings = load_settings(run.config_path)
    if backend_name == "elasticsearch":  # a previous demo's documents must not count in this one
        from index.elastic import ElasticsearchBackend
        from index.elastic.indices import drop_all

        old = open_backend(settings, setup=False)
        assert isinstance(old, ElasticsearchBackend)
        drop_all(old.client, old.prefix)
        old.close()
    backend = open_backend(settings)
    run.lines.append(f"registry: {import_registry_file(backend, registry)}")
    backend.close()
    return run


def crawl(run: DemoRun, now: datetime) -> None:
    """Every spider, one after another, with relative dates resolved against the world's clock."""
    started = time.monotonic()
    run.outcomes = run_spiders(
        spider_names(), str(run.config_path),
        overrides={"LOG_LEVEL": "WARNING", "GOVWATCH_REFERENCE_TIME": now.isoformat(), "ROBOTSTXT_OBEY": False},
    )
    for o in run.outcomes:
        status = "FAILED: " + "; ".join(o.problems) if o.failed else "ok"
        seconds = float(o.stats.get("elapsed_time_seconds", 0))
        run.lines.append(f"crawl {o.name}: {o.items} items, {o.stats.get('downloader/request_count', 0)} requests "
                         f"in {seconds:.1f} s — {status}")
    run.lines.append(f"crawl took {time.monotonic() - started:.1f} s")


def audit(run: DemoRun, now: datetime) -> dict[str, Any]:
    """Checks that need HTTP (links, cloaking, clones), then account and content audits, then the
    nightly report; returns the comparison with the ground truth."""
    settings = load_settings(run.config_path)
    backend = open_backend(settings)
    sandbox = {urlsplit(run.base_url).hostname or ""}  # never fetch the hosts spam links point to
    statuses = run_linkcheck(backend, only_hosts=sandbox)
    run.lines.append(f"link check (sample web only): statuses {dict(sorted(statuses.items()))}")
    with ProbeFetcher() as probe_fetch:
        probes = run_probes(backend, settings, now, probe_fetch, sandbox)
    run.lines.append(f"probes: {probes.pages} pages re-fetched as a search engine, "
                     f"{probes.offsite_links} off-site links followed, findings {probes.findings}")
    accounts = run_audit(backend, settings, now)
    run.lines.append(f"audit: {accounts.accounts} accounts, findings {dict(sorted(accounts.by_kind.items()))}")
    content = run_content_audit(backend, settings, now)
    run.lines.append(f"content audit: {content.pages} pages, findings {dict(sorted(content.by_kind.items()))}")
    run.lines.append(capture_screenshots(backend, settings, now))
    path = write_report(backend, settings, "nightly-unregistered", "csv", now)
    run.lines.append(f"report: nightly list of unregistered accounts → {path}")
    run.lines += inspection_reports(backend, settings, now)
    run.lines.insert(0, "stored: " + ", ".join(f"{v} {k}" for k, v in backend.counts().items()))
    truth = json.loads(fetch(f"{run.base_url}/ground_truth.json"))
    comparison = compare_with_ground_truth(backend, truth)
    comparison["compromised_page"] = compare_pages(backend, truth)
    backend.close()
    return comparison


def inspection_reports(backend: Backend, settings: Settings, now: datetime) -> list[str]:
    """The month's inspection report (检查通报), built once and written as HTML, XLSX and DOCX."""
    report = build_inspection(backend, settings, parse_period(f"{now:%Y-%m}"), now)
    paths = [write_inspection(report, fmt, settings.reports_dir) for fmt in ("html", "xlsx", "docx")]
    return [f"report: inspection {report.period.label}: {report.total.checked} accounts checked, "
            f"{report.total.failed} failed → " + ", ".join(str(p) for p in paths)]


def compare_pages(backend: Backend, truth: dict[str, Any]) -> dict[str, Any]:
    """Compromised pages the crawl reached (stored, or linked from a stored page) vs spam findings.

    A flagged page that the ground truth calls clean is "extra": a false alarm.
    """
    compromised = {p["url"] for p in truth["pages"] if p["compromised"]}
    reached = {p.url for p in backend.iter_pages()} | {link.url for _, link in backend.iter_links()}
    expected = compromised & reached
    found = {f.subject_key for f in backend.list_findings(kind="spam_injection")}
    return {"expected": len(expected), "found": len(found),
            "missing": sorted(expected - found), "extra": sorted(found - compromised)}


def comparison_lines(comparison: dict[str, Any]) -> tuple[list[str], bool]:
    """One line per label: expected, found, and what is missing or extra; and whether all agree."""
    lines, exact = [], True
    for label, c in sorted(comparison.items()):
        ok = not c["missing"] and not c["extra"]
        exact &= ok
        detail = "" if ok else f"  missing {c['missing'][:5]} extra {c['extra'][:5]}"
        lines.append(f"  {label:<18} expected {c['expected']:>3}  found {c['found']:>3}  {'=' if ok else '≠'}{detail}")
    return lines, exact
