"""govwatch.truth: stored findings and registry matches compared label by label with a ground truth."""

from __future__ import annotations

from audit.runner import run_audit
from core.config import Settings
from core.models import AccountMention, Page
from govwatch.truth import all_equal, compare_with_ground_truth
from index.sqlite import SqliteBackend
from tests.audit.factory import NOW, add_account, days_ago, entry, post


def truth(*accounts: tuple[str, str, str, list[str]], needs_credentials: tuple[str, ...] = ()) -> dict:
    return {"accounts": [{"platform": p, "account_id": i, "name": n, "labels": labels} for p, i, n, labels in accounts],
            "needs_credentials": list(needs_credentials)}


def test_missing_and_extra_are_reported_per_label(store: SqliteBackend) -> None:
    store.upsert_registry([entry("某市发布", "1", primary=True)])
    add_account(store, "1", "某市发布", [post("1", days_ago(30))])
    add_account(store, "2", "某县发布", [post("2", days_ago(1))])
    run_audit(store, Settings(), NOW)
    result = compare_with_ground_truth(store, truth(
        ("weibo", "1", "某市发布", ["registered", "primary", "zombie"]),
        ("weibo", "2", "某县发布", ["unregistered"]),
    ))
    assert result["registered"] == {"expected": 1, "found": 1, "missing": [], "extra": []}
    assert result["zombie"] == {"expected": 1, "found": 0, "missing": ["weibo:1"], "extra": []}
    assert result["dormant"] == {"expected": 0, "found": 1, "missing": [], "extra": ["weibo:1"]}
    assert result["unregistered"]["missing"] == [] and not all_equal(result)


def test_a_subject_known_only_by_name_is_mapped_to_the_truths_account(store: SqliteBackend) -> None:
    url = "http://gov.test/matrix.html"
    store.upsert_pages([Page(url=url, mentions=[AccountMention("冷水滩发布", "wechat", url)])])
    run_audit(store, Settings(), NOW)
    result = compare_with_ground_truth(store, truth(("wechat", "gh_abc", "冷水滩发布", ["unregistered"])))
    assert result == {"unregistered": {"expected": 1, "found": 1, "missing": [], "extra": []}}
    assert all_equal(result)


def test_accounts_needing_credentials_are_left_out(store: SqliteBackend) -> None:
    store.upsert_registry([entry("东安发布", "5")])
    add_account(store, "5", "东安发布", [], state="needs_credentials")
    run_audit(store, Settings(), NOW)
    assert compare_with_ground_truth(store, truth(needs_credentials=("weibo:5",))) == {}
