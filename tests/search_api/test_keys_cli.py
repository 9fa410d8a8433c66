"""`govwatch keys add | list | revoke | log`: the key is printed once, as the last line, and stored hashed."""

from __future__ import annotations

from pathlib import Path

import pytest

from govwatch.cli import main
from search_api.access.keystore import KeyStore


def _keys(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["keys", *argv])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_add_prints_the_key_last_and_stores_only_its_hash(api_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _keys(capsys, "add", "张三", "--role", "investigator")
    secret = out.strip().splitlines()[-1]
    assert code == 0 and secret.startswith("gw_") and len(secret) > 40
    assert secret.encode() not in (api_env / "keys.db").read_bytes()
    store = KeyStore(api_env / "keys.db")
    assert store.authenticate(secret).role == "investigator"  # type: ignore[union-attr]
    store.close()
    code, out, _ = _keys(capsys, "list")
    assert code == 0 and "张三\tinvestigator" in out and "active" in out and secret not in out


def test_revoke_and_bad_input(api_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _keys(capsys, "add", "script", "--role", "viewer")
    code, out, _ = _keys(capsys, "revoke", "script")
    assert code == 0 and "revoked" in out
    assert "revoked" in _keys(capsys, "list")[1]
    code, _, err = _keys(capsys, "revoke", "script")
    assert code == 2 and "no active key named 'script'" in err
    assert _keys(capsys, "add", "x", "--role", "superuser")[0] == 2
    _keys(capsys, "add", "twice", "--role", "viewer")
    code, _, err = _keys(capsys, "add", "twice", "--role", "admin")
    assert code == 2 and "exists already" in err


def test_the_demo_makes_an_admin_key_beside_its_store(tmp_path: Path) -> None:
    """`govwatch demo` prints an admin key for its store, so its page can be opened at once."""
    from datetime import datetime

    from govwatch.commands.demo import _demo_key

    config = tmp_path / "govwatch.toml"
    config.write_text(f'[store]\nsqlite_path = "{tmp_path / "demo" / "govwatch.db"}"\n', encoding="utf-8")
    secret = _demo_key(config, datetime(2026, 11, 23, 10, 0))
    store = KeyStore(tmp_path / "demo" / "keys.db")
    key = store.authenticate(secret)
    store.close()
    assert key is not None and key.role == "admin" and key.name == "demo 2026-11-23 10:00:00"
