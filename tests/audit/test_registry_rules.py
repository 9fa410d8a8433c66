"""Registry rules: unregistered, duplicate platform, closed but alive, ambiguous, no interaction, missing."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from audit.registry.matching import RegistryIndex
from audit.rules.base import AuditContext
from audit.rules.registry import UnregisteredRule
from audit.runner import run_audit
from core.config import RuleThresholds, Settings
from core.models import Account, AccountMention, Page
from index.base import AccountActivity
from index.sqlite import SqliteBackend
from tests.audit.factory import NOW, add_account, days_ago, entry, kinds_of, post

MINUTE = 1 / 1440


def audit(store: SqliteBackend) -> None:
    run_audit(store, Settings(), NOW)


def mention(store: SqliteBackend, name: str, platform: str = "weibo") -> None:
    url = "http://gov.test/gov/yz/matrix.html"
    store.upsert_pages([Page(url=url, site="yz", title="矩阵", mentions=[AccountMention(name, platform, url)])])


@pytest.mark.parametrize(
    ("name", "fields", "reason"),
    [
        ("平安某地", {"verified_type": "government"}, "verified_type=government"),
        ("某市税务局", {}, "name names a government body"),
        ("小明说事", {"verified_reason": "某某县人民政府办公室"}, "verification names a government body"),
    ],
)
def test_official_looking_account_without_registry_match_is_unregistered(
    store: SqliteBackend, name: str, fields: dict, reason: str
) -> None:
    add_account(store, "1", name, [post("1", days_ago(1))], found_on="http://search.test/q", **fields)
    audit(store)
    (finding,) = store.list_findings(kind="unregistered")
    assert finding.subject_key == "weibo:1" and finding.severity == "veto" and reason in finding.evidence["reasons"]
    assert finding.evidence["found_on"] == "http://search.test/q"


def test_listed_on_a_government_matrix_page_makes_an_account_official_looking(store: SqliteBackend) -> None:
    add_account(store, "1", "文明小城", [post("1", days_ago(1))])
    audit(store)
    assert "unregistered" not in kinds_of(store, "weibo:1")
    mention(store, "文明小城")
    audit(store)
    (finding,) = store.list_findings(kind="unregistered")
    assert finding.evidence["listed_on"] == ["http://gov.test/gov/yz/matrix.html"]


def test_benign_look_alike_and_registered_accounts_are_not_unregistered(store: SqliteBackend) -> None:
    store.upsert_registry([entry("某市发布", "2"), entry("某区发布")])
    add_account(store, "1", "上海美食地图", [post("1", days_ago(1))], verified_type="personal", verified_reason="美食博主")
    add_account(store, "2", "某市发布", [post("2", days_ago(1))], verified_type="government")
    add_account(store, "3", "某区发布", [post("3", days_ago(1))], verified_type="government")
    audit(store)
    assert store.list_findings(kind="unregistered") == []


def test_a_mention_nobody_crawled_is_judged_by_name(store: SqliteBackend) -> None:
    store.upsert_registry([entry("某市发布")])
    mention(store, "某市发布")
    mention(store, "某县人社", platform="wechat")
    audit(store)
    assert [f.subject_key for f in store.list_findings(kind="unregistered")] == ["wechat:name:某县人社"]
    assert kinds_of(store, "wechat:name:某县人社") == {"unregistered"}  # no activity verdict without a crawl


@dataclass
class FakeCheck:
    verdict: str
    candidates: list = field(default_factory=list)


class FakeMatcher:
    def __init__(self, verdict: str):
        self.verdict = verdict

    def check(self, name: str, platform: str | None = None, account: object = None, **kw: object) -> FakeCheck:
        return FakeCheck(self.verdict)


@pytest.mark.parametrize(("verdict", "flagged"), [("impersonation", False), ("clear", True)])
def test_an_impersonation_is_not_also_reported_as_unregistered(verdict: str, flagged: bool) -> None:
    ctx = AuditContext(as_of=NOW, thresholds=RuleThresholds(), matcher=FakeMatcher(verdict))
    activity = AccountActivity(Account("weibo", "1", "永洲人社", verified_type="government"), posts_total=1)
    assert bool(list(UnregisteredRule().evaluate(activity, ctx))) is flagged


def test_ambiguous_match_is_reported_as_ambiguous_never_as_registered_or_unregistered(store: SqliteBackend) -> None:
    store.upsert_registry([entry("某市发布", registry_no="A1"), entry("某市 发布", registry_no="A2")])
    add_account(store, "1", "某市发布", [post("1", days_ago(1))], verified_type="government")
    audit(store)
    assert kinds_of(store, "weibo:1") == {"registry_ambiguous"}
    (finding,) = store.list_findings(kind="registry_ambiguous")
    assert sorted(c["registry_no"] for c in finding.evidence["candidates"]) == ["A1", "A2"]


def test_duplicate_platform_flags_each_active_account_of_the_owner_on_that_platform(store: SqliteBackend) -> None:
    store.upsert_registry([
        entry("宜兴发布", "1", owner="宜兴市人民政府办公室"), entry("宜兴政务", "2", owner="宜兴市人民政府办公室"),
        entry("宜兴旧号", "3", owner="宜兴市人民政府办公室", status="closed"),
        entry("宜兴发布", "gh_1", owner="宜兴市人民政府办公室", platform="wechat"),
        entry("宜兴新闻", "4", owner="宜兴市人民政府办公室"),  # registered, never crawled
    ])
    for acc_id, name in (("1", "宜兴发布"), ("2", "宜兴政务"), ("3", "宜兴旧号")):
        add_account(store, acc_id, name, [post(acc_id, days_ago(20))])
    audit(store)
    assert sorted(f.subject_key for f in store.list_findings(kind="duplicate_platform")) == [
        "weibo:1", "weibo:2", "weibo:4"]


@pytest.mark.parametrize(("age", "flagged"), [(1, True), (14, True), (14 + MINUTE, False)])
def test_closed_but_alive_when_a_closed_account_posted_within_14_days(
    store: SqliteBackend, age: float, flagged: bool
) -> None:
    store.upsert_registry([entry("某市旧号", "1", status="closed")])
    add_account(store, "1", "某市旧号", [post("1", days_ago(age)), post("1", days_ago(1), pinned=True)])
    audit(store)
    assert ("closed_but_alive" in kinds_of(store, "weibo:1")) is flagged


@pytest.mark.parametrize(("enabled", "flagged"), [(False, True), (None, False), (True, False)])
def test_no_interaction_only_when_the_platform_says_comments_are_off(
    store: SqliteBackend, enabled: bool | None, flagged: bool
) -> None:
    add_account(store, "1", "某号", [post("1", days_ago(1))], interaction_enabled=enabled)
    audit(store)
    assert ("no_interaction" in kinds_of(store, "weibo:1")) is flagged


def test_a_missing_account_is_missing_and_nothing_else(store: SqliteBackend) -> None:
    store.upsert_registry([entry("某市发布", "1", owner="某市政府"), entry("某市政务", "2", owner="某市政府")])
    add_account(store, "1", "", [], state="missing", interaction_enabled=False)
    audit(store)
    assert kinds_of(store, "weibo:1") == {"missing"}


def test_registry_index_is_rebuilt_from_the_store_each_audit(store: SqliteBackend) -> None:
    add_account(store, "1", "某市发布", [post("1", days_ago(1))], verified_type="government")
    audit(store)
    assert kinds_of(store, "weibo:1") == {"unregistered"}
    store.upsert_registry([entry("某市发布", "1")])
    audit(store)
    assert kinds_of(store, "weibo:1") == set()
    assert [f.subject_key for f in store.list_findings(kind="unregistered", status="resolved")] == ["weibo:1"]
    assert RegistryIndex(store.iter_registry()).match("weibo", "1", "x").how == "id"


def test_a_mention_of_a_registered_account_crawled_under_its_id_is_that_account(store: SqliteBackend) -> None:
    store.upsert_registry([entry("东安发布", "7")])
    add_account(store, "7", "", [], state="needs_credentials")  # login wall: the name was never read
    mention(store, "东安发布")
    summary = run_audit(store, Settings(), NOW)
    assert summary.accounts == 1 and store.list_findings() == []
