"""The sample world's data: accounts, posts, registry, articles and planted pages, nothing else.

A data-only module: the page makers (gov, hostile, mirrors, platforms …), the
ground truth (truth.py) and the generator (world.py) all import it and none of
them import each other in a circle. `sampleweb.world.World` adds the ground truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.models import RegistryEntry
from sampleweb.content import Article
from sampleweb.names import Spec


@dataclass
class SamplePost:
    post_id: str
    published_at: datetime
    title: str
    text: str
    is_original: bool
    is_repost: bool = False
    is_pinned: bool = False
    comments: int = 0
    repost_of: str = ""  # screen name of the reposted account


@dataclass
class SampleAccount:
    platform: str
    account_id: str
    name: str
    owner: str
    site: str
    spec: Spec
    followers: int
    posts: list[SamplePost] = field(default_factory=list)  # newest first; pinned ones included
    biz: str = ""  # WeChat biz (the list endpoint's key)

    @property
    def state(self) -> str:
        return str(self.spec.extra.get("state", "ok"))

    @property
    def interaction_enabled(self) -> bool:
        return bool(self.spec.extra.get("interaction_enabled", True))

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.account_id}"


@dataclass
class WorldData:
    """A generated sample web's data; `rate_limit` switches the platforms' 418/429 answers.

    `rate_limit_per_second` is how many requests per client, second and platform pass;
    the demo raises it so a whole crawl stays quick while bursts still meet 418/429.
    """

    seed: int
    now: datetime
    accounts: list[SampleAccount]
    registry: list[RegistryEntry]
    articles: dict[str, list[Article]]
    rate_limit: bool = True
    rate_limit_per_second: int = 2
    compromised: dict[str, str] = field(default_factory=dict)  # native article path -> injection kind
    by_key: dict[str, SampleAccount] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_key = {a.key: a for a in self.accounts}
        self.by_biz = {a.biz: a for a in self.accounts if a.biz}
        self.posts_by_id = {p.post_id: (a, p) for a in self.accounts for p in a.posts}

    def account(self, platform: str, account_id: str) -> SampleAccount | None:
        """The account with this identity, or None."""
        return self.by_key.get(f"{platform}:{account_id}")

    def on_platform(self, platform: str) -> list[SampleAccount]:
        return [a for a in self.accounts if a.platform == platform]
