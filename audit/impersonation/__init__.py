"""Impersonation (冒用/仿冒) detection: does an account name imitate a registered account or its owner?

Entry points: `Matcher(entries, extra_places=()).check(name, platform=None, account=None)`,
`audit.impersonation.rule.ImpersonationRule(entries)` (rule id account.impersonation) for
the nightly audit, and `audit.impersonation.indexed.IndexedMatcher(store)` for the same check
with its candidates from the store's index (Elasticsearch keeps the keys of core.names.keys).
"""

from audit.impersonation.matcher import VERDICTS, Candidate, CheckResult, Matcher

__all__ = ["VERDICTS", "Candidate", "CheckResult", "Matcher"]
