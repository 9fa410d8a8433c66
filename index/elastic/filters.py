"""Structured filters as Elasticsearch queries: searches (platform, account, owner, site, dates) and lists
(AccountFilters' name, FindingFilters).

Same meaning as the SQLite store's: an account filter is an account id on any platform or the
exact name of stored accounts; an owner filter is the accounts the registry lists for that
owner (by account id, or by name on that platform); dates are inclusive, in China time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.dates import china_time
from core.models import PLATFORMS
from index.account_filter import account_pairs
from index.base import AccountFilters, FindingFilters, PageQuery, PostQuery
from index.elastic import docs as D
from index.elastic.parts import EsStore


def _dates(since: datetime | None, until: datetime | None) -> list[dict[str, Any]]:
    bounds = {op: D.dt_out(china_time(v)) for op, v in (("gte", since), ("lte", until)) if v is not None}
    return [{"range": {"published_at": bounds}}] if bounds else []


def _pairs_named(backend: EsStore, account: str) -> set[tuple[str, str]]:
    found = {(p, account) for p in PLATFORMS}
    named = backend.scan("accounts", ["platform", "account_id"], {"term": {"name.keyword": account}},
                         ["platform", "account_id"])
    return found | {(s["platform"], s["account_id"]) for s in named}


def _pairs_of_owner(backend: EsStore, owner: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for entry in backend.scan("registry", ["key"], {"term": {"owner": owner}}, ["platform", "account_id", "name"]):
        if entry.get("account_id"):
            found.add((entry["platform"], entry["account_id"]))
            continue
        query = {"bool": {"filter": [{"term": {"platform": entry["platform"]}},
                                     {"term": {"name.keyword": entry["name"]}}]}}
        found |= {(entry["platform"], s["account_id"])
                  for s in backend.scan("accounts", ["account_id"], query, ["account_id"])}
    return found


def _pairs_filter(pairs: set[tuple[str, str]]) -> dict[str, Any]:
    by_platform: dict[str, list[str]] = {}
    for platform, account_id in sorted(pairs):
        by_platform.setdefault(platform, []).append(account_id)
    return {"bool": {"minimum_should_match": 1, "should": [
        {"bool": {"filter": [{"term": {"platform": p}}, {"terms": {"account_id": ids}}]}}
        for p, ids in by_platform.items()]}}


def post_filters(backend: EsStore, query: PostQuery) -> list[dict[str, Any]] | None:
    """Filters of a post search; None when the account/owner filter leaves no account at all."""
    filters: list[dict[str, Any]] = []
    if query.platform:
        filters.append({"term": {"platform": query.platform}})
    pairs = account_pairs(query, lambda name: _pairs_named(backend, name),
                          lambda owner: _pairs_of_owner(backend, owner))
    if pairs is not None:
        if not pairs:
            return None
        filters.append(_pairs_filter(pairs))
    return filters + _dates(query.since, query.until)


def page_filters(query: PageQuery) -> list[dict[str, Any]]:
    """Filters of a page search: site and dates."""
    sites = query.site_values()
    site = [{"terms": {"site": sites}}] if sites else []
    return site + _dates(query.since, query.until)


def _wildcard_text(text: str) -> str:
    """`text` as a literal inside a wildcard pattern (\\, * and ? escaped)."""
    return "".join("\\" + c if c in "\\*?" else c for c in text)


def account_query(platform: str | None, where: AccountFilters | None) -> dict[str, Any] | None:
    """Accounts of `platform` whose name holds `where.name` as typed (case and all, like SQLite's instr).

    The open-finding status filter needs the findings, so the backend applies it after reading.
    """
    terms: list[dict[str, Any]] = [{"term": {"platform": platform}}] if platform else []
    if where and where.name:
        terms.append({"wildcard": {"name.keyword": {"value": f"*{_wildcard_text(where.name)}*"}}})
    return {"bool": {"filter": terms}} if terms else None


def finding_query(fields: dict[str, str | None], where: FindingFilters | None) -> dict[str, Any]:
    """Findings with the given field values (None: any) passing `where` (dates inclusive; undated pass no bound)."""
    f = where or FindingFilters()
    values = {**fields, "severity": f.severity, "subject_type": f.subject_type}
    terms: list[dict[str, Any]] = [{"term": {k: v}} for k, v in values.items() if v]
    bounds = {op: D.dt_out(v) for op, v in (("gte", f.since), ("lte", f.until)) if v is not None}
    if bounds:
        terms.append({"range": {"detected_at": bounds}})
    return {"bool": {"filter": terms}}


def finding_order(where: FindingFilters | None) -> list[Any]:
    """Stored order (seq), or the API's: newest detected first (undated last), subject key descending."""
    if where and where.newest_first:
        return [{"detected_at": {"order": "desc", "missing": "_last"}}, {"subject_key": "desc"}, {"seq": "asc"}]
    return ["seq"]
