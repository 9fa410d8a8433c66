"""The data model shared by crawler, index, audit and API (DESIGN.md "Data model").

Plain dataclasses: Scrapy yields them as items (read through ItemAdapter), the
index stores them, and the audit reads them, without any of those packages
importing each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

# Re-exported: much code reads the identifiers along with the model; defined in core/platforms.py.
from core.platforms import PLATFORMS as PLATFORMS

VERIFIED_TYPES = ("government", "organisation", "personal", "none")


@dataclass
class Account:
    """One account on one platform; identity is (platform, account_id)."""

    platform: str
    account_id: str
    name: str
    url: str = ""
    verified: bool = False
    verified_reason: str = ""
    verified_type: str = "none"
    followers: int | None = None
    posts_count: int | None = None
    last_post_at: datetime | None = None  # newest non-pinned post, set by the store
    found_via: str = "link"  # registry | gov_site | platform_search | link | feed
    found_on: str = ""  # URL of the evidence (the page that mentioned it, the search)
    state: str = "ok"  # ok | missing | needs_credentials
    interaction_enabled: bool | None = None
    created_at: datetime | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass
class Post:
    """One post; identity is (platform, post_id), so a re-crawl never duplicates."""

    platform: str
    account_id: str
    post_id: str
    url: str = ""
    title: str = ""
    text: str = ""
    published_at: datetime | None = None
    published_raw: str = ""  # as the page wrote it ("3天前"), resolved by the pipeline
    is_original: bool = False
    is_pinned: bool = False
    is_repost: bool = False
    comments: int | None = None
    replies: int | None = None
    fetched_at: datetime | None = None
    content_hash: str = ""


LINK_UNREACHABLE = 0
LINK_SOFT_404 = 1


@dataclass
class Link:
    """An outgoing link of a page, with the HTTP status once checked.

    Besides HTTP codes, `status` may hold two codes no server sends (written by
    crawler/linkcheck.py, read by audit/content/links.py): LINK_UNREACHABLE
    (timeout, refused, DNS) and LINK_SOFT_404 (a 200 page saying it does not exist).
    """

    url: str
    text: str = ""
    status: int | None = None


@dataclass
class AccountMention:
    """An account named on a page ("永州人社"微信号); evidence for discovery."""

    name: str
    platform: str
    page_url: str = ""
    context: str = ""
    account_id: str = ""  # when the page gives it (a profile link, "公众号（yongzhoufabu）")


@dataclass
class Page:
    """One government-website page; identity is its URL."""

    url: str
    site: str = ""
    title: str = ""
    column: str = ""
    published_at: datetime | None = None
    published_raw: str = ""
    text: str = ""
    html: str = ""  # kept for content checks; not indexed
    encoding: str = ""
    links: list[Link] = field(default_factory=list)
    mentions: list[AccountMention] = field(default_factory=list)
    fetched_at: datetime | None = None
    content_hash: str = ""


@dataclass
class RegistryEntry:
    """One row of the official registry (备案库)."""

    name: str
    platform: str
    account_id: str = ""
    owner: str = ""
    supervisor: str = ""
    registry_no: str = ""
    is_primary: bool = False
    status: str = "active"  # active | closed
    registered_at: datetime | None = None

    @property
    def key(self) -> str:
        """Stable identity: the registry number when given, else platform + name."""
        return self.registry_no or f"{self.platform}:{self.name}"


@dataclass
class Finding:
    """One problem found by a rule, with the evidence an inspector can quote."""

    kind: str  # dormant, zombie, empty_shell, unregistered, impersonation, typo, ...
    severity: str  # veto | deduction | info
    subject_type: str  # account | page
    subject_key: str  # "platform:account_id" or the page URL
    rule_id: str
    ruleset_version: str
    evidence: dict = field(default_factory=dict)
    detected_at: datetime | None = None
    status: str = "open"  # open | resolved
    resolved_at: datetime | None = None

    @property
    def identity(self) -> tuple[str, str, str]:
        """A finding is the same finding across audits when rule and subject agree."""
        return (self.rule_id, self.subject_type, self.subject_key)


def content_hash(*parts: str) -> str:
    """Short stable hash of the text that defines a post or page's content."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def account_key(platform: str, account_id: str) -> str:
    """The subject key used by findings and the API."""
    return f"{platform}:{account_id}"
