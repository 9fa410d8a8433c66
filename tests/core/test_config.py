"""Config is validated as a whole: every mistake is a ConfigError naming the file, the key and the reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.config import RuleThresholds, Settings, load_settings
from core.errors import ConfigError
from tests.paths import ROOT


def load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "govwatch.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


@pytest.mark.parametrize(("text", "message"), [
    ('[rules]\ndormant_days = "fourteen"', "rules.dormant_days: Input should be a valid integer"),
    ("sources = 5", "sources: must be a table ([section]) (got 5)"),
    ('reports_dir = ["a"]', "reports_dir: Input should be a valid string"),
    ('[stor]\nsqlite_path = "x.db"', "stor: unknown section"),
    ("[store]\nsqlite_path = 42", "store.sqlite_path: Input should be a valid string (got 42)"),
    ("[rules]\ndormant_days = -3", "rules.dormant_days: Input should be greater than or equal to 1"),
    ("[rules]\nzombie_days = 400", "zombie_severe_days must not be shorter than zombie_days"),
    ("[rules]\npass_score = 101", "rules.pass_score: Input should be less than or equal to 100"),
    ('[sources]\ngov_sites = "http://www.yz.gov.cn/"', "sources.gov_sites: must be a list"),
    ('[sources]\ngov_sites = ["www.yz.gov.cn"]', "sources.gov_sites.0: must be an http(s):// URL"),
    ('[sources]\nweibo_uid = ["1"]', "sources.weibo_uid: unknown key"),
    ('[store]\nbackend = "mysql"', "store.backend: String should match pattern '^(sqlite|elasticsearch)$' (got 'mysql')"),
    ('[calendar.2027]\nholidays = ["2027-02-30"]', "calendar.2027.holidays.0: day is out of range for month"),
    ('[calendar.2027]\nholiday = ["2027-02-01"]', "calendar.2027.holiday: String should match pattern"),
    ("[content]\nconfusion_min_gain = -1", "content.confusion_min_gain: Input should be greater than 0"),
    ("[content]\nnames = 3", "content.names: must be a list"),
    ('[content]\nhomophone_words = "maybe"', "content.homophone_words: Input should be a valid boolean"),
    ("[api]\nrate_per_minute = 0", "api.rate_per_minute: Input should be greater than or equal to 1"),
])  # fmt: skip
def test_each_mistake_names_the_file_the_key_and_the_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert str(caught.value).startswith(str(tmp_path / "govwatch.toml") + ": ")
    assert message in str(caught.value)


def test_all_mistakes_are_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, '[rules]\ndormant_days = 0\nzombie_days = "x"\n[sources]\nfeeds = "http://a/"')
    assert [p.split(":")[0] for p in str(caught.value).split(": ", 1)[1].split("; ")] == [
        "rules.dormant_days", "rules.zombie_days", "sources.feeds"
    ]


def test_secrets_in_the_file_are_refused_with_a_pointer_to_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"sources\.weibo_cookies: unknown key \(secrets come from the environment"):
        load(tmp_path, '[sources]\nweibo_cookies = "SUB=abc"')


def test_a_good_file_and_the_environment_are_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVWATCH_DB", str(tmp_path / "env.db"))
    settings = load(tmp_path, '[rules]\ndormant_days = 10\n[sources]\ngov_sites = ["https://www.yz.gov.cn/"]\n'
                              "[calendar.2027]\nholidays = [2027-01-01]\n")  # fmt: skip
    assert settings.rules == RuleThresholds(dormant_days=10)
    assert settings.sources.gov_sites == ("https://www.yz.gov.cn/",)
    assert settings.store.sqlite_path == str(tmp_path / "env.db")
    assert settings.calendar == {"2027": {"holidays": ["2027-01-01"]}}


def test_a_bad_environment_value_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVWATCH_BACKEND", "mysql")
    with pytest.raises(ConfigError, match=r"^environment GOVWATCH_BACKEND: backend: String should match pattern .*\(got 'mysql'\)"):
        load(tmp_path, "")


@pytest.mark.parametrize("command", [["audit"], ["crawl", "weibo"], ["search", "医保"]])
def test_commands_exit_2_with_one_line_before_doing_anything(tmp_path: Path, command: list[str]) -> None:
    config = tmp_path / "govwatch.toml"
    config.write_text('[stor]\nsqlite_path = "x.db"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "govwatch", "--config", str(config), *command],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == f"govwatch {command[0]}: {config}: stor: unknown section"
    assert not (tmp_path / "data").exists() and not (tmp_path / "x.db").exists()


def test_the_typo_switches_of_the_readme_are_accepted(tmp_path: Path) -> None:
    settings = load(tmp_path, "[content]\nreal_word_scan = false\nmodern_words = true\nhomophone_words = false")
    assert settings.content["homophone_words"] is False and settings.content["modern_words"] is True
