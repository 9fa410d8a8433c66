"""`govwatch demo`: the whole job on the bundled sample web, compared with its ground truth."""

from __future__ import annotations

import importlib
import json
import shutil
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from govwatch.config import load_settings
from govwatch.crawling import SpiderOutcome, run_spiders

SPIDERS = ("gov_site", "wechat", "weibo", "douyin", "bilibili", "feeds", "discovery")


@dataclass
class DemoRun:
    workdir: Path
    config_path: Path
    base_url: str = ""
    outcomes: list[SpiderOutcome] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def toml_value(value: Any) -> str:
    """JSON strings, numbers, booleans and lists of them are valid TOML values."""
    return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)


def write_config(workdir: Path, sources: dict[str, Any]) -> Path:
    """A settings file pointing the store, reports and spiders at the demo's world."""
    lines = [
        f"reports_dir = {toml_value(str(workdir / 'reports'))}",
        "[store]",
        f"sqlite_path = {toml_value(str(workdir / 'govwatch.db'))}",
        "[sources]",
        *(f"{k} = {toml_value(v)}" for k, v in sources.items() if v not in (None, "", [])),
    ]
    path = workdir / "govwatch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read().decode("utf-8"))


def optional(module: str, name: str) -> Callable[..., Any] | None:
    """A function from a module that may not be part of this build."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ModuleNotFoundError, AttributeError):
        return None


def available_spiders() -> list[str]:
    """The demo's spiders that this build has, in crawl order."""
    import os

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    known = set(SpiderLoader.from_settings(get_project_settings()).list())
    return [s for s in SPIDERS if s in known]


def prepare(workdir: Path, base_url: str, now: datetime) -> DemoRun:
    """Fresh workdir, config from the world's /sources.json, registry imported."""
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    run = DemoRun(workdir=workdir, config_path=write_config(workdir, fetch_json(f"{base_url}/sources.json")))
    run.base_url = base_url
    (workdir / "registry.csv").write_bytes(urllib.request.urlopen(f"{base_url}/registry.csv", timeout=30).read())
    importer = optional("audit.registry", "import_registry_file")
    if importer:
        from index import open_backend

        backend = open_backend(load_settings(run.config_path))
        result = importer(backend, workdir / "registry.csv")
        backend.close()
        run.lines.append(f"registry: imported {workdir / 'registry.csv'}: {result}")
    return run


def crawl(run: DemoRun, now: datetime) -> None:
    started = time.monotonic()
    run.outcomes = run_spiders(
        available_spiders(), str(run.config_path),
        overrides={"LOG_LEVEL": "WARNING", "GOVWATCH_REFERENCE_TIME": now.isoformat(), "ROBOTSTXT_OBEY": False},
    )
    for o in run.outcomes:
        status = "FAILED: " + "; ".join(o.problems) if o.failed else "ok"
        run.lines.append(f"crawl {o.name}: {o.items} items, {o.stats.get('downloader/request_count', 0)} requests — {status}")
    run.lines.append(f"crawl took {time.monotonic() - started:.1f} s")


def audit(run: DemoRun, now: datetime) -> dict[str, Any]:
    """Account and content audits as of the world's clock; the comparison with ground truth."""
    from audit.runner import run_audit
    from index import open_backend

    settings = load_settings(run.config_path)
    backend = open_backend(settings)
    summary = run_audit(backend, settings, now)
    run.lines.append(f"audit: {summary.accounts} accounts, findings {dict(sorted(summary.by_kind.items()))}")
    from urllib.parse import urlsplit

    from audit.content.runner import run_content_audit
    from crawler.linkcheck import run_linkcheck

    statuses = run_linkcheck(backend, only_hosts={urlsplit(run.base_url).hostname or ""})
    run.lines.append(f"link check (sample web only): statuses {dict(sorted(statuses.items()))}")
    content = run_content_audit(backend, settings, now)
    run.lines.append(f"content audit: {content.pages} pages, findings {dict(sorted(content.by_kind.items()))}")
    truth = fetch_json(f"{run.base_url}/ground_truth.json")
    compare = optional("govwatch.truth", "compare_with_ground_truth") or compare_dormant
    comparison = compare(backend, truth)
    counts = backend.counts()
    run.lines.insert(0, "stored: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    report = optional("audit.reports", "write_report")
    if report:
        path = report(backend, settings, "nightly-unregistered", "csv", now)
        run.lines.append(f"report: nightly list of unregistered accounts → {path}")
    backend.close()
    return comparison


def compare_dormant(backend: Any, truth: dict[str, Any]) -> dict[str, Any]:
    """Ground-truth comparison for the dormant label alone (used when govwatch.truth is absent)."""
    expected = {f"{a['platform']}:{a['account_id']}" for a in truth["accounts"] if "dormant" in a["labels"]}
    found = {f.subject_key for f in backend.list_findings(kind="dormant")}
    return {"dormant": {"expected": len(expected), "found": len(found),
                        "missing": sorted(expected - found), "extra": sorted(found - expected)}}


def comparison_lines(comparison: dict[str, Any]) -> tuple[list[str], bool]:
    """One line per label: expected, found, and what is missing or extra; and whether all agree."""
    lines, exact = [], True
    for label, c in sorted(comparison.items()):
        ok = not c["missing"] and not c["extra"]
        exact &= ok
        detail = "" if ok else f"  missing {c['missing'][:5]} extra {c['extra'][:5]}"
        lines.append(f"  {label:<18} expected {c['expected']:>3}  found {c['found']:>3}  {'=' if ok else '≠'}{detail}")
    return lines, exact
