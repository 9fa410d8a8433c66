"""save_findings resolves only what the run judged: `keep_open` subjects stay open, and a finding of a
rule outside `rule_ids` refreshes its open twin instead of being inserted again on every run."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.models import Finding
from index.base import Backend

T0 = datetime(2026, 11, 1, 9, 0)


def typo(key: str, note: str = "x") -> Finding:
    return Finding("typo", "deduction", "account", key, "content.post_typo", "t", {"note": note})


def test_subjects_kept_open_are_not_resolved(backend: Backend) -> None:
    backend.save_findings([typo("weibo:1"), typo("weibo:2")], rule_ids=["content.post_typo"], as_of=T0)
    later = backend.save_findings([], rule_ids=["content.post_typo"], as_of=T0 + timedelta(days=1),
                                  keep_open=["weibo:1"])  # weibo:1 was past the cap: not judged
    assert later.resolved == 1
    assert [f.subject_key for f in backend.list_findings(status="open")] == ["weibo:1"]
    assert [f.subject_key for f in backend.list_findings(status="resolved")] == ["weibo:2"]


def test_a_finding_outside_rule_ids_is_refreshed_not_duplicated(backend: Backend) -> None:
    first = backend.save_findings([typo("weibo:1", "old")], rule_ids=[], as_of=T0)
    again = backend.save_findings([typo("weibo:1", "new")], rule_ids=[], as_of=T0 + timedelta(days=1))
    assert (first.opened, again.opened, again.still_open) == (1, 0, 1)
    (found,) = backend.list_findings(status=None)
    assert found.evidence == {"note": "new"} and found.status == "open"
    assert backend.save_findings([], rule_ids=[], as_of=T0 + timedelta(days=2)).resolved == 0
