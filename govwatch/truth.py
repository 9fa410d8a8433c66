"""Compare what the audit stored with a sample web's ground truth (the demo prints this).

Found labels per account are the stored open account findings (their kind)
plus `registered` / `primary` from matching the stored accounts and
government-page mentions against the stored registry. Subjects known only by
name ("platform:name:<name>") are mapped to the ground truth's account of the
same platform and normalised name. Accounts the ground truth lists under
`needs_credentials` are left out on both sides: nobody can label what could
not be read.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from audit.names import normalise_name
from audit.registry.matching import NAME_KEY_PREFIX, RegistryIndex
from audit.registry.subjects import collect_subjects
from index.base import Backend


def compare_with_ground_truth(backend: Backend, ground_truth: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per label: {"expected": n, "found": n, "missing": [keys], "extra": [keys]}, keys "platform:account_id".

    Every label that is expected or found appears; a finding kind the ground
    truth does not know (e.g. registry_ambiguous) shows up with its subjects as extra.
    """
    truth_accounts = ground_truth.get("accounts", [])
    skip = set(ground_truth.get("needs_credentials", []))
    by_name = _names(truth_accounts)
    expected: dict[str, set[str]] = defaultdict(set)
    for acc in truth_accounts:
        for label in acc["labels"]:
            expected[label].add(f"{acc['platform']}:{acc['account_id']}")
    found: dict[str, set[str]] = defaultdict(set)
    for label, key in _found_labels(backend):
        key = _truth_key(key, by_name)
        if key not in skip:
            found[label].add(key)
    return {
        label: {
            "expected": len(expected[label]),
            "found": len(found[label]),
            "missing": sorted(expected[label] - found[label]),
            "extra": sorted(found[label] - expected[label]),
        }
        for label in sorted(set(expected) | set(found))
    }


def all_equal(comparison: dict[str, dict[str, Any]]) -> bool:
    """True when no label has a missing or extra account."""
    return all(not c["missing"] and not c["extra"] for c in comparison.values())


def _found_labels(backend: Backend) -> list[tuple[str, str]]:
    pairs = [(f.kind, f.subject_key) for f in backend.list_findings(status="open") if f.subject_type == "account"]
    subjects = collect_subjects(backend, RegistryIndex(backend.iter_registry()))
    uncrawled_registry = {
        f"{a.account.platform}:{a.account.account_id}" for a in subjects.uncrawled if a.account.found_via == "registry"
    }
    for key, match in subjects.matches.items():
        if match.registered and key not in uncrawled_registry:
            pairs.append(("registered", key))
            if match.entry is not None and match.entry.is_primary and match.entry.status == "active":
                pairs.append(("primary", key))
    return pairs


def _names(truth_accounts: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for acc in truth_accounts:
        by_name[(acc["platform"], normalise_name(acc["name"]))].append(f"{acc['platform']}:{acc['account_id']}")
    return by_name


def _truth_key(key: str, by_name: dict[tuple[str, str], list[str]]) -> str:
    """A name-keyed subject becomes the ground truth's key when exactly one account has that name."""
    platform, _, account_id = key.partition(":")
    if account_id.startswith(NAME_KEY_PREFIX):
        keys = by_name.get((platform, normalise_name(account_id.removeprefix(NAME_KEY_PREFIX))), [])
        if len(keys) == 1:
            return keys[0]
    return key
