"""Response models of the search API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class PostHit(BaseModel):
    platform: str
    account_id: str
    post_id: str
    url: str
    title: str
    snippet: str
    published_at: datetime | None
    is_pinned: bool
    score: float


class PageHit(BaseModel):
    url: str
    site: str
    title: str
    snippet: str
    published_at: datetime | None
    score: float


class PostResults(BaseModel):
    total: int
    hits: list[PostHit]


class PageResults(BaseModel):
    total: int
    hits: list[PageHit]


class AccountOut(BaseModel):
    platform: str
    account_id: str
    name: str
    url: str
    verified_type: str
    verified_reason: str
    followers: int | None
    state: str
    findings: list[str]


class FindingOut(BaseModel):
    kind: str
    severity: str
    subject_type: str
    subject_key: str
    rule_id: str
    ruleset_version: str
    status: str
    detected_at: datetime | None
    resolved_at: datetime | None
    evidence: dict[str, Any]
