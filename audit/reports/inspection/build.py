"""Build the inspection report model from the store, once, for every format.

Reads only the Backend protocol (registry, accounts, findings, activity), so
SQLite and Elasticsearch stores give the same report.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from audit.registry.matching import NAME_KEY_PREFIX, RegistryIndex
from audit.registry.subjects import collect_subjects
from audit.reports.inspection.compare import compare_periods
from audit.reports.inspection.levels import owner_level
from audit.reports.inspection.model import (
    CATEGORIES,
    CATEGORY_OF,
    DEFAULT_DEDUCTION,
    DEFAULT_POINTS,
    LEVELS,
    AccountScore,
    InspectionReport,
    Problem,
    Rate,
)
from audit.reports.inspection.period import Period
from core.config import Settings, section
from core.errors import ConfigError
from core.models import Account, Finding, RegistryEntry
from index.base import Backend

# account states that mean "not checked": the inspector could not see the account
NOT_CHECKED = {"needs_credentials": "login wall", "not_crawled": "not crawled", "missing": "no longer exists"}


@dataclass
class Options:
    """Report settings from config [report]."""

    pass_score: int = 60
    points: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_POINTS))
    levels: Mapping[str, str] | None = None  # owner -> level overrides
    evidence_base: str = ""  # API base URL for evidence links ("" = relative)

    @classmethod
    def from_settings(cls, settings: Settings) -> Options:
        extra = section(settings, "report", ("deduction_points", "owner_levels", "evidence_base"))
        bad = {k: v for k, v in extra.get("deduction_points", {}).items() if not isinstance(v, int) or v < 0}
        if bad:
            raise ConfigError(f"[report] deduction_points must be whole numbers ≥ 0: {bad}")
        levels = extra.get("owner_levels") or {}
        if wrong := {k: v for k, v in levels.items() if v not in LEVELS}:
            raise ConfigError(f"[report] owner_levels: levels are {', '.join(LEVELS)}, not {wrong}")
        return cls(pass_score=settings.rules.pass_score,
                   points={**DEFAULT_POINTS, **extra.get("deduction_points", {})},
                   levels=extra.get("owner_levels"), evidence_base=str(extra.get("evidence_base", "")))


def build_inspection(backend: Backend, settings: Settings, period: Period, now: datetime) -> InspectionReport:
    """The report for `period`: totals, problems, score sheet, ranking, comparison, activity."""
    opts = Options.from_settings(settings)
    entries = [e for e in backend.iter_registry() if e.status == "active"]
    accounts = {f"{a.platform}:{a.account_id}": a for a in backend.iter_accounts()}
    per_day = activity(backend, period, accounts)
    subject_of = _subjects_of_entries(backend, entries)
    everything = backend.list_findings(status=None)
    owner_by_key = {key: e.owner for e in entries if (key := subject_of.get(e.key))}
    now_f = in_period(everything, period)
    before_f = in_period(everything, period.previous())
    scores, not_checked = score_sheet(entries, subject_of, accounts, now_f, opts)
    problems = problem_lists(now_f, accounts, owner_by_key, period, opts)

    def score_of(found: list[Finding]) -> list[AccountScore]:
        return score_sheet(entries, subject_of, accounts, found, opts)[0]

    def problem_of(f: Finding, p: Period) -> Problem:
        return to_problem(f, accounts, owner_by_key, p, opts)

    owners = rates(scores, entries, lambda s: s.owner, lambda e: e.owner)
    return InspectionReport(
        period=period, generated_at=now.isoformat(sep=" ", timespec="seconds"),
        ruleset_versions=sorted({f.ruleset_version for f in now_f}),
        total=rates(scores, entries, lambda s: "total", lambda e: "total")[0] if entries else Rate("total"),
        not_checked=dict(not_checked),
        by_platform=sorted(rates(scores, entries, lambda s: s.platform, lambda e: e.platform), key=lambda r: r.name),
        by_level=sorted(rates(scores, entries, lambda s: s.level, lambda e: _level(e, opts)),
                        key=lambda r: LEVELS.index(r.name) if r.name in LEVELS else len(LEVELS)),
        owners=sorted(owners, key=lambda r: (-(r.pass_rate or 0.0), -r.checked, r.name)),
        owners_all_passing=sorted(r.name for r in owners if r.checked and not r.failed),
        problems=problems,
        scores=sorted(scores, key=lambda s: (not s.failed, s.score, s.owner, s.key)),
        comparison=compare_periods(period, now_f, before_f, score_of, problem_of),
        activity=per_day,
        settings={"pass_score": opts.pass_score, "deduction_points": dict(opts.points)},
    )


def in_period(findings: Iterable[Finding], period: Period) -> list[Finding]:
    """Findings open at any time in the period: detected before its end, not resolved before its start."""
    return [f for f in findings
            if f.detected_at is not None and f.detected_at < period.until
            and (f.resolved_at is None or f.resolved_at >= period.since)]


def _subjects_of_entries(backend: Backend, entries: list[RegistryEntry]) -> dict[str, str]:
    """Registry entry key -> subject key of the account the registry matching gave it."""
    subjects = collect_subjects(backend, RegistryIndex(entries))
    out: dict[str, str] = {}
    for key, match in subjects.matches.items():
        if match.registered and match.entry is not None:
            out.setdefault(match.entry.key, key)
    return out


def _level(entry: RegistryEntry, opts: Options) -> str:
    return owner_level(entry.owner, entry.supervisor, opts.levels)


def score_sheet(entries: list[RegistryEntry], subject_of: dict[str, str], accounts: dict[str, Account],
                findings: list[Finding], opts: Options) -> tuple[list[AccountScore], Counter[str]]:
    """A score per checked registered account; counts of the accounts not checked, by reason."""
    by_subject: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.subject_type == "account":
            by_subject[f.subject_key].append(f)
        else:  # a page counts against the registered website whose host serves it
            by_subject[f"website:{urlsplit(f.subject_key).hostname or ''}"].append(f)
    scores, not_checked = [], Counter[str]()
    for entry in entries:
        key = subject_of.get(entry.key, "")
        acc = accounts.get(key)
        state = acc.state if acc else "not_crawled"
        if state in NOT_CHECKED:
            not_checked[NOT_CHECKED[state]] += 1
            continue
        scores.append(_score(entry, key, acc, by_subject.get(key, []), opts))
    return scores, not_checked


def _score(entry: RegistryEntry, key: str, acc: Account | None, findings: list[Finding],
           opts: Options) -> AccountScore:
    platform, _, account_id = key.partition(":")
    score = AccountScore(platform=platform, account_id=account_id, name=acc.name if acc else entry.name,
                         owner=entry.owner, level=_level(entry, opts),
                         last_post_at=acc.last_post_at.isoformat(sep=" ") if acc and acc.last_post_at else "")
    for f in sorted(findings, key=lambda f: f.kind):
        if f.severity == "veto":
            score.vetoes.append(f.kind)
        elif f.severity == "deduction":
            score.deductions.append((f.kind, int(opts.points.get(f.kind, DEFAULT_DEDUCTION))))
    score.score = max(0, 100 - sum(p for _, p in score.deductions))
    score.failed = bool(score.vetoes) or score.score < opts.pass_score
    score.ruleset_version = ", ".join(sorted({f.ruleset_version for f in findings}))
    return score


def rates(scores: list[AccountScore], entries: list[RegistryEntry], of_score: Any, of_entry: Any) -> list[Rate]:
    """Registered, checked and failed per group."""
    groups: dict[str, Rate] = {}
    for e in entries:
        name = of_entry(e)
        groups.setdefault(name, Rate(name)).registered += 1
    for s in scores:
        rate = groups.setdefault(of_score(s), Rate(of_score(s)))
        rate.checked += 1
        rate.failed += s.failed
    return list(groups.values())


def problem_lists(findings: list[Finding], accounts: dict[str, Account], owner_by_key: dict[str, str],
                  period: Period, opts: Options) -> dict[str, list[Problem]]:
    """Category id -> its problems, by owner then subject."""
    out: dict[str, list[Problem]] = {cid: [] for cid, _, _ in CATEGORIES}
    for f in findings:
        out[CATEGORY_OF.get(f.kind, "other")].append(to_problem(f, accounts, owner_by_key, period, opts))
    for rows in out.values():
        rows.sort(key=lambda p: (p.owner or "\uffff", p.platform, p.name, p.kind))
    return out


def to_problem(f: Finding, accounts: dict[str, Account], owner_by_key: dict[str, str], period: Period,
               opts: Options) -> Problem:
    """One finding as a report row, with its owner and a one-line evidence summary."""
    ev = f.evidence
    acc = accounts.get(f.subject_key)
    if f.subject_type == "account":
        platform, _, account_id = f.subject_key.partition(":")
        owner_key = f.subject_key
        name = acc.name if acc else str(ev.get("name") or account_id.removeprefix(NAME_KEY_PREFIX))
        url = (acc.url if acc else "") or str(ev.get("url", ""))
    else:
        platform, name, url = "website", str(ev.get("title") or f.subject_key), f.subject_key
        owner_key = f"website:{urlsplit(url).hostname or ''}"  # a site registered as platform website, id = host
    resolved = f.resolved_at is not None and f.resolved_at < period.until
    link = (f"{opts.evidence_base}/evidence/finding?rule_id={quote(f.rule_id)}"
            f"&subject_key={quote(f.subject_key, safe='')}")
    return Problem(
        category=CATEGORY_OF.get(f.kind, "other"), kind=f.kind, severity=f.severity, rule_id=f.rule_id,
        ruleset_version=f.ruleset_version, subject_type=f.subject_type, subject_key=f.subject_key, name=name,
        platform=platform, url=url, owner=owner_by_key.get(owner_key) or str(ev.get("owner", "")),
        detected_at=f.detected_at.isoformat(sep=" ") if f.detected_at else "",
        status="resolved" if resolved else "open", evidence=evidence_summary(ev), evidence_link=link,
    )


_EVIDENCE_KEYS = ("last_post_at", "days_since_last_post", "window_days", "posts", "original_posts", "followers",
                  "missed_workdays", "reasons", "terms", "typos", "status", "similar_registered", "registry_no")


def evidence_summary(ev: Mapping[str, Any], limit: int = 240) -> str:
    """The facts an inspector quotes, on one line: known keys first, then whatever else the rule stored."""
    keys = [k for k in _EVIDENCE_KEYS if ev.get(k) not in (None, "", [], {})]
    keys += [k for k in sorted(ev) if k not in keys and k not in ("name", "url", "as_of", "title")
             and ev[k] not in (None, "", [], {})]
    parts = [f"{k}={_short(ev[k])}" for k in keys]
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return ", ".join(str(v.get("name") or v.get("text") or v.get("term") or json.dumps(v, ensure_ascii=False))
                         for v in value[:3])
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value[:5])
    return str(value)


def activity(backend: Backend, period: Period, accounts: dict[str, Account]) -> list[tuple[str, int]]:
    """Accounts that posted, per day of the period (pinned posts excluded by the store).

    Also fills each account's last_post_at as of the period's end, for the score sheet.
    """
    per_day: Counter[str] = Counter()
    for act in backend.account_activity(period.until, period.days):
        acc = accounts.get(f"{act.account.platform}:{act.account.account_id}")
        if acc is not None:
            acc.last_post_at = act.last_post_at
        for day in act.post_days:
            if period.start <= day <= period.end:
                per_day[day.isoformat()] += 1
    days = (period.start + timedelta(days=i) for i in range(period.days))
    return [(d.isoformat(), per_day.get(d.isoformat(), 0)) for d in days]
