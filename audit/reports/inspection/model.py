"""The inspection report (检查通报) as data: built once from the store, rendered to every format.

Definitions (DESIGN.md): an account fails when it has a veto finding, or when
100 − its deductions is below the pass score; pass rate = (checked − failed)
/ checked. A finding counts for a period when it was open at any time in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from audit.reports.inspection.period import Period

# Problem categories in report order: (id, 通报 heading, finding kinds)
CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("not_updated", "更新不及时", ("dormant", "cadence_primary", "cadence_weekly", "no_original")),
    ("zombie_empty", "僵尸账号和空壳账号", ("zombie", "zombie_severe", "empty_shell")),
    ("interaction", "互动功能缺失或回应不及时", ("no_interaction", "slow_interaction")),
    ("broken_service", "服务功能无法使用", ("broken_service",)),
    ("wording", "错别字和严重表述错误", ("typo", "wording_error")),
    ("unregistered", "未备案及备案信息不符", ("unregistered", "duplicate_platform", "closed_but_alive",
                                       "registry_ambiguous")),
    ("impersonation", "冒用仿冒政务账号", ("impersonation",)),
    ("compromised", "网页被篡改或植入暗链", ("spam_injection",)),
    ("other", "其他", ()),
)
CATEGORY_OF = {kind: cid for cid, _, kinds in CATEGORIES for kind in kinds}
CATEGORY_TITLE = {cid: title for cid, title, _ in CATEGORIES}

KIND_TITLE = {
    "dormant": "两周内无更新", "cadence_primary": "主账号工作日未更新", "cadence_weekly": "每周更新不足",
    "no_original": "两周内无原创", "zombie": "超过三个月未更新", "zombie_severe": "超过一年未更新",
    "empty_shell": "空壳账号", "no_interaction": "无互动功能", "slow_interaction": "留言回复不及时",
    "broken_service": "服务功能无法使用", "typo": "错别字", "wording_error": "严重表述错误", "too_large": "网页过大未检查",
    "unregistered": "未备案", "duplicate_platform": "同一平台重复开设", "closed_but_alive": "已注销仍在更新",
    "registry_ambiguous": "备案信息无法唯一对应", "impersonation": "冒用仿冒", "spam_injection": "被篡改/暗链",
    "missing": "账号不存在或已注销",
}
# Points a deduction finding costs (score = 100 − sum); configurable in [report] deduction_points.
DEFAULT_POINTS = {"cadence_primary": 20, "cadence_weekly": 10, "no_original": 10, "duplicate_platform": 10,
                  "typo": 5, "broken_service": 5, "slow_interaction": 10}
DEFAULT_DEDUCTION = 10
LEVELS = ("province", "city", "county", "department")
NOT_CHECKED_TITLE = {"login wall": "需要登录无法查看", "not crawled": "未采集到", "no longer exists": "账号已不存在"}
LEVEL_TITLE = {"province": "省级", "city": "市级", "county": "县级", "department": "部门", "": "未知"}


@dataclass
class Problem:
    """One finding as the report lists it."""

    category: str
    kind: str
    severity: str
    rule_id: str
    ruleset_version: str
    subject_type: str  # account | page
    subject_key: str
    name: str  # account name or page title
    platform: str
    url: str
    owner: str
    detected_at: str
    status: str  # open | resolved (at the end of the period)
    evidence: str  # one line an inspector can quote
    evidence_link: str  # where the API serves the stored proof


@dataclass
class AccountScore:
    """One registered account's score sheet line."""

    platform: str
    account_id: str
    name: str
    owner: str
    level: str
    vetoes: list[str] = field(default_factory=list)  # finding kinds
    deductions: list[tuple[str, int]] = field(default_factory=list)  # (kind, points)
    score: int = 100
    failed: bool = False
    ruleset_version: str = ""
    last_post_at: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.account_id}"


@dataclass
class Rate:
    """Checked, failed and the pass rate of one group (a platform, a level, a body, everything)."""

    name: str
    registered: int = 0
    checked: int = 0
    failed: int = 0

    @property
    def passed(self) -> int:
        return self.checked - self.failed

    @property
    def pass_rate(self) -> float | None:
        """(checked − failed) / checked; None when nothing was checked."""
        return self.passed / self.checked if self.checked else None


@dataclass
class Comparison:
    """This period against the previous one."""

    previous: str
    new: list[Problem] = field(default_factory=list)
    resolved: list[Problem] = field(default_factory=list)
    recheck_fixed: list[AccountScore] = field(default_factory=list)  # 复查: failed last period, pass now
    recheck_failing: list[AccountScore] = field(default_factory=list)  # 复查: still failing
    previous_pass_rate: float | None = None


@dataclass
class InspectionReport:
    """Everything every format shows; renderers only lay it out."""

    period: Period
    generated_at: str
    ruleset_versions: list[str]
    total: Rate
    not_checked: dict[str, int]  # reason -> accounts (login wall, not crawled, no longer exists)
    by_platform: list[Rate]
    by_level: list[Rate]
    owners: list[Rate]  # ranked by pass rate, then by accounts checked
    owners_all_passing: list[str]
    problems: dict[str, list[Problem]]  # category id -> problems
    scores: list[AccountScore]
    comparison: Comparison
    activity: list[tuple[str, int]]  # (YYYY-MM-DD, accounts that posted that day)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_accounts(self) -> list[AccountScore]:
        return [s for s in self.scores if s.failed]
