"""Pins the three ways in: the audit rule, `govwatch check name`, and GET /impersonation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from audit.impersonation.rule import ImpersonationRule
from audit.rules.base import AuditContext
from core.config import RuleThresholds, get_settings
from core.models import Account, RegistryEntry
from govwatch.cli import main
from index.base import AccountActivity
from index.sqlite import SqliteBackend
from search_api import deps
from search_api.routes import impersonation

NOW = datetime(2026, 11, 23, 10, 0)
ENTRIES = [
    RegistryEntry("永州人社", "wechat", "gh_yzrs", owner="永州市人力资源和社会保障局"),
    RegistryEntry("广州公安", "weibo", "2000", owner="广州市公安局"),
]
REGISTRY_CSV = "账号名称,平台,账号ID,主办单位\n永州人社,微信公众号,gh_yzrs,永州市人力资源和社会保障局\n广州公安,微博,2000,广州市公安局\n"


def _evaluate(rule: ImpersonationRule, account: Account) -> list:
    ctx = AuditContext(as_of=NOW, thresholds=RuleThresholds())
    return list(rule.evaluate(AccountActivity(account=account), ctx))


def test_rule_flags_an_impersonator_with_reasons_as_a_veto() -> None:
    """account.impersonation: a veto finding naming the imitated entry, its owner, score and reasons."""
    rule = ImpersonationRule(ENTRIES)
    [finding] = _evaluate(rule, Account("wechat", "gh_fake", "永洲人社"))
    assert (finding.rule_id, finding.kind, finding.severity) == ("account.impersonation", "impersonation", "veto")
    assert finding.subject_key == "wechat:gh_fake"
    ev = finding.evidence
    assert (ev["imitates"], ev["imitates_platform"], ev["imitates_owner"]) == ("永州人社", "wechat", "永州市人力资源和社会保障局")
    assert any("洲→州" in r for r in ev["reasons"]) and "account not verified" in ev["reasons"]
    assert ev["candidates"][0]["name"] == "永州人社"


def test_rule_ignores_registered_benign_and_missing_accounts() -> None:
    """Registered accounts are never impersonation; benign names and accounts that do not exist give nothing."""
    rule = ImpersonationRule(ENTRIES)
    assert _evaluate(rule, Account("wechat", "gh_yzrs", "永州人社")) == []
    assert _evaluate(rule, Account("wechat", "gh_food", "永州美食地图")) == []
    assert _evaluate(rule, Account("wechat", "gh_gone", "永洲人社", state="missing")) == []
    assert _evaluate(rule, Account("wechat", "gh_emoji", "🔥🔥")) == []


def test_rule_from_backend_reads_the_store_registry(store: SqliteBackend) -> None:
    """ImpersonationRule.from_backend builds its Matcher from the store's registry."""
    store.upsert_registry(ENTRIES)
    rule = ImpersonationRule.from_backend(store)
    assert len(rule.matcher) == 2
    assert len(_evaluate(rule, Account("weibo", "9", "广州市公安局"))) == 1


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "name", *argv])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_cli_with_registry_file_prints_the_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--registry FILE --json prints query/verdict/candidates; exit 1 for impersonation, 0 otherwise."""
    reg = tmp_path / "registry.csv"
    reg.write_text(REGISTRY_CSV, encoding="utf-8-sig")
    code, out, _ = _cli(capsys, "永洲人社", "--platform", "微信", "--registry", str(reg), "--json")
    data = json.loads(out)
    assert code == 1 and data["query"] == "永洲人社" and data["verdict"] == "impersonation"
    assert data["candidates"][0]["name"] == "永州人社" and data["candidates"][0]["platform"] == "wechat"
    assert set(data["candidates"][0]) == {"name", "platform", "owner", "score", "reasons"}
    code, out, _ = _cli(capsys, "永州人社", "--platform", "wechat", "--registry", str(reg), "--json")
    assert (code, json.loads(out)["verdict"]) == (0, "registered")
    code, out, _ = _cli(capsys, "上海美食地图", "--registry", str(reg))
    assert (code, out.strip()) == (0, "上海美食地图: clear")


def test_cli_bad_input_exits_2_with_a_precise_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown platform, missing registry file and a name of emoji only exit 2 naming the problem."""
    reg = tmp_path / "registry.csv"
    reg.write_text(REGISTRY_CSV, encoding="utf-8")
    code, _, err = _cli(capsys, "永州人社", "--platform", "myspace", "--registry", str(reg))
    assert code == 2 and "unknown platform 'myspace'" in err
    code, _, err = _cli(capsys, "永州人社", "--registry", str(tmp_path / "nope.csv"))
    assert code == 2 and "nope.csv" in err
    code, _, err = _cli(capsys, "🔥", "--registry", str(reg))
    assert code == 2 and "name" in err


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store with the registry, selected through the environment as the CLI and API read it."""
    monkeypatch.setenv("GOVWATCH_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("GOVWATCH_CONFIG", str(tmp_path / "none.toml"))
    get_settings.cache_clear()
    deps.backend.cache_clear()
    db = SqliteBackend(tmp_path / "store.db")
    db.setup()
    db.upsert_registry(ENTRIES)
    db.close()
    yield tmp_path
    deps.backend.cache_clear()
    get_settings.cache_clear()


def test_cli_without_registry_uses_the_store(store_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --registry the store's registry is used."""
    code, out, _ = _cli(capsys, "广州市公安局", "--platform", "weibo", "--json")
    assert code == 1 and json.loads(out)["candidates"][0]["name"] == "广州公安"


def test_api_impersonation_endpoint(store_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GET /impersonation answers like the CLI; a bad platform is 422 and a name of emoji only 400."""
    from fastapi import FastAPI

    monkeypatch.setattr(impersonation, "_cache", impersonation.MatcherCache())
    app = FastAPI()
    app.include_router(impersonation.router)
    client = TestClient(app)
    data = client.get("/impersonation", params={"name": "廣州公安官微", "platform": "weibo"}).json()
    assert data["verdict"] == "impersonation" and data["candidates"][0]["name"] == "广州公安"
    assert client.get("/impersonation", params={"name": "永州人社", "platform": "wechat"}).json()["verdict"] == "registered"
    assert client.get("/impersonation", params={"name": "x", "platform": "myspace"}).status_code == 422
    assert client.get("/impersonation", params={"name": "🔥"}).status_code == 400
