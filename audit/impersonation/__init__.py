"""Impersonation (冒用/仿冒) detection: does an account name imitate a registered account or its owner?

Entry points: `Matcher(entries).check(name, platform=None, account=None)` and
`ImpersonationRule(entries)` for the nightly audit.
"""

from audit.impersonation.matcher import VERDICTS, Candidate, CheckResult, Matcher

__all__ = ["VERDICTS", "Candidate", "CheckResult", "Matcher"]
