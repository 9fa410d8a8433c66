"""Response models of the account page: profile, registry entry, timeline, evidence, mentions."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from search_api.schemas import AccountOut, ChinaTime, FindingOut


class RegistryOut(BaseModel):
    name: str
    platform: str
    account_id: str
    owner: str
    supervisor: str
    registry_no: str
    is_primary: bool
    status: str
    registered_at: ChinaTime | None


class WeekCount(BaseModel):
    week_start: date = Field(description="the Monday of the week")
    posts: int


class PostBrief(BaseModel):
    post_id: str
    url: str
    title: str
    snippet: str
    published_at: ChinaTime | None
    is_pinned: bool
    is_original: bool


class MentionOut(BaseModel):
    name: str
    platform: str
    page_url: str
    context: str


class SimilarOut(BaseModel):
    name: str
    platform: str
    owner: str
    score: float
    reasons: list[str]


class AccountDetail(BaseModel):
    account: AccountOut
    registry: RegistryOut | None = Field(description="the registry entry (备案), null when not registered")
    last_post: PostBrief | None = Field(description="the newest non-pinned post")
    days_silent: int | None = Field(description="days since the last non-pinned post")
    posts_counted: int = Field(description="posts read for the timeline (the newest ones, up to a limit)")
    timeline: list[WeekCount] = Field(description="posts per week, oldest first, zero weeks included")
    recent_posts: list[PostBrief]
    findings: list[FindingOut] = Field(description="open and resolved findings with their evidence")
    mentions: list[MentionOut] = Field(description="pages that named the account (how it was found)")
    most_similar: SimilarOut | None = Field(description="the most similar registered account, when one is")
