"""Account and finding lists narrowed inside the store (AccountFilters, FindingFilters), on every backend."""

from __future__ import annotations

from datetime import datetime

from core.models import Account, Finding
from index.base import AccountFilters, Backend, FindingFilters

T1, T2, T3 = datetime(2026, 11, 1, 9), datetime(2026, 11, 2, 9), datetime(2026, 11, 3, 9)


def finding(kind: str, key: str, severity: str, when: datetime | None, subject: str = "account") -> Finding:
    return Finding(kind, severity, subject, key, f"account.{kind}", "v1", {"n": 1}, when)


def filled(store: Backend) -> Backend:
    store.upsert_accounts([Account("weibo", "1", "无锡发布"), Account("weibo", "2", "无锡市场监管"),
                           Account("wechat", "3", "江阴发布"), Account("wechat", "4", "100%发布")])
    store.save_findings([finding("zombie", "weibo:2", "deduction", T1)], rule_ids=["account.zombie"], as_of=T1)
    store.save_findings([], rule_ids=["account.zombie"], as_of=T2)  # weibo:2's finding is resolved
    store.save_findings([finding("dormant", "weibo:1", "veto", T2), finding("dormant", "wechat:3", "veto", T3)],
                        rule_ids=["account.dormant"], as_of=T3)
    store.save_findings([finding("spam_injection", "http://a.gov.cn/1", "veto", None, "page")],
                        rule_ids=["account.spam_injection"], as_of=T3)
    return store


def keys(accounts: object) -> list[str]:
    return [f"{a.platform}:{a.account_id}" for a in accounts]  # type: ignore[attr-defined]


def test_accounts_by_part_of_the_name_and_open_finding_kind(backend: Backend) -> None:
    store = filled(backend)
    assert keys(store.iter_accounts(where=AccountFilters(name="发布"))) == ["wechat:3", "wechat:4", "weibo:1"]
    assert keys(store.iter_accounts(where=AccountFilters(name="%"))) == ["wechat:4"]  # as typed, not a pattern
    assert keys(store.iter_accounts("weibo", AccountFilters(name="无锡"))) == ["weibo:1", "weibo:2"]
    assert keys(store.iter_accounts(where=AccountFilters(status="dormant"))) == ["wechat:3", "weibo:1"]
    assert keys(store.iter_accounts(where=AccountFilters(status="ok"))) == ["wechat:4", "weibo:2"]  # resolved is ok
    assert keys(store.iter_accounts("wechat", AccountFilters(name="发布", status="ok"))) == ["wechat:4"]
    assert keys(store.iter_accounts(where=AccountFilters(status="zombie"))) == []
    assert len(list(store.iter_accounts())) == 4


def test_findings_by_severity_subject_and_detection_date_newest_first(backend: Backend) -> None:
    store = filled(backend)
    every = store.list_findings(status=None, where=FindingFilters(newest_first=True))
    # the page's finding has no date of its own: saving dates it with the audit's (T3)
    assert [f.subject_key for f in every] == ["wechat:3", "http://a.gov.cn/1", "weibo:1", "weibo:2"]
    assert [f.subject_key for f in store.list_findings(status=None)][:1] == ["weibo:2"]  # default: oldest first
    vetoes = store.list_findings(where=FindingFilters(severity="veto", subject_type="account"))
    assert sorted(f.subject_key for f in vetoes) == ["wechat:3", "weibo:1"]
    dated = store.list_findings(status=None, where=FindingFilters(since=T1, until=T2, newest_first=True))
    assert [f.subject_key for f in dated] == ["weibo:1", "weibo:2"]  # both bounds inclusive
    assert [f.kind for f in store.list_findings("dormant", where=FindingFilters(since=T3))] == ["dormant"]
    assert store.list_findings(status="resolved", where=FindingFilters(severity="veto")) == []
