"""Documents ↔ govwatch models for the Elasticsearch backend.

Datetimes are naive China time (index/base.py) and are stored to the second without a zone,
like the SQLite store, so date filters and per-day aggregations mean the same day on both.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from datetime import datetime
from typing import Any

from core.models import Account, AccountMention, Finding, Link, Page, Post, RegistryEntry
from index.elastic.serializer import orjson

# A post's `hit` JSON through orjson when installed, as the client's own JSON (serializer.py)
_loads = orjson.loads if orjson is not None else json.loads
_dumps = orjson.dumps if orjson is not None else lambda v: json.dumps(v, ensure_ascii=False).encode()

_FMT = "%Y-%m-%dT%H:%M:%S"


def dt_out(value: datetime | None) -> str | None:
    return value.strftime(_FMT) if value else None


def dt_in(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def exists(action: dict[str, Any], status: int) -> bool:
    """A `create` refused because its document exists (upserts then compare it); any other 409 is a failure."""
    return status == 409 and action.get("_op_type") == "create"


def doc_id(*parts: str) -> str:
    """A short stable _id for identities that may be long (URLs) or contain any character."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


_SEQ = itertools.count()


def seq() -> int:
    """Indexing order: among equally relevant matches the latest indexed comes first (as in SQLite)."""
    return time.time_ns() + next(_SEQ) % 1000


def search_text(title: str, text: str) -> str:
    """The searched field: the title three times, then the text (see mappings._SEARCH)."""
    return "\n".join((title, title, title, text)) if title else text


def post_id(platform: str, post: str) -> str:
    return f"{platform}:{post}"


# A post's fields as shown (its _source less `search` and `seq`), also kept as one binary doc value
# `hit` (mappings.HIT): a page of search hits is read from doc values, not from stored fields.
NOT_SHOWN = ("search", "seq", "hit")


def post_doc(p: Post, *, full_text: bool = True) -> dict[str, Any]:
    """A post's document; full_text=False leaves out what only text searches use (`search`, `hit`: bulkload.py)."""
    doc = {
        "platform": p.platform, "post_id": p.post_id, "account_id": p.account_id, "url": p.url,
        "title": p.title, "text": p.text, "published_at": dt_out(p.published_at),
        "is_original": p.is_original, "is_pinned": p.is_pinned, "is_repost": p.is_repost,
        "comments": p.comments, "replies": p.replies, "fetched_at": dt_out(p.fetched_at or datetime.now()),
        "content_hash": p.content_hash,
    }
    if not full_text:
        return {**doc, "seq": seq()}
    return {**doc, "search": search_text(p.title, p.text), "seq": seq(), "hit": hit_value(doc)}


def hit_value(shown: dict[str, Any]) -> str:
    """The `hit` doc value of a post's shown fields: their JSON, base64 (a binary field's input)."""
    return base64.b64encode(_dumps(shown)).decode()


def shown_of(value: str) -> dict[str, Any]:
    """The shown fields from a `hit` doc value as a search returns it (base64 without padding)."""
    return dict(_loads(base64.b64decode(value + "=" * (-len(value) % 4))))


def post_from(src: dict[str, Any]) -> Post:
    return Post(
        platform=src["platform"], account_id=src["account_id"], post_id=src["post_id"], url=src.get("url") or "",
        title=src.get("title") or "", text=src.get("text") or "", published_at=dt_in(src.get("published_at")),
        is_original=bool(src.get("is_original")), is_pinned=bool(src.get("is_pinned")),
        is_repost=bool(src.get("is_repost")), comments=src.get("comments"), replies=src.get("replies"),
        fetched_at=dt_in(src.get("fetched_at")), content_hash=src.get("content_hash") or "",
    )


def page_doc(p: Page) -> dict[str, Any]:
    return {
        "url": p.url, "site": p.site, "title": p.title, "column": p.column, "published_at": dt_out(p.published_at),
        "text": p.text, "html": p.html, "encoding": p.encoding, "fetched_at": dt_out(p.fetched_at or datetime.now()),
        "content_hash": p.content_hash, "search": search_text(p.title, p.text), "seq": seq(),
    }


def page_from(src: dict[str, Any]) -> Page:
    return Page(
        url=src["url"], site=src.get("site") or "", title=src.get("title") or "", column=src.get("column") or "",
        published_at=dt_in(src.get("published_at")), text=src.get("text") or "", html=src.get("html") or "",
        encoding=src.get("encoding") or "", fetched_at=dt_in(src.get("fetched_at")),
        content_hash=src.get("content_hash") or "",
    )


def account_update(a: Account, now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """(partial doc, full doc for a new account): like the SQLite upsert, a missing value keeps the stored one."""
    full = {
        "platform": a.platform, "account_id": a.account_id, "name": a.name, "url": a.url or None,
        "verified": a.verified, "verified_reason": a.verified_reason or None, "verified_type": a.verified_type or None,
        "followers": a.followers, "posts_count": a.posts_count, "found_via": a.found_via, "found_on": a.found_on,
        "state": a.state, "interaction_enabled": a.interaction_enabled, "created_at": dt_out(a.created_at),
        "first_seen": dt_out(a.first_seen or now), "last_seen": dt_out(a.last_seen or now),
    }
    keep_stored = {"first_seen", "found_via", "found_on"}
    partial = {k: v for k, v in full.items() if v is not None and k not in keep_stored}
    if not a.name:
        partial.pop("name", None)
    return partial, full


def account_from(src: dict[str, Any]) -> Account:
    return Account(
        platform=src["platform"], account_id=src["account_id"], name=src.get("name") or "", url=src.get("url") or "",
        verified=bool(src.get("verified")), verified_reason=src.get("verified_reason") or "",
        verified_type=src.get("verified_type") or "none", followers=src.get("followers"),
        posts_count=src.get("posts_count"), found_via=src.get("found_via") or "", found_on=src.get("found_on") or "",
        state=src.get("state") or "ok", interaction_enabled=src.get("interaction_enabled"),
        created_at=dt_in(src.get("created_at")), first_seen=dt_in(src.get("first_seen")),
        last_seen=dt_in(src.get("last_seen")),
    )


def registry_doc(e: RegistryEntry) -> dict[str, Any]:
    return {"key": e.key, "name": e.name, "platform": e.platform, "account_id": e.account_id, "owner": e.owner,
            "supervisor": e.supervisor, "registry_no": e.registry_no, "is_primary": e.is_primary,
            "status": e.status, "registered_at": dt_out(e.registered_at)}


def registry_from(src: dict[str, Any]) -> RegistryEntry:
    return RegistryEntry(
        name=src["name"], platform=src["platform"], account_id=src.get("account_id") or "",
        owner=src.get("owner") or "", supervisor=src.get("supervisor") or "", registry_no=src.get("registry_no") or "",
        is_primary=bool(src.get("is_primary")), status=src.get("status") or "active",
        registered_at=dt_in(src.get("registered_at")),
    )


def link_from(src: dict[str, Any]) -> tuple[str, Link]:
    return src["page_url"], Link(url=src["url"], text=src.get("text") or "", status=src.get("status"))


def mention_from(src: dict[str, Any]) -> AccountMention:
    return AccountMention(src["name"], src["platform"], src["page_url"], src.get("context") or "")


def finding_doc(f: Finding, seq: int, when: datetime) -> dict[str, Any]:
    return {
        "kind": f.kind, "severity": f.severity, "subject_type": f.subject_type, "subject_key": f.subject_key,
        "rule_id": f.rule_id, "ruleset_version": f.ruleset_version, "evidence": evidence(f),
        "detected_at": dt_out(f.detected_at or when), "status": "open", "resolved_at": None, "seq": seq,
    }


def evidence(f: Finding) -> dict[str, Any]:
    """The evidence as plain JSON (dates as text), exactly as the SQLite store keeps it."""
    return dict(json.loads(json.dumps(f.evidence, ensure_ascii=False, default=str, sort_keys=True)))


def finding_from(src: dict[str, Any]) -> Finding:
    return Finding(
        kind=src["kind"], severity=src["severity"], subject_type=src["subject_type"], subject_key=src["subject_key"],
        rule_id=src["rule_id"], ruleset_version=src["ruleset_version"], evidence=src.get("evidence") or {},
        detected_at=dt_in(src.get("detected_at")), status=src["status"], resolved_at=dt_in(src.get("resolved_at")),
    )
