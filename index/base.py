"""The storage protocol every backend implements (SQLite default, Elasticsearch at scale).

Callers (pipelines, rules, API, CLI) depend only on this module, so the
backend is one config value. Datetimes are naive and mean China Standard
Time (UTC+8), the time zone every source publishes in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry


@dataclass
class WriteResult:
    """What an upsert did: new rows, changed rows, rows already identical."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: WriteResult) -> WriteResult:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass
class FindingsDelta:
    """What saving an audit's findings changed: new, still open, resolved (复查)."""

    opened: int = 0
    still_open: int = 0
    resolved: int = 0


# Totals beyond this are reported as "TOTAL_CAP+" (total_exact False), as search engines do.
TOTAL_CAP = 10_000
# Counts per facet value stop at this: a count of FACET_CAP means "1,000 or more" (counting further per
# platform for a common word would cost more than the search).
FACET_CAP = 1_000
# Relevance ranks only the newest-indexed CANDIDATES matches, on both backends (sqlite_query.py, elastic/candidates.py).
CANDIDATES = 300
SORTS = ("relevance", "newest", "oldest")
FACETS = ("platform",)


@dataclass(kw_only=True)
class Window:
    """What every search shares: the date bounds, the order and which page.

    Dates are naive China time (core.dates.china_time converts aware ones),
    both bounds inclusive. `cursor` is the `next_cursor` of the previous page
    (opaque, backend-specific; `offset` is for small jumps only). `sort`
    "relevance" falls back to "newest" for an empty `q`.
    """

    since: datetime | None = None
    until: datetime | None = None
    limit: int = 20
    offset: int = 0
    sort: str = "relevance"
    cursor: str | None = None


@dataclass
class PostQuery(Window):
    """A post search. `q` is in the query language of index/query.py; the rest are filters (and Window).

    `facets` names the counts wanted per value (FACETS), over the same filtered matches.
    """

    q: str = ""
    platform: str | None = None
    account: str | None = None  # account_id or exact account name
    owner: str | None = None  # 主办单位 in the registry: posts of its registered accounts
    facets: tuple[str, ...] = ()


@dataclass
class PageQuery(Window):
    """A page search: `q` as for posts, filtered by site (and Window)."""

    q: str = ""
    site: str | None = None
    sites: tuple[str, ...] = ()  # or any of these site values (the API's site given as a domain or a name)

    def site_values(self) -> list[str]:
        """The site values a page may have to match: `site` and `sites` together."""
        return ([self.site] if self.site else []) + [s for s in self.sites if s != self.site]


@dataclass
class Hit:
    """One search result: the stored object, its score (higher is better) and a snippet.

    `highlights` holds HTML-safe "title" and "text" fragments with the
    matched terms in <mark>…</mark> (index/highlight.py); a field without a
    match is absent.
    """

    item: Post | Page
    score: float
    snippet: str = ""
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchResult:
    """`total` is exact when `total_exact`, else a lower bound (TOTAL_CAP: show "10,000+")."""

    total: int
    hits: list[Hit] = field(default_factory=list)
    total_exact: bool = True
    next_cursor: str | None = None  # None on the last page
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class AccountActivity:
    """Per-account facts the rules need, computed by the store in one pass.

    Pinned posts never count: a pinned post from last year must not make a
    dormant account look alive.
    """

    account: Account
    posts_total: int = 0  # non-pinned posts stored
    originals_total: int = 0
    last_post_at: datetime | None = None
    last_original_at: datetime | None = None
    post_days: set[date] = field(default_factory=set)  # days with a post inside the window


@dataclass(frozen=True)
class FindingFilters:
    """What list_findings narrows by beyond kind, status and subject (the API's /findings filters).

    Dates bound `detected_at`, both inclusive; a finding without one passes
    neither bound. `newest_first` orders by detected_at (undated last),
    then subject_key, both descending; otherwise findings come oldest first.
    """

    severity: str | None = None
    subject_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    newest_first: bool = False

    def keeps(self, f: Finding) -> bool:
        """The same test in Python, for a backend that filters after reading."""
        at = f.detected_at
        return not ((self.severity and f.severity != self.severity)
                    or (self.subject_type and f.subject_type != self.subject_type)
                    or (self.since and (at is None or at < self.since))
                    or (self.until and (at is None or at > self.until)))

    def applied(self, found: list[Finding]) -> list[Finding]:
        kept = [f for f in found if self.keeps(f)]
        if self.newest_first:  # stable: equal keys keep their stored order
            kept.sort(key=lambda f: (f.detected_at or datetime.min, f.subject_key), reverse=True)
        return kept


@dataclass(frozen=True)
class AccountFilters:
    """What iter_accounts narrows by beyond platform (the API's /accounts filters).

    `name`: part of the account name, as typed. `status`: a kind of open
    finding the account has, or "ok" for an account without open findings.
    """

    name: str | None = None
    status: str | None = None

    def keeps(self, a: Account, open_kinds: dict[str, set[str]]) -> bool:
        """The same test in Python; `open_kinds` from open_kinds_by_subject()."""
        if self.name and self.name not in (a.name or ""):
            return False
        kinds = open_kinds.get(f"{a.platform}:{a.account_id}", set())
        return not self.status or (not kinds if self.status == "ok" else self.status in kinds)


def open_kinds_by_subject(findings: Iterable[Finding]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in findings:
        if f.status == "open":
            out.setdefault(f.subject_key, set()).add(f.kind)
    return out


@runtime_checkable
class Backend(Protocol):
    """Storage for accounts, posts, pages, registry and findings."""

    def setup(self) -> None:
        """Create tables / indices; safe to call again."""

    def close(self) -> None: ...

    def store_id(self) -> str:
        """The store's identity, made once by setup(); crawl state recorded for another store is void."""
        ...

    # writes -------------------------------------------------------------
    def upsert_accounts(self, accounts: Iterable[Account]) -> WriteResult: ...

    def upsert_posts(self, posts: Iterable[Post]) -> WriteResult: ...

    def upsert_pages(self, pages: Iterable[Page]) -> WriteResult: ...

    def record_link_status(self, page_url: str, links: Iterable[Link]) -> None: ...

    def upsert_registry(self, entries: Iterable[RegistryEntry]) -> WriteResult: ...

    def save_findings(
        self, findings: Iterable[Finding], *, rule_ids: Collection[str], as_of: datetime,
        keep_open: Collection[str] = (),
    ) -> FindingsDelta:
        """Store one audit's findings for `rule_ids`: open findings absent now are resolved, except those
        whose subject key is in `keep_open` (subjects this run did not judge, e.g. past a cap). A finding
        whose rule is not in `rule_ids` refreshes its open twin and is never resolved here."""
        ...

    # reads --------------------------------------------------------------
    def get_account(self, platform: str, account_id: str) -> Account | None: ...

    def iter_accounts(self, platform: str | None = None, where: AccountFilters | None = None) -> Iterator[Account]:
        """Accounts in (platform, account_id) order, narrowed by `where` inside the store."""
        ...

    def account_activity(self, as_of: datetime, window_days: int) -> Iterator[AccountActivity]: ...

    def known_post_ids(self, platform: str, account_id: str) -> set[str]: ...

    def iter_posts(self, published_after: datetime | None = None,
                   published_until: datetime | None = None, *, newest_first: bool = False) -> Iterator[Post]:
        """Stored posts (those published inside the bounds when given), streamed in
        (platform, post_id) order, or with `newest_first` by published time descending (then
        platform, post_id): never all in memory."""
        ...

    def post_accounts(self, published_after: datetime | None = None,
                      published_before: datetime | None = None) -> Iterator[tuple[str, str]]:
        """(platform, account_id) of each account with a post published after `published_after` and before
        `published_before` (both bounds exclusive, each optional), in that order: distinct values read
        inside the store, not the posts."""
        ...

    def iter_pages(self) -> Iterator[Page]: ...

    def page_origins(self) -> Iterator[tuple[str, str]]:
        """Each distinct (origin, site) of the stored pages that have a site, in that order: what the API's
        site map needs, grouped inside the store. The origin is the page URL up to the first "/" after
        "://" ("https://www.yz.gov.cn:8080"); a URL without either stays whole."""
        ...

    def iter_links(self) -> Iterator[tuple[str, Link]]: ...

    def iter_mentions(self) -> Iterator[AccountMention]: ...

    def iter_registry(self, platform: str | None = None) -> Iterator[RegistryEntry]: ...

    def search_posts(self, query: PostQuery) -> SearchResult: ...

    def search_pages(self, query: PageQuery) -> SearchResult: ...

    def list_findings(
        self, kind: str | None = None, status: str | None = "open", subject_key: str | None = None,
        where: FindingFilters | None = None,
    ) -> list[Finding]:
        """Findings with the given fields (None: any), narrowed and ordered by `where`; oldest first by default."""
        ...

    def counts(self) -> dict[str, int]: ...
