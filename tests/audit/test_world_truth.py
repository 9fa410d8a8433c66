"""On sample worlds stored as a perfect crawl would store them, the audit's findings equal the ground truth."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from audit.impersonation.keyindex import DiskIndex
from audit.registry import verdicts
from audit.runner import run_audit
from core.config import Settings
from core.models import Account
from govwatch.truth import all_equal, compare_with_ground_truth
from index.sqlite import SqliteBackend
from sampleweb.world import generate
from tests.audit.world_store import load_world


@pytest.mark.parametrize(("seed", "accounts", "posts"), [(7, 40, 30), (11, 90, 20), (3, 30, 45)])
def test_findings_equal_the_ground_truth_label_for_label(
    store: SqliteBackend, seed: int, accounts: int, posts: int
) -> None:
    world = generate(seed=seed, accounts=accounts, posts=posts)
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    comparison = compare_with_ground_truth(store, world.ground_truth())
    differences = {k: v for k, v in comparison.items() if v["missing"] or v["extra"]}
    assert differences == {}
    expected_labels = {"dormant", "zombie", "zombie_severe", "empty_shell", "cadence_primary", "cadence_weekly",
                       "no_original", "unregistered", "impersonation", "duplicate_platform", "closed_but_alive",
                       "no_interaction", "missing", "registered", "primary"}
    assert expected_labels <= {k for k, v in comparison.items() if v["found"]}  # every rule had work to do


def test_an_account_the_crawl_missed_shows_up_as_missing_labels(store: SqliteBackend) -> None:
    world = generate(seed=7, accounts=40, posts=30)
    dormant = next(a for a in world.accounts if a.name == "永州公安")
    load_world(store, world, skip=frozenset({dormant.key}))
    run_audit(store, Settings(), world.now)
    comparison = compare_with_ground_truth(store, world.ground_truth())
    assert comparison["dormant"]["missing"] == [dormant.key]
    assert comparison["registered"]["missing"] == []  # the matrix page names it: known, registered, not crawled
    assert not all_equal(comparison)


def test_a_later_audit_resolves_what_is_gone_and_keeps_history(store: SqliteBackend) -> None:
    world = generate(seed=7, accounts=40, posts=30)
    load_world(store, world)
    run_audit(store, Settings(), world.now)
    first = {(f.rule_id, f.subject_key) for f in store.list_findings()}
    run_audit(store, Settings(), world.now)
    assert {(f.rule_id, f.subject_key) for f in store.list_findings()} == first
    assert store.list_findings(status="resolved") == []
    later = world.now + timedelta(days=400)  # everything goes quiet: cadence findings are resolved, not deleted
    run_audit(store, Settings(calendar={"2027": {"holidays": [], "workdays": []}}), later)
    resolved = {(f.rule_id, f.subject_key) for f in store.list_findings(status="resolved")}
    assert resolved and resolved <= first
    assert all(f.resolved_at == later for f in store.list_findings(status="resolved"))


def test_impersonation_verdicts_from_the_saved_key_index_give_the_same_findings(tmp_path: Path) -> None:
    world = generate(seed=7, accounts=40, posts=30)
    memory = SqliteBackend(":memory:")  # no index folder: every name's keys computed
    memory.setup()
    load_world(memory, world)
    run_audit(memory, Settings(), world.now)
    computed = sorted((f.rule_id, f.subject_key, str(f.evidence)) for f in memory.list_findings())
    memory.close()
    other = SqliteBackend(tmp_path / "other.db")
    other.setup()
    try:
        load_world(other, world)
        beside = replace(Settings(), store=replace(Settings().store, sqlite_path=str(tmp_path / "other.db")))
        run_audit(other, beside, world.now)  # builds the index and saves it beside the store
        assert len(list((tmp_path / "impersonation-index").glob("*.sqlite"))) == 1
        matcher = verdicts.audit_matcher(list(other.iter_registry()), world.now, tmp_path / "impersonation-index")
        assert matcher is not None
        assert matcher.check("永洲人社", "weibo", Account("weibo", "x", "永洲人社"), now=world.now).verdict == "impersonation"
        assert isinstance(matcher._local.index, DiskIndex)  # answered from the saved file, not recomputed
        matcher.close()
        run_audit(other, beside, world.now)
        assert sorted((f.rule_id, f.subject_key, str(f.evidence)) for f in other.list_findings()) == computed
    finally:
        other.close()
