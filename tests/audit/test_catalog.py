"""The rule catalog lists every rule the code can emit, with the id, kind and severity its findings carry."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import audit.rules
from audit import catalog
from audit.catalog import BY_ID, RULES
from audit.content import posts, probes, runner
from audit.runner import default_rules, run_audit
from core.config import RuleThresholds, Settings
from index.sqlite import SqliteBackend
from sampleweb.world import generate
from tests.audit.world_store import load_world


def rule_classes() -> dict[str, type]:
    """Every class in audit/rules/ and audit/impersonation/rule.py that declares a rule_id."""
    modules = [importlib.import_module(m.name) for m in pkgutil.iter_modules(audit.rules.__path__, "audit.rules.")]
    modules.append(importlib.import_module("audit.impersonation.rule"))
    return {
        cls.rule_id: cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if cls.__module__ == module.__name__ and isinstance(getattr(cls, "rule_id", None), str)
    }


def test_every_account_rule_class_is_listed_with_its_id_and_kind() -> None:
    classes = rule_classes()
    listed = {spec.id: spec for spec in catalog.account_rules()}
    assert set(classes) == set(listed)
    assert all(listed[rule_id].check is cls and listed[rule_id].kind == cls.kind for rule_id, cls in classes.items())


def test_every_page_rule_id_is_listed_once() -> None:
    page_ids = [spec.id for spec in RULES if spec.subject == "page"]
    assert sorted(page_ids) == sorted({*runner.RULE_IDS, probes.CLOAKING_RULE, probes.CLONE_RULE})
    assert len(BY_ID) == len(RULES)  # ids are unique


def test_every_post_rule_id_is_listed_once() -> None:
    assert sorted(spec.id for spec in RULES if spec.subject == "post") == sorted(posts.RULE_IDS)


def test_specs_are_complete_and_name_real_thresholds() -> None:
    known = set(RuleThresholds.__dataclass_fields__)
    for spec in RULES:
        assert spec.severity in ("veto", "deduction", "info") and spec.subject in ("account", "page", "post")
        assert spec.source.strip() and set(spec.thresholds) <= known, spec.id
        assert spec.as_dict()["check"].startswith("audit."), spec.id


def test_the_audit_runs_the_catalog_in_its_order_and_findings_match_it(store: SqliteBackend) -> None:
    world = generate(seed=7, accounts=40, posts=30)
    load_world(store, world)
    summary = run_audit(store, Settings(), world.now)
    assert summary.accounts > 0
    assert [r.rule_id for r in default_rules(matcher=object())] == [s.id for s in catalog.account_rules()]
    findings = store.list_findings()
    assert findings
    assert [(f.rule_id, f.kind, f.severity) for f in findings if (BY_ID[f.rule_id].kind, BY_ID[f.rule_id].severity)
            != (f.kind, f.severity)] == []


def test_rules_command_lists_every_rule_with_its_source(capsys) -> None:  # type: ignore[no-untyped-def]
    from govwatch.cli import main

    try:
        main(["rules", "--json"])
    except SystemExit as exc:
        assert exc.code in (0, None)
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [spec.id for spec in RULES]
    assert next(r for r in listed if r["id"] == "account.dormant")["source"] == "监测时间点前2周内无更新"
