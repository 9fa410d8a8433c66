"""`govwatch check page PATH_OR_URL --json`: the DESIGN.md contract on files and URLs, exit codes."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from govwatch.cli import main
from sampleweb.server import SampleWeb
from sampleweb.world import generate
from tests.paths import FIXTURES

CONTENT = FIXTURES / "content"
KEYS = {"url", "title", "published", "spam", "typos", "accounts"}


def _check(capsys, *argv: str, config: Path | None = None) -> tuple[int, dict, str]:
    prefix = ["--config", str(config)] if config else []
    with pytest.raises(SystemExit) as exc:
        main([*prefix, "check", "page", *argv])
    captured = capsys.readouterr()
    out = captured.out.strip()
    return int(exc.value.code or 0), json.loads(out) if out.startswith("{") else {}, captured.err


def test_gbk_page_file_gives_title_date_spam_and_typos_with_offsets(capsys):
    code, result, _ = _check(capsys, str(CONTENT / "gbk_compromised.html"), "--json")
    assert code == 1  # compromised: a veto
    assert set(result) == KEYS
    assert result["title"] == "无锡市召开优化营商环境工作会议" and result["published"] == "2026-11-20"
    assert result["spam"]["compromised"] and result["spam"]["evidence"][0]["kind"] == "hidden_display_none"
    decoded = (CONTENT / "gbk_compromised.html").read_bytes().decode("gb18030")
    typos = {t["text"]: t for t in result["typos"]}
    assert typos["想法设法"]["suggestion"] == "想方设法"
    for t in result["typos"]:
        assert decoded[t["offset"] : t["offset"] + len(t["text"])] == t["text"]
        assert set(t) >= {"text", "suggestion", "offset", "rule"}


def test_plain_text_lottery_notice_is_clean(capsys):
    code, result, _ = _check(capsys, str(CONTENT / "plain_clean.txt"), "--json")
    assert code == 0
    assert result["spam"] == {"compromised": False, "terms": [], "evidence": []}
    assert result["title"] == "永州市2026年度体育彩票公益金使用情况公告" and result["published"] == "2026-11-18"


def test_known_place_from_config_is_not_a_typo(capsys, tmp_path, without_words_veto):
    sensitive = tmp_path / "sensitive.toml"  # two-character look-alikes need gain 10 by default: lower it
    sensitive.write_text("[content]\nconfusion_min_gain = 7.0\n", encoding="utf-8")
    _, unknown, _ = _check(capsys, str(CONTENT / "place_name.html"), "--json", config=sensitive)
    assert [t["text"] for t in unknown["typos"]] == ["潞州"]
    config = tmp_path / "govwatch.toml"
    config.write_text('[content]\nconfusion_min_gain = 7.0\nnames = ["潞州区人民政府"]\n', encoding="utf-8")
    _, known, _ = _check(capsys, str(CONTENT / "place_name.html"), "--json", config=config)
    assert known["typos"] == []


def test_missing_file_is_bad_input_exit_2(capsys, tmp_path):
    code, _, err = _check(capsys, str(tmp_path / "nope.html"), "--json")
    assert code == 2 and "nope.html" in err


def test_url_with_spam_shown_only_to_crawlers_is_flagged_as_ua_cloaking(capsys, tmp_path):
    world = generate(seed=7, accounts=10, posts=5, now=datetime(2026, 11, 23, 10, 0))
    with SampleWeb(world) as web:
        config = tmp_path / "govwatch.toml"
        config.write_text(f'[sources]\ngov_sites = ["{web.base_url}/gov/yz/index.html"]\n', encoding="utf-8")
        truth = world.ground_truth(web.base_url)
        cloaked = next(p["url"] for p in truth["pages"] if "ua_cloaking" in p["kinds"] and "/gov/yz/" in p["url"])
        code, result, _ = _check(capsys, cloaked, "--json", config=config)
        clean = next(p["url"] for p in truth["pages"] if not p["compromised"] and "/gov/yz/news/2" in p["url"])
        clean_code, clean_result, _ = _check(capsys, clean, "--json", config=config)
    assert code == 1 and result["url"] == cloaked
    assert [e["kind"] for e in result["spam"]["evidence"]] == ["ua_cloaking"]
    assert clean_code == 0 and clean_result["spam"]["compromised"] is False
