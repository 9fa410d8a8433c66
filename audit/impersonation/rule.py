"""The nightly audit rule: an account whose name imitates a registered account or its owner (veto)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from audit.impersonation.matcher import Matcher
from audit.rules.base import AuditContext, account_finding
from core.errors import BadInputError
from core.models import Finding, RegistryEntry
from index.base import AccountActivity, Backend

EVIDENCE_CANDIDATES = 3


class ImpersonationRule:
    """Flags accounts the Matcher calls "impersonation"; registered accounts never are.

    The Matcher is built once, from the registry entries given to the
    constructor (or an already built Matcher), and reused for every account.
    """

    rule_id = "account.impersonation"
    kind = "impersonation"

    def __init__(self, entries: Iterable[RegistryEntry] = (), *, matcher: Matcher | None = None):
        self.matcher = matcher if matcher is not None else Matcher(entries)

    @classmethod
    def from_backend(cls, backend: Backend) -> ImpersonationRule:
        """The rule over the store's registry."""
        return cls(backend.iter_registry())

    def evaluate(self, activity: AccountActivity, ctx: AuditContext) -> Iterator[Finding]:
        acc = activity.account
        if acc.state == "missing" or not len(self.matcher):
            return  # an account the platform says does not exist imitates no one
        try:
            result = self.matcher.check(acc.name, acc.platform, acc, now=ctx.as_of)
        except BadInputError:
            return  # a name of emoji only imitates no registered name
        if result.verdict != "impersonation":
            return
        best = result.candidates[0]
        yield account_finding(
            self, activity, ctx, "veto",
            imitates=best.name, imitates_platform=best.platform, imitates_owner=best.owner,
            score=best.score, reasons=best.reasons,
            candidates=[c.as_dict() for c in result.candidates[:EVIDENCE_CANDIDATES]],
        )
