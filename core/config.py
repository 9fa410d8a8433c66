"""Settings: defaults, overridden by a TOML file, overridden by environment variables.

The file is `govwatch.toml` in the working directory or the path in
`GOVWATCH_CONFIG`. Secrets (cookies, proxies, ES credentials) come from the
environment only.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import ConfigError

RULESET_VERSION = "2026.11"


@dataclass(frozen=True)
class RuleThresholds:
    """Rule thresholds (DESIGN.md "Rules and their sources"); all configurable."""

    dormant_days: int = 14
    weekly_cadence_days: int = 7
    primary_cadence_days: int = 14  # working days checked for a primary account's daily posts
    original_window_days: int = 14
    zombie_days: int = 90
    zombie_severe_days: int = 365
    interaction_deduction_workdays: int = 5
    interaction_veto_days: int = 90
    pass_score: int = 60
    ruleset_version: str = RULESET_VERSION


@dataclass(frozen=True)
class StoreSettings:
    backend: str = "sqlite"  # sqlite | elasticsearch
    sqlite_path: str = "data/govwatch.db"
    es_url: str = ""
    es_prefix: str = "govwatch"  # indices are <prefix>-<name>-v<N> behind the alias <prefix>-<name>
    es_user: str = ""  # the password (GOVWATCH_ES_PASSWORD) or an API key (GOVWATCH_ES_API_KEY): env only
    es_ca_cert: str = ""  # PEM file of the CA that signed the cluster's certificate
    es_spool: str = "data/es-spool.db"  # writes wait here while the cluster is unreachable


@dataclass(frozen=True)
class Sources:
    """Where the spiders start; the same spiders target real sites or the sample web."""

    gov_sites: tuple[str, ...] = ()
    wechat_list_urls: tuple[str, ...] = ()  # account article-list endpoints or feeds
    weibo_api: str = "https://m.weibo.cn"
    weibo_uids: tuple[str, ...] = ()
    douyin_profiles: tuple[str, ...] = ()
    bilibili_api: str = "https://api.bilibili.com"
    bilibili_uids: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    search_api: str = ""
    search_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiSettings:
    """The search API: where its keys live, which Host headers it answers, per-key rate limits."""

    keys_path: str = ""  # default: keys.db beside the SQLite store path
    trusted_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
    rate_per_minute: int = 600
    rate_burst: int = 60
    secure_cookie: bool = False  # true behind HTTPS: the login cookie is then sent over HTTPS only

    def keys_file(self, store: StoreSettings) -> Path:
        """The keys file: configured, else beside the SQLite store (also when the store is Elasticsearch)."""
        return Path(self.keys_path) if self.keys_path else Path(store.sqlite_path).parent / "keys.db"


@dataclass(frozen=True)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    rules: RuleThresholds = field(default_factory=RuleThresholds)
    sources: Sources = field(default_factory=Sources)
    api: ApiSettings = field(default_factory=ApiSettings)
    # extra holidays / make-up workdays for years chinese-calendar does not know:
    # {"2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}}
    calendar: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # content-check word lists: leaders, outdated formulations, forbidden terms, typo dictionary
    content: dict[str, Any] = field(default_factory=dict)
    # government site domains (for clone detection) beyond *.gov.cn
    gov_domains: tuple[str, ...] = ()
    reports_dir: str = "data/reports"
    # Operations sections, read and checked by their own modules: [report] (audit.reports.inspection),
    # [schedule] (ops.schedule), [alerts] (ops.alerts), [evidence] (ops.evidence)
    report: dict[str, Any] = field(default_factory=dict)
    schedule: dict[str, Any] = field(default_factory=dict)
    alerts: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)


def _section(cls: type, raw: dict[str, Any], name: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"config section [{name}]: unknown keys {sorted(unknown)}")
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read settings from `path`, `$GOVWATCH_CONFIG` or ./govwatch.toml, then the environment."""
    candidate = path or os.environ.get("GOVWATCH_CONFIG") or "govwatch.toml"
    raw: dict[str, Any] = {}
    if Path(candidate).is_file():
        try:
            raw = tomllib.loads(Path(candidate).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{candidate}: not valid TOML: {exc}") from exc
    elif path:
        raise ConfigError(f"{candidate}: config file not found")
    settings = Settings(
        store=_section(StoreSettings, raw.get("store", {}), "store"),
        rules=_section(RuleThresholds, raw.get("rules", {}), "rules"),
        sources=_section(Sources, raw.get("sources", {}), "sources"),
        api=_section(ApiSettings, raw.get("api", {}), "api"),
        calendar=raw.get("calendar", {}),
        content=raw.get("content", {}),
        gov_domains=tuple(raw.get("gov_domains", ())),
        reports_dir=raw.get("reports_dir", Settings.reports_dir),
        **{name: dict(raw.get(name, {})) for name in ("report", "schedule", "alerts", "evidence")},
    )
    return apply_environment(settings)


def apply_environment(settings: Settings) -> Settings:
    """Environment variables win over the file (12-factor style)."""
    store = settings.store
    env = os.environ
    store = replace(
        store,
        backend=env.get("GOVWATCH_BACKEND", store.backend),
        sqlite_path=env.get("GOVWATCH_DB", store.sqlite_path),
        es_url=env.get("GOVWATCH_ES_URL", store.es_url),
        es_prefix=env.get("GOVWATCH_ES_PREFIX", store.es_prefix),
        es_user=env.get("GOVWATCH_ES_USER", store.es_user),
    )
    if store.backend not in ("sqlite", "elasticsearch"):
        raise ConfigError(f"store.backend must be 'sqlite' or 'elasticsearch', not {store.backend!r}")
    api = replace(settings.api, keys_path=env.get("GOVWATCH_KEYS", settings.api.keys_path))
    return replace(settings, store=store, api=api, reports_dir=env.get("GOVWATCH_REPORTS", settings.reports_dir))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Cached settings for long-running processes (the API's dependency)."""
    return load_settings()
