"""Activity rules on a real store: zombie, empty shell, weekly cadence, no original — each at its boundary.

The dormant 13-vs-14-day boundary is pinned in test_dormant.py.
"""

from __future__ import annotations

import pytest

from audit.runner import run_audit
from core.config import Settings
from index.sqlite import SqliteBackend
from tests.audit.factory import NOW, add_account, days_ago, entry, kinds_of, post

MINUTE = 1 / 1440
KEY = "weibo:1"


def audit(store: SqliteBackend) -> set[str]:
    run_audit(store, Settings(), NOW)
    return kinds_of(store, KEY)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (89, {"dormant"}),
        (90, {"dormant"}),  # exactly 90 days old is still inside the 90-day window
        (90 + MINUTE, {"dormant", "zombie"}),
        (365, {"dormant", "zombie"}),
        (365 + MINUTE, {"dormant", "zombie", "zombie_severe"}),
    ],
)
def test_zombie_at_90_and_severe_at_365_days(store: SqliteBackend, age: float, expected: set[str]) -> None:
    add_account(store, "1", "某某号", [post("1", days_ago(age))])
    assert audit(store) & {"dormant", "zombie", "zombie_severe"} == expected


@pytest.mark.parametrize(("age", "flagged"), [(6, False), (7, False), (7 + MINUTE, True), (13, True)])
def test_weekly_cadence_at_7_days(store: SqliteBackend, age: float, flagged: bool) -> None:
    add_account(store, "1", "某某号", [post("1", days_ago(age)), post("1", days_ago(20))])
    assert ("cadence_weekly" in audit(store)) is flagged


def test_weekly_cadence_does_not_apply_to_a_dormant_account(store: SqliteBackend) -> None:
    add_account(store, "1", "某某号", [post("1", days_ago(15))])
    assert audit(store) & {"dormant", "cadence_weekly"} == {"dormant"}


def test_a_registered_primary_account_answers_to_the_daily_rule_not_the_weekly_one(store: SqliteBackend) -> None:
    store.upsert_registry([entry("某某发布", "1", primary=True)])
    add_account(store, "1", "某某发布", [post("1", days_ago(10))])
    assert audit(store) & {"cadence_weekly", "cadence_primary"} == {"cadence_primary"}


@pytest.mark.parametrize(("age", "flagged"), [(13, False), (14, False), (14 + MINUTE, True)])
def test_no_original_within_14_days(store: SqliteBackend, age: float, flagged: bool) -> None:
    posts = [post("1", days_ago(1), original=False), post("1", days_ago(age)), post("1", days_ago(30))]
    add_account(store, "1", "某某号", posts)
    assert ("no_original" in audit(store)) is flagged


@pytest.mark.parametrize(
    "posts",
    [
        [],  # zero posts
        [post("1", days_ago(1), original=False), post("1", days_ago(40), original=False)],  # reposts only
        [post("1", days_ago(2), original=False), post("1", days_ago(300), pinned=True)],  # only the pin is original
    ],
    ids=["zero-posts", "reposts-only", "pinned-original-only"],
)
def test_empty_shell_gets_no_dormant_cadence_or_no_original_finding(store: SqliteBackend, posts: list) -> None:
    add_account(store, "1", "某某号", posts)
    assert audit(store) & {"empty_shell", "dormant", "zombie", "cadence_weekly", "no_original"} == {"empty_shell"}


def test_an_old_empty_shell_is_not_dormant_or_zombie(store: SqliteBackend) -> None:
    add_account(store, "1", "某某号", [post("1", days_ago(400), original=False)])
    assert audit(store) & {"empty_shell", "dormant", "zombie", "zombie_severe"} == {"empty_shell"}


def test_a_pinned_old_post_does_not_make_an_active_account_look_stale(store: SqliteBackend) -> None:
    posts = [post("1", days_ago(500), pinned=True), post("1", days_ago(1)), post("1", days_ago(3))]
    add_account(store, "1", "某某号", posts)
    assert audit(store) & {"dormant", "zombie", "zombie_severe", "cadence_weekly", "no_original"} == set()


@pytest.mark.parametrize("state", ["missing", "needs_credentials"])
def test_unreadable_accounts_get_no_activity_findings(store: SqliteBackend, state: str) -> None:
    add_account(store, "1", "某某号", [], state=state)
    assert audit(store) & {"dormant", "empty_shell", "cadence_weekly", "no_original"} == set()


def test_posts_after_the_check_time_are_ignored(store: SqliteBackend) -> None:
    add_account(store, "1", "某某号", [post("1", days_ago(30)), post("1", days_ago(-2))])
    assert "dormant" in audit(store)


def test_findings_carry_rule_id_version_and_evidence(store: SqliteBackend) -> None:
    add_account(store, "1", "某某号", [post("1", days_ago(100))])
    run_audit(store, Settings(), NOW)
    (zombie,) = store.list_findings(kind="zombie")
    assert (zombie.rule_id, zombie.severity, zombie.ruleset_version) == ("account.zombie", "veto", "2026.11")
    assert zombie.evidence["days_since_last_post"] == 100 and zombie.evidence["window_days"] == 90


def test_a_profile_reporting_posts_with_none_stored_is_a_failed_crawl_not_an_empty_shell(store: SqliteBackend) -> None:
    add_account(store, "1", "某某号", [], posts_count=30)
    summary = run_audit(store, Settings(), NOW)
    assert kinds_of(store, KEY) & {"empty_shell", "dormant"} == set()
    assert summary.unreadable == 1
    add_account(store, "2", "某某号2", [], posts_count=0)
    run_audit(store, Settings(), NOW)
    assert "empty_shell" in kinds_of(store, "weibo:2")
