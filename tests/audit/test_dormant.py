"""The dormant rule: no non-pinned post in the 14 days before the check time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from audit.runner import run_audit
from core.config import Settings
from core.models import Account, Post
from index.sqlite import SqliteBackend

NOW = datetime(2026, 11, 23, 10, 0)


def seed(store: SqliteBackend, days_ago: float, pinned_days_ago: float | None = None) -> None:
    store.upsert_accounts([Account("weibo", "1", "测试发布")])
    posts = [Post("weibo", "1", "p", text="x", is_original=True, published_at=NOW - timedelta(days=days_ago))]
    if pinned_days_ago is not None:
        posts.append(Post("weibo", "1", "pin", text="y", is_pinned=True, published_at=NOW - timedelta(days=pinned_days_ago)))
    store.upsert_posts(posts)


@pytest.mark.parametrize(("days_ago", "dormant"), [(13, False), (14, False), (14.01, True), (15, True)])
def test_dormant_boundary_13_vs_14_days(store: SqliteBackend, days_ago: float, dormant: bool) -> None:
    seed(store, days_ago)
    run_audit(store, Settings(), NOW)
    assert bool(store.list_findings(kind="dormant")) is dormant


def test_a_recent_pinned_post_does_not_keep_an_old_account_alive(store: SqliteBackend) -> None:
    seed(store, days_ago=40, pinned_days_ago=1)
    run_audit(store, Settings(), NOW)
    (finding,) = store.list_findings(kind="dormant")
    assert finding.evidence["days_since_last_post"] == 40
    assert finding.rule_id == "account.dormant" and finding.severity == "veto"


def test_dormant_finding_is_resolved_when_the_account_posts_again(store: SqliteBackend) -> None:
    seed(store, days_ago=30)
    run_audit(store, Settings(), NOW)
    store.upsert_posts([Post("weibo", "1", "new", text="z", is_original=True, published_at=NOW + timedelta(days=1))])
    run_audit(store, Settings(), NOW + timedelta(days=2))
    assert not store.list_findings(kind="dormant")
    assert len(store.list_findings(kind="dormant", status="resolved")) == 1


def test_audit_is_deterministic_for_the_same_check_time(store: SqliteBackend) -> None:
    seed(store, days_ago=30)
    run_audit(store, Settings(), NOW)
    first = [(f.subject_key, f.evidence, f.detected_at) for f in store.list_findings()]
    run_audit(store, Settings(), NOW)
    assert [(f.subject_key, f.evidence, f.detected_at) for f in store.list_findings()] == first
