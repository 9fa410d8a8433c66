"""Settings: defaults, overridden by a TOML file, overridden by environment variables.

The file is `govwatch.toml` in the working directory or the path in
`GOVWATCH_CONFIG`. Secrets (cookies, proxies, ES credentials) come from the
environment only.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Collection
from dataclasses import field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic.dataclasses import dataclass

from core.errors import ConfigError

RULESET_VERSION = "2026.11"
# Validated as a whole when loaded: unknown sections or keys, wrong types and impossible values are a
# ConfigError naming the file, the key and the reason (the CLI exits 2). Frozen, so settings are shared safely.
STRICT = ConfigDict(extra="forbid", frozen=True)
Days = Annotated[int, Field(ge=1, le=36500)]
NonEmpty = Annotated[str, Field(min_length=1)]


def _http_url(value: str) -> str:
    if value and not re.match(r"https?://[^\s/]+", value):
        raise ValueError("must be an http(s):// URL")
    return value


def _iso_date(value: Any) -> str:
    """A calendar date as TOML writes it (2027-01-01, bare or quoted)."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date YYYY-MM-DD")
    date.fromisoformat(value)  # a ValueError names an impossible date such as 2027-02-30
    return value


Url = Annotated[str, AfterValidator(_http_url)]
Urls = tuple[Annotated[NonEmpty, AfterValidator(_http_url)], ...]
IsoDate = Annotated[str, BeforeValidator(_iso_date)]
Year = Annotated[str, Field(pattern=r"^\d{4}$")]
CalendarKey = Annotated[str, Field(pattern=r"^(holidays|workdays)$")]


@dataclass(config=STRICT)
class RuleThresholds:
    """Rule thresholds (DESIGN.md "Rules and their sources"); all configurable."""

    dormant_days: Days = 14
    weekly_cadence_days: Days = 7
    primary_cadence_days: Days = 14  # working days checked for a primary account's daily posts
    original_window_days: Days = 14
    zombie_days: Days = 90
    zombie_severe_days: Days = 365
    interaction_deduction_workdays: Days = 5
    interaction_veto_days: Days = 90
    pass_score: Annotated[int, Field(ge=0, le=100)] = 60
    ruleset_version: NonEmpty = RULESET_VERSION

    @model_validator(mode="after")
    def _ordered(self) -> RuleThresholds:
        if self.zombie_severe_days < self.zombie_days:
            raise ValueError("zombie_severe_days must not be shorter than zombie_days")
        if self.zombie_days < self.dormant_days:
            raise ValueError("zombie_days must not be shorter than dormant_days")
        return self


@dataclass(config=STRICT)
class StoreSettings:
    backend: Annotated[str, Field(pattern=r"^(sqlite|elasticsearch)$")] = "sqlite"
    sqlite_path: NonEmpty = "data/govwatch.db"
    es_url: Url = ""
    es_prefix: NonEmpty = "govwatch"  # indices are <prefix>-<name>-v<N> behind the alias <prefix>-<name>
    es_user: str = ""  # the password (GOVWATCH_ES_PASSWORD) or an API key (GOVWATCH_ES_API_KEY): env only
    es_ca_cert: str = ""  # PEM file of the CA that signed the cluster's certificate
    es_spool: NonEmpty = "data/es-spool.db"  # writes wait here while the cluster is unreachable


@dataclass(config=STRICT)
class Sources:
    """Where the spiders start; the same spiders target real sites or the sample web."""

    gov_sites: Urls = ()
    wechat_list_urls: Urls = ()  # account article-list endpoints or feeds
    weibo_api: Url = "https://m.weibo.cn"
    weibo_uids: tuple[NonEmpty, ...] = ()
    douyin_profiles: Urls = ()
    bilibili_api: Url = "https://api.bilibili.com"
    bilibili_uids: tuple[NonEmpty, ...] = ()
    feeds: tuple[NonEmpty, ...] = ()  # "URL" or "PLATFORM URL"
    search_api: Url = ""
    search_keywords: tuple[NonEmpty, ...] = ()


@dataclass(config=STRICT)
class ApiSettings:
    """The search API: where its keys live, which Host headers it answers, per-key rate limits."""

    keys_path: str = ""  # default: keys.db beside the SQLite store path
    trusted_hosts: tuple[NonEmpty, ...] = ("localhost", "127.0.0.1", "::1")
    rate_per_minute: Annotated[int, Field(ge=1)] = 600
    rate_burst: Annotated[int, Field(ge=1)] = 60
    secure_cookie: bool = False  # true behind HTTPS: the login cookie is then sent over HTTPS only
    # seconds each API process spends at start-up searching an Elasticsearch store (search_api/warm_searches.py)
    warm_searches_seconds: Annotated[float, Field(ge=0, le=3600)] = 60.0

    def keys_file(self, store: StoreSettings) -> Path:
        """The keys file: configured, else beside the SQLite store (also when the store is Elasticsearch)."""
        return Path(self.keys_path) if self.keys_path else Path(store.sqlite_path).parent / "keys.db"


@dataclass(config=STRICT)
class Limits:
    """Sizes past which a page is not checked: `check page` exits 2, the content audit records a finding.

    Post checks (typos in posts, audit/content/posts.py) read only posts published in the last
    `post_check_days` days before the audit time, at most `post_checks` of them per run.
    """

    page_bytes: Annotated[int, Field(ge=1_000, le=1_000_000_000)] = 5_000_000
    post_check_days: Annotated[int, Field(ge=0, le=3660)] = 14
    post_checks: Annotated[int, Field(ge=0, le=100_000_000)] = 20_000


@dataclass(config=STRICT)
class ContentLists:
    """The keys `[content]` may hold (checked here; the content checks read the plain dict)."""

    names: list[NonEmpty] = field(default_factory=list)
    typos: dict[NonEmpty, str] = field(default_factory=dict)
    leaders: list[dict[str, Any]] = field(default_factory=list)
    titles: list[NonEmpty] = field(default_factory=list)
    outdated: list[dict[str, Any]] = field(default_factory=list)
    forbidden: list[dict[str, Any]] = field(default_factory=list)
    government_terms: list[NonEmpty] = field(default_factory=list)
    confusion_min_gain: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 8.0
    real_word_scan: bool = False  # slips that leave a real word (audit.content.context); off by default
    modern_words: bool = True  # wordfreq's modern word list as a second witness (audit.content.modern)
    homophone_words: bool = True  # wrong words of the same pinyin in official prose (audit.content.homophones)


def _content(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("must be a table of word lists")
    TypeAdapter(ContentLists).validate_python(value)
    return value


@dataclass(config=STRICT)
class Settings:
    store: StoreSettings = field(default_factory=StoreSettings)
    rules: RuleThresholds = field(default_factory=RuleThresholds)
    sources: Sources = field(default_factory=Sources)
    api: ApiSettings = field(default_factory=ApiSettings)
    limits: Limits = field(default_factory=Limits)
    # extra holidays / make-up workdays for years chinese-calendar does not know:
    # {"2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}}
    calendar: dict[Year, dict[CalendarKey, list[IsoDate]]] = field(default_factory=dict)
    # content-check word lists: leaders, outdated formulations, forbidden terms, typo dictionary
    content: Annotated[dict[str, Any], AfterValidator(_content)] = field(default_factory=dict)
    # government site domains (for clone detection) beyond *.gov.cn
    gov_domains: tuple[NonEmpty, ...] = ()
    reports_dir: NonEmpty = "data/reports"
    # Operations sections, read and checked by their own modules: [report] (audit.reports.inspection),
    # [schedule] (ops.schedule), [alerts] (ops.alerts), [evidence] (ops.evidence); here: tables
    report: dict[str, Any] = field(default_factory=dict)
    schedule: dict[str, Any] = field(default_factory=dict)
    alerts: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)


def section(settings: Settings, name: str, keys: Collection[str]) -> dict[str, Any]:
    """One operations section's table ([report], [schedule], [evidence]), after checking its keys.

    Those sections are plain tables here (their modules check the values), so an
    unknown key is caught by the module reading the section, through this one check.
    """
    table: dict[str, Any] = getattr(settings, name)
    if unknown := set(table) - set(keys):
        raise ConfigError(f"config section [{name}]: unknown keys {sorted(unknown)}")
    return table


SECRET_WORDS = ("cookie", "password", "passwd", "token", "secret", "api_key", "proxy", "credential")
_SETTINGS = TypeAdapter(Settings)
PLAIN = {  # pydantic's wording where TOML words say it better
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dataclass_type": "must be a table ([section])",
    "dict_type": "must be a table",
}


def _describe(exc: ValidationError, source: str) -> str:
    """One line naming the file, each bad key and why (pydantic's own words)."""
    problems = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"] if part != "[key]") or "(top level)"
        if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            leaf = str(err["loc"][-1]).lower()
            hint = " (secrets come from the environment only)" if any(w in leaf for w in SECRET_WORDS) else ""
            reason = "unknown " + ("section" if len(err["loc"]) == 1 and isinstance(err["input"], dict) else "key")
            problems.append(f"{key}: {reason}{hint}")
        else:
            reason = PLAIN.get(err["type"], err["msg"].removeprefix("Value error, "))
            problems.append(f"{key}: {reason} (got {err['input']!r:.60})")
    return f"{source}: " + "; ".join(problems)


def validate(raw: dict[str, Any], source: str) -> Settings:
    """Settings from a parsed TOML document, checked as a whole; ConfigError says what is wrong where."""
    try:
        return _SETTINGS.validate_python(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, source)) from None


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
    return apply_environment(validate(raw, str(candidate)))


ENVIRONMENT = {  # variable: (section, key)
    "GOVWATCH_BACKEND": ("store", "backend"),
    "GOVWATCH_DB": ("store", "sqlite_path"),
    "GOVWATCH_ES_URL": ("store", "es_url"),
    "GOVWATCH_ES_PREFIX": ("store", "es_prefix"),
    "GOVWATCH_ES_USER": ("store", "es_user"),
    "GOVWATCH_REPORTS": ("", "reports_dir"),
    "GOVWATCH_KEYS": ("api", "keys_path"),
}


def apply_environment(settings: Settings) -> Settings:
    """Environment variables win over the file (12-factor style), checked like the file's values."""
    sections: dict[str, dict[str, Any]] = {"store": {}, "api": {}, "": {}}
    for variable, (section, key) in ENVIRONMENT.items():
        if (value := os.environ.get(variable)) is not None:
            sections[section][key] = value
    try:
        return replace(
            settings, store=replace(settings.store, **sections["store"]), api=replace(settings.api, **sections["api"]),
            **sections[""],
        )  # fmt: skip
    except ValidationError as exc:
        variables = {key: variable for variable, (_, key) in ENVIRONMENT.items() if variable in os.environ}
        bad = sorted({variables.get(str(err["loc"][0]), "") for err in exc.errors() if err["loc"]} - {""})
        raise ConfigError(_describe(exc, f"environment {', '.join(bad) or 'variables'}")) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Cached settings for long-running processes (the API's dependency)."""
    return load_settings()
