"""Every rule govwatch judges by, in one table: id, kind, veto or deduction, source, thresholds, code.

The audit runs the account rules from this table in its order (the report
order); the content audit and the probes emit the page rules. A new rule is
one small function or class plus one line here; tests/audit/test_catalog.py
checks that every rule the code can emit is listed, with the same id and
kind. Sources are the wordings in DESIGN.md "Rules and their sources".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from audit.content import links, posts, probes, runner
from audit.impersonation.rule import ImpersonationRule
from audit.rules import activity, cadence, registry, status


@dataclass(frozen=True)
class RuleSpec:
    """One rule: `check` is the class (account rules) or function (page rules) that produces its findings."""

    id: str
    kind: str
    severity: str  # veto | deduction | info (the finding's severity; pass/fail reads it)
    subject: str  # account | page | post (judged on an account's posts; the finding is on the account)
    source: str  # the wording the rule applies
    thresholds: tuple[str, ...]  # core.config.RuleThresholds fields it reads
    check: Callable[..., Any]
    needs_matcher: bool = False  # built with the audit's impersonation Matcher

    def as_dict(self) -> dict[str, Any]:
        """The rule as the report and the API list it."""
        return {"id": self.id, "kind": self.kind, "severity": self.severity, "subject": self.subject,
                "source": self.source, "thresholds": list(self.thresholds),
                "check": f"{self.check.__module__}.{self.check.__qualname__}"}


R = RuleSpec
RULES: tuple[RuleSpec, ...] = (
    R("account.dormant", "dormant", "veto", "account", "监测时间点前2周内无更新", ("dormant_days",),
      activity.DormantRule),
    R("account.zombie", "zombie", "veto", "account", "超过三个月未更新 (zombie list in provincial 通报)",
      ("dormant_days", "zombie_days"), activity.ZombieRule),
    R("account.zombie_severe", "zombie_severe", "veto", "account", "超过1年不更新，成为'僵尸'号",
      ("dormant_days", "zombie_severe_days"), activity.SevereZombieRule),
    R("account.empty_shell", "empty_shell", "veto", "account", "长期零发布、零粉丝、零关注的，要加快清理整合", (),
      activity.EmptyShellRule),
    R("account.cadence_primary", "cadence_primary", "deduction", "account", "主账号应保持每个工作日更新",
      ("dormant_days", "primary_cadence_days"), cadence.PrimaryCadenceRule),
    R("account.cadence_weekly", "cadence_weekly", "deduction", "account", "每周更新不少于1次",
      ("dormant_days", "weekly_cadence_days"), activity.WeeklyCadenceRule),
    R("account.no_original", "no_original", "deduction", "account", "每2周至少发布1条原创信息",
      ("original_window_days",), activity.NoOriginalRule),
    R("account.unregistered", "unregistered", "veto", "account",
      "未向主管单位备案私自开设的…一经发现，一律予以关停注销", (), registry.UnregisteredRule),
    R("account.impersonation", "impersonation", "veto", "account",
      "冒用、仿冒政务新媒体账号 (an account imitating a registered account or its owner)", (),
      ImpersonationRule, needs_matcher=True),
    R("account.duplicate_platform", "duplicate_platform", "deduction", "account",
      "一个单位原则上在同一平台只开设一个政务新媒体账号", (), registry.DuplicatePlatformRule),
    R("account.closed_but_alive", "closed_but_alive", "veto", "account",
      "通报 of cancelled accounts reopened without approval", ("dormant_days",), registry.ClosedButAliveRule),
    R("account.no_interaction", "no_interaction", "veto", "account", "未提供有效互动功能", (),
      status.NoInteractionRule),
    R("account.missing", "missing", "info", "account", "the platform says the account does not exist", (),
      status.MissingRule),
    R("account.registry_ambiguous", "registry_ambiguous", "info", "account",
      "several registry entries match one account: an inspector decides", (), registry.RegistryAmbiguousRule),
    R(runner.TYPO_RULE, "typo", "deduction", "page", "错别字 (national indicators: deduction)", (),
      runner.page_findings),
    R(runner.WORDING_RULE, "wording_error", "veto", "page", "严重表述错误 (national veto item)", (),
      runner.page_findings),
    R(runner.SPAM_RULE, "spam_injection", "veto", "page", "gambling/porn text or links injected into a page", (),
      runner.page_findings),
    R(runner.TOO_LARGE_RULE, "too_large", "info", "page",
      "a page over [limits] page_bytes is not checked; an inspector opens it by hand", (), runner.page_findings),
    R(posts.POST_TYPO_RULE, "typo", "deduction", "post", "错别字 in an account's recent posts", (),
      posts.check_posts),
    R(posts.POST_WORDING_RULE, "wording_error", "veto", "post", "严重表述错误 in an account's recent posts", (),
      posts.check_posts),
    R(links.RULE_ID, "broken_service", "deduction", "page", "服务功能无法使用", (), links.broken_service_findings),
    R(probes.CLOAKING_RULE, "spam_injection", "veto", "page", "spam shown only to search-engine crawlers", (),
      probes.cloaking_findings),
    R(probes.CLONE_RULE, "spam_injection", "veto", "page", "a copy of a government site on a foreign host", (),
      probes.clone_findings),
)
BY_ID: dict[str, RuleSpec] = {spec.id: spec for spec in RULES}


def account_rules() -> list[RuleSpec]:
    """The account rules, in report order."""
    return [spec for spec in RULES if spec.subject == "account"]
