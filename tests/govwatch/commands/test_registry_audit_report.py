"""`govwatch registry import`, `govwatch audit --as-of`, `govwatch report`: exit codes and output."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import BadInputError
from govwatch.cli import main
from govwatch.commands.audit import parse_as_of

HEADER = "账号名称,平台,账号ID,主办单位,是否主账号,状态"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOVWATCH_CONFIG", raising=False)
    monkeypatch.setenv("GOVWATCH_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("GOVWATCH_REPORTS", str(tmp_path / "reports"))
    return tmp_path


def govwatch(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    return int(exit_.value.code or 0)


def test_import_prints_the_summary_and_rejected_rows_and_exits_0(env: Path, capsys: pytest.CaptureFixture) -> None:
    path = env / "r.csv"
    path.write_bytes(f"{HEADER}\n某市发布,微博,1,某市政府,是,正常\n某县发布,火星,2,某县政府,否,正常\n".encode("gb18030"))
    assert govwatch("registry", "import", str(path)) == 0
    out, err = capsys.readouterr()
    assert "1 added" in out and "added: weibo 某市发布" in out
    assert f"rejected: {path}, row 3, field 'platform': unknown platform '火星'" in err
    assert govwatch("registry", "import", str(path)) == 0
    assert "0 added, 0 changed, 0 closed, 1 unchanged" in capsys.readouterr().out


def test_import_with_nothing_usable_exits_2_with_one_line_naming_file_row_field(
    env: Path, capsys: pytest.CaptureFixture
) -> None:
    path = env / "r.csv"
    path.write_text(f"{HEADER}\n,微博,1,某市政府,是,正常\n", encoding="utf-8")
    assert govwatch("registry", "import", str(path)) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"govwatch registry: {path}, row 2, field 'name': account name is empty"


def test_audit_prints_a_summary_and_report_writes_a_dated_file(env: Path, capsys: pytest.CaptureFixture) -> None:
    path = env / "r.csv"
    path.write_text(f"{HEADER}\n某市发布,微博,1,某市政府,是,正常\n", encoding="utf-8")
    govwatch("registry", "import", str(path))
    assert govwatch("audit", "--as-of", "2026-11-23") == 0
    out = capsys.readouterr().out
    assert "audit as of 2026-11-23 23:59:59" in out and "new" in out and "resolved" in out
    assert govwatch("report", "nightly-unregistered", "--format", "json", "--as-of", "2026-11-23") == 0
    written = Path(capsys.readouterr().out.strip())
    assert written == env / "reports" / "nightly-unregistered-2026-11-23.json" and written.is_file()


def test_audit_rejects_a_bad_date_with_exit_2(env: Path, capsys: pytest.CaptureFixture) -> None:
    assert govwatch("audit", "--as-of", "2026-13-40") == 2
    assert "--as-of" in capsys.readouterr().err


def test_as_of_forms() -> None:
    assert str(parse_as_of("2026-10-10")) == "2026-10-10 23:59:59"
    assert str(parse_as_of("2026-10-10 08:30")) == "2026-10-10 08:30:00"
    with pytest.raises(BadInputError):
        parse_as_of("yesterday")
