"""The labelled impersonation set: ≥150 cases against a realistic registry of ~400 entries.

Pins the issue's acceptance figures (precision and recall of the
"impersonation" verdict ≥ 0.95, printed) and that each case is judged as
labelled, with the imitated entry ranked first.
"""

from __future__ import annotations

from collections import Counter

import pytest

from audit.impersonation import Matcher
from core.models import Account
from tests.audit.impersonation.labelled_set import CASES, Case, load_registry


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_registry())


def judge(matcher: Matcher, case: Case) -> tuple[str, str]:
    """(verdict, best candidate's name) for one case, with an account when the case gives an id."""
    account = Account(platform=case.platform, account_id=case.account_id, name=case.name) if case.account_id else None
    result = matcher.check(case.name, case.platform, account)
    return result.verdict, result.candidates[0].name if result.candidates else ""


def test_labelled_set_is_large_and_covers_every_category() -> None:
    """The set has ≥150 cases, every category of the issue, and a registry of a few hundred entries."""
    categories = Counter(c.category for c in CASES)
    assert len(CASES) >= 150
    for needed in ("homophone", "look-alike", "traditional", "decorations", "owner", "cross-platform",
                   "zero-width", "benign", "registered"):
        assert categories[needed] >= 8, needed
    assert 300 <= len(load_registry()) <= 1000


def test_precision_and_recall_of_impersonation(matcher: Matcher) -> None:
    """Precision and recall of the "impersonation" verdict over the whole set are both ≥ 0.95."""
    tp = fp = fn = 0
    wrong = []
    for case in CASES:
        verdict, _ = judge(matcher, case)
        positive, labelled = verdict == "impersonation", case.expected == "impersonation"
        tp += positive and labelled
        fp += positive and not labelled
        fn += labelled and not positive
        if verdict != case.expected:
            wrong.append(f"{case.name!r}/{case.platform}: {verdict}, labelled {case.expected}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nimpersonation labelled set: {len(CASES)} cases, precision {precision:.3f}, recall {recall:.3f}, "
          f"tp {tp} fp {fp} fn {fn}; misjudged: {wrong}")
    assert precision >= 0.95 and recall >= 0.95, wrong


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.category}-{c.name}-{c.platform}")
def test_case(matcher: Matcher, case: Case) -> None:
    """Each labelled case gets its verdict, and a flagged or registered name names the right entry first."""
    verdict, best = judge(matcher, case)
    assert verdict == case.expected
    if case.expected != "clear":
        assert best == case.imitates
