"""GET /findings: audit findings with their evidence, filtered and paged, or exported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from core.models import Finding
from index.base import FindingFilters
from search_api.deps import Store
from search_api.directory import Directory
from search_api.export import describe_query, export
from search_api.params import Format, Limit, Offset, Text, When, date_range
from search_api.schemas import LIST_RESPONSES, FindingOut

router = APIRouter(tags=["findings"])
Kind = Annotated[str | None, Query(min_length=1, max_length=40, pattern=r"^[a-z_]+$",
                                   description="a finding kind: dormant, zombie, impersonation, spam_injection …")]
COLUMNS = ["类型 kind", "严重程度 severity", "状态 status", "对象 subject", "名称 name", "主办单位 owner",
           "规则 rule_id", "规则版本 ruleset_version", "发现时间 detected_at", "解决时间 resolved_at", "证据 evidence"]


def finding_out(f: Finding, directory: Directory) -> FindingOut:
    """A finding with the name of its subject and, for an account, its owner."""
    name, owner = str(f.evidence.get("title", "")), ""
    if f.subject_type == "account" and ":" in f.subject_key:
        info = directory.get(*f.subject_key.split(":", 1))
        name, owner = info.name or str(f.evidence.get("name", "")), info.owner
    return FindingOut(kind=f.kind, severity=f.severity, subject_type=f.subject_type, subject_key=f.subject_key,
                      subject_name=name, owner=owner, rule_id=f.rule_id, ruleset_version=f.ruleset_version,
                      status=f.status, detected_at=f.detected_at, resolved_at=f.resolved_at, evidence=f.evidence)


def select(store: Store, kind: str | None, severity: str | None, status: str, subject: str | None,
           owner: str | None, since: str | None, until: str | None) -> Iterator[FindingOut]:
    """Findings passing every filter, newest first, each with its subject's name and owner.

    The store narrows by kind, status, severity, subject and dates and sorts; only `owner` (the
    registry's, matched here) is applied after. The dates are read now (a bad one is a 422 before an
    export starts streaming).
    """
    start, end = date_range(since, until)
    found = store.list_findings(kind=kind, status=None if status == "all" else status, where=FindingFilters(
        severity=severity, subject_type=subject, since=start, until=end, newest_first=True))
    directory = Directory(store)
    return (out for out in described(found, directory) if not owner or owner in out.owner)


def described(found: list[Finding], directory: Directory, batch: int = 500) -> Iterator[FindingOut]:
    """finding_out of each finding; the accounts of each batch are read at once where the store can."""
    for start in range(0, len(found), batch):
        chunk = found[start:start + batch]
        directory.prefetch([(p, a) for p, _, a in (f.subject_key.partition(":") for f in chunk
                                                   if f.subject_type == "account" and ":" in f.subject_key)])
        yield from (finding_out(f, directory) for f in chunk)


@router.get("/findings", response_model=list[FindingOut], responses=LIST_RESPONSES)
def findings(
    store: Store, response: Response, kind: Kind = None, severity: Literal["veto", "deduction", "info"] | None = None,
    status: Literal["open", "resolved", "all"] = "open", subject: Literal["account", "page"] | None = None,
    owner: Text = None, since: When = None, until: When = None, limit: Limit = 50, offset: Offset = 0,
    format: Format = "json",  # noqa: A002
) -> list[FindingOut] | Response:
    """Findings with rule, rule-set version and evidence; `owner` is part of the registered owner's name."""
    selected = select(store, kind, severity, status, subject, owner, since, until)
    if format != "json":
        params: dict[str, Any] = dict(kind=kind, severity=severity, status=status, subject=subject, owner=owner,
                                      since=since, until=until)
        rows = ([f.kind, f.severity, f.status, f.subject_key, f.subject_name, f.owner, f.rule_id, f.ruleset_version,
                 f.detected_at, f.resolved_at, str(f.evidence)] for f in selected)
        return export(format, "findings", describe_query(params), COLUMNS, rows)
    items = list(selected)
    response.headers["X-Total-Count"] = str(len(items))
    return items[offset:offset + limit]
