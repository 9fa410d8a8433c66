"""Response models of the search API."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel

CHINA = timezone(timedelta(hours=8))


def _china(value: datetime) -> datetime:
    """Stored datetimes are naive China time: give them their +08:00 offset (convert aware ones)."""
    return value.replace(tzinfo=CHINA) if value.tzinfo is None else value.astimezone(CHINA)


ChinaTime = Annotated[datetime, AfterValidator(_china)]


class ErrorOut(BaseModel):
    """An error: what was wrong, in words."""

    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "A query the search cannot run (the message says why)"},
    401: {"model": ErrorOut, "description": "No API key, or an unknown or revoked one"},
    403: {"model": ErrorOut, "description": "The key's role is too low for this"},
    429: {"model": ErrorOut, "description": "The key's rate limit is reached; see Retry-After",
          "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}},
}


class PostHit(BaseModel):
    platform: str
    account_id: str
    post_id: str
    url: str
    title: str
    snippet: str
    published_at: ChinaTime | None
    is_pinned: bool
    score: float


class PageHit(BaseModel):
    url: str
    site: str
    title: str
    snippet: str
    published_at: ChinaTime | None
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
    detected_at: ChinaTime | None
    resolved_at: ChinaTime | None
    evidence: dict[str, Any]
