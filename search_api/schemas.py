"""Response models of the search API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Response
from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import to_json

from core.dates import CHINA_TZ


def china(value: datetime) -> datetime:
    """Stored datetimes are naive China time: give them their +08:00 offset (convert aware ones)."""
    return value.replace(tzinfo=CHINA_TZ) if value.tzinfo is None else value.astimezone(CHINA_TZ)


ChinaTime = Annotated[datetime, AfterValidator(china)]


def json_body(data: dict[str, Any]) -> Response:
    """Plain data already in a response model's shape (fields in its order, values of its types), as the
    JSON that model would serialise to: pydantic's own encoder, without building the model first.

    A route returning its response_model's instance has FastAPI validate it
    again (in another trip through the thread pool for a sync route) before
    serialising it; a Response skips both. The route keeps response_model,
    so the OpenAPI schema still describes the body.
    """
    return Response(to_json(data), media_type="application/json")


class ErrorOut(BaseModel):
    """An error: what was wrong, in words."""

    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "A query the search cannot run (the message says why)"},
    401: {"model": ErrorOut, "description": "No API key, or an unknown or revoked one"},
    403: {"model": ErrorOut, "description": "The key's role is too low for this"},
    429: {"model": ErrorOut, "description": "The key's rate limit is reached; see Retry-After",
          "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}},
    503: {"model": ErrorOut, "description": "The store cannot be opened (the message says why)"},
}


class AccountRef(BaseModel):
    """The account a hit or finding is about: name, platform, owner and open statuses."""

    platform: str
    account_id: str
    name: str
    owner: str = Field(description="主办单位 from the registry entry, when the account is registered")
    registered: Literal["id", "name", "ambiguous", "none"]
    statuses: list[str] = Field(description="kinds of the open findings (dormant, zombie …)")


class PostHit(BaseModel):
    platform: str
    account_id: str
    post_id: str
    url: str
    title: str
    snippet: str = Field(description="plain text around the matched words")
    highlights: dict[str, str] = Field(description="HTML-safe title/text fragments with the matches in <mark>")
    published_at: ChinaTime | None
    is_pinned: bool
    score: float
    account: AccountRef


class PageHit(BaseModel):
    url: str
    site: str
    title: str
    snippet: str
    highlights: dict[str, str]
    published_at: ChinaTime | None
    score: float


class PostResults(BaseModel):
    total: int = Field(description="exact when total_exact, else a lower bound (shown as 10,000+)")
    total_exact: bool
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    facets: dict[str, dict[str, int]] = Field(description="counts per platform over all matches")
    hits: list[PostHit]


class PageResults(BaseModel):
    total: int
    total_exact: bool
    next_cursor: str | None
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
    findings: list[str] = Field(description="kinds of the open findings")
    owner: str
    registered: Literal["id", "name", "ambiguous", "none"]
    registry_no: str
    last_post_at: ChinaTime | None



class FindingOut(BaseModel):
    kind: str
    severity: str
    subject_type: str
    subject_key: str
    subject_name: str = Field(description="the account's name or the page's title")
    owner: str
    rule_id: str
    ruleset_version: str
    status: str
    detected_at: ChinaTime | None
    resolved_at: ChinaTime | None
    evidence: dict[str, Any]



# Lists are paged with limit/offset; the number of matches is in a header, so the body stays a plain list.
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {200: {
    "headers": {"X-Total-Count": {"description": "matches in all", "schema": {"type": "integer"}}},
    "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
    "description": "JSON list, or with format=csv|xlsx every match as a file",
}}
